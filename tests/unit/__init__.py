"""Unit tests of the services: no browser, no Reflex server."""
