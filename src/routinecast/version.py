"""The package version: read by the packaging metadata and written into every file's tags."""

__version__ = "0.1.0"
