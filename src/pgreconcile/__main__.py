"""``python -m pgreconcile`` runs the ``reconcile`` command."""

from pgreconcile.cli import main

main()
