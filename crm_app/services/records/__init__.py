"""The field registry and what every record shares: history, custom fields, catalogs, watchers."""
