"""Extended statistics (``CREATE STATISTICS``): what the planner gathers about several columns
or expressions of one table together.

Both sides keep them the way the catalog stores them: ``columns`` sorted by name (PostgreSQL
keeps them in column order, which carries no meaning), ``expressions`` in their order, as
``pg_get_statisticsobjdef_expressions()`` prints them (every name outside pg_catalog
qualified); declared ones are compared through the expression normalizer. ``kinds`` are the
statistics kinds that were asked for, in PostgreSQL's order (``ndistinct``, ``dependencies``,
``mcv``): a declaration that names none means all of them, the way the server stores it — and
none for a single expression, which gets only the expression statistics every expression has.
``target`` is the ``SET STATISTICS`` value (-1: the server's default).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgreconcile.model.keys import statistics_key
from pgreconcile.model.origin import Origin

# In the order CREATE STATISTICS and the catalog list them.
STATISTICS_KINDS: tuple[str, ...] = ("ndistinct", "dependencies", "mcv")


def default_kinds(columns: int, expressions: int) -> tuple[str, ...]:
    """What the server builds when no kind is named: all of them, unless the object covers a
    single expression (then only that expression's own statistics)."""
    return STATISTICS_KINDS if columns + expressions > 1 else ()


@dataclass(frozen=True, slots=True)
class Statistics:
    schema: str
    name: str
    table: str  # in the same schema as the object (the catalog allows no other)
    columns: tuple[str, ...] = ()
    expressions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = STATISTICS_KINDS
    target: int = -1  # compared alone: ALTER STATISTICS … SET STATISTICS
    comment: str | None = None  # compared alone: COMMENT ON STATISTICS
    origin: Origin | None = field(default=None, compare=False)
    renamed_from: str | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return statistics_key(self.schema, self.name)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"
