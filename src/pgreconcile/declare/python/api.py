"""The Python declaration language: what a ``schema/*.py`` file imports.

``from pgreconcile.declare import Table, column, policy`` and friends. Nothing here reads or
validates a whole declaration: these objects only record what was written, and where (the
file and line of each call, so that an error points into the user's file).
:mod:`pgreconcile.declare.python.source` imports the files and turns what they declare into the
same plain data a YAML file holds, which is then validated by the one language definition
(:mod:`pgreconcile.declare.spec.language`). Every key of the YAML language is reachable from here.
"""

from __future__ import annotations

import enum
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

E = TypeVar("E", bound=type[enum.Enum])

#: The attribute :func:`enum_type` sets on an enum class.
ENUM_OPTIONS_ATTRIBUTE = "__pgreconcile_enum__"


def snake_case(name: str) -> str:
    """The default name of a table or enum class: ``UserRole`` → ``user_role``,
    ``HTTPMethod`` → ``http_method``; a name already in snake_case is unchanged."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.lower()


@dataclass(frozen=True, slots=True)
class CallSite:
    """Where a helper was called: the caller's file and line (None when unknown)."""

    file: str | None = None
    line: int | None = None


def _call_site(depth: int = 2) -> CallSite:
    """The file and line of the code that called the helper (``depth`` frames up)."""
    try:
        frame = sys._getframe(depth)
    except ValueError:  # pragma: no cover - only when called from the outermost frame
        return CallSite()
    return CallSite(frame.f_code.co_filename, frame.f_lineno)


# Options whose False is a statement of its own: ``deferrable=False`` contradicts
# ``initially_deferred`` (which must be reported); a view's ``security_barrier=False`` sets the
# option to false, which is not the same as leaving it unset.
_KEPT_FALSE = frozenset({"deferrable", "security_invoker", "security_barrier"})


def _given(**options: Any) -> dict[str, Any]:
    """Only the options that were written: None and False are "not given", except the options of
    :data:`_KEPT_FALSE`."""
    return {
        key: value
        for key, value in options.items()
        if value is not None and (value is not False or key in _KEPT_FALSE)
    }


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """What ``column(...)`` / ``group(...)`` recorded for one field; see :func:`column`."""

    options: Mapping[str, Any]
    site: CallSite = field(default_factory=CallSite)
    group: bool = False


def column(
    *,
    type: str | None = None,
    name: str | None = None,
    primary_key: bool = False,
    unique: bool = False,
    references: str | type[Table] | None = None,
    on_delete: str | None = None,
    on_update: str | None = None,
    deferrable: bool | None = None,
    initially_deferred: bool = False,
    default: Any = None,
    default_sql: str | None = None,
    identity: str | None = None,
    check: str | None = None,
    comment: str | None = None,
    renamed_from: str | None = None,
    convert: str | Mapping[str, Any] | None = None,
    index: str | None = None,
    absorbs: Sequence[str] | None = None,
    validate: bool = False,
    grants: Mapping[str, Any] | None = None,
    generated: str | None = None,
    virtual: bool = False,
    sequence: Mapping[str, Any] | None = None,
    collation: str | None = None,
    compression: str | None = None,
    storage: str | None = None,
    not_null: str | Mapping[str, Any] | None = None,
    statistics: int | None = None,
    options: Mapping[str, Any] | None = None,
) -> Any:
    """A column's options, written as the field's value: ``email: str = column(unique=True)``.

    The keys mean what they mean in YAML (docs/declarations.md). ``type`` overrides the type the
    annotation maps to; nullability always comes from the annotation (``X | None``). ``name`` is
    the column's name when it differs from the field's (a Python keyword, a capital letter).
    ``references`` is ``"schema.table.column"`` or a table class (its primary key).
    ``index``, ``absorbs`` and ``validate`` belong to JSONB groups (a pydantic-model field).
    ``grants`` is role → privileges, as in YAML (``{"anon": ["select"]}``).
    ``type="serial"`` (``bigserial``, ``smallserial``) declares the column with its own sequence;
    ``sequence={"start": 1000}`` sets that sequence's (or an identity's) options; ``generated``
    is the expression of a ``GENERATED ALWAYS AS (…) STORED`` column (``VIRTUAL`` with
    ``virtual=True``, PostgreSQL 18+). ``not_null`` names the column's NOT NULL constraint, or
    is the YAML mapping (``{"name": …, "validated": False, "no_inherit": True}``) — PostgreSQL
    18+; the annotation must not allow None. ``statistics`` is the column's statistics target
    and ``options`` its attribute options (``{"n_distinct": -0.5}``).

    Typed ``Any`` so that ``id: uuid.UUID = column(...)`` type-checks, as with dataclasses.
    """
    options = _given(
        type=type,
        name=name,
        primary_key=primary_key,
        unique=unique,
        references=references,
        on_delete=on_delete,
        on_update=on_update,
        deferrable=deferrable,
        initially_deferred=initially_deferred,
        default_sql=default_sql,
        identity=identity,
        check=check,
        comment=comment,
        renamed_from=renamed_from,
        convert=convert,
        index=index,
        absorbs=list(absorbs) if absorbs is not None else None,
        validate=validate,
        grants=dict(grants) if grants is not None else None,
        generated=generated,
        virtual=virtual,
        sequence=dict(sequence) if sequence is not None else None,
        collation=collation,
        compression=compression,
        storage=storage,
        not_null=dict(not_null) if isinstance(not_null, Mapping) else not_null,
        statistics=statistics,
        options=dict(options) if options else None,
    )
    if default is not None:
        options["default"] = default  # False and 0 are defaults too
    return ColumnInfo(options, _call_site())


