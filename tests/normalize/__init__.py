"""Tests of pgreconcile.normalize (a package, so its conftest does not shadow tests/conftest.py)."""
