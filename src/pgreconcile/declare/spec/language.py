"""The YAML declaration language as pydantic models: shapes and short forms, nothing resolved.

One class per kind of mapping a user writes. Short forms (``nickname: text``,
``user_role: [a, b]``, ``references: auth.users.id``) are expanded to the long form before
validation by each class's :meth:`Spec.expand` (called by the field holding it), so no model uses
a ``Union`` and an error never comes back as a list of every alternative that failed. Unknown keys
are rejected (``extra="forbid"``) so that a typo such as ``nulable`` is an error, not a no-op.

Keys of later milestones (``rls``, ``policies``, ``renamed_from``, ``convert``, ``groups``,
``prevent_destroy``) are accepted and kept on these objects even where the model has no place
for them yet; :mod:`pgreconcile.declare.build.assemble` reads what the model holds. ``conventions`` never
reach the model: :mod:`pgreconcile.conventions` checks them against the documents and the model.

Specs hold no line numbers: :class:`~pgreconcile.declare.documents.Document` keeps the YAML data
they were read from, and a key path finds the line of anything in it.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, model_validator

from pgreconcile.declare.spec.access import Grants  # [privileges]
from pgreconcile.declare.spec.base import Keyed, Names, Spec, names_or_each, problem
from pgreconcile.declare.spec.base import each as _each
from pgreconcile.declare.spec.base import words as _words
from pgreconcile.declare.spec.casts import CastSpec
from pgreconcile.declare.spec.collations import CollationSpec
from pgreconcile.declare.spec.constraint_specs import (
    Action,
    CheckSpec,
    ExclusionSpec,
    ForeignKeySpec,
    NotNullSpec,
    PrimaryKeySpec,
    UniqueSpec,
    unique_list,
)
from pgreconcile.declare.spec.convention_specs import (
    ConventionsSpec,
)
from pgreconcile.declare.spec.foreign import ForeignTableSpec, Servers, Wrappers
from pgreconcile.declare.spec.names import dotted, split_dotted
from pgreconcile.declare.spec.operators import OperatorSpec
from pgreconcile.declare.spec.partition_specs import PartitionSpec
from pgreconcile.declare.spec.publication_specs import DefaultPrivilegesSpec, PublicationSpec, RoleSpec
from pgreconcile.declare.spec.routines import AggregateSpec, EventTriggerSpec, FunctionSpec, TriggerSpec  # [routines]
from pgreconcile.declare.spec.subscriptions import SubscriptionSpec
from pgreconcile.declare.spec.table_extras import RuleSpec, StatisticsSpec
from pgreconcile.declare.spec.text_search import TextSearchConfigurationSpec, TextSearchDictionarySpec
from pgreconcile.declare.spec.type_specs import DomainSpec, TypeSpec
from pgreconcile.declare.spec.version import SUPPORTED_VERSION  # re-exported
from pgreconcile.model.objects import FkAction, IdentityKind, IndexMethod


def _text(value: Any) -> Any:
    """Ignored free-form values (an extension's ``version: 1.2``) may be numbers."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class ExtensionSpec(Spec):
    """``pgcrypto: {}`` / ``uuid-ossp: {schema: extensions}``; ``comment`` replaces the one the
    extension comes with (``""``: none)."""

    schema_: str | None = Field(default=None, alias="schema")
    version: Annotated[str | None, BeforeValidator(_text)] = None  # None: any version
    comment: str | None = None  # None: the extension's own

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {} if data is None else data


class EnumSpec(Spec):
    """``user_role: [a, b]`` or ``{values: [...], renamed_values: {OLD: new}, comment: ...}``;
    ``removed_values: {old: replacement}`` (or ``old: null``) rebuilds the type without ``old``."""

    values: list[str]
    renamed_values: Keyed[str] = Field(default_factory=dict)
    removed_values: Keyed[str | None] = Field(default_factory=dict)
    renamed_from: str | None = None
    comment: str | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"values": data} if isinstance(data, list) else data


