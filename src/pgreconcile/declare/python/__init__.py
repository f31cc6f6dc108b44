"""The Python source: the declaration API users import (``api``: ``Table``, ``column``,
``policy`` … re-exported by :mod:`pgreconcile.declare`), and the loader that imports a schema
directory's ``*.py`` files and turns their classes into the YAML language's documents
(``source``, ``tables``, ``enums``, ``types``, ``values``, ``data``, ``lines``).

May import: ``declare.spec``, ``declare.yaml``. Never ``declare.build`` (its output is a
document like any YAML file's) or anything above ``declare``.
"""
