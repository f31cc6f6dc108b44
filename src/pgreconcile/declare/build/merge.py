"""Merging desired schemas from different sources (declarations, SQL files) into one.

Within one source, files already merge (several YAML files may add tables to ``public``). Across
sources the rule is the same as across files: a schema may be shared, but each table, enum and
extension — and each schema's comment — is declared in exactly one place, and a second
declaration is an error that names both places.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

from pgreconcile.declare.spec.problems import Problems
from pgreconcile.model.objects import Namespace, Origin
from pgreconcile.model.schema import Schema

K = TypeVar("K")
V = TypeVar("V")


def merge_schemas(first: Schema, second: Schema) -> Schema:
    """One schema declaring everything ``first`` and ``second`` declare; raises
    :class:`~pgreconcile.errors.DeclarationErrors` naming both places of every duplicate."""
    problems = Problems()
    merged = Schema(
        namespaces=_namespaces(first.namespaces, second.namespaces, problems),
        extensions=_union(first.extensions, second.extensions, "extension", problems),
        enums=_union(first.enums, second.enums, "enum", problems),
        tables=_union(first.tables, second.tables, "table", problems),
        # [views]
        # [sequences]
        sequences=_union(first.sequences, second.sequences, "sequence", problems),
        views=_union(first.views, second.views, "view", problems),
        materialized_views=_union(first.materialized_views, second.materialized_views, "materialized view", problems),
        managed=first.managed | second.managed,
        whole_database=first.whole_database or second.whole_database,
        # [constraints-types]
        domains=_union(first.domains, second.domains, "domain", problems),
        composite_types=_union(first.composite_types, second.composite_types, "composite type", problems),
        range_types=_union(first.range_types, second.range_types, "range type", problems),
        collations=_union(first.collations, second.collations, "collation", problems),
        ts_dictionaries=_union(first.ts_dictionaries, second.ts_dictionaries, "text search dictionary", problems),
        ts_configurations=_union(first.ts_configurations, second.ts_configurations, "text search configuration",
                                 problems),
        operators=_union(first.operators, second.operators, "operator", problems),
        casts=_union(first.casts, second.casts, "cast", problems),
        casts_managed=first.casts_managed or second.casts_managed,
        foreign_data_wrappers=_union(first.foreign_data_wrappers, second.foreign_data_wrappers, "foreign data wrapper",
                                     problems),
        foreign_servers=_union(first.foreign_servers, second.foreign_servers, "server", problems),
        foreign_data_managed=first.foreign_data_managed | second.foreign_data_managed,
        user_mappings=_union(first.user_mappings, second.user_mappings, "user mapping", problems),
        mapped_servers=first.mapped_servers | second.mapped_servers,
        statistics=_union(first.statistics, second.statistics, "statistics", problems),
        rules=_union(first.rules, second.rules, "rule", problems),
        external_tables={**second.external_tables, **first.external_tables},
        # [routines]
        functions=_union(first.functions, second.functions, "function", problems),
        triggers=_union(first.triggers, second.triggers, "trigger", problems),
        aggregates=_union(first.aggregates, second.aggregates, "aggregate", problems),
        event_triggers=_union(first.event_triggers, second.event_triggers, "event trigger", problems),
        # [privileges]
        grants=_union(first.grants, second.grants, "grants of", problems),
        owners=_union(first.owners, second.owners, "owner of", problems),
        default_privileges=_union(first.default_privileges, second.default_privileges, "default privileges", problems),
        default_privileges_managed=first.default_privileges_managed | second.default_privileges_managed,
        publications=_union(first.publications, second.publications, "publication", problems),
        publications_managed=first.publications_managed or second.publications_managed,
        subscriptions=_union(first.subscriptions, second.subscriptions, "subscription", problems),
        subscriptions_managed=first.subscriptions_managed or second.subscriptions_managed,
        declared_roles=_union(first.declared_roles, second.declared_roles, "role", problems),
    )
    problems.raise_if_any()
    return merged


def _label(key: Any) -> str:
    return ".".join(key) if isinstance(key, tuple) else str(key)


def _union(first: Mapping[K, V], second: Mapping[K, V], what: str, problems: Problems) -> dict[K, V]:
    out = dict(first)
    for key, value in second.items():
        if key in out:
            _twice(problems, f"{what} {_label(key)}", _origin(out[key]), _origin(value))
            continue
        out[key] = value
    return dict(sorted(out.items()))


def _namespaces(
    first: Mapping[str, Namespace], second: Mapping[str, Namespace], problems: Problems
) -> dict[str, Namespace]:
    out = dict(first)
    for name, ns in second.items():
        have = out.get(name)
        if have is None:
            out[name] = ns
        elif ns.comment is not None:
            if have.comment is not None:
                _twice(problems, f"the comment of schema {name}", have.origin, ns.origin)
            else:
                out[name] = dataclasses.replace(have, comment=ns.comment)
    return dict(sorted(out.items()))


def _origin(value: object) -> Origin | None:
    origin = getattr(value, "origin", None)
    return origin if isinstance(origin, Origin) else None


def _twice(problems: Problems, what: str, first: Origin | None, second: Origin | None) -> None:
    problems.at(
        second,
        f"{what} is declared twice: at {first or 'an unknown place'} and at {second or 'an unknown place'}",
        "declare each object in one place (one YAML, Python or SQL file); remove one of the two",
    )