class ConvertSpec(Spec):
    """How existing rows become a new column type; exactly one way per block."""

    on_invalid: Literal["null", "fail", "error"] | None = None  # `error` is an alias of `fail`
    time_zone: str | None = None
    from_: Literal["epoch_seconds", "epoch_milliseconds"] | None = Field(default=None, alias="from")
    using: str | None = None
    regenerate: bool = False

    @classmethod
    def expand(cls, data: Any) -> Any:
        if data == "regenerate":
            return {"regenerate": True}
        if isinstance(data, str):
            raise problem(f"{data!r} is not a conversion", "write `convert: regenerate` or a mapping")
        if isinstance(data, dict) and "on_invalid" in data and data["on_invalid"] is None:
            # `on_invalid: null` reads as YAML null; it means "turn invalid values into NULL".
            data = {**data, "on_invalid": "null"}
        return data


class ReferenceSpec(Spec):
    """A column-level foreign key: ``{table: auth.users, column: id, on_delete: cascade}`` or
    the string ``schema.table.column`` / ``table.column``."""

    table: str
    column: str | None = None
    on_delete: Action = FkAction.NO_ACTION
    on_update: Action = FkAction.NO_ACTION
    deferrable: bool | None = None
    initially_deferred: bool = False

    @classmethod
    def expand(cls, data: Any) -> Any:
        if not isinstance(data, str):
            return data
        try:
            parts = split_dotted(data)
        except ValueError as err:
            raise problem(str(err)) from None
        if len(parts) not in (2, 3):
            raise problem(
                f"{data!r} must be 'table.column' or 'schema.table.column'",
                "or write a mapping: {table: schema.table, column: id}",
            )
        return {"table": dotted(*parts[:-1]), "column": parts[-1]}


# [privileges] `grants:` and `owner:` are in .access; default privileges and publications below.


class SequenceOptionsSpec(Spec):
    """A sequence's options (left out: PostgreSQL's defaults). Also a column's ``sequence:`` —
    the options of its identity's, or its serial's, sequence."""

    type: str | None = None  # smallint, integer or bigint (a column's sequence: the column's type)
    start: int | None = None
    increment: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    cache: int | None = None
    cycle: bool = False
    comment: str | None = None  # a serial's sequence only


class ColumnSequenceSpec(SequenceOptionsSpec):
    """A column's ``sequence:``: the options, and for an identity the sequence's ``name``
    (``SEQUENCE NAME``; left out: PostgreSQL's ``<table>_<column>_seq``) and ``unlogged``."""

    name: str | None = None
    # PostgreSQL 15+: an identity's sequence logged otherwise than its table (left out: as the table)
    unlogged: bool | None = None


class SequenceSpec(SequenceOptionsSpec):
    """A sequence: ``invoice_no_seq: {start: 1000, increment: 10, owned_by: notes.invoice_no}``."""

    owned_by: str | None = None  # `table.column` in the same schema
    unlogged: bool = False  # PostgreSQL 15+
    grants: Grants = None  # [privileges]
    owner: str | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {} if data is None else data


class ColumnSpec(Spec):
    """A column: ``nickname: text`` or a mapping with ``type`` and the optional keys."""

    empty_hint: ClassVar[str | None] = "a column needs a type: `email: text` or `email: {type: text}`"
    type: str
    nullable: bool | None = None
    # PostgreSQL 18: the NOT NULL's constraint name (``not_null: email_required``); implies NOT NULL
    not_null: Annotated[NotNullSpec | None, BeforeValidator(NotNullSpec.expand)] = None
    default: Any = None
    default_sql: str | None = None
    identity: Annotated[IdentityKind | None, BeforeValidator(_words)] = None
    primary_key: bool = False
    unique: bool = False
    references: Annotated[ReferenceSpec | None, BeforeValidator(ReferenceSpec.expand)] = None
    check: str | None = None
    comment: str | None = None
    renamed_from: str | None = None
    convert: Annotated[ConvertSpec | None, BeforeValidator(ConvertSpec.expand)] = None
    # [sequences]
    sequence: ColumnSequenceSpec | None = None
    generated: str | None = None  # GENERATED ALWAYS AS (expression) STORED
    virtual: bool = False  # … VIRTUAL instead (PostgreSQL 18+): computed when read, nothing stored
    collation: str | None = None
    compression: Literal["pglz", "lz4"] | None = None
    storage: Annotated[Literal["plain", "external", "main", "extended"] | None, BeforeValidator(_words)] = None
    # Planner settings: ALTER COLUMN SET STATISTICS 500 and SET (n_distinct = -0.5, …).
    statistics: int | None = None
    options: Keyed[int | float] = Field(default_factory=dict)
    grants: Grants = None  # [privileges]

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"type": data} if isinstance(data, str) else data


