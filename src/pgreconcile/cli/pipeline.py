"""The steps the commands share: load the declarations, read the live catalog through the same
scope, plan, and — after an apply — plan again to verify."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import psycopg

from pgreconcile import cache
from pgreconcile.apply.identity import read_database
from pgreconcile.catalog.build_subscriptions import hidden_note
from pgreconcile.catalog.connect import connect, redact
from pgreconcile.catalog.reader import Fetched, build_catalog, fetch_catalog, list_schemas, read_schema
from pgreconcile.catalog.scope import restrict
from pgreconcile.cli import noop_memo
from pgreconcile.cli.desired import declarations_key, load_desired
from pgreconcile.cli.settings import Settings
from pgreconcile.errors import ReconcileError
from pgreconcile.gc_pause import paused_gc
from pgreconcile.ignore import ALEMBIC_TABLE, parse_patterns, without_ignored
from pgreconcile.model import Schema
from pgreconcile.platform import PLATFORM_SCHEMAS

# The planner, the differ and the DDL writer are imported while the catalog read runs (see
# plan_against): importing them is a tenth of a no-op plan, and the read is mostly waiting.
if TYPE_CHECKING:
    from pgreconcile.declare.sql.scratch import ScratchMode
    from pgreconcile.diff.changes import Change
    from pgreconcile.plan import Plan
    from pgreconcile.plan.build import Prober
    from pgreconcile.plan.facts import Fact
    from pgreconcile.plan.model import Database, Scope
    from pgreconcile.scope import Scoped


def _import_planner() -> None:
    """Import the planning machinery (a third of a second) while the server works."""
    import pgreconcile.plan
    import pgreconcile.plan.fingerprint
    import pgreconcile.plan.model  # noqa: F401


@dataclass(frozen=True)
class Planned:
    """A plan and the scoped declarations it was made from (apply verifies against them)."""

    plan: Plan
    desired: Schema
    scope: Scope


def scoped(desired: Schema, settings: Settings) -> Scoped:
    """The declarations narrowed to the configured scope; says which declared schemas are left out."""
    from pgreconcile.scope import scope_desired

    result = scope_desired(desired, settings.config.managed_schemas, settings.patterns, settings.config.ignore)
    for name in result.left_out:
        click.echo(
            f"Note: schema {name} is declared but not in managed_schemas ({settings.config.where}): "
            "its declarations are not applied.",
            err=True,
        )
    return result


def _whole_database(narrowed: Scoped, everything: Schema, settings: Settings) -> Scoped:
    """SQL files alone describe the whole database: the live schemas they do not create join
    the scope (and are dropped); says which, and how to leave them alone."""
    from pgreconcile.scope import whole_database

    widened, extra = whole_database(narrowed, everything, settings.patterns)
    if extra:
        which = f"schema {extra[0]}, which no file creates, is" if len(extra) == 1 else (
            f"schemas {', '.join(extra)}, which no file creates, are")
        click.echo(
            f"Note: the SQL files are the only declarations, so they describe the whole database: {which} "
            "planned for removal with what they hold; to leave schemas alone, list the ones to manage in "
            "managed_schemas (reconcile.toml).",
            err=True,
        )
    return widened


def target_name(url: str) -> str:
    """The database as plans name it: the URL with any password masked, and saying so."""
    shown = redact(url)
    return f"{shown} (password hidden)" if "***" in shown else shown


def read_live(conn: psycopg.Connection[Any], scope: Scope, *, lock_timeout_ms: int = 10_000) -> Schema:
    """The live catalog as the plan sees it: the managed schemas, minus ignored objects."""
    return without_ignored(
        read_schema(conn, scope.managed, lock_timeout_ms=lock_timeout_ms), parse_patterns(scope.ignore)
    )


def lazy_prober(conn: psycopg.Connection[Any], timeout_ms: int, show_values: bool = False) -> Prober:
    """A prober that loads the probe machinery only when a plan has changes to probe."""

    def probe(changes: Sequence[Change], desired: Schema, live: Schema) -> list[tuple[Fact, ...]]:
        from pgreconcile.probe.prober import DataProber

        return DataProber(conn, timeout_ms=timeout_ms, show_values=show_values)(changes, desired, live)

    return probe


def no_probes(changes: Sequence[Change], desired: Schema, live: Schema) -> list[tuple[Fact, ...]]:
    """``--probe-timeout 0``: nothing is measured, so a change that only a measurement can
    prove safe is refused (plan/proven.py) rather than planned blind."""
    return [() for _ in changes]


def plan_against(
    settings: Settings,
    url: str,
    *,
    concurrently: bool = False,
    digest: bool = True,
    scratch: ScratchMode | str = "local",
    probe_timeout: int = 0,
    show_values: bool = False,
    remember: bool = False,
) -> Planned:
    """Load the declarations and read the catalog (side by side), then plan. ``digest`` False
    skips the declarations' digest, which only a saved or printed-as-JSON plan carries.
    ``remember``: a plan with nothing to do is remembered and shown again while neither the
    declarations nor the catalog change (cli/noop_memo.py; ``desired`` is then empty).

    The cyclic garbage collector is paused throughout: both models are large, long-lived and
    acyclic, and collections that re-scan them cost a quarter of a no-op plan (gc_pause.py)."""
    with paused_gc(), connect(url) as conn, ThreadPoolExecutor(max_workers=1) as pool:
        # The catalog read is mostly waiting on the server, the declarations' load is mostly
        # Python: run them side by side. The managed schemas are not known until the load ends,
        # so read every user schema and narrow the result afterwards.
        existing = set(list_schemas(conn))
        readable = tuple(sorted(s for s in existing if s not in PLATFORM_SCHEMAS))
        lock_ms = settings.timeouts.lock_timeout_ms
        declared_key = _declarations_key(settings) if remember else None
        memo = (noop_memo.memo_key(declared_key, settings, url, (concurrently, str(scratch)), tuple(sorted(existing)))
                if declared_key else None)
        remembered = noop_memo.recall(memo) if memo is not None else None
        fetched: Fetched | None = None
        if remembered is not None:
            # Nothing to overlap the read with yet: read, and compare with what was remembered.
            # (No model built meanwhile: a match needs none.)
            fetched = fetch_catalog(conn, readable, lock_timeout_ms=lock_ms, build_early=False)
            if fetched.digest() == remembered.digest and read_database(conn) == remembered.database:
                plan = remembered.plan
                assert plan.scope is not None, "only a plan with its scope is remembered"
                return Planned(plan, Schema(), plan.scope)
        # SQL files are parsed (Python) before they run on a scratch server (seconds of waiting):
        # the live catalog is read and its model built in that wait rather than beside the
        # parse, which the rows' conversion and the build would slow (both need the interpreter).
        build = threading.Event()
        if not _has_sql_files(settings.schema_dir):
            build.set()

        def meanwhile() -> None:
            build.set()
            _import_planner()

        reading = pool.submit(_read_catalog, conn, readable, lock_ms, fetched, memo is not None, build)
        try:
            # The planner parses every expression it sends; parsing the unchanged ones too would
            # only repeat what the server already proved (see plan.build.check_expressions).
            # While the server answers (the catalog read, or the SQL files running in the scratch
            # database): the planning machinery, imported by _import_planner.
            desired, source = load_desired(
                settings.schema_dir,
                check_sql=False,
                conventions=True,
                url=url,
                scratch=scratch,
                sqlalchemy=settings.sqlalchemy,
                meanwhile=meanwhile,
                known_key=declared_key,  # hashed for the memo just now: not hashed twice
            )
            from pgreconcile.plan import make_plan
            from pgreconcile.plan.fingerprint import declarations_digest
            from pgreconcile.plan.model import Declarations

            # Nothing more is imported while the read runs. What only a plan with changes needs
            # (the expression parser, the probes) used to be: with the server on the same cores
            # (a laptop, the benchmark), those imports slowed the read by more than they saved,
            # for the no-op plan and for the plan of 20 changes alike (docs/how-it-works.md).
        finally:
            build.set()  # the load failed before the files ran: the read must not wait for them
            everything, catalog_digest = reading.result()
        # The connection is free again (the read used it): which database this is, for the plan.
        database = read_database(conn)
        narrowed = scoped(desired, settings)
        if settings.config.managed_schemas is None:
            narrowed = _whole_database(narrowed, everything, settings)
        managed = set(narrowed.scope.managed)
        if (managed & existing) - set(readable):
            everything = read_schema(conn, managed, lock_timeout_ms=lock_ms)  # a platform schema declared as managed
            catalog_digest = None  # read twice: not what a remembered plan's digest covers
        restricted = restrict(everything, managed)
        live = without_ignored(restricted, settings.patterns)
        said = False
        for schema_name, name in restricted.tables:
            if name == ALEMBIC_TABLE:
                said = True
                click.echo(
                    f"Note: {schema_name}.{name} is Alembic's revision table: it is left alone, never dropped.",
                    err=True,
                )
        # [subscriptions] A connection string the reading role may not read is not compared: say so.
        hidden = hidden_note(live.subscriptions)
        if hidden and (narrowed.desired.subscriptions or narrowed.desired.subscriptions_managed):
            said = True
            click.echo(f"Note: {hidden}.", err=True)
        # Declarations this server cannot hold are refused before anything is planned or run.
        from pgreconcile.plan.server_support import check_server_supports, for_server

        declared = narrowed.desired  # as the files say: what a saved plan's digest covers
        narrowed = dataclasses.replace(narrowed, desired=for_server(declared, conn.info.server_version))
        check_server_supports(narrowed.desired, conn.info.server_version)
        # Probes read the data the changes concern, on this connection, read-only and bounded.
        probe = lazy_prober(conn, probe_timeout, show_values) if probe_timeout else no_probes
        # [views] declared view queries in the server's own spelling (catalog/canonical.py);
        # [sequences] and the counters of the sequences whose range narrows (none on a no-op plan).
        compared, live, warned = _canonical(conn, narrowed.desired, live, counters=True)
        plan = make_plan(
            compared,
            live,
            source=source,
            target=target_name(url),
            scope=narrowed.scope,
            schema_dir=str(settings.schema_dir),
            concurrently=concurrently,
            digest=digest,
            probe=probe,
            database=database,
        )
        if digest and compared is not declared:
            # The digest is of the declarations as written: apply of a saved plan recomputes it
            # from the files, before any server is asked about them.
            plan.declarations = Declarations(
                schema_dir=str(settings.schema_dir), digest=declarations_digest(declared, narrowed.scope)
            )
        if memo is not None and declared_key is not None and catalog_digest is not None and not (said or warned):
            _remember(memo, declared_key, catalog_digest, database, plan, settings)
    return Planned(plan, narrowed.desired, narrowed.scope)


def _read_catalog(
    conn: psycopg.Connection[Any], schemas: Sequence[str], lock_ms: int, fetched: Fetched | None, digest: bool,
    build: threading.Event,
) -> tuple[Schema, str | None]:
    """The live model of ``schemas`` (from rows already ``fetched``, if given), and the digest
    of the rows when asked for it (for a plan that may be remembered). The catalog is read, and
    its model built, once ``build`` is set (at once if it already is)."""
    build.wait()
    if fetched is None:
        fetched = fetch_catalog(conn, schemas, lock_timeout_ms=lock_ms)
    return build_catalog(fetched).schema, fetched.digest() if digest else None


def _has_sql_files(schema_dir: Path) -> bool:
    """Whether ``schema_dir`` declares anything in SQL files (run on a scratch server)."""
    from pgreconcile.declare.files import SourceKind, declaration_files

    return schema_dir.is_dir() and bool(declaration_files(schema_dir)[SourceKind.SQL])


def _declarations_key(settings: Settings) -> str | None:
    """The cache key of the declarations as plan_against loads them, or None: they are not
    cached (not YAML only, or the cache is off), so no plan of them is remembered either."""
    return declarations_key(settings.schema_dir, check_sql=False, conventions=True, sqlalchemy=settings.sqlalchemy)


def _remember(
    memo: str, declared_key: str, catalog_digest: str, database: Database, plan: Plan, settings: Settings
) -> None:
    """Keep ``plan`` if it has nothing to do and everything it came from is in its key: the
    files hashed again are the ones hashed into the key (none changed while planning), their
    entry is remembered too (so they loaded without a warning a remembered plan would not
    repeat), and there is a scope to show it under."""
    if plan.steps or plan.refusals or plan.scope is None:
        return
    if _declarations_key(settings) != declared_key or not cache.known(declared_key):
        return
    noop_memo.remember(memo, catalog_digest, database, plan)


def _canonical(
    conn: psycopg.Connection[Any], desired: Schema, live: Schema, *, counters: bool = False
) -> tuple[Schema, Schema, bool]:
    """Both sides as compared (catalog.canonical.compared_sides; the counters only when asked:
    after an apply, no range narrows any more), and whether a warning was printed (a view
    query that could not be canonicalized)."""
    from pgreconcile.catalog.canonical import canonicalize, compared_sides

    if counters:
        compared, live, note = compared_sides(conn, desired, live)
    else:
        compared, note = canonicalize(conn, desired, live)
    if note:
        click.echo(f"Warning: {note}", err=True)
    return compared, live, bool(note)


def verify(conn: psycopg.Connection[Any], planned: Planned, *, lock_timeout_ms: int = 10_000) -> None:
    """Read the catalog again and plan again; anything left over is an error.

    Two kinds, told apart because they call for different actions: what is left in objects the
    plan touched means the apply did not do what it said (a bug to report); what is left only in
    objects it did not touch is drift that someone else caused meanwhile (a saved plan is only
    refused when objects it touches changed)."""
    from pgreconcile.plan import make_plan
    from pgreconcile.render import render_text

    # Paused like the plan itself (see plan_against).
    with paused_gc():
        after = read_live(conn, planned.scope, lock_timeout_ms=lock_timeout_ms)
        desired, _, _ = _canonical(conn, planned.desired, after)
        leftover = make_plan(desired, after, source=planned.plan.source, target=planned.plan.target)
        if not leftover.has_changes:
            return
        text = render_text(leftover)
        if set(leftover.fingerprints) & set(planned.plan.fingerprints):
            raise ReconcileError(
                "verification failed: the database still differs from the declarations after apply:\n" + text,
                hint="if the declarations did not change meanwhile, this is a bug in pgreconcile's "
                "normalization; please report it with both plans",
            )
        raise ReconcileError(
            "verification failed: the plan was applied, but the database still differs from the declarations "
            "in objects the plan did not touch (changed by someone else since the plan was made):\n" + text,
            hint="run `reconcile plan` to review the drift, then plan and apply again",
        )
