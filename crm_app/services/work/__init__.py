"""Activities and tasks, the calendar, the dashboard, notifications."""
