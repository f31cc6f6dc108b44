"""``reconcile inspect``'s writers: a model :class:`~pgreconcile.model.Schema` (read from the
catalog) → declaration files, the reverse direction of :mod:`pgreconcile.declare`.

``to_yaml`` writes the YAML language (with ``yaml_text`` for block layout), ``to_python`` the
Python API, ``to_sql`` the SQL a fresh database would run (the planner's own statements for a
create-everything plan); ``formats`` picks one by name.

May import: ``declare.spec`` (names, literals, types: the language it writes), ``model``,
``normalize``, and — for ``to_sql`` only — ``diff``/``plan`` (to reuse the planner's DDL).
Nothing in ``declare`` imports this package.
"""
