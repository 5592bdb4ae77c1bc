"""One error hierarchy, caught once at the CLI boundary.

Every message names the fix, so that the CLI can print it on one line.
"""

from __future__ import annotations


class VocmineError(Exception):
    """Base class for every error vocmine reports to a user."""

    exit_code = 1


class ConfigError(VocmineError):
    """vocmine.toml or a command-line option is wrong."""

    exit_code = 2


class InputError(VocmineError):
    """An input file cannot be read as a whole (bad encoding, unknown format, missing column)."""

    exit_code = 2


class TaxonomyError(VocmineError):
    """A taxonomy file is invalid; the message names the file, the intent and the field."""

    exit_code = 2


class StoreError(VocmineError):
    """The database cannot be opened or migrated."""


class ModelError(VocmineError):
    """The embedding model cannot be loaded."""
