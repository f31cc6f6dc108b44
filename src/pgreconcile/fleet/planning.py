"""Plan every target of a fleet, with bounded concurrency, and group identical plans.

The declarations are loaded once (by the caller); each target gets one connection, held only
while its catalog is read and its plan made. A target that cannot be reached, or whose plan
fails, is a failed target carrying its error — never a crash of the whole run.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import psycopg

from pgreconcile.apply.identity import read_database
from pgreconcile.catalog.canonical import compared_sides
from pgreconcile.catalog.connect import connect, scrub
from pgreconcile.catalog.reader import read_schema
from pgreconcile.errors import ReconcileError
from pgreconcile.fleet.retarget import retarget
from pgreconcile.fleet.targets import Fleet, Target
from pgreconcile.ignore import Pattern, without_ignored
from pgreconcile.model import Schema
from pgreconcile.plan import Plan, make_plan
from pgreconcile.plan.build import Prober
from pgreconcile.plan.fingerprint import declarations_digest
from pgreconcile.plan.model import Declarations, Scope
from pgreconcile.plan.server_support import check_server_supports, for_server

ProberFactory = Callable[[psycopg.Connection[Any]], Prober | None]


@dataclass(frozen=True)
class Declared:
    """What every target is planned from: the scoped declarations, once."""

    desired: Schema
    scope: Scope
    patterns: tuple[Pattern, ...]
    source: str
    schema_dir: str | None = None
    template: str | None = None

    def for_target(self, target: Target) -> tuple[Schema, Scope]:
        """The declarations and scope of one target (a tenant schema gets its own copy)."""
        if target.schema is None or self.template is None:
            return self.desired, self.scope
        return (
            retarget(self.desired, self.template, target.schema),
            Scope(managed=(target.schema,), ignore=self.scope.ignore),
        )


@dataclass(frozen=True)
class TargetPlan:
    """One target's plan, or the error that stopped it."""

    target: Target
    plan: Plan | None
    desired: Schema | None
    scope: Scope | None
    error: str | None = None
    seconds: float = 0.0


def read_live(conn: psycopg.Connection[Any], scope: Scope, patterns: tuple[Pattern, ...]) -> Schema:
    """The target's catalog as its plan sees it (its managed schemas, minus ignored objects)."""
    return without_ignored(read_schema(conn, scope.managed), patterns)


def failure_text(err: BaseException, url: str) -> str:
    """What a failed target reports: pgreconcile's own message, or the server's, never a URL's
    password."""
    if isinstance(err, ReconcileError):
        return scrub(err.render(), url)
    return scrub(" ".join(str(err).split()) or type(err).__name__, url)


def plan_target(
    target: Target,
    declared: Declared,
    *,
    concurrently: bool = False,
    digest: bool = False,
    prober: ProberFactory | None = None,
) -> TargetPlan:
    """Plan one target on a connection of its own (closed before returning)."""
    started = time.perf_counter()
    desired, scope = declared.for_target(target)
    try:
        with connect(target.url) as conn:
            live = read_live(conn, scope, declared.patterns)
            as_written, desired = desired, for_server(desired, conn.info.server_version)
            check_server_supports(desired, conn.info.server_version)  # before planning anything
            database = read_database(conn)
            # [views] declared view queries in the server's own spelling (catalog/canonical.py).
            compared, live, _ = compared_sides(conn, desired, live)  # [sequences] counters too
            plan = make_plan(
                compared,
                live,
                source=declared.source,
                target=target.name,
                scope=scope,
                schema_dir=declared.schema_dir,
                concurrently=concurrently,
                digest=digest,
                probe=prober(conn) if prober else None,
                database=database,  # a saved fleet plan applies to each target's own database only
            )
            if digest and compared is not as_written:
                # The digest is of the declarations as written (apply of a saved plan recomputes it).
                written = declarations_digest(as_written, scope)
                plan.declarations = Declarations(schema_dir=declared.schema_dir, digest=written)
            conn.rollback()
    except (ReconcileError, psycopg.Error, OSError) as err:
        return TargetPlan(target, None, desired, scope, failure_text(err, target.url), time.perf_counter() - started)
    return TargetPlan(target, plan, desired, scope, None, time.perf_counter() - started)


def plan_fleet(
    fleet: Fleet,
    declared: Declared,
    *,
    parallel: int,
    concurrently: bool = False,
    digest: bool = False,
    prober: ProberFactory | None = None,
) -> list[TargetPlan]:
    """Plan every target, at most ``parallel`` at a time; results in target order."""
    with ThreadPoolExecutor(max_workers=max(1, parallel), thread_name_prefix="fleet-plan") as pool:
        return list(
            pool.map(
                lambda t: plan_target(t, declared, concurrently=concurrently, digest=digest, prober=prober),
                fleet.targets,
            )
        )


@dataclass
class PlanGroup:
    """Targets whose plans are the same steps (statements and labels; probed facts aside)."""

    letter: str
    plan: Plan
    targets: list[Target] = field(default_factory=list)

    @property
    def touches(self) -> list[str]:
        """The tables (or other objects) the plan changes, for the one-line summary."""
        seen: dict[str, None] = {}
        for step in self.plan.steps:
            seen.setdefault(step.table or step.key.split(":", 1)[-1], None)
        return list(seen)


def signature(plan: Plan, target: Target, template: str | None) -> tuple[Any, ...]:
    """What makes two targets' plans the same plan. A tenant schema's name is replaced by the
    template's, so identical tenants group together."""

    def same(text: str) -> str:
        if target.schema and template:
            return re.sub(rf"(?<![\w]){re.escape(target.schema)}(?![\w])", template, text)
        return text

    return (
        tuple((same(s.label), tuple(same(x) for x in s.statements)) for s in plan.steps),
        tuple(same(r) for r in plan.refusals),
    )


def group_plans(results: Iterable[TargetPlan], template: str | None) -> tuple[list[Target], list[PlanGroup]]:
    """Targets with no changes, and the groups of targets with changes (largest group first,
    lettered A, B, …)."""
    unchanged: list[Target] = []
    groups: dict[tuple[Any, ...], PlanGroup] = {}
    for result in results:
        if result.plan is None:
            continue
        if not result.plan.has_changes and not result.plan.refusals:
            unchanged.append(result.target)
            continue
        key = signature(result.plan, result.target, template)
        groups.setdefault(key, PlanGroup("", result.plan)).targets.append(result.target)
    ordered = sorted(groups.values(), key=lambda g: (-len(g.targets), g.targets[0].name))
    for i, group in enumerate(ordered):
        group.letter = _letter(i)
    return unchanged, ordered


def _letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
