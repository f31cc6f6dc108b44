"""Catalog rows → model objects.

The reader (:mod:`pgreconcile.catalog.reader`) fetches one flat result per object kind; this
module turns those rows into the frozen model. It is pure Python, so the mapping rules live in
one place: FK action letters, identity letters, how an index key is spelled, what is skipped.
Row shapes are fixed by the ``queries/*.sql`` files, column for column.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from pgreconcile.catalog import (
    build_casts,
    build_collations,
    build_comments,
    build_foreign,
    build_inheritance,
    build_operators,
    build_partitions,
    build_privileges,
    build_routines,
    build_rules,
    build_security,
    build_sequences,
    build_statistics,
    build_subscriptions,
    build_text_search,
    build_views,
)
from pgreconcile.catalog.build_types import composite_types, domains, range_types
from pgreconcile.catalog.exclusions import parse_exclusion
from pgreconcile.model.objects import (
    CheckConstraint,
    Column,
    Enum,
    Extension,
    FkAction,
    ForeignKey,
    IdentityKind,
    Index,
    IndexMethod,
    Namespace,
    PrimaryKey,
    Table,
    UniqueConstraint,
)
from pgreconcile.model.schema import Schema
from pgreconcile.model.types import ExclusionConstraint
from pgreconcile.normalize.storage_options import option_pairs, option_texts
from pgreconcile.quoting import ident, qualified

Row = Sequence[Any]

# pg_constraint.confdeltype / confupdtype letters.
_FK_ACTIONS: dict[str, FkAction] = {
    "a": FkAction.NO_ACTION,
    "r": FkAction.RESTRICT,
    "c": FkAction.CASCADE,
    "n": FkAction.SET_NULL,
    "d": FkAction.SET_DEFAULT,
}

# pg_attribute.attidentity letters ('' = not an identity column).
_IDENTITY: dict[str, IdentityKind] = {"a": IdentityKind.ALWAYS, "d": IdentityKind.BY_DEFAULT}

# pg_index.indoption bits (see PostgreSQL's INDOPTION_DESC / INDOPTION_NULLS_FIRST).
_DESC = 1
_NULLS_FIRST = 2


def namespaces(rows: Iterable[Row]) -> dict[str, Namespace]:
    """``(nspname, description)`` rows → namespaces by name."""
    return {name: Namespace(name=name, comment=comment) for name, comment in rows}


def extensions(rows: Iterable[Row]) -> dict[str, Extension]:
    """``(extname, schema, relocatable, version, reachable, keeps_data, comment, own comment)`` rows
    → extensions by name. The comment is kept only where it is not the control file's (``""``: it
    was removed), as a declaration without one means the extension's own."""
    out: dict[str, Extension] = {}
    for name, schema, relocatable, version, reachable, keeps_data, comment, own in rows:
        kept = None if comment == own else (comment or "")
        out[name] = Extension(name=name, schema=schema, relocatable=relocatable, version=version,
                              reachable=tuple(reachable or ()), keeps_data=keeps_data, comment=kept,
                              own_comment=own)
    return out


def enums(rows: Iterable[Row]) -> dict[tuple[str, str], Enum]:
    """``(schema, name, labels, description)`` rows → enums by ``(schema, name)``."""
    return {
        (schema, name): Enum(schema=schema, name=name, values=tuple(labels), comment=comment)
        for schema, name, labels, comment in rows
    }


def external_tables(rows: Iterable[Row]) -> dict[tuple[str, str], tuple[str, ...]]:
    """``(schema, name, column names)`` rows → column names by ``(schema, name)``."""
    return {(schema, name): tuple(columns) for schema, name, columns in rows}