class IndexSpec(Spec):
    """A secondary index: ``{columns: [created_at DESC], where: ..., unique: true}``; a bare
    list is the columns."""

    columns: Names
    unique: bool = False
    method: Annotated[IndexMethod, BeforeValidator(_words)] = IndexMethod.BTREE
    where: str | None = None
    include: Names = Field(default_factory=list)
    nulls_not_distinct: bool = False  # PostgreSQL 15+
    options: Keyed[bool | int | float | str] = Field(default_factory=dict)  # storage parameters: {fillfactor: 70}
    renamed_from: str | None = None
    comment: str | None = None  # COMMENT ON …

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"columns": data} if isinstance(data, list | str) else data


class RlsSpec(Spec):
    """``rls: {enabled: true, forced: false}`` or ``rls: true``."""

    enabled: bool = True
    forced: bool = False

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"enabled": data} if isinstance(data, bool) else data


class PolicySpec(Spec):
    """A row-level security policy; ``roles`` default to PUBLIC."""

    command: Annotated[Literal["all", "select", "insert", "update", "delete"], BeforeValidator(_words)] = "all"
    roles: Names = ["public"]
    permissive: bool = True
    using: str | None = None
    with_check: str | None = None
    renamed_from: str | None = None
    comment: str | None = None  # COMMENT ON …


class GroupSpec(Spec):
    """A JSONB group of typed keys: ``index: gin`` adds a GIN index, ``validate: true`` a CHECK
    that each key, when present, has its declared JSON type."""

    keys: Keyed[str] = Field(default_factory=dict)
    absorbs: Names = Field(default_factory=list)
    index: str | None = None
    validate_: bool = Field(default=False, alias="validate")


# [views]
class ViewColumnSpec(Spec):
    """A view column: its comment (its type follows from the query); a materialized view's
    column also its ``storage`` and statistics target (``statistics: 500``).
    ``title: The note's title`` is short for ``title: {comment: …}``."""

    comment: str | None = None
    storage: Annotated[Literal["plain", "external", "extended", "main"] | None, BeforeValidator(_words)] = None
    statistics: int | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"comment": data} if isinstance(data, str) else data