def group(
    *,
    name: str | None = None,
    keys: Mapping[str, str] | None = None,
    absorbs: Sequence[str] | None = None,
    index: str | None = None,
    validate: bool = False,
) -> Any:
    """A JSONB group's options: ``traits: BigFive = group(index="gin", absorbs=["openness"])``.

    The keys come from the pydantic model the field is annotated with; ``keys`` declares them
    instead for a field annotated ``dict`` (``keys={"openness": "integer"}``).
    """
    options = _given(
        name=name,
        keys=dict(keys) if keys is not None else None,
        absorbs=list(absorbs) if absorbs is not None else None,
        index=index,
        validate=validate,
    )
    return ColumnInfo(options, _call_site(), group=True)


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of a table-level collection (``__indexes__``, ``__policies__``, ...): its name
    (None for an unnamed unique constraint), its YAML-shaped body and where it was written."""

    kind: str
    name: str | None
    body: Mapping[str, Any]
    site: CallSite = field(default_factory=CallSite)


def primary_key(
    *columns: str,
    name: str | None = None,
    renamed_from: str | None = None,
    comment: str | None = None,
    deferrable: bool | None = None,
    initially_deferred: bool = False,
    include: Sequence[str] | None = None,
    options: dict[str, object] | None = None,
    index_comment: str | None = None,
    without_overlaps: bool = False,
) -> Item:
    """``__primary_key__ = primary_key("tenant_id", "id")``: a composite (or named) primary key;
    ``renamed_from`` is the live constraint's former name; ``include`` and ``options`` are its
    index's covering columns and storage parameters; ``without_overlaps=True`` makes it a
    temporal key, its last column a range compared ``WITHOUT OVERLAPS`` (PostgreSQL 18+). Every
    constraint, index and policy helper takes ``comment=`` (``COMMENT ON …``); keys (primary,
    unique, exclusion) also take ``index_comment=``, the comment of the index that implements them."""
    body = {
        "columns": list(columns),
        **_given(renamed_from=renamed_from, comment=comment, deferrable=deferrable,
                 initially_deferred=initially_deferred, include=list(include) if include else None,
                 options=options or None, index_comment=index_comment, without_overlaps=without_overlaps),
    }
    return Item("primary_key", name, body, _call_site())


def unique(
    *columns: str,
    name: str | None = None,
    deferrable: bool | None = None,
    initially_deferred: bool = False,
    renamed_from: str | None = None,
    nulls_not_distinct: bool = False,
    comment: str | None = None,
    index_comment: str | None = None,
    include: Sequence[str] | None = None,
    options: dict[str, object] | None = None,
    without_overlaps: bool = False,
) -> Item:
    """One entry of ``__unique__``: ``unique("tenant_id", "email")`` (PostgreSQL's name unless ``name``);
    ``nulls_not_distinct=True``: two NULLs count as equal (PostgreSQL 15+); ``include`` and
    ``options`` are its index's covering columns and storage parameters; ``without_overlaps=True``
    as in :func:`primary_key`."""
    body = {
        "columns": list(columns),
        **_given(
            deferrable=deferrable,
            initially_deferred=initially_deferred,
            renamed_from=renamed_from,
            nulls_not_distinct=nulls_not_distinct,
            comment=comment,
            index_comment=index_comment,
            include=list(include) if include else None,
            options=options or None,
            without_overlaps=without_overlaps,
        ),
    }
    return Item("unique", name, body, _call_site())


def check(
    name: str,
    expression: str,
    *,
    renamed_from: str | None = None,
    no_inherit: bool = False,
    validated: bool = True,
    comment: str | None = None,
    enforced: bool = True,
) -> Item:
    """One entry of ``__checks__``: ``check("price_positive", "price > 0")``; ``renamed_from``
    names the live constraint this one was called before; ``no_inherit=True`` is ``NO INHERIT``;
    ``validated=False`` adds it ``NOT VALID`` (existing rows unchecked); ``enforced=False`` is
    ``NOT ENFORCED`` (PostgreSQL 18+: kept, never checked)."""
    body = {"expression": expression, **_given(renamed_from=renamed_from, no_inherit=no_inherit, comment=comment)}
    for key, value in (("validated", validated), ("enforced", enforced)):
        if not value:
            body[key] = False
    return Item("checks", name, body, _call_site())


def exclusion(
    name: str,
    *elements: str,
    using: str | None = None,
    where: str | None = None,
    include: Sequence[str] | None = None,
    deferrable: bool | None = None,
    initially_deferred: bool = False,
    comment: str | None = None,
    index_comment: str | None = None,
) -> Item:
    """One entry of ``__exclusions__``: ``exclusion("no_overlap", "room_id WITH =", "during WITH &&")``
    (gist unless ``using``)."""
    body = {
        "elements": list(elements),
        **_given(
            using=using,
            where=where,
            include=list(include) if include else None,
            deferrable=deferrable,
            initially_deferred=initially_deferred,
            comment=comment,
            index_comment=index_comment,
        ),
    }
    return Item("exclusions", name, body, _call_site())


def index(
    name: str,
    *columns: str,
    unique: bool = False,
    method: str | None = None,
    where: str | None = None,
    include: Sequence[str] | None = None,
    renamed_from: str | None = None,
    comment: str | None = None,
    nulls_not_distinct: bool = False,
    options: dict[str, object] | None = None,
) -> Item:
    """One entry of ``__indexes__``: ``index("t_created_idx", "created_at DESC", where="...")``;
    ``options`` are storage parameters (``{"fillfactor": 70}``)."""
    body = {
        "columns": list(columns),
        **_given(
            unique=unique,
            method=method,
            where=where,
            include=list(include) if include else None,
            nulls_not_distinct=nulls_not_distinct,
            options=options or None,
            renamed_from=renamed_from,
            comment=comment,
        ),
    }
    return Item("indexes", name, body, _call_site())


def foreign_key(
    name: str,
    columns: str | Sequence[str],
    references: str | type[Table],
    *,
    ref_columns: Sequence[str] | None = None,
    on_delete: str | None = None,
    on_update: str | None = None,
    deferrable: bool | None = None,
    initially_deferred: bool = False,
    renamed_from: str | None = None,
    validated: bool = True,
    comment: str | None = None,
    enforced: bool = True,
    period: bool = False,
) -> Item:
    """One entry of ``__foreign_keys__``: a (multi-column) foreign key to a table, named
    ``"schema.table"`` or given as its class; ``ref_columns`` default to its primary key;
    ``validated=False`` adds it ``NOT VALID``; ``enforced=False`` is ``NOT ENFORCED``
    (PostgreSQL 18+); ``period=True`` makes it temporal, the last column on each side ``PERIOD``
    (PostgreSQL 18+, referencing a key declared ``without_overlaps=True``)."""
    body = {
        "columns": [columns] if isinstance(columns, str) else list(columns),
        "references": {"table": references, **_given(columns=list(ref_columns) if ref_columns else None)},
        **_given(
            on_delete=on_delete,
            on_update=on_update,
            deferrable=deferrable,
            initially_deferred=initially_deferred,
            renamed_from=renamed_from,
            comment=comment,
            period=period,
        ),
    }
    for key, value in (("validated", validated), ("enforced", enforced)):
        if not value:
            body[key] = False
    return Item("foreign_keys", name, body, _call_site())


def rls(enabled: bool = True, *, forced: bool = False) -> Item:
    """``__rls__ = rls(forced=True)``; ``__rls__ = True`` is short for ``rls()``."""
    return Item("rls", None, {"enabled": enabled, "forced": forced}, _call_site())


def policy(
    name: str,
    *,
    command: str | None = None,
    roles: str | Sequence[str] | None = None,
    permissive: bool | None = None,
    using: str | None = None,
    with_check: str | None = None,
    renamed_from: str | None = None,
    comment: str | None = None,
) -> Item:
    """One entry of ``__policies__``: a row-level security policy (defaults as in YAML)."""
    body = _given(
        command=command,
        roles=[roles] if isinstance(roles, str) else (list(roles) if roles is not None else None),
        permissive=permissive,
        using=using,
        with_check=with_check,
        renamed_from=renamed_from,
        comment=comment,
    )
    if permissive is False:
        body["permissive"] = False  # a restrictive policy: False is what was written
    return Item("policies", name, body, _call_site())


@dataclass(frozen=True, slots=True)
class EnumOptions:
    """What :func:`enum_type` recorded for one enum class."""

    name: str | None = None
    schema: str | None = None
    comment: str | None = None
    renamed_values: Mapping[str, Any] | None = None
    renamed_from_names: bool = False
    site: CallSite = field(default_factory=CallSite)
    renamed_from: str | None = None
    removed_values: Mapping[str, Any] | None = None


def enum_type(
    *,
    name: str | None = None,
    schema: str | None = None,
    comment: str | None = None,
    renamed_values: Mapping[str, Any] | None = None,
    renamed_from_names: bool = False,
    renamed_from: str | None = None,
    removed_values: Mapping[str, Any] | None = None,
) -> Callable[[E], E]:
    """Decorate an ``enum.Enum`` class to name its PostgreSQL type or rename live labels.

    The labels are always the members' *values*. ``renamed_values`` maps a live label to the
    declared one (``{"USER": "user"}``); ``renamed_from_names=True`` says the live labels are the
    member names (what an ORM that stored names left behind) and maps each name to its value.
    ``renamed_from`` is the type's former name (``old`` or ``old_schema.old``): it is renamed.
    ``removed_values`` maps a live label the class no longer has to the member value its rows
    get, or to None for NULL (``{"archived": "closed"}``): the type is rebuilt without it.
    """
    options = EnumOptions(
        name, schema, comment, renamed_values, renamed_from_names, _call_site(), renamed_from, removed_values
    )

    def mark(cls: E) -> E:
        setattr(cls, ENUM_OPTIONS_ATTRIBUTE, options)
        return cls

    return mark


def enum_options(cls: type[enum.Enum]) -> EnumOptions:
    """The options :func:`enum_type` put on ``cls`` itself (not inherited), or the defaults."""
    found = cls.__dict__.get(ENUM_OPTIONS_ATTRIBUTE)
    return found if isinstance(found, EnumOptions) else EnumOptions()


@dataclass(frozen=True, slots=True)
class TableOptions:
    """The class keywords of one table class: ``class Profile(Table, schema="app", name="profiles")``."""

    schema: str | None = None
    name: str | None = None
    comment: str | None = None
    prevent_destroy: bool = False
    abstract: bool = False
    renamed_from: str | None = None


class Table:
    """Base of every declared table: one subclass per table, one annotated field per column.

    Class keywords: ``schema`` (default: the module's ``__schema__``, else ``public``; inherited
    from an abstract base), ``name`` (default: the class name in snake_case), ``comment``,
    ``prevent_destroy``, ``renamed_from`` (the table's former ``name`` or ``schema.name``) and
    ``abstract`` (a base whose fields its subclasses share, not a table).
    Table-level collections are class attributes: ``__primary_key__``, ``__unique__``,
    ``__foreign_keys__``, ``__checks__``, ``__indexes__``, ``__rls__``, ``__policies__``, and
    ``__grants__`` (role → privileges, as in YAML), ``__owner__`` (a role name) and
    ``__exclusions__``; and ``__unlogged__ = True`` and ``__options__ = {"fillfactor": 90}``
    (storage parameters).
    """

    __table_options__: ClassVar[TableOptions] = TableOptions(abstract=True)

    def __init_subclass__(
        cls,
        *,
        schema: str | None = None,
        name: str | None = None,
        comment: str | None = None,
        prevent_destroy: bool = False,
        abstract: bool = False,
        renamed_from: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        cls.__table_options__ = TableOptions(schema, name, comment, prevent_destroy, abstract, renamed_from)
