"""The list machinery: queries, filters, saved views and filters, bulk updates, static lists."""
