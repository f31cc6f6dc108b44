"""Views and materialized views: relations defined by a query."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pgreconcile.model.objects import Index
from pgreconcile.model.origin import Origin

# [views] Views and materialized views: relations defined by a query. The query is kept as SQL
# text. Live, it is what ``pg_get_viewdef(oid, true)`` prints under ``search_path = pg_catalog``
# (every name outside pg_catalog schema-qualified), without the trailing semicolon; declared, it is
# what the user wrote until pgreconcile.catalog.canonical has the server print it the same way.
# Column comments are ``(column, comment)`` pairs sorted by column name on both sides.


class CheckOption(StrEnum):
    """``WITH [LOCAL | CASCADED] CHECK OPTION`` of an updatable view."""

    LOCAL = "local"
    CASCADED = "cascaded"


@dataclass(frozen=True, slots=True)
class View:
    """A view and its options (``security_invoker`` needs PostgreSQL 15). A flag is None when the
    view does not set it: ``security_barrier = false`` written out is kept apart from no option
    (they behave alike, but a dump, and a declaration, tell them apart)."""

    schema: str
    name: str
    query: str
    security_invoker: bool | None = None
    security_barrier: bool | None = None
    check_option: CheckOption | None = None
    comment: str | None = None
    column_comments: tuple[tuple[str, str], ...] = ()
    # What the server resolved (never compared): the output columns as (name, type) — live from
    # pg_attribute, declared from the canonical form; () when unknown — and the keys of the
    # objects the query reads (model.keys), from pg_depend. They decide CREATE OR REPLACE and
    # the order of steps. Known columns also mean the query is in the server's form, every name
    # outside pg_catalog qualified.
    columns: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    reads: frozenset[str] = field(default=frozenset(), compare=False)
    # The query as the user wrote it, when ``query`` holds the server's canonical form of it: DDL
    # sends what was written (resolved in the view's schema), so that it means what it says in
    # the catalog the plan leaves behind, not in the one it was canonicalised against.
    written: str | None = field(default=None, compare=False)
    origin: Origin | None = field(default=None, compare=False)
    renamed_from: tuple[str, str] | None = field(default=None, compare=False)
    # The options set, in the order the catalog holds them (read back, never compared): DDL
    # writes them in that order, which the catalog then keeps (a dump shows it).
    option_order: tuple[str, ...] = field(default=(), compare=False)
    # The flags as the source wrote them (``security_barrier=on``; read back, never compared):
    # PostgreSQL keeps that text and a dump prints it, so DDL writes it when it says the same.
    option_text: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True, slots=True)
class ColumnSetting:
    """A materialized view column's own storage (``external``; None: its type's) and statistics
    target (None: the server's default)."""

    column: str
    storage: str | None = None
    statistics: int | None = None


@dataclass(frozen=True, slots=True)
class MaterializedView:
    """A materialized view: its query, storage parameters (``(name, value)`` sorted by name),
    indexes (sorted by name) and comments. Always created populated."""

    schema: str
    name: str
    query: str
    storage: tuple[tuple[str, str], ...] = ()
    indexes: tuple[Index, ...] = ()
    comment: str | None = None
    column_comments: tuple[tuple[str, str], ...] = ()
    columns: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    reads: frozenset[str] = field(default=frozenset(), compare=False)
    written: str | None = field(default=None, compare=False)
    origin: Origin | None = field(default=None, compare=False)
    renamed_from: tuple[str, str] | None = field(default=None, compare=False)
    # The storage parameters' names in the order the source wrote them (never compared): DDL
    # writes them so, which the catalog keeps (see View.option_order).
    option_order: tuple[str, ...] = field(default=(), compare=False)
    # Columns with a statistics target or a storage of their own (ALTER MATERIALIZED VIEW …
    # ALTER COLUMN … SET STATISTICS / SET STORAGE), sorted by column: planner and TOAST settings
    # that hold no data.
    column_settings: tuple[ColumnSetting, ...] = ()

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


def strip_query(text: str) -> str:
    """A view query without surrounding blanks and its trailing semicolon (how both sides keep it)."""
    text = text.strip()
    while text.endswith(";"):
        text = text[:-1].rstrip()
    return text
