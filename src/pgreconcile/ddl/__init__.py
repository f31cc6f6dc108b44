"""Change → SQL. :func:`statements` is one singledispatch function; the modules below register
the renderers of their change classes on import, so importing the package gives all of them.

May import: ``diff`` (the change classes), ``model``, ``normalize``, ``quoting``. Never ``order``,
``plan`` or anything above.
"""

from pgreconcile.ddl import groups, privileges, renames, security  # noqa: F401  (registration on import)

# [views]
# [routines]
# [sequences]
# [constraints-types]
# [privileges]
# [partitions]
from pgreconcile.ddl.statements import statements

__all__ = ["statements"]
