"""Validated declarations → :class:`~pgreconcile.model.objects.Schema` (the desired state).

The stages: merge every document into one registry, refusing anything declared twice
(:mod:`.collect`); build each table (:mod:`.tables`); resolve foreign keys across tables
(:mod:`.references`); check the names that share a namespace across a whole schema (here).
Problems are collected through every stage and raised together at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pgreconcile.declare.build.casts import build_casts
from pgreconcile.declare.build.collations import build_collations
from pgreconcile.declare.build.collect import collect
from pgreconcile.declare.build.conventions import read_conventions
from pgreconcile.declare.build.foreign import build_foreign
from pgreconcile.declare.build.inheritance import inherited_names, with_parents  # [inheritance]
from pgreconcile.declare.build.operators import build_operators
from pgreconcile.declare.build.partitions import walk_partitions  # [partitions]
from pgreconcile.declare.build.privileges import build_access  # [privileges]
from pgreconcile.declare.build.references import resolve_foreign_keys
from pgreconcile.declare.build.routines import build_event_triggers, build_routines  # [routines]
from pgreconcile.declare.build.sequences import declared_sequences, serial_sequences
from pgreconcile.declare.build.subscriptions import build_subscriptions
from pgreconcile.declare.build.table_extras import build_table_extras
from pgreconcile.declare.build.tables import TableBuilder
from pgreconcile.declare.build.text_search import build_text_search
from pgreconcile.declare.build.types import build_types
from pgreconcile.declare.build.views import build_materialized_views, build_views, check_relation_names
from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.spec.types import TypeResolver
from pgreconcile.model.objects import Enum, Origin, Table
from pgreconcile.model.schema import Schema
from pgreconcile.model.types import CompositeType, Domain, RangeType

_Typed = Enum | Domain | CompositeType | RangeType


def build_schema(documents: Sequence[Document], *, check_sql: bool = True, context: Schema | None = None) -> Schema:
    """The desired schema declared by ``documents``; raises DeclarationErrors listing every problem.

    ``context`` is what another source (SQL files) declares: its enums and extensions are
    types the documents may use, its tables are foreign key targets. It is not part of the
    result; :func:`pgreconcile.declare.build.merge.merge_schemas` joins the two."""
    problems = Problems()
    registry = collect(documents, problems)
    read_conventions(documents, problems)  # only to refuse a key set twice; checked by pgreconcile.conventions
    known = context or Schema()
    # A table's row type is a type too (a column of type `other_table`), named as the table.
    user_types = [*registry.domains, *registry.types, *known.domains, *known.composite_types, *known.range_types,
                  *registry.tables, *known.tables]
    resolver = TypeResolver(
        {**known.enums, **registry.enums}, {**known.extensions, **registry.extensions}, user_types
    )
    domains, composites, ranges = build_types(registry, resolver, problems, check_sql=check_sql)  # [constraints-types]
    inherited = inherited_names(registry.tables)
    drafts = {
        key: TableBuilder(
            key, declared, resolver, problems, check_sql=check_sql, inherited=inherited.get(key, frozenset())
        ).build()
        for key, declared in sorted(registry.tables.items())
    }
    managed = frozenset(registry.namespaces)
    tables = resolve_foreign_keys(drafts, managed | known.managed, problems, known=known.tables)
    tables = with_parents(tables, registry.tables, known.tables, problems, managed | known.managed)  # [inheritance]
    # [sequences]
    sequences = declared_sequences(documents, registry.tables, serial_sequences(registry.tables, problems), problems)
    # [constraints-types] domains and composite/range types share pg_type with enums and tables.
    typed: dict[tuple[str, str], _Typed] = {**registry.enums, **domains, **composites, **ranges}
    _check_schema_names(tables, typed, problems)
    _check_typed_tables(tables, composites, problems)
    views = build_views(registry, problems)  # [views]
    materialized_views = build_materialized_views(registry, problems)
    check_relation_names(tables, views, materialized_views, problems)
    known_tables = frozenset(tables) | frozenset(known.tables)
    access = build_access(documents, problems)  # [privileges]
    functions, triggers, aggregates = build_routines(documents, resolver, problems, known_tables, access)  # [routines]
    event_triggers = build_event_triggers(documents, problems)
    collations = build_collations(documents, problems)
    ts_dictionaries, ts_configurations = build_text_search(documents, problems)
    operators = build_operators(documents, resolver, functions, problems)  # [operators]
    casts = build_casts(documents, resolver, functions, problems)  # [casts]
    foreign = build_foreign(documents, problems)
    subscriptions, subscriptions_managed = build_subscriptions(documents, problems)  # [subscriptions]
    statistics, rules = build_table_extras(documents, tables, problems, check_sql=check_sql)
    problems.raise_if_any()
    return Schema(
        namespaces=dict(sorted(registry.namespaces.items())),
        extensions=dict(sorted(registry.extensions.items())),
        enums=dict(sorted(registry.enums.items())),
        tables=tables,
        managed=managed,
        sequences=sequences,
        views=views,
        materialized_views=materialized_views,
        functions=functions,  # [routines]
        triggers=triggers,
        aggregates=aggregates,
        event_triggers=event_triggers,
        # [privileges]
        grants=access.grants,
        owners=access.owners,
        default_privileges=access.default_privileges,
        default_privileges_managed=frozenset(access.default_privileges_managed),
        publications=access.publications,
        publications_managed=access.publications_managed,
        subscriptions=subscriptions,
        subscriptions_managed=subscriptions_managed,
        declared_roles=access.roles,
        domains=domains,
        composite_types=composites,
        range_types=ranges,
        collations=collations,
        foreign_data_wrappers=foreign.wrappers,
        foreign_servers=foreign.servers,
        foreign_data_managed=frozenset(foreign.managed),
        user_mappings=foreign.mappings,
        mapped_servers=frozenset(foreign.mapped_servers),
        statistics=statistics,
        rules=rules,
        ts_dictionaries=ts_dictionaries,
        ts_configurations=ts_configurations,
        operators=operators,
        casts=casts,
        casts_managed=bool(casts),
    )


def _check_typed_tables(
    tables: Mapping[tuple[str, str], Table], composites: Mapping[tuple[str, str], CompositeType], problems: Problems
) -> None:
    """A typed table's columns are its type's attributes (names and types, in order): what
    ``CREATE TABLE … OF`` gives it. A declared type that says otherwise is refused here; a type
    declared elsewhere (not in these files) is PostgreSQL's to check."""
    for table in tables.values():
        composite = composites.get(table.of_type) if table.of_type is not None else None
        if composite is None:
            continue
        want = [(a.name, a.type) for a in composite.attributes]
        have = [(c.name, c.type) for c in table.columns]
        if have != want:
            listed = ", ".join(f"{n} {t}" for n, t in want)
            problems.at(table.origin, f"table {table.qualified}: a typed table's columns are its type's attributes "
                        f"({composite.qualified}: {listed})", "declare exactly those columns, in that order")


