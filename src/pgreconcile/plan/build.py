"""Desired × live → Plan: check references, diff, order, render each change to SQL, and attach
what probing the live data found (when a prober is given)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Protocol

from pgreconcile.ddl import statements
from pgreconcile.diff.changes import (
    AddColumn,
    AddConstraint,
    AlterColumn,
    Change,
    CreateIndex,
    CreateTable,
    DropTable,
    Hazard,
)
from pgreconcile.diff.compare import compare
from pgreconcile.diff.foundation_changes import AddEnumValue
from pgreconcile.diff.rls_changes import AlterPolicy, CreatePolicy
from pgreconcile.errors import DeclarationError, DeclarationErrors
from pgreconcile.model import CheckConstraint, Column, Index, Origin, Schema
from pgreconcile.model.foreign import SECRET_MASK
from pgreconcile.normalize.expressions import column_refs, parse_error, reads_subquery
from pgreconcile.normalize.index_elements import element_column, split_index_element
from pgreconcile.order.graph import order_changes
from pgreconcile.plan import (
    describe_casts,  # noqa: F401  [casts] (registers its labels)
    describe_foreign,  # noqa: F401  [foreign]
    describe_operators,  # noqa: F401  [operators] (registers its labels)
    describe_partitions,  # noqa: F401  [partitions]
    describe_privileges,  # noqa: F401  [privileges] (registration on import)
    describe_routines,  # noqa: F401  [routines] (labels registered on import)
    describe_sequences,  # noqa: F401  (registers its labels)
    describe_subscriptions,  # noqa: F401  [subscriptions] (registers its labels)
    describe_table_extras,  # noqa: F401  (registers its labels)
    describe_text_search,  # noqa: F401  [text-search] (registers its labels)
    describe_types,  # noqa: F401  [constraints-types] (labels registered on import)
    describe_views,  # noqa: F401  [views] (labels registered on import)
)
from pgreconcile.plan.describe import describe
from pgreconcile.plan.facts import Fact, refusal
from pgreconcile.plan.fingerprint import declarations_digest, fingerprints, touched
from pgreconcile.plan.lines import single_line
from pgreconcile.plan.model import Database, Declarations, Phase, Plan, Scope, Step
from pgreconcile.plan.proven import unproven
from pgreconcile.quoting import literal


def _masked(
    stmts: list[str], secrets: tuple[str, ...], partly: tuple[tuple[str, str], ...] = ()
) -> tuple[list[str], tuple[str, ...]]:
    """``stmts`` with every secret literal masked — whole (``secrets``: a user mapping's
    password) or as each pair of ``partly`` shows it (a subscription's connection string, its
    password masked) — and the real ones (or () when none was)."""
    if not secrets and not partly:
        return stmts, ()
    shown = list(stmts)
    for secret in secrets:
        shown = [sql.replace(literal(secret), literal(SECRET_MASK)) for sql in shown]
    for secret, seen in partly:
        shown = [sql.replace(literal(secret), literal(seen)) for sql in shown]
    return shown, tuple(stmts)

_NOT_ON_FOREIGN = frozenset({Hazard.DROPS_DATA, Hazard.REWRITES_TABLE, Hazard.SCANS_TABLE, Hazard.MAY_FAIL_ON_DATA})

def check_external_references(desired: Schema, live: Schema) -> None:
    """Foreign keys into unmanaged schemas (``auth.users``) must point at a live table and
    columns: nothing in this plan can create them, so a typo would only fail mid-apply."""
    errors: list[DeclarationError] = []
    for table in desired.tables.values():
        for fk in table.foreign_keys:
            if fk.ref_schema in desired.managed:
                continue
            columns = live.external_tables.get((fk.ref_schema, fk.ref_table))
            where = str(fk.origin or table.origin or table.qualified)
            if columns is None:
                errors.append(
                    DeclarationError(
                        f"foreign key {fk.name} of {table.qualified} references {fk.ref_schema}.{fk.ref_table}, "
                        "which is neither declared nor present in the database",
                        where=where,
                        hint=f"declare the table, or check the name; schema {fk.ref_schema!r} is not managed",
                    )
                )
                continue
            missing = [c for c in fk.ref_columns if c not in columns]
            if missing:
                errors.append(
                    DeclarationError(
                        f"foreign key {fk.name} of {table.qualified} references column(s) "
                        f"{', '.join(missing)} that {fk.ref_schema}.{fk.ref_table} does not have",
                        where=where,
                        hint=f"its columns are: {', '.join(columns)}",
                    )
                )
    if errors:
        raise DeclarationErrors(errors)


def _expressions(change: Change) -> list[tuple[str, str, Origin | None]]:
    """(what, SQL, origin) of every expression a change sends to the server."""
    found: list[tuple[str, str, Origin | None]] = []

    def column(col: Column) -> None:
        if col.default is not None:
            # Literal `default:` values are rendered by the tool and always parse; a text that
            # does not came from `default_sql`, so that is the key to name.
            found.append((f"column {col.name}: default_sql", col.default, col.origin))

    def index(idx: Index) -> None:
        # Only the key expression is SQL to parse; opclass, DESC and NULLS are split off first.
        # A plain column name is a name, not an expression: `comment` or `user` alone would parse
        # as the start of a statement, yet the renderer quotes it as an identifier.
        found.extend(
            (f"index {idx.name} element", split_index_element(e)[0], idx.origin)
            for e in idx.elements
            if element_column(e) is None
        )
        if idx.where:
            found.append((f"index {idx.name} where", idx.where, idx.origin))

    if isinstance(change, CreateTable):
        for col in change.table_def.columns:
            column(col)
        found.extend((f"check {c.name}", c.expression, c.origin) for c in change.table_def.checks)
    elif isinstance(change, AddColumn):
        column(change.column)
    elif isinstance(change, AlterColumn) and (change.default_changed or change.type_changed):
        column(change.new)
    elif isinstance(change, AddConstraint) and isinstance(change.constraint, CheckConstraint):
        found.append((f"check {change.constraint.name}", change.constraint.expression, change.constraint.origin))
    elif isinstance(change, CreateIndex):
        index(change.index)
    elif isinstance(change, CreatePolicy | AlterPolicy):
        pol = change.policy if isinstance(change, CreatePolicy) else change.new
        for what, sql in (("using", pol.using), ("with_check", pol.with_check)):
            if sql is not None:
                found.append((f"policy {pol.name}: {what}", sql, pol.origin))
    return found


def _columns_of(change: Change, desired: Schema) -> set[str] | None:
    """The declared columns of the table a change belongs to, when known."""
    if isinstance(change, CreateTable):
        table_def = change.table_def
        return {c.name for c in (*table_def.columns, *table_def.inherited_columns)}  # [inheritance]
    schema, name = getattr(change, "schema", None), getattr(change, "table_name", None)
    table = desired.tables.get((schema, name)) if isinstance(schema, str) and isinstance(name, str) else None
    return None if table is None else {c.name for c in (*table.columns, *table.inherited_columns)}


def _refused_in(what: str, sql: str, change: Change, desired: Schema) -> str | None:
    """What PostgreSQL would refuse in a DEFAULT or CHECK that parses (caught before apply)."""
    kind = "CHECK" if what.startswith("check") else "DEFAULT" if "default" in what else None
    if kind is None:
        return None
    if reads_subquery(sql):
        return f"{what}: PostgreSQL does not allow a subquery in a {kind}: {sql!r}"
    columns = _columns_of(change, desired) if kind == "CHECK" else None
    missing = sorted(column_refs(sql) - columns) if columns is not None else []
    if missing:
        return f"{what} reads {', '.join(missing)}, which the table does not have: {sql!r}"
    return None


def check_expressions(changes: list[Change], desired: Schema | None = None) -> None:
    """Parse every SQL expression the plan will send, before anything is sent; with ``desired``,
    also refuse what PostgreSQL would reject mid-apply although it parses (a subquery in a
    DEFAULT or CHECK, a CHECK reading a column the table does not have).

    Declarations loaded for planning skip this parse (it is most of their load time); an
    expression that did not change is identical to what PostgreSQL printed, so only the ones in
    changes can be wrong."""
    errors = []
    for change in changes:
        for what, sql, origin in _expressions(change):
            where = str(origin) if origin else None
            problem = parse_error(sql)
            if problem is not None:
                errors.append(
                    DeclarationError(
                        f"table {change.table}: {what} is not a valid SQL expression: {sql!r} ({problem})",
                        where=where,
                        hint="write an SQL expression as it would appear inside CREATE TABLE",
                    )
                )
            elif desired is not None and (refused := _refused_in(what, sql, change, desired)) is not None:
                errors.append(DeclarationError(f"table {change.table}: {refused}", where=where))
    if errors:
        raise DeclarationErrors(errors)


def _early_enums(rendered: list[tuple[Change, list[str]]]) -> set[str]:
    """Enums whose new labels must be committed before the main transaction.

    PostgreSQL refuses to use a label in the transaction that added it ("unsafe use of new enum
    value"). When another step mentions a new label, all the new labels of that enum go first,
    together and in their order — committing one alone could fix a wrong label order for good."""
    early: set[str] = set()
    for change, _ in rendered:
        if isinstance(change, AddEnumValue):
            needle = literal(change.value)
            others = (sql for other, stmts in rendered if not isinstance(other, AddEnumValue) for sql in stmts)
            if any(needle in sql for sql in others):
                early.add(change.enum.qualified)
    return early


def _phase(change: Change, early_enums: set[str]) -> Phase:
    if Hazard.NOT_TRANSACTIONAL in change.hazards:
        return Phase.AFTER
    if isinstance(change, AddEnumValue) and change.enum.qualified in early_enums:
        return Phase.BEFORE
    return Phase.MAIN


class Prober(Protocol):
    """Measures the live data a plan's changes concern (``pgreconcile.probe.DataProber``)."""

    def __call__(self, changes: Sequence[Change], desired: Schema, live: Schema) -> list[tuple[Fact, ...]]:
        """The facts about each of ``changes``, in the same order."""
        ...


CONCURRENT_REASON = "built CONCURRENTLY, after the transaction commits"


def build_concurrently(changes: list[Change], partitioned: frozenset[str] = frozenset()) -> list[Change]:
    """``--concurrently``: indexes on existing tables are built with CREATE INDEX CONCURRENTLY,
    which does not block writes but cannot run in a transaction, so they run after it.

    An index on a table this plan creates stays in the transaction (the table is empty, and it
    does not exist before the commit), and so does an index another step needs (a foreign key
    may need a unique index to exist when it is added), and so does an index on a partitioned
    table (one of ``partitioned``: PostgreSQL cannot build those concurrently)."""
    needed = frozenset().union(*(c.needs for c in changes))
    return [
        dataclasses.replace(c, concurrently=True, reason=c.reason or CONCURRENT_REASON)
        if isinstance(c, CreateIndex) and not c.new_table and c.key not in needed
        # [partitions] PostgreSQL cannot build an index on a partitioned table concurrently.
        and c.table not in partitioned
        else c
        for c in changes
    ]


def make_plan(
    desired: Schema,
    live: Schema,
    *,
    source: str,
    target: str,
    scope: Scope | None = None,
    schema_dir: str | None = None,
    concurrently: bool = False,
    digest: bool = True,
    probe: Prober | None = None,
    database: Database | None = None,
    check: bool = True,
) -> Plan:
    """Compare ``desired`` with ``live`` and return the ordered, rendered plan.

    ``scope`` says how ``live`` was narrowed (default: the declared schemas, nothing ignored);
    apply recomputes the fingerprints of the touched objects through it. ``schema_dir`` is
    recorded so that apply of a saved plan can verify against the same declarations. ``digest``
    False leaves out the digest of the declarations — a plan that is only shown never needs it,
    and on a large schema it costs as much as the comparison itself.

    With ``probe``, each step carries the facts measured about its data, and a fact that
    predicts a failure (orphans under a new foreign key, NULLs under NOT NULL, …) refuses the
    plan: applying it would only hold locks and rewrite tables to roll everything back.
    ``database`` records which database ``live`` was read from (a saved plan applies only there).
    ``check`` False skips parsing the expressions sent, for a ``desired`` read from a catalog
    (``inspect --format sql``): PostgreSQL printed them, so they parse."""
    check_external_references(desired, live)
    diff = compare(desired, live)
    if check:
        check_expressions(diff.changes, desired)
    scope = scope or Scope(managed=tuple(sorted(desired.managed)))
    partitioned = frozenset(t.qualified for t in desired.tables.values() if t.partition_by is not None)
    changes = build_concurrently(diff.changes, partitioned) if concurrently else diff.changes
    plan = Plan(
        source=source,
        target=target,
        refusals=list(diff.refusals),
        # Names the diff leaves as they are are listed with the objects left untouched.
        unmanaged=[str(u) for u in live.unmanaged] + diff.notes,
        fingerprints=fingerprints(touched(changes, desired, live), live),
        scope=scope,
        declarations=Declarations(schema_dir=schema_dir, digest=declarations_digest(desired, scope))
        if digest
        else None,
        database=database,
        concurrently=concurrently,
    )
    ordered = order_changes(changes)
    # [foreign] A foreign table keeps no rows here: nothing of it is rewritten, scanned or lost —
    # but dropping a whole one still waits for --allow-destroy (it was unmanaged until now).
    foreign_tables = {t.qualified for t in (*live.tables.values(), *desired.tables.values()) if t.server is not None}
    rendered = [(change, statements(change)) for change in ordered]
    early = _early_enums(rendered)
    phases = [_phase(change, early) for change in ordered]
    # Steps run phase by phase; number them in the order they will actually run.
    runs = sorted(range(len(ordered)), key=lambda i: list(Phase).index(phases[i]))
    facts = probe(ordered, desired, live) if probe is not None and ordered else [() for _ in ordered]
    for number, i in enumerate(runs, start=1):
        change, stmts = rendered[i]
        label, details = describe(change)
        # One line each, whatever the names and expressions they quote (plan/lines.py).
        label, details = single_line(label), tuple(single_line(d) for d in details)
        stmts, hidden = _masked(stmts, getattr(change, "secrets", ()), getattr(change, "masked", ()))
        hazards = change.hazards
        if change.table in foreign_tables and not (isinstance(change, DropTable) and not change.replaces):
            hazards = tuple(h for h in hazards if h not in _NOT_ON_FOREIGN)
        plan.steps.append(
            Step(
                number=number,
                action=change.action,
                kind=change.kind,
                key=change.key,
                label=label,
                statements=tuple(stmts),
                table=change.table,
                details=details,
                reason=change.reason
                or ("committed first: later steps use this enum's new labels" if phases[i] is Phase.BEFORE else None),
                replaces=change.replaces,
                hazards=hazards,
                facts=facts[i],
                phase=phases[i],
                secret_statements=hidden,
            )
        )
    plan.refusals += [
        refusal(step.table, step.label, fact) for step in plan.steps for fact in step.facts if fact.blocks
    ]
    if probe is not None:
        # Probe-proven type changes stand only on measured facts (plan/proven.py). A plan made
        # without probing — apply re-deriving a saved plan, verification — checks steps, not data.
        for number, i in enumerate(runs):
            step = plan.steps[number]
            refused = unproven(ordered[i], step.label, step.table, facts[i])
            if refused is not None:
                plan.refusals.append(refused)
    return plan
