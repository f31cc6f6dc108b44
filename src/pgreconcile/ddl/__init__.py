"""Change → SQL. :func:`statements` is one singledispatch function; the modules below register
the renderers of their change classes on import, so importing the package gives all of them.

May import: ``diff`` (the change classes), ``model``, ``normalize``, ``quoting``. Never ``order``,
``plan`` or anything above.
"""

# [views]
# [routines]
# [sequences]
# [constraints-types]
from pgreconcile.ddl import (  # noqa: F401  (each module registers its renderers on import)
    casts,
    collations,
    column_options,
    comments,
    constraints,
    foreign,
    foundations,
    groups,
    inheritance,
    operators,
    partitions,
    privileges,
    renames,
    routines,
    security,
    sequences,
    subscriptions,
    table_extras,
    text_search,
    types,
    views,
)

# [privileges]
# [partitions] (partitions is imported with the others above)
from pgreconcile.ddl.statements import statements

__all__ = ["statements"]
