"""Compare views and materialized views, and re-create the chains of views a change breaks.

Views are matched by name (after declared renames). A view whose query changed is replaced in
place (CREATE OR REPLACE VIEW) when PostgreSQL allows it — the same output columns, new ones
only appended — and dropped and re-created otherwise; a materialized view whose query changed
is always re-created (populated). Options and comments change in place. Undeclared views in a
managed schema are dropped: they hold no data, so no ``--allow-destroy`` is needed, and the
plan names each.

PostgreSQL refuses to retype or drop a column a view reads, to drop a view another view reads,
and to drop a function a view calls. So, for each such change (a function the plan drops and
creates again included), every live view that reads the broken object — and every view
that reads those, transitively — is dropped before it and re-created after (when declared):
``-/+ view public.v  re-created: reads column title``. Which view reads what comes from
pg_depend (``View.reads``); the order follows from the keys each step needs, creates and
removes. A view outside the managed schemas that reads a broken column refuses the plan.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from pgreconcile.diff.changes import AlterColumn, Change, DropColumn, DropTable
from pgreconcile.diff.construct import same_index
from pgreconcile.diff.routine_changes import DropFunction  # [routines]
from pgreconcile.diff.view_changes import (
    AlterView,
    AnyView,
    CreateView,
    CreateViewIndex,
    DropView,
    DropViewIndex,
    RenameView,
    relation_key,
    relation_kind,
)
from pgreconcile.model import Index, MaterializedView, Schema
from pgreconcile.model.keys import (
    column_key,
    function_name_key,
    index_key,
    matview_key,
    schema_key,
    table_key,
    view_key,
)
from pgreconcile.normalize.lexical import called_functions, collapse_whitespace

Key = tuple[str, str]


def same_query(a: str, b: str) -> bool:
    """Whether two view queries are the same text, apart from blanks outside quotes."""
    if a == b:
        return True
    left, right = collapse_whitespace(a), collapse_whitespace(b)
    return left is not None and left == right


def compare_views(desired: Schema, live: Schema, changes: list[Change]) -> tuple[list[Change], list[str]]:
    """``changes`` plus every view change, and refusals for views this tool cannot re-create."""
    if not (desired.views or desired.materialized_views or live.views or live.materialized_views):
        # No view to manage, but one outside the managed schemas may still read a broken column.
        broken = [key for key, _ in _broken(changes) if key.startswith("column:")]
        return changes, [r for key in dict.fromkeys(broken) for r in _outside(live, key, desired.managed)]
    pools: dict[str, dict[Key, AnyView]] = {
        "view": dict(live.views),
        "materialized view": dict(live.materialized_views),
    }
    wanted: dict[str, dict[Key, AnyView]] = {
        "view": dict(desired.views),
        "materialized view": dict(desired.materialized_views),
    }
    out = list(changes)
    moving = frozenset().union(*(c.creates | c.removes for c in changes))
    for kind in pools:
        out += _renames(wanted[kind], pools[kind])
        for key, view in sorted(wanted[kind].items()):
            old = pools[kind].get(key)
            if old is None:
                out += _create(view, desired, None, moving=moving)
            elif view != old:
                out += _compare(view, old, desired, moving)
        for key, old in sorted(pools[kind].items()):
            if key[0] in desired.managed and key not in wanted[kind]:
                out.append(_drop(old, reason=None, replaces=False))
    return _recreate_chains(out, desired, live, pools, wanted)


def recreate_function_readers(desired: Schema, live: Schema, changes: list[Change]) -> list[Change]:
    """``changes`` plus the re-creation of every live view and materialized view that calls a
    function the plan drops and creates again (its result type or argument names change):
    PostgreSQL refuses to drop a function a view calls, and the view is built again on the new
    one (``-/+ view public.v  re-created: calls function public.f(numeric), which is
    re-created``), with the views that read it in turn. Called after the routine comparison,
    which decides what is re-created."""
    seeds = [
        (c.key, f"calls {c.function.kind} {c.function.signature}, which is re-created")
        for c in changes if isinstance(c, DropFunction) and c.replaces
    ]
    if not seeds or not (live.views or live.materialized_views):
        return changes
    pools: dict[str, dict[Key, AnyView]] = {
        "view": dict(live.views),
        "materialized view": dict(live.materialized_views),
    }
    wanted: dict[str, dict[Key, AnyView]] = {
        "view": dict(desired.views),
        "materialized view": dict(desired.materialized_views),
    }
    out, _ = _recreate_chains(changes, desired, live, pools, wanted, seeds)
    return out


def _renames(wanted: dict[Key, AnyView], pool: dict[Key, AnyView]) -> list[Change]:
    """ALTER … RENAME for each declared ``renamed_from`` whose old name is live and new one is not;
    ``pool`` is rewritten to hold the live view under its new name."""
    out: list[Change] = []
    for key, view in sorted(wanted.items()):
        old = view.renamed_from
        if old is None or old not in pool or key in pool:
            continue
        current = pool.pop(old)
        pool[key] = dataclasses.replace(current, schema=key[0], name=key[1])
        out.append(
            RenameView(
                view,
                old[0],
                old[1],
                needs=frozenset({schema_key(key[0])}),
                creates=frozenset({relation_key(view)}),
                removes=frozenset({relation_key(current)}),
            )
        )
    return out


def _parsed_reads(view: AnyView, desired: Schema) -> frozenset[str]:
    """What a query reads, from its text, when the server could not say (it reads objects the
    plan creates): every relation it names, as any relation kind, with all declared columns, and
    every function it calls by name (one the plan creates must exist before the view)."""
    import sqlglot
    from sqlglot import exp

    keys: set[str] = {function_name_key(name) for name in called_functions(view.query)}
    try:
        tree = sqlglot.parse_one(view.query, read="postgres")
    except Exception:
        return frozenset(keys)
    for table in tree.find_all(exp.Table):
        schema, name = table.db or view.schema, table.name
        keys |= {table_key(schema, name), view_key(schema, name), matview_key(schema, name)}
        declared = desired.tables.get((schema, name))
        if declared is not None:
            keys |= {column_key(schema, name, c.name) for c in declared.columns}
    return frozenset(keys)


def _needs(view: AnyView, desired: Schema, old: AnyView | None) -> frozenset[str]:
    reads = view.reads
    if not reads and old is not None and same_query(view.query, old.query):
        reads = old.reads  # the same text reads the same objects
    if not reads:
        reads = _parsed_reads(view, desired)
    return frozenset({schema_key(view.schema)}) | reads


def _create(
    view: AnyView,
    desired: Schema,
    old: AnyView | None,
    *,
    reason: str | None = None,
    moving: frozenset[str] = frozenset(),
) -> list[Change]:
    if reason is None and old is not None:
        reason = (
            "re-created and refreshed: the query changed"
            if isinstance(view, MaterializedView)
            else "re-created: the query changes its columns"
        )
    needs = _needs(view, desired, old)
    out: list[Change] = [
        CreateView(view, needs=needs - _name_keys(view), creates=_name_keys(view), replaces=old is not None,
                   reason=reason, as_written=bool(needs & moving))
    ]
    if isinstance(view, MaterializedView):
        out += [_create_index(view, index, new=True) for index in view.indexes]
    return out


def _create_index(view: MaterializedView, index: Index, *, new: bool, replaces: bool = False) -> Change:
    return CreateViewIndex(
        view.schema, view.name, index,
        new_table=new,
        replaces=replaces,
        needs=frozenset({matview_key(view.schema, view.name)}),
        creates=frozenset({index_key(view.schema, index.name)}),
    )


def _drop_index(view: MaterializedView, index: Index, *, replaces: bool = False) -> Change:
    return DropViewIndex(
        view.schema, view.name, index,
        replaces=replaces,
        removes=frozenset({index_key(view.schema, index.name)}),
        live_needs=frozenset({matview_key(view.schema, view.name)}),
    )


def _name_keys(view: AnyView) -> frozenset[str]:
    """Every key a relation of this name may have: tables, views and materialized views share
    one name space, so the one that goes must go before another kind takes the name."""
    s, n = view.schema, view.name
    return frozenset({table_key(s, n), view_key(s, n), matview_key(s, n)})


def _drop(old: AnyView, *, reason: str | None, replaces: bool) -> Change:
    key = relation_key(old)
    return DropView(
        old,
        replaces=replaces,
        reason=reason,
        removes=_name_keys(old),
        live_needs=frozenset({key, schema_key(old.schema)} | old.reads),
    )


def _replaceable(view: AnyView, old: AnyView) -> bool:
    """CREATE OR REPLACE VIEW keeps the old columns (names and types, in order) and may append."""
    return bool(view.columns) and bool(old.columns) and view.columns[: len(old.columns)] == old.columns


def _compare(view: AnyView, old: AnyView, desired: Schema, moving: frozenset[str]) -> list[Change]:
    key = relation_key(view)
    query_same = same_query(view.query, old.query)
    if isinstance(view, MaterializedView) and isinstance(old, MaterializedView):
        if not query_same:
            return [_drop(old, reason=None, replaces=True), *_create(view, desired, old, moving=moving)]
        out: list[Change] = []
        if (view.storage, view.comment, view.column_comments, view.column_settings) != (
            old.storage, old.comment, old.column_comments, old.column_settings
        ):
            out.append(AlterView(dataclasses.replace(view, query=old.query), old, needs=frozenset({key})))
        out += _compare_indexes(view, old)
        return out
    if query_same:
        kept = dataclasses.replace(view, query=old.query)
        return [AlterView(kept, old, needs=frozenset({key}))] if kept != old else []
    if _replaceable(view, old):
        needs = _needs(view, desired, old)
        return [AlterView(view, old, needs=frozenset({key}) | needs, as_written=bool(needs & moving))]
    return [_drop(old, reason=None, replaces=True), *_create(view, desired, old, moving=moving)]



def _compare_indexes(view: MaterializedView, old: MaterializedView) -> list[Change]:
    out: list[Change] = []
    existing = {i.name: i for i in old.indexes}
    wanted = {i.name: i for i in view.indexes}
    for name, index in wanted.items():
        was = existing.get(name)
        if was is None:
            out.append(_create_index(view, index, new=False))
        elif not same_index(index, was):
            out += [_drop_index(old, was, replaces=True), _create_index(view, index, new=False, replaces=True)]
    out += [_drop_index(old, was) for name, was in existing.items() if name not in wanted]
    return out


# --- chains of readers -----------------------------------------------------------------------


def _broken(changes: Iterable[Change]) -> list[tuple[str, str]]:
    """``(key, why)`` for each object a change takes away from the views that read it."""
    out: list[tuple[str, str]] = []
    for c in changes:
        if isinstance(c, AlterColumn) and c.type_changed:
            out.append((column_key(c.schema, c.table_name, c.old.name), f"reads column {c.old.name}"))
            # [inheritance] the children's copies of the column change with it
            out += [(column_key(s, t, c.old.name), f"reads column {c.old.name}") for s, t in c.followers]
        elif isinstance(c, DropColumn) and not (c.reason or "").startswith("dropped first"):
            why = f"reads column {c.column.name}, which is dropped"
            out.append((column_key(c.schema, c.table_name, c.column.name), why))
            out += [(column_key(s, t, c.column.name), why) for s, t in c.followers]  # [inheritance]
        elif isinstance(c, DropTable):
            t = c.table_def
            why = f"reads table {t.qualified}, which is dropped"
            out.append((table_key(t.schema, t.name), why))
            out += [(column_key(t.schema, t.name, col.name), why) for col in t.columns]
        elif isinstance(c, DropView):
            out.append((c.key, f"reads {relation_kind(c.view)} {c.view.qualified}"))
    return out


def _recreate_chains(
    changes: list[Change],
    desired: Schema,
    live: Schema,
    pools: dict[str, dict[Key, AnyView]],
    wanted: dict[str, dict[Key, AnyView]],
    seeds: list[tuple[str, str]] | None = None,
) -> tuple[list[Change], list[str]]:
    """Drop (and re-create, when declared) every view that reads what ``seeds`` names — by
    default what the changes break — and, in turn, the views that read those."""
    readers: dict[str, list[AnyView]] = defaultdict(list)
    for pool in pools.values():
        for view in pool.values():
            for key in view.reads:
                readers[key].append(view)
    refusals: list[str] = []
    out = list(changes)
    handled = {c.key for c in out if isinstance(c, DropView)}
    queue = list(seeds) if seeds is not None else _broken(out)
    while queue:
        key, why = queue.pop(0)
        if key.startswith("column:"):
            refusals += _outside(live, key, desired.managed)
        for view in sorted(readers.get(key, ()), key=relation_key):
            vkey = relation_key(view)
            if vkey in handled:
                continue
            handled.add(vkey)
            twin = wanted[relation_kind(view)].get((view.schema, view.name))
            refreshed = " and refreshed" if isinstance(view, MaterializedView) else ""
            reason = f"re-created{refreshed}: {why}" if twin is not None else f"dropped: {why}"
            out = [c for c in out if not _about(c, vkey)]
            out.append(_drop(view, reason=reason, replaces=twin is not None))
            if twin is not None:
                # Re-created because what it reads changes: the written text means what it says
                # in the new catalog; the canonical one was printed against the old.
                out += [
                    dataclasses.replace(c, as_written=True) if isinstance(c, CreateView) else c
                    for c in _create(twin, desired, view, reason=reason)
                ]
            queue.append((vkey, f"reads {relation_kind(view)} {view.qualified}"))
    return out, refusals


def _about(change: Change, vkey: str) -> bool:
    """Whether a change concerns the view ``vkey`` in place (superseded by its re-creation)."""
    if isinstance(change, AlterView):
        return change.key == vkey
    if isinstance(change, CreateViewIndex | DropViewIndex):
        return matview_key(change.schema, change.table_name) == vkey
    return False


def _outside(live: Schema, key: str, managed: frozenset[str]) -> list[str]:
    """Refusals for views outside the managed schemas that read a column this plan breaks."""
    out = []
    for dep in live.dependents.get(key, ()):
        kind, _, name = dep.key.partition(":")
        if kind in ("view", "materialized view") and name.split(".", 1)[0] not in managed:
            out.append(
                f"{dep.label} reads {key.removeprefix('column:')}, which this plan changes; it is outside the "
                "managed schemas, so pgreconcile cannot re-create it. Manage its schema, or drop it before applying"
            )
    return out


__all__ = ["compare_views", "same_query"]
