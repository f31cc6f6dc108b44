"""Change → SQL. :func:`statements` is one singledispatch function; the modules below register
the renderers of their change classes on import, so importing the package gives all of them.

May import: ``diff`` (the change classes), ``model``, ``normalize``, ``quoting``. Never ``order``,
``plan`` or anything above.
"""

# [views]
# [routines]
# [sequences]
# [constraints-types]
from pgreconcile.ddl import constraints, groups, renames, security, types  # noqa: F401  (registration on import)  # noqa: F401, E402

# [privileges]
# [partitions]
from pgreconcile.ddl.statements import statements

__all__ = ["statements"]
