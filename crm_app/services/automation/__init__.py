"""Automation rules: kept (rules), run with a preview and a log (runner)."""
