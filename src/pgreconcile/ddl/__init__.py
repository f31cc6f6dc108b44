"""Change → SQL. :func:`statements` is one singledispatch function; the modules below register
the renderers of their change classes on import, so importing the package gives all of them.

May import: ``diff`` (the change classes), ``model``, ``normalize``, ``quoting``. Never ``order``,
``plan`` or anything above.
"""

# [views]
# [routines]
# [sequences]
from pgreconcile.ddl import column_options, groups, renames, security, sequences  # noqa: F401  (registration on import)  # noqa: F401  (registration on import)

# [constraints-types]
# [privileges]
# [partitions]
from pgreconcile.ddl.statements import statements

__all__ = ["statements"]
