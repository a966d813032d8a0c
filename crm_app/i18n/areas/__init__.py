"""Message tables of one area each (a module per feature: lists, pipelines, import, ...).

Every module here defines ``MESSAGES: dict[str, tuple[str, str]]`` (key -> (vi, en));
catalog.py joins them with messages.py into the one catalog and refuses a key twice.
"""
