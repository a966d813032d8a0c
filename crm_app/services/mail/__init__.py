"""E-mail: templates, sending, the outbox."""
