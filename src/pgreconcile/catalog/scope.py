"""Narrow a catalog read to the managed schemas.

Planning reads the catalog while the declarations load, before it knows which schemas they
declare; it reads every user schema and narrows the result here. Tables of schemas that turn out
unmanaged become external tables (referable by foreign keys, never changed).
"""

from __future__ import annotations

from collections.abc import Iterable

from pgreconcile.model import Schema


def restrict(live: Schema, managed: Iterable[str]) -> Schema:
    """``live`` as if it had been read for ``managed`` only."""
    keep = frozenset(managed)
    external = dict(live.external_tables)
    for (schema, name), table in live.tables.items():
        if schema not in keep:
            external[(schema, name)] = tuple(c.name for c in table.columns)
    return Schema(
        namespaces={n: ns for n, ns in live.namespaces.items() if n in keep},
        extensions=dict(live.extensions),
        enums={k: e for k, e in live.enums.items() if k[0] in keep},
        tables={k: t for k, t in live.tables.items() if k[0] in keep},
        views={k: v for k, v in live.views.items() if k[0] in keep},
        # [sequences]
        sequences={k: s for k, s in live.sequences.items() if k[0] in keep},
        materialized_views={k: v for k, v in live.materialized_views.items() if k[0] in keep},
        managed=keep,
        # [constraints-types]
        domains={k: d for k, d in live.domains.items() if k[0] in keep},
        composite_types={k: c for k, c in live.composite_types.items() if k[0] in keep},
        range_types={k: r for k, r in live.range_types.items() if k[0] in keep},
        collations={k: c for k, c in live.collations.items() if k[0] in keep},
        ts_dictionaries={k: d for k, d in live.ts_dictionaries.items() if k[0] in keep},
        ts_configurations={k: c for k, c in live.ts_configurations.items() if k[0] in keep},
        operators={k: o for k, o in live.operators.items() if k[0] in keep},
        casts={k: c for k, c in live.casts.items() if c.schema is None or c.schema in keep},
        # [foreign] wrappers and servers belong to the database, as publications do
        foreign_data_wrappers=live.foreign_data_wrappers,
        foreign_servers=live.foreign_servers,
        user_mappings=live.user_mappings,
        statistics={k: s for k, s in live.statistics.items() if k[0] in keep},
        rules={k: r for k, r in live.rules.items() if k[0] in keep},
        external_tables=external,
        # Looked up only for managed columns and tables, so entries of other schemas are inert.
        dependents=live.dependents,
        unmanaged=tuple(u for u in live.unmanaged if u.schema in keep),
        # [routines] triggers stay for every table: those on tables elsewhere are managed when declared.
        functions={k: f for k, f in live.functions.items() if f.schema in keep},
        triggers=dict(live.triggers),
        aggregates={k: a for k, a in live.aggregates.items() if a.schema in keep},
        event_triggers=dict(live.event_triggers),
        function_callers=live.function_callers,
        # [privileges] Grants and owners are looked up by the keys of declared objects only, so
        # those of other schemas are inert; publications and roles belong to the database.
        grants=live.grants,
        owners=live.owners,
        # Database-wide default privileges (schema "") belong to no schema; those of a schema
        # outside ``keep`` are compared only where the declarations set some (public's, say).
        default_privileges=dict(live.default_privileges),
        publications=live.publications,
        subscriptions=live.subscriptions,  # [subscriptions] database-wide too
        roles=live.roles,
        current_role=live.current_role,
        login_roles=live.login_roles,
        superusers=live.superusers,
    )
