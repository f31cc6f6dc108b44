"""Normalize: one canonical form for SQL expressions and type names, so that a declared object
and its live twin compare equal (parsing with sqlglot, then rewrite rules).

May import: ``model``-free helpers only (``quoting``, ``errors``) and sqlglot. Never ``model``
or any layer above; both sides of a comparison call into it.
"""
