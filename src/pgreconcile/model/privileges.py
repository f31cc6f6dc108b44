"""Privileges, owners, default privileges and publications.

Grants are kept apart from the objects they are on, keyed by the object's key
(``table:public.notes``, ``column:public.notes.body``, ``function:public.f(integer)`` …, see
:mod:`pgreconcile.model.keys`), so every kind that has an ACL — schemas, tables, views,
sequences, columns, functions, types — shares one comparison and one renderer.

What a grant set means: every privilege a role other than the object's owner holds on it, with
PUBLIC written ``public``. The owner's own privileges are implicit and never listed. When an
ACL is NULL in the catalog, PostgreSQL's default (``acldefault``) is what holds: nothing for
others on schemas, tables and sequences; EXECUTE for PUBLIC on functions and USAGE for PUBLIC on
types (:data:`PUBLIC_DEFAULTS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pgreconcile.model.keys import (
    column_key,
    function_key,
    matview_key,
    schema_key,
    sequence_key,
    table_key,
    type_key,
    unmanaged_key,
    view_key,
)
from pgreconcile.model.origin import Origin

PUBLIC = "public"


class GrantKind(StrEnum):
    """The kinds of object a grant can be on (what ``GRANT … ON <kind>`` names)."""

    SCHEMA = "schema"
    TABLE = "table"
    VIEW = "view"
    MATERIALIZED_VIEW = "materialized view"
    FOREIGN_TABLE = "foreign table"
    SEQUENCE = "sequence"
    COLUMN = "column"
    FUNCTION = "function"
    PROCEDURE = "procedure"
    AGGREGATE = "aggregate"
    TYPE = "type"


#: The kinds named by a signature (schema, name and input argument types); an aggregate's key is
#: a function's (one namespace of signatures).
ROUTINE_KINDS = frozenset({GrantKind.FUNCTION, GrantKind.PROCEDURE, GrantKind.AGGREGATE})

#: The privileges each kind accepts, in PostgreSQL's own order (``GRANT ALL`` means these).
KIND_PRIVILEGES: dict[GrantKind, tuple[str, ...]] = {
    GrantKind.SCHEMA: ("usage", "create"),
    GrantKind.TABLE: ("select", "insert", "update", "delete", "truncate", "references", "trigger"),
    GrantKind.VIEW: ("select", "insert", "update", "delete", "truncate", "references", "trigger"),
    GrantKind.MATERIALIZED_VIEW: ("select", "insert", "update", "delete", "truncate", "references", "trigger"),
    GrantKind.FOREIGN_TABLE: ("select", "insert", "update", "delete", "truncate", "references", "trigger"),
    GrantKind.SEQUENCE: ("usage", "select", "update"),
    GrantKind.COLUMN: ("select", "insert", "update", "references"),
    GrantKind.FUNCTION: ("execute",),
    GrantKind.PROCEDURE: ("execute",),
    GrantKind.AGGREGATE: ("execute",),
    GrantKind.TYPE: ("usage",),
}
# PostgreSQL 17 adds MAINTAIN on relations; accepted wherever the server knows it.
EXTRA_PRIVILEGES = frozenset({"maintain"})


@dataclass(frozen=True, slots=True, order=True)
class Grant:
    """One privilege held by one role (``public`` for everyone), possibly WITH GRANT OPTION."""

    grantee: str
    privilege: str
    grantable: bool = False


#: What PUBLIC holds on a new object of each kind when nobody granted anything (acldefault).
PUBLIC_DEFAULTS: dict[GrantKind, frozenset[Grant]] = {
    GrantKind.FUNCTION: frozenset({Grant(PUBLIC, "execute")}),
    GrantKind.PROCEDURE: frozenset({Grant(PUBLIC, "execute")}),
    GrantKind.AGGREGATE: frozenset({Grant(PUBLIC, "execute")}),
    GrantKind.TYPE: frozenset({Grant(PUBLIC, "usage")}),
}


@dataclass(frozen=True, slots=True)
class GrantTarget:
    """The object a grant is on. ``schema`` is None for a schema (``name`` is the schema);
    ``column`` names a column of the relation ``schema.name``; ``args`` are a routine's
    canonical input argument types."""

    kind: GrantKind
    schema: str | None
    name: str
    column: str | None = None
    args: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The object's key, the same the change creating the object carries."""
        return target_key(self)

    @property
    def label(self) -> str:
        """``table public.notes``, ``column public.notes.body``, ``function public.f(integer)``."""
        if self.kind is GrantKind.SCHEMA:
            return f"schema {self.name}"
        if self.kind is GrantKind.COLUMN:
            return f"column {self.schema}.{self.name}.{self.column}"
        if self.kind in ROUTINE_KINDS:
            return f"{self.kind} {self.schema}.{self.name}({', '.join(self.args)})"
        return f"{self.kind} {self.schema}.{self.name}"