def columns(
    rows: Iterable[Row],
    tables: dict[int, tuple[str, str]],
    notes: list[str],
    inherited_only: dict[int, list[Column]] | None = None,
) -> dict[int, list[Column]]:
    """Column rows (ordered by table oid, then attnum) → columns per table oid.

    An identity column has no default. A generated column (``GENERATED ALWAYS AS (...)
    STORED``, or ``VIRTUAL`` from PostgreSQL 18: attgenerated ``v``) has its expression where a
    default would be (pg_attrdef holds both).
    [inheritance] A column a table has only from its parents (not attislocal) goes to
    ``inherited_only`` instead: it is the parent's to change.
    """
    by_table: dict[int, list[Column]] = defaultdict(list)
    others: dict[int, list[Column]] = defaultdict(list) if inherited_only is None else inherited_only
    for (
        relid, name, type_, notnull, default, identity, generated, comment, local, inherited,
        not_null_name, not_null_validated, not_null_no_inherit, not_null_inherited,
    ) in rows:
        kind = _IDENTITY.get(identity)
        if not_null_inherited:  # [inheritance] PostgreSQL 18: the parent's to name and change
            inherited_name, not_null_name, not_null_validated, not_null_no_inherit = not_null_name, None, None, None
        else:
            inherited_name = None
        expression = None
        if generated:
            expression, default = default, None
        elif kind is not None:
            default = None
        (by_table if local else others)[relid].append(
            Column(
                name=name,
                type=type_,
                nullable=not notnull,
                default=default,
                identity=kind,
                comment=comment,
                generated=expression,
                virtual=generated == "v",
                not_null_name=not_null_name if notnull else None,
                not_null_validated=not_null_validated is not False,
                not_null_no_inherit=bool(notnull and not_null_no_inherit),
                inherited_not_null_name=inherited_name if notnull else None,
                inherited=inherited,
            )
        )
    return by_table


class _Constraints:
    """The constraints of one table, sorted into the model's four kinds."""

    __slots__ = ("checks", "exclusions", "foreign_keys", "primary_key", "uniques")

    def __init__(self) -> None:
        self.primary_key: PrimaryKey | None = None
        self.uniques: list[UniqueConstraint] = []
        self.foreign_keys: list[ForeignKey] = []
        self.checks: list[CheckConstraint] = []
        self.exclusions: list[ExclusionConstraint] = []


def constraints(
    rows: Iterable[Row], tables: dict[int, tuple[str, str]], notes: list[str]
) -> dict[int, _Constraints]:
    """Constraint rows (ordered by table oid, then name) → constraints per table oid.

    An exclusion constraint whose definition cannot be read back into the model is noted and
    left alone.
    """
    by_table: dict[int, _Constraints] = defaultdict(_Constraints)
    for (
        relid, name, contype, cols, ref_schema, ref_table, ref_cols,
        on_delete, on_update, deferrable, deferred, check_expr, validated, no_inherit, definition, inherited,
        include, index_options,
        enforced, period,
    ) in rows:
        found = by_table[relid]
        if contype == "p":
            found.primary_key = PrimaryKey(
                name=name, columns=tuple(cols), deferrable=deferrable, initially_deferred=deferred,
                include=tuple(include or ()), options=option_pairs(index_options or ()),
                without_overlaps=period,
            )
        elif contype == "u":
            found.uniques.append(
                UniqueConstraint(
                    name=name, columns=tuple(cols), deferrable=deferrable, initially_deferred=deferred,
                    nulls_not_distinct=" NULLS NOT DISTINCT " in (definition or ""),
                    include=tuple(include or ()), options=option_pairs(index_options or ()),
                    without_overlaps=period,
                )
            )
        elif contype == "f":
            found.foreign_keys.append(
                ForeignKey(
                    name=name,
                    columns=tuple(cols),
                    ref_schema=ref_schema,
                    ref_table=ref_table,
                    ref_columns=tuple(ref_cols),
                    on_delete=_FK_ACTIONS[on_delete],
                    on_update=_FK_ACTIONS[on_update],
                    deferrable=deferrable,
                    initially_deferred=deferred,
                    validated=validated,
                    enforced=enforced,
                    period=period,
                )
            )
        elif contype == "c":
            found.checks.append(
                CheckConstraint(
                    name=name, expression=check_expr, no_inherit=no_inherit, validated=validated, inherited=inherited,
                    enforced=enforced, reads=tuple(c for c in cols if c is not None),
                )
            )
        elif contype == "x":
            exclusion = parse_exclusion(name, definition)
            if exclusion is None:
                notes.append(f"exclusion constraint {name} on {qualified(*tables[relid])} is not managed")
            else:
                found.exclusions.append(exclusion)
    return by_table


def _enclosed(text: str) -> bool:
    """Whether ``text`` is one parenthesised group: ``(a + b)`` yes, ``(a) + (b)`` no.

    Quotes are skipped so that a ``)`` inside a string literal or quoted name does not count.
    """
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    quote: str | None = None
    for pos, char in enumerate(text):
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and pos != len(text) - 1:
                return False
    return depth == 0


