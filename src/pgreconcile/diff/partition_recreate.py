"""A table declared partitioned that is an ordinary table today, or the reverse: PostgreSQL
cannot change either in place, so the table is dropped and created again as declared.

The drop is an ordinary table drop: the probes count the rows it loses (its partitions' with
it), the plan shows them, and a plan that drops a table only applies with ``--allow-destroy``.
What goes with the table — its partitions, triggers, rules, extended statistics and the
sequences its columns own — is taken out of the live side, so that the comparison creates it
again after the table; foreign keys of other tables that reference it are dropped first and
added again afterwards.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.diff.changes import Change
from pgreconcile.diff.construct import add_constraint, drop_constraint
from pgreconcile.model import Schema

Key = tuple[str, str]

REASON = "re-created: partitioned ↔ ordinary (PostgreSQL cannot change it in place)"


def recreated_tables(desired: Schema, live: Schema) -> set[Key]:
    """Tables that are partitioned on one side and ordinary on the other."""
    return {
        key for key, table in desired.tables.items()
        if (current := live.tables.get(key)) is not None
        and (table.partition_by is None) != (current.partition_by is None)
        and table.server is None and current.server is None
    }


def without(live: Schema, keys: set[Key]) -> Schema:
    """``live`` as it is once the tables in ``keys`` are dropped (with what goes with them)."""
    owned = {(s.schema, s.owned_by[0]) for s in live.sequences.values() if s.owned_by is not None}
    return dataclasses.replace(
        live,
        tables={k: t for k, t in live.tables.items() if k not in keys},
        triggers={k: t for k, t in live.triggers.items() if (t.schema, t.table) not in keys},
        rules={k: r for k, r in live.rules.items() if (r.schema, r.table) not in keys},
        statistics={k: s for k, s in live.statistics.items() if (s.schema, s.table) not in keys},
        sequences={
            k: s for k, s in live.sequences.items()
            if not (s.owned_by is not None and (s.schema, s.owned_by[0]) in keys and (s.schema, s.owned_by[0]) in owned)
        },
    )


def referencing_keys(desired: Schema, live: Schema, keys: set[Key]) -> list[Change]:
    """Foreign keys of the other live tables that reference a re-created table: dropped before
    it goes, added again (where still declared) once it is back."""
    out: list[Change] = []
    for (schema, name), table in sorted(live.tables.items()):
        if (schema, name) in keys:
            continue
        wanted = desired.tables.get((schema, name))
        for fk in table.foreign_keys:
            if (fk.ref_schema, fk.ref_table) not in keys:
                continue
            out.append(dataclasses.replace(drop_constraint(table, fk, live, replaces=True), reason=REASON))
            again = next((f for f in wanted.foreign_keys if f.name == fk.name), None) if wanted else None
            if again is not None and wanted is not None:
                out.append(dataclasses.replace(add_constraint(wanted, again, desired, replaces=True), reason=REASON))
    return out