def owner_differs(wanted: str | None, current: str | None) -> bool:
    """Whether a declared owner differs from the live one: an owner the declarations leave out
    (None) is not compared at all, for every kind that has one."""
    return wanted is not None and wanted != current


def target_key(target: GrantTarget) -> str:
    """The ordering key of ``target`` (see :mod:`pgreconcile.model.keys`)."""
    kind, schema, name = target.kind, target.schema or "", target.name
    if kind is GrantKind.SCHEMA:
        return schema_key(name)
    if kind is GrantKind.TABLE:
        return table_key(schema, name)
    if kind is GrantKind.COLUMN:
        return column_key(schema, name, target.column or "")
    if kind is GrantKind.VIEW:
        return view_key(schema, name)
    if kind is GrantKind.MATERIALIZED_VIEW:
        return matview_key(schema, name)
    if kind is GrantKind.SEQUENCE:
        return sequence_key(schema, name)
    if kind in ROUTINE_KINDS:
        return function_key(schema, name, target.args)
    if kind is GrantKind.TYPE:
        return type_key(schema, name)
    return unmanaged_key(str(kind), schema, name)


@dataclass(frozen=True, slots=True)
class ObjectGrants:
    """Every grant on one object to roles other than its owner. In a desired schema, an object
    is here only when its declaration manages its grants (it says ``grants:``)."""

    target: GrantTarget
    grants: frozenset[Grant] = frozenset()
    origin: Origin | None = field(default=None, compare=False)
    # Read back from SQL files run in a scratch database: the grants the object held there, born
    # with the scratch's default privileges. The plan reads them relative to that birth (what the
    # files granted and revoked), on top of what the object gets on the target (diff/privileges.py).
    as_created: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class ObjectOwner:
    """The role that owns an object (declared only where ``owner:`` is written)."""

    target: GrantTarget
    owner: str
    origin: Origin | None = field(default=None, compare=False)


class DefaultObjects(StrEnum):
    """What ``ALTER DEFAULT PRIVILEGES … ON <objects>`` applies to (pg_default_acl.defaclobjtype)."""

    TABLES = "tables"
    SEQUENCES = "sequences"
    FUNCTIONS = "functions"
    TYPES = "types"


#: The GrantKind whose privileges each default applies to.
DEFAULT_KIND: dict[DefaultObjects, GrantKind] = {
    DefaultObjects.TABLES: GrantKind.TABLE,
    DefaultObjects.SEQUENCES: GrantKind.SEQUENCE,
    DefaultObjects.FUNCTIONS: GrantKind.FUNCTION,
    DefaultObjects.TYPES: GrantKind.TYPE,
}


#: The ``schema`` of database-wide default privileges (``ALTER DEFAULT PRIVILEGES`` without
#: ``IN SCHEMA``). Unlike a schema's entries, which add to them, they replace PostgreSQL's
#: built-in defaults for the role: without one, PUBLIC holds :data:`PUBLIC_DEFAULTS`.
EVERY_SCHEMA = ""


def default_privileges_key(schema: str, objects: str, role: str) -> str:
    """The key of one default privileges entry (``default privileges:app.tables.postgres``)."""
    return f"default privileges:{schema}.{objects}.{role}"


@dataclass(frozen=True, slots=True)
class DefaultPrivileges:
    """``ALTER DEFAULT PRIVILEGES [FOR ROLE role] [IN SCHEMA schema] GRANT …``: the grants objects
    of one kind get when ``role`` creates them in ``schema`` (in any schema: :data:`EVERY_SCHEMA`)."""

    schema: str
    objects: DefaultObjects
    role: str
    grants: frozenset[Grant] = frozenset()
    origin: Origin | None = field(default=None, compare=False)


class PublishOperation(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    TRUNCATE = "truncate"


ALL_OPERATIONS: tuple[PublishOperation, ...] = tuple(PublishOperation)


@dataclass(frozen=True, slots=True, order=True)
class PublishedTable:
    """A table of a publication, with its column list and row filter (PostgreSQL 15+)."""

    schema: str
    name: str
    columns: tuple[str, ...] | None = None
    where: str | None = None


@dataclass(frozen=True, slots=True)
class Publication:
    """A logical replication publication. ``tables`` and ``schemas`` are sorted."""

    name: str
    all_tables: bool = False
    tables: tuple[PublishedTable, ...] = ()
    schemas: tuple[str, ...] = ()
    publish: tuple[PublishOperation, ...] = ALL_OPERATIONS
    via_partition_root: bool = False
    comment: str | None = None
    origin: Origin | None = field(default=None, compare=False)
    # None in a declaration: whoever owns it (not compared); compared alone when declared.
    owner: str | None = field(default=None, compare=False)
