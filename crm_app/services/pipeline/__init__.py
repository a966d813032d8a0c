"""Leads, opportunities and the kanban boards they move on; quotes and orders."""