def _check_schema_names(
    tables: dict[tuple[str, str], Table], enums: Mapping[tuple[str, str], _Typed], problems: Problems
) -> None:
    """Tables, indexes and the indexes behind primary keys and unique constraints share one
    namespace per schema (pg_class); tables and enums share another (pg_type: a table has a row
    type). A name used twice fails at apply time, so it is refused here, naming both places."""
    relations: dict[tuple[str, str], tuple[str, Origin | None]] = {}
    types: dict[tuple[str, str], tuple[str, Origin | None]] = {}
    for (schema, name), enum in enums.items():
        kind = {Enum: "enum", Domain: "domain", CompositeType: "composite type"}.get(type(enum), "range type")
        types[(schema, name)] = (f"{kind} {schema}.{name}", enum.origin)
    for (schema, name), table in tables.items():
        _claim(types, (schema, name), f"table {schema}.{name}", table.origin, problems)
        _claim(relations, (schema, name), f"table {schema}.{name}", table.origin, problems)
        for part in walk_partitions(table.partitions):  # [partitions]
            what = f"partition {schema}.{part.name} of table {schema}.{name}"
            _claim(types, (schema, part.name), what, part.origin, problems)
            _claim(relations, (schema, part.name), what, part.origin, problems)
        backed: list[tuple[str, str, Origin | None]] = []
        if table.primary_key is not None:
            backed.append(("primary key", table.primary_key.name, table.primary_key.origin))
        backed += [("unique constraint", u.name, u.origin) for u in table.uniques]
        backed += [("index", i.name, i.origin) for i in table.indexes]
        for what, name_, origin in backed:
            first = relations.get((schema, name_))
            if first is not None and first[0].endswith(f"of table {schema}.{name}") and what != "index":
                continue  # two constraints of one table: already reported by the table
            _claim(relations, (schema, name_), f"{what} {name_} of table {schema}.{name}", origin, problems)


def _claim(
    seen: dict[tuple[str, str], tuple[str, Origin | None]],
    key: tuple[str, str],
    what: str,
    origin: Origin | None,
    problems: Problems,
) -> None:
    first = seen.get(key)
    if first is None:
        seen[key] = (what, origin)
        return
    problems.at(
        origin,
        f"{what}: the name {key[1]!r} is already used in schema {key[0]} by {first[0]} (at {first[1]})",
        "tables, indexes, primary keys and unique constraints share one namespace per schema; rename one of them",
    )
