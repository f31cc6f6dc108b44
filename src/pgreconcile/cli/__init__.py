"""Command-line interface (``reconcile``)."""

from pgreconcile.cli.main import cli, main

__all__ = ["cli", "main"]
