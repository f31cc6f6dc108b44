"""Declared views and materialized views → model objects.

The query is kept as written (trailing semicolon and surrounding blanks dropped); comparing it
with the live one needs the server's canonical form, which the planner asks for
(:mod:`pgreconcile.catalog.canonical`). Column comments are sorted by column name, as the
catalog reader keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping

from pgreconcile.declare.build.collect import Declared, Registry, check_name
from pgreconcile.declare.spec.language import IndexSpec, MaterializedViewSpec, ViewSpec
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.model.objects import Index, Origin, Table
from pgreconcile.model.views import CheckOption, ColumnSetting, MaterializedView, View, strip_query
from pgreconcile.normalize.storage_options import option_pairs


def _former(renamed_from: str | None, schema: str) -> tuple[str, str] | None:
    if renamed_from is None:
        return None
    old_schema, _, old_name = renamed_from.rpartition(".")
    return (old_schema or schema, old_name)


def _comments(columns: dict[str, object]) -> tuple[tuple[str, str], ...]:
    found = ((name, getattr(spec, "comment", None)) for name, spec in columns.items())
    return tuple(sorted((name, comment) for name, comment in found if comment is not None))


def _query(declared: Declared[ViewSpec] | Declared[MaterializedViewSpec], what: str, problems: Problems) -> str:
    query = strip_query(declared.spec.query)
    if not query:
        problems.at(declared.origin, f"{what}: the query is empty", "write the SELECT that defines it")
    return query


def _index(name: str, spec: IndexSpec, origin: Origin, problems: Problems) -> Index:
    check_name(name, "index", origin, problems)
    if not spec.columns:
        problems.at(origin, f"index {name} lists no columns")
    return Index(name, tuple(spec.columns), spec.unique, spec.method, spec.where, tuple(spec.include), origin,
                 spec.renamed_from, spec.comment, spec.nulls_not_distinct, option_pairs(spec.options))


def build_views(registry: Registry, problems: Problems) -> dict[tuple[str, str], View]:
    """The declared views, by (schema, name)."""
    out: dict[tuple[str, str], View] = {}
    for (schema, name), declared in sorted(registry.views.items()):
        spec = declared.spec
        for column, column_spec in sorted(spec.columns.items()):
            if column_spec.storage is not None or column_spec.statistics is not None:
                problems.at(declared.origin, f"view {schema}.{name} column {column}: a view's columns hold no "
                            "data, so they take no storage nor statistics target",
                            "declare them on a materialized view, or remove them")
        out[(schema, name)] = View(
            schema=schema,
            name=name,
            query=_query(declared, f"view {schema}.{name}", problems),
            security_invoker=spec.security_invoker,
            security_barrier=spec.security_barrier,
            check_option=CheckOption(spec.check_option) if spec.check_option else None,
            comment=spec.comment,
            column_comments=_comments(dict(spec.columns)),
            origin=declared.origin,
            renamed_from=_former(spec.renamed_from, schema),
        )
    return out


def build_materialized_views(registry: Registry, problems: Problems) -> dict[tuple[str, str], MaterializedView]:
    """The declared materialized views, by (schema, name)."""
    out: dict[tuple[str, str], MaterializedView] = {}
    for (schema, name), declared in sorted(registry.materialized_views.items()):
        spec = declared.spec
        indexes = tuple(
            _index(index_name, index_spec, declared.origin, problems)
            for index_name, index_spec in sorted(spec.indexes.items())
        )
        out[(schema, name)] = MaterializedView(
            schema=schema,
            name=name,
            query=_query(declared, f"materialized view {schema}.{name}", problems),
            storage=tuple(sorted((k, str(v)) for k, v in spec.storage.items())),
            indexes=indexes,
            comment=spec.comment,
            column_comments=_comments(dict(spec.columns)),
            origin=declared.origin,
            renamed_from=_former(spec.renamed_from, schema),
            column_settings=tuple(
                ColumnSetting(column, c.storage, c.statistics)
                for column, c in sorted(spec.columns.items())
                if c.storage is not None or c.statistics is not None
            ),
        )
    return out


def check_relation_names(
    tables: Mapping[tuple[str, str], Table],
    views: Mapping[tuple[str, str], View],
    materialized_views: Mapping[tuple[str, str], MaterializedView],
    problems: Problems,
) -> None:
    """Tables, views and materialized views share one name space per schema (pg_class): a name
    used twice would fail at apply time, so it is refused here, naming both places."""
    seen: dict[tuple[str, str], tuple[str, Origin | None]] = {
        key: (f"table {key[0]}.{key[1]}", table.origin) for key, table in tables.items()
    }
    for what, pool in (("view", views), ("materialized view", materialized_views)):
        for key, view in pool.items():
            first = seen.get(key)
            if first is not None:
                problems.at(
                    view.origin,
                    f"{what} {key[0]}.{key[1]}: the name is already used by {first[0]} (at {first[1]})",
                    "tables, views and materialized views share one namespace per schema; rename one of them",
                )
            else:
                seen[key] = (f"{what} {key[0]}.{key[1]}", view.origin)