def index_element(
    attnum: int, column: str | None, expression: str | None, collation: str, opclass: str, option: int,
    can_order: bool,
) -> str:
    """One index key as written in ``CREATE INDEX``.

    A plain column is its (quoted as needed) name. An expression is always parenthesised,
    even a bare function call that PostgreSQL prints unwrapped (``lower(nickname)`` →
    ``(lower(nickname))``), so both sides of a comparison use one spelling. Then come a
    non-default collation and operator class, and, for ordered access methods, ``DESC`` and a
    NULLS clause only when it differs from the default for the direction (ASC → NULLS LAST,
    DESC → NULLS FIRST).
    """
    if attnum != 0 and column is not None:
        text = ident(column)
    elif expression is not None and _enclosed(expression):
        text = expression
    else:
        text = f"({expression})"
    if collation:
        text += f" COLLATE {collation}"
    if opclass:
        text += f" {opclass}"
    if can_order:
        descending = bool(option & _DESC)
        nulls_first = bool(option & _NULLS_FIRST)
        if descending:
            text += " DESC"
        if nulls_first and not descending:
            text += " NULLS FIRST"
        elif descending and not nulls_first:
            text += " NULLS LAST"
    return text


def indexes(
    rows: Iterable[Row], tables: dict[int, tuple[str, str]], notes: list[str]
) -> dict[int, list[Index]]:
    """Index rows (one per index column, ordered by table oid, index name, position) → indexes
    per table oid.

    Invalid indexes (``indisvalid`` false, typically left by a failed ``CREATE INDEX
    CONCURRENTLY``) are still reported, with a note: they exist, take writes and block a
    re-create under the same name. Indexes using an access method the model does not know
    (pgvector's ``hnsw``, ``bloom``, ...) are left out with a note, so they are never planned
    for removal.
    """
    grouped: dict[int, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row[1], []).append(row)
    by_table: dict[int, list[Index]] = defaultdict(list)
    for parts in grouped.values():
        relid, _, name, unique, amname, can_order, valid, predicate, reloptions, nulls_not_distinct = parts[0][:10]
        where = qualified(*tables[relid])
        try:
            method = IndexMethod(amname)
        except ValueError:
            notes.append(f"index {name} on {where} uses access method {amname}, which is not managed")
            continue
        if not valid:
            notes.append(f"index {name} on {where} is INVALID (a failed CREATE INDEX CONCURRENTLY, or made ON ONLY "
                         "a partitioned table that has a partition with no index attached to it?)")
        elements: list[str] = []
        include: list[str] = []
        for *_, is_include, attnum, expression, column, opclass, collation, option in parts:
            if is_include:
                include.append(column)
            else:
                elements.append(
                    index_element(attnum, column, expression, collation, opclass, option, can_order)
                )
        by_table[relid].append(
            Index(
                name=name,
                elements=tuple(elements),
                unique=unique,
                method=method,
                where=predicate,
                include=tuple(include),
                nulls_not_distinct=bool(nulls_not_distinct),
                options=option_pairs(reloptions or ()),
                options_text=option_texts(reloptions or ()),
            )
        )
    return by_table


# A table's own columns and those it has only from its parents, by table oid.
TableColumns = tuple[dict[int, list[Column]], dict[int, list[Column]]]


def table_columns(table_rows: Iterable[Row], column_rows: Iterable[Row]) -> TableColumns:
    """The columns of every table (own, and inherited only), from the tables' and columns' rows
    alone: catalog/reader.py builds them while the server still answers the other queries."""
    names = {row[0]: (row[1], row[2]) for row in table_rows}
    inherited_cols: dict[int, list[Column]] = defaultdict(list)  # [inheritance]
    return columns(column_rows, names, [], inherited_cols), inherited_cols


