"""Customers and their contacts, their status, duplicates and merges, notes and files."""
