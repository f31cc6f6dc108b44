"""Command-line interface (``reconcile``).

The top layer: may import every package; holds no logic of its own.
"""

from pgreconcile.cli.main import cli, main

__all__ = ["cli", "main"]