def schema(
    managed: frozenset[str],
    rows: dict[str, list[Row]],
    notes: list[str],
    built: TableColumns | None = None,
) -> Schema:
    """All query results (by query name) → the live :class:`Schema`; ``built``: the columns,
    when :func:`table_columns` made them already."""
    table_rows = rows["tables"]
    names = {row[0]: (row[1], row[2]) for row in table_rows}
    cols, inherited_cols = built if built is not None else table_columns(table_rows, rows["columns"])
    # [sequences] identity options, collations, compression and storage onto their columns
    sequences, identity_options = build_sequences.sequences(rows["sequences"])
    options = build_sequences.table_options(rows["table_options"])
    unlogged_tables = frozenset(oid for oid, fields in options.items() if fields["unlogged"])
    cols = build_sequences.with_column_options(cols, rows["column_options"], identity_options, names, unlogged_tables)
    # [partitions] a partition's own keys and indexes are read with every table's.
    part_names = build_partitions.partition_names(rows["partitions"])
    cons = constraints(rows["constraints"], {**names, **part_names}, notes)
    # [views] materialized views have indexes too: the index reader names them by these oids.
    view_names = build_views.relation_names(rows["views"])
    idx = indexes(rows["indexes"], {**names, **view_names, **part_names}, notes)
    pols = build_security.policies(rows["policies"])
    views, materialized_views = build_views.views(  # [views]
        rows["views"], idx, build_views.column_settings(rows["column_options"]))
    ts_dictionaries, ts_configurations = build_text_search.text_search(rows["text_search"])
    # [routines]
    functions, callers = build_routines.functions(rows["functions"])
    # [partitions]
    parts = build_partitions.partitioning(rows["partitions"], notes, idx, cons, options, pols)
    tables: dict[tuple[str, str], Table] = {}
    # Sorted by (schema, name) rather than oid so two reads of equal catalogs build equal,
    # identically ordered dicts.
    for relid, nsp, rel, comment, rls, forced, parent_schemas, parent_names in sorted(
        table_rows, key=lambda r: (r[1], r[2])
    ):
        found = cons.get(relid) or _Constraints()
        tables[(nsp, rel)] = Table(
            schema=nsp,
            name=rel,
            columns=tuple(cols.get(relid, ())),
            primary_key=found.primary_key,
            uniques=tuple(found.uniques),
            foreign_keys=tuple(found.foreign_keys),
            checks=tuple(found.checks),
            indexes=tuple(idx.get(relid, ())),
            comment=comment,
            rls_enabled=rls,
            rls_forced=forced,
            policies=tuple(pols.get(relid, ())),
            # [views]

            # [routines]

            # [sequences]
            **options.get(relid, {}),

            # [constraints-types]
            exclusions=tuple(found.exclusions),
            # [privileges]

            # [partitions]
            partition_by=parts.get(relid, build_partitions.NONE).partition_by,
            partitions=parts.get(relid, build_partitions.NONE).partitions,
            # [inheritance]
            inherits=tuple(zip(parent_schemas, parent_names, strict=True)),
            inherited_columns=tuple(inherited_cols.get(relid, ())),
        )
    tables = build_inheritance.with_own_settings(tables)  # [inheritance]
    tables, materialized_views = build_comments.with_comments(
        rows["comments"], tables, materialized_views, {**names, **view_names, **part_names}
    )
    foreign = build_foreign.foreign_data(rows["foreign_data"])
    tables = build_foreign.with_servers(tables, foreign)
    # [privileges]
    grants, owners = build_privileges.grants_and_owners(rows["privileges"])
    roles = build_privileges.roles(rows["roles"])
    return Schema(
        namespaces=namespaces(rows["namespaces"]),
        extensions=extensions(rows["extensions"]),
        enums=enums(rows["enums"]),
        tables=tables,
        managed=managed,
        # [views]
        views=views,
        materialized_views=materialized_views,

        # [routines]
        functions=functions,
        triggers=build_routines.triggers(rows["triggers"]),
        aggregates=build_routines.aggregates(rows["aggregates"]),
        event_triggers=build_routines.event_triggers(rows["event_triggers"]),
        function_callers=callers,

        # [sequences]
        sequences=sequences,

        # [constraints-types]
        domains=domains(rows["domains"]),
        composite_types=composite_types(rows["types"]),
        range_types=range_types(rows["types"]),
        # [privileges]
        grants=grants,
        owners=owners,
        default_privileges=build_privileges.default_privileges(rows["default_privileges"]),
        publications=build_privileges.publications(rows["publications"]),
        subscriptions=build_subscriptions.subscriptions(rows["subscriptions"], notes),
        roles=roles.names,
        current_role=roles.current,
        login_roles=roles.login,
        superusers=roles.superusers,

        # [partitions]

        collations=build_collations.collations(rows["collations"]),
        foreign_data_wrappers=foreign.wrappers,
        foreign_servers=foreign.servers,
        user_mappings=foreign.mappings,
        statistics=build_statistics.statistics(rows["statistics"]),
        rules=build_rules.rules(rows["rules"], notes),
        ts_dictionaries=ts_dictionaries,
        ts_configurations=ts_configurations,
        operators=build_operators.operators(rows["operators"]),
        casts=build_casts.casts(rows["casts"]),
        external_tables=external_tables(rows["external_tables"]),
        dependents=build_security.dependents(rows["dependents"], names,
                                             build_partitions.partition_tops(rows["partitions"], names)),
        unmanaged=build_security.unmanaged(rows["unmanaged"]),
    )