def _storage_value(value: Any) -> Any:
    """``fillfactor: 70`` and ``autovacuum_enabled: false`` are stored as PostgreSQL prints them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _text(value)


ViewColumns = Annotated[dict[str, ViewColumnSpec], BeforeValidator(_each(ViewColumnSpec.expand))]


class ViewSpec(Spec):
    """A view: its query (SQL, unqualified names resolve in the view's schema) and options;
    a bare string is the query."""

    query: str
    security_invoker: bool | None = None  # None: not set (false, written, is set to false)
    security_barrier: bool | None = None
    check_option: Annotated[Literal["local", "cascaded"] | None, BeforeValidator(_words)] = None
    comment: str | None = None
    columns: ViewColumns = Field(default_factory=dict)
    renamed_from: str | None = None  # `old_name` or `old_schema.old_name`
    grants: Grants = None  # [privileges]
    owner: str | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"query": data} if isinstance(data, str) else data


class MaterializedViewSpec(Spec):
    """A materialized view: its query, storage parameters (``fillfactor: 70``), indexes and
    comments; a bare string is the query. Always created populated."""

    query: str
    storage: Keyed[Annotated[str | int | float | bool, BeforeValidator(_storage_value)]] = Field(default_factory=dict)
    indexes: Annotated[dict[str, IndexSpec], BeforeValidator(_each(IndexSpec.expand))] = Field(default_factory=dict)
    comment: str | None = None
    columns: ViewColumns = Field(default_factory=dict)
    renamed_from: str | None = None
    grants: Grants = None  # [privileges]
    owner: str | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"query": data} if isinstance(data, str) else data
class TableSpec(Spec):
    """A table and everything declared inside it."""

    comment: str | None = None
    columns: Annotated[dict[str, ColumnSpec], BeforeValidator(_each(ColumnSpec.expand))] = Field(default_factory=dict)
    primary_key: Annotated[PrimaryKeySpec | None, BeforeValidator(PrimaryKeySpec.expand)] = None
    unique: Annotated[list[UniqueSpec], BeforeValidator(unique_list)] = Field(default_factory=list)
    foreign_keys: Keyed[ForeignKeySpec] = Field(default_factory=dict)
    checks: Annotated[dict[str, CheckSpec], BeforeValidator(_each(CheckSpec.expand))] = Field(default_factory=dict)
    indexes: Annotated[dict[str, IndexSpec], BeforeValidator(_each(IndexSpec.expand))] = Field(default_factory=dict)
    rls: Annotated[RlsSpec | None, BeforeValidator(RlsSpec.expand)] = None
    policies: Keyed[PolicySpec] = Field(default_factory=dict)
    groups: Keyed[GroupSpec] = Field(default_factory=dict)
    prevent_destroy: bool = False
    renamed_from: str | None = None  # `old_name` or `old_schema.old_name`

    # [views]

    # [routines]
    triggers: Keyed[TriggerSpec] = Field(default_factory=dict)
    statistics: Annotated[dict[str, StatisticsSpec], BeforeValidator(_each(StatisticsSpec.expand))] = Field(
        default_factory=dict
    )
    rules: Keyed[RuleSpec] = Field(default_factory=dict)

    # [sequences]
    unlogged: bool = False
    options: Keyed[bool | int | float | str] = Field(default_factory=dict)  # storage parameters: {fillfactor: 90}
    # `full`, `nothing`, `default`, or `index <unique index name>`
    replica_identity: str | None = None
    cluster_on: str | None = None  # the index a bare CLUSTER of the table uses

    # [constraints-types]
    exclusions: Annotated[dict[str, ExclusionSpec], BeforeValidator(_each(ExclusionSpec.expand))] = Field(
        default_factory=dict
    )

    # [privileges]
    grants: Grants = None
    owner: str | None = None

    # [partitions]
    partition_by: str | None = None
    partitions: Keyed[PartitionSpec] = Field(default_factory=dict)

    # [foreign] a foreign table: its server and options
    foreign: Annotated[ForeignTableSpec | None, BeforeValidator(ForeignTableSpec.expand)] = None
    # [inheritance] INHERITS: the parent tables, in order (`parent` in this schema, or
    # `schema.parent`); the table declares only its own columns.
    inherits: Names = Field(default_factory=list)
    # A typed table (CREATE TABLE … OF type): the composite type (`type` in this schema, or
    # `schema.type`); the columns are declared as usual and must be the type's attributes.
    of: str | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {} if data is None else data


class SchemaSpec(Spec):
    """A PostgreSQL schema (namespace): its comment, enums and tables."""

    comment: str | None = None
    enums: Annotated[dict[str, EnumSpec], BeforeValidator(_each(EnumSpec.expand))] = Field(default_factory=dict)
    tables: Annotated[dict[str, TableSpec], BeforeValidator(_each(TableSpec.expand))] = Field(default_factory=dict)

    # [views]
    views: Annotated[dict[str, ViewSpec], BeforeValidator(_each(ViewSpec.expand))] = Field(default_factory=dict)
    materialized_views: Annotated[
        dict[str, MaterializedViewSpec], BeforeValidator(_each(MaterializedViewSpec.expand))
    ] = Field(default_factory=dict)

    # [routines]
    # Keyed by the signature as written: `note_count(p_owner uuid)`, `touch()`.
    functions: Annotated[dict[str, FunctionSpec], BeforeValidator(_each(FunctionSpec.expand))] = Field(
        default_factory=dict
    )
    procedures: Annotated[dict[str, FunctionSpec], BeforeValidator(_each(FunctionSpec.expand))] = Field(
        default_factory=dict
    )
    # Triggers on tables outside the managed schemas (auth.users), each naming its `table`.
    triggers: Keyed[TriggerSpec] = Field(default_factory=dict)
    # Keyed by name and argument types: `mysum(integer)`.
    aggregates: Keyed[AggregateSpec] = Field(default_factory=dict)

    # [sequences]
    sequences: Annotated[dict[str, SequenceSpec], BeforeValidator(_each(SequenceSpec.expand))] = Field(
        default_factory=dict
    )

    # [constraints-types]
    domains: Annotated[dict[str, DomainSpec], BeforeValidator(_each(DomainSpec.expand))] = Field(default_factory=dict)
    types: Keyed[TypeSpec] = Field(default_factory=dict)

    # [privileges]
    grants: Grants = None
    owner: str | None = None
    default_privileges: DefaultPrivilegesSpec | None = None

    # [partitions]

    collations: Keyed[CollationSpec] = Field(default_factory=dict)
    # [text-search]
    text_search_dictionaries: Keyed[TextSearchDictionarySpec] = Field(default_factory=dict)
    text_search_configurations: Keyed[TextSearchConfigurationSpec] = Field(default_factory=dict)
    # [operators] keyed by symbol and operand types: `||++(text, text)`, `!!(NONE, bigint)`.
    operators: Keyed[OperatorSpec] = Field(default_factory=dict)
    # [casts] keyed by source and target type: `mood AS text` (a cast belongs to no schema: it is
    # written under the schema of a type or function it uses).
    casts: Keyed[CastSpec] = Field(default_factory=dict)

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {} if data is None else data


def _publications(value: Any) -> Any:  # [privileges]
    """``publications:`` with nothing under it manages publications: there are none."""
    return _each(PublicationSpec.expand)(value)


def _subscriptions(value: Any) -> Any:  # [subscriptions]
    """``subscriptions:`` with nothing under it manages subscriptions: there are none."""
    return _each(SubscriptionSpec.expand)(value)


class DocumentSpec(Spec):
    """One YAML file."""

    version: int = SUPPORTED_VERSION
    conventions: ConventionsSpec | None = None
    extensions: Annotated[dict[str, ExtensionSpec], BeforeValidator(names_or_each(ExtensionSpec.expand))] = Field(
        default_factory=dict
    )
    schemas: Annotated[dict[str, SchemaSpec], BeforeValidator(_each(SchemaSpec.expand))] = Field(default_factory=dict)

    # [views]

    # [routines]
    event_triggers: Keyed[EventTriggerSpec] = Field(default_factory=dict)  # database-wide, keyed by name

    # [sequences]

    # [constraints-types]

    # [privileges]
    publications: Annotated[dict[str, PublicationSpec] | None, BeforeValidator(_publications)] = None
    # [subscriptions] database-wide, keyed by name; None: not mentioned (undeclared ones left alone)
    subscriptions: Annotated[dict[str, SubscriptionSpec] | None, BeforeValidator(_subscriptions)] = None
    # Server-wide roles the objects name, created when missing (never altered or dropped).
    roles: Annotated[dict[str, RoleSpec], BeforeValidator(names_or_each(RoleSpec.expand))] = Field(default_factory=dict)

    # [partitions]

    # [foreign] database-wide, keyed by name; None: not mentioned (undeclared ones left alone)
    foreign_data_wrappers: Wrappers = None
    foreign_servers: Servers = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        if data is None:
            return {}
        if isinstance(data, dict) and data.get("version", SUPPORTED_VERSION) != SUPPORTED_VERSION:
            version = data["version"]
            raise problem(
                f"unsupported version {version!r}: this pgreconcile reads version {SUPPORTED_VERSION}",
                f"write `version: {SUPPORTED_VERSION}`",
            )
        return data

    @model_validator(mode="before")
    @classmethod
    def _whole_file(cls, data: Any) -> Any:
        return cls.expand(data)
