"""Import and export of files, and jobs that run in a process of their own."""
