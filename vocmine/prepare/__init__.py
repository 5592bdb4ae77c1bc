"""Prepare: clean each raw record, redact personal data, detect its language."""
