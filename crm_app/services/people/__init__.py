"""Who is signed in and what they may see and do: sign-in, users and teams, permissions."""
