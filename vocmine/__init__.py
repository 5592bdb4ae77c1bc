"""vocmine: turn the voice of the user into monthly problem statements for Product."""

__version__ = "0.1.0"
