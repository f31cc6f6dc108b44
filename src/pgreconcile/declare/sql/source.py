"""``*.sql`` files in the schema directory → the desired :class:`Schema` they declare.

SQL is not interpreted here: the files are run, in sorted order, in a scratch database
(:mod:`.scratch`), and what they built is read back with the catalog reader that reads the live
database, so both sides of the comparison are printed by PostgreSQL itself. The steps:

1. read the statement heads of every file (:mod:`.heads`); refuse, before anything runs,
   statements that cannot be sent, and in ``target`` mode those that would change the whole
   server rather than the scratch database;
2. copy stubs of the target's platform schemas (``auth.users``, ``auth.uid()``) into the scratch
   database (:mod:`.stubs`);
3. run each file (:mod:`.run`; long files of plain DDL on two connections, :mod:`.lanes`); an
   error is a :class:`DeclarationError` at file:line;
4. read back the schemas the files created or put tables and types in — never platform schemas
   and never the stubs — and give every object the file:line it was written at (:mod:`.origins`).

The scratch database is dropped whatever happens.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row

from pgreconcile import cache
from pgreconcile.catalog.connect import connect
from pgreconcile.catalog.reader import CatalogRead, query_text, read_catalog
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.sql.access import declared_access  # [privileges]
from pgreconcile.declare.sql.heads import Heads, read_heads
from pgreconcile.declare.sql.lanes import LaneConnections, lane_count
from pgreconcile.declare.sql.origins import OriginIndex, attach_origins
from pgreconcile.declare.sql.run import run_script
from pgreconcile.declare.sql.scratch import ScratchMode, scratch_database, scratch_identity
from pgreconcile.declare.sql.script import Script, parse_script
from pgreconcile.declare.sql.stubs import Stubs, create_stubs, read_stubs
from pgreconcile.declare.sql.subscriptions import Taken, declared_subscriptions, take_subscriptions
from pgreconcile.errors import DeclarationError, ReconcileError
from pgreconcile.model.objects import Unmanaged
from pgreconcile.model.origin import Origin
from pgreconcile.model.roles import Role
from pgreconcile.model.schema import Schema
from pgreconcile.platform import PLATFORM_SCHEMAS

# The top-level objects that exist, for finding the file each first appeared after.
_EXISTING = """
SELECT 'schema', n.nspname, '' FROM pg_catalog.pg_namespace AS n
UNION ALL
SELECT 'extension', e.extname, '' FROM pg_catalog.pg_extension AS e
UNION ALL
SELECT 'type', n.nspname, t.typname
FROM pg_catalog.pg_type AS t JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
WHERE t.typtype = 'e'
UNION ALL
SELECT 'table', n.nspname, c.relname
FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
"""

_COMMENTS = """
SELECT n.nspname, pg_catalog.obj_description(n.oid, 'pg_namespace')
FROM pg_catalog.pg_namespace AS n
"""

@dataclass(frozen=True)
class SqlDesired:
    """What the SQL files declare, and what the user should know about how it was read."""

    schema: Schema
    files: tuple[str, ...]
    notes: tuple[str, ...] = ()


def load_sql(
    paths: Sequence[Path], *, mode: ScratchMode, target_url: str | None, alone: bool = True,
    meanwhile: Callable[[], None] | None = None,
) -> SqlDesired:
    """The desired schema declared by the SQL files ``paths`` (run in the order given).
    ``alone``: nothing else (YAML, Python, SQLAlchemy) declares anything (see :func:`_managed`).
    ``meanwhile``: the caller's work, done once, while the server runs the files (else at once).

    ``target_url`` is the database being planned: the scratch database is created on its server
    in ``target`` mode, and its platform schemas are copied as stubs in both modes (when given).
    Raises :class:`DeclarationErrors` for refused statements and an SQL error at file:line.

    Files loaded before, unchanged, against a scratch server and a target platform that are
    unchanged too, are read from the declaration cache (pgreconcile/cache.py) without running
    anything: the result is a function of exactly those (see :func:`_cache_key`).
    """
    key = _cache_key(paths, mode, target_url, alone)
    hit = cache.lookup(key)
    if isinstance(hit, SqlDesired):
        if meanwhile is not None:
            meanwhile()
        return hit
    loaded = _load(paths, mode, target_url, alone, meanwhile)
    if key is not None:
        cache.store_later(key, loaded)
    return loaded


def _cache_key(paths: Sequence[Path], mode: ScratchMode, target_url: str | None, alone: bool) -> str | None:
    """The cache key of running ``paths``: their bytes and names, the scratch server's identity
    (scratch.scratch_identity) and the target's platform objects copied as stubs; None (not
    cached) when the scratch server is not known before it is started, or the cache is off."""
    if cache.cache_dir() is None:
        return None
    identity = scratch_identity(mode, target_url)
    if identity is None:
        return None
    platform = ""
    if target_url:
        try:
            with connect(target_url) as target:
                # Every stub the target offers; which of them the files use follows from the files.
                stubs = read_stubs(target, roles=mode is ScratchMode.LOCAL)
        except (ReconcileError, psycopg.Error):
            return None
        platform = repr((sorted(stubs.schemas), sorted(stubs.extensions), stubs.statements, stubs.roles))
    return cache.cache_key(list(paths), source="sql", mode=str(mode), scratch=identity, platform=platform, alone=alone)


def _load(
    paths: Sequence[Path], mode: ScratchMode, target_url: str | None, alone: bool,
    meanwhile: Callable[[], None] | None,
) -> SqlDesired:
    # [subscriptions] read, never run: running them could reach a publisher (.subscriptions)
    cut = [take_subscriptions(script) for script in _read(paths)]
    taken = [statement for _, statements in cut for statement in statements]
    files = [(script, read_heads(script)) for script, _ in cut]
    _refuse(files, mode)
    stubs = _stubs(files, mode, target_url)
    own_roles = {name for _, heads in files for name in heads.created_roles}
    extra_lanes = lane_count() - 1  # connections besides the first, for files that allow it
    # The pool outermost: leaving the block closes the connection and drops the scratch
    # database (seconds on a busy server) in this thread while the worker finishes the model.
    with (
        ThreadPoolExecutor(max_workers=1) as pool,
        scratch_database(mode, target_url, own_roles=own_roles) as scratch,
        connect(scratch.url, autocommit=True) as conn,
        # [lanes] connections of their own for long files of plain DDL, closed before the drop.
        LaneConnections(lambda: connect(scratch.url, autocommit=True), extra_lanes) as lanes,
    ):
        # The files run on the server for seconds while this process only waits: they run in a
        # worker thread (which waits without the GIL), and this thread meanwhile does the
        # Python work that does not need their result — the caller's imports, the index of
        # where each object was written.
        running = pool.submit(_run_files, conn, files, stubs, alone, lanes if extra_lanes else None)
        try:
            if meanwhile is not None:
                meanwhile()
            index = OriginIndex(files)
            ran = running.result()
        except BaseException:
            if not running.done():
                # Interrupted here (Ctrl-C): stop the statement the worker waits on, so that
                # the scratch database is dropped now rather than after the last file ran.
                conn.cancel_safe()
                lanes.cancel()
            raise
        scratch.created_roles.update(ran.made_roles)
        finishing = pool.submit(_finish, paths, files, taken, stubs, alone, ran, index)
    return finishing.result()


def _finish(
    paths: Sequence[Path], files: Sequence[tuple[Script, Heads]], taken: Sequence[Taken],
    stubs: Stubs, alone: bool, ran: _Ran, index: OriginIndex,
) -> SqlDesired:
    """The desired schema from what the files built (``ran``): what they manage, with origins."""
    versioned = {name for _, heads in files for name in heads.versioned_extensions}
    read, managed, fresh, first_seen = ran.read, ran.managed, ran.fresh, ran.first_seen
    schema = _declared(read.schema, managed, fresh, stubs, versioned)
    schema = dataclasses.replace(schema, declared_roles=ran.roles)
    # Alone, the files are the whole database: a schema only the target has is theirs to drop.
    schema = dataclasses.replace(schema, whole_database=alone)
    if any(heads.foreign_data for _, heads in files):  # [foreign] even when the files dropped them all
        schema = dataclasses.replace(schema, foreign_data_managed=frozenset({"wrappers", "servers"}))
    if any(_UNCHECKED_BODIES.search(path.read_text(encoding="utf-8")) for path in paths):
        # pg_dump's output turns the check off: its functions may name what comes later.
        schema = dataclasses.replace(schema, functions={
            key: dataclasses.replace(fn, body_checked=False) for key, fn in schema.functions.items()})
    if any(heads.publications for _, heads in files):  # [privileges] even when they dropped them all
        schema = dataclasses.replace(schema, publications_managed=True)
    if schema.casts or any(heads.casts for _, heads in files):  # [casts] likewise
        schema = dataclasses.replace(schema, casts_managed=True)
    if taken:  # [subscriptions] even when the files dropped them all
        problems = Problems()
        subscriptions = declared_subscriptions(taken, read.schema.current_role, problems)
        problems.raise_if_any()
        schema = dataclasses.replace(schema, subscriptions=subscriptions, subscriptions_managed=True)
    schema = attach_origins(schema, index, first_seen)
    notes = list(read.notes)
    notes += _unmanaged(read.schema.unmanaged, managed)
    return SqlDesired(schema, tuple(script.file for script, _ in files), tuple(notes))


@dataclass(frozen=True)
class _Ran:
    """What running the files left in the scratch database, as read back by the worker."""

    read: CatalogRead
    managed: frozenset[str]
    fresh: dict[str, str | None]
    first_seen: dict[tuple[str, str, str], str]
    made_roles: set[str]
    roles: dict[str, Role]


def _run_files(conn: psycopg.Connection[Any], files: Sequence[tuple[Script, Heads]], stubs: Stubs,
               alone: bool, lanes: LaneConnections | None) -> _Ran:
    """Run every file in the scratch database on ``conn`` (and ``lanes``, for the files that
    allow it) and read back what they built: the worker thread's part of :func:`_load`
    (nothing here touches the caller's state)."""
    # The files' own statements may drop and recreate what a prepared statement refers to.
    conn.prepare_threshold = None
    fresh = _comments(conn)
    stub_notes = create_stubs(conn, stubs)
    roles_before = _role_names(conn)
    first_seen: dict[tuple[str, str, str], str] = {}
    for script, heads in files:
        try:
            run_script(conn, script, one_by_one=heads.one_by_one, lanes=lanes)
        except DeclarationError as err:
            raise _with_stub_notes(err, stub_notes) from None
        _end_of_file(conn, script)
        for row in conn.execute(_EXISTING).fetchall():
            first_seen.setdefault((row[0], row[1], row[2]), script.file)
    candidates = sorted(set(_user_schemas(conn)) - PLATFORM_SCHEMAS - stubs.schemas)
    read = read_catalog(conn, candidates)
    managed = _managed(read.schema, fresh, _comments(conn), alone)
    # Every role the files created, in a DO block too (the heads see only plain statements).
    made = _role_names(conn) - roles_before
    roles = _created_roles(conn, files, made)
    return _Ran(read, frozenset(managed), fresh, first_seen, made, roles)


# `SET check_function_bodies = false` (or TO off, or set_config(…, 'false', …)) anywhere in the files.
_UNCHECKED_BODIES = re.compile(
    r"check_function_bodies'?\s*(?:=|\bto\b|,)\s*'?(?:false|off|0|no)\b", re.IGNORECASE
)


def _read(paths: Sequence[Path]) -> list[Script]:
    problems = Problems()
    scripts = []
    for path in paths:
        try:
            scripts.append(parse_script(path.read_text(encoding="utf-8"), str(path)))
        except (OSError, UnicodeDecodeError) as err:
            problems.add(f"cannot read the file: {err}", str(path))
    problems.raise_if_any()
    return scripts


def _refuse(files: Sequence[tuple[Script, Heads]], mode: ScratchMode) -> None:
    """Every statement that must not be sent, reported together before anything runs."""
    problems = Problems()
    for script, heads in files:
        refused = heads.unsendable + (heads.server_wide if mode is ScratchMode.TARGET else [])
        for refusal in refused:
            problems.add(refusal.reason, script.file, refusal.line, refusal.hint)
    problems.raise_if_any()


def _stubs(files: Sequence[tuple[Script, Heads]], mode: ScratchMode, target_url: str | None) -> Stubs:
    if not target_url:
        return Stubs()
    with connect(target_url) as target:
        return read_stubs(
            target,
            own_schemas={name for _, heads in files for name in heads.created_schemas},
            own_extensions={name for _, heads in files for name in heads.created_extensions},
            own_roles={name for _, heads in files for name in heads.created_roles},
            roles=mode is ScratchMode.LOCAL,
        )


def _role_names(conn: psycopg.Connection[Any]) -> set[str]:
    with conn.cursor(row_factory=tuple_row) as cur:
        cur.execute("SELECT rolname FROM pg_catalog.pg_roles")
        return {name for (name,) in cur.fetchall()}


def _created_roles(
    conn: psycopg.Connection[Any], files: Sequence[tuple[Script, Heads]], made: set[str]
) -> dict[str, Role]:
    """The roles the files create — by a statement (``CREATE ROLE``/``USER``/``GROUP``, even one
    the scratch server had already) or in a block (``made``: new on the scratch server) — as
    they left them there: whether each can log in. The plan creates those the target lacks."""
    written: dict[str, str] = {}
    for script, heads in files:
        for name in sorted(heads.created_roles):
            # An unquoted name is folded to lower case by the server; a quoted one is kept.
            for spelling in (name, name.lower()):
                written.setdefault(spelling, script.file)
    for name in made:
        written.setdefault(name, files[0][0].file if len(files) == 1 else "the SQL files")
    if not written:
        return {}
    with conn.cursor(row_factory=tuple_row) as cur:
        cur.execute("SELECT rolname, rolcanlogin FROM pg_catalog.pg_roles WHERE rolname = ANY(%s)", [list(written)])
        return {name: Role(name, login, Origin(written[name])) for name, login in cur.fetchall()}


def _end_of_file(conn: psycopg.Connection[Any], script: Script) -> None:
    """Check that ``script`` closed every transaction it opened, then reset the session (search
    path, role, temporary tables), so that the next file starts as it would in a psql run of its own."""
    if conn.info.transaction_status != TransactionStatus.IDLE:
        conn.execute("ROLLBACK")
        raise DeclarationError(
            "the file ends inside a transaction block: a BEGIN has no COMMIT",
            where=script.file,
            hint="add the COMMIT, or leave BEGIN/COMMIT out (each statement runs on its own anyway)",
        )
    conn.execute("DISCARD ALL")


def _with_stub_notes(err: DeclarationError, notes: list[str]) -> DeclarationError:
    """``err``, with the stubs that could not be created added to its hint (one of them may be
    what the failing statement needed)."""
    if not notes:
        return err
    extra = "these stubs of the target's platform objects could not be created: " + "; ".join(notes)
    return DeclarationError(err.message, where=err.where, hint=f"{err.hint}; {extra}" if err.hint else extra)


def _comments(conn: psycopg.Connection[Any]) -> dict[str, str | None]:
    """Every schema of the database with its comment."""
    with conn.cursor(row_factory=tuple_row) as cur:
        cur.execute(_COMMENTS)
        return {name: comment for name, comment in cur.fetchall()}


def _user_schemas(conn: psycopg.Connection[Any]) -> list[str]:
    with conn.cursor(row_factory=tuple_row) as cur:
        cur.execute(query_text("schema_names"))
        return [name for (name,) in cur.fetchall()]


def _managed(
    read: Schema, fresh: dict[str, str | None], now: dict[str, str | None], alone: bool
) -> frozenset[str]:
    """The schemas the files declare. When they are the only declarations (``alone``), they
    describe the whole database, as a dump does: every schema, ``public`` included even with
    nothing left in it (deleting the last function from the files drops it; schemas only the
    target has are added at plan time, see scope.whole_database). Beside YAML declaring the
    rest: every schema they created, and a schema every new database has (``public``) when
    they put an object in it or changed its comment — SQL files that create ``app`` beside YAML
    never plan dropping everything in ``public``. (The scratch database starts empty: whatever
    is in ``public`` after the files ran, they put there.)"""
    if alone:
        return frozenset(read.namespaces)
    keyed: list[Iterable[tuple[str, ...]]] = [
        read.tables, read.enums, read.domains, read.composite_types, read.range_types, read.sequences,
        read.views, read.materialized_views, read.collations, read.statistics,
        read.ts_dictionaries, read.ts_configurations,
    ]
    used = {key[0] for keys in keyed for key in keys}
    used |= {fn.schema for fn in read.functions.values()} | {a.schema for a in read.aggregates.values()}  # [routines]
    used |= {key[0] for key in read.operators}  # [operators]
    used |= {c.schema for c in read.casts.values() if c.schema is not None}  # [casts]
    return frozenset(
        name for name in read.namespaces if name not in fresh or name in used or now.get(name) != fresh[name]
    )


def _given(owner: str | None, reader: str | None) -> str | None:
    """An owner the files set: any but the role that ran them (None when that is unknown)."""
    return owner if reader is not None and owner != reader else None


def _declared(
    read: Schema, managed: frozenset[str], fresh: dict[str, str | None], stubs: Stubs, versioned: set[str]
) -> Schema:
    """The read-back schema narrowed to what the files declare (an extension's version only
    when a file wrote one: ``versioned``)."""
    reader = read.current_role  # [foreign] owners other than the scratch role were declared
    read = declared_access(read, managed, fresh)  # [privileges]
    namespaces = {}
    for name, ns in read.namespaces.items():
        if name in managed:
            # A stock comment (public's "standard public schema") was not declared by anyone;
            # a schema the files create without a comment is declared to have none ("").
            keep = name not in fresh or ns.comment != fresh[name]
            if name not in fresh and ns.comment is None:
                ns = dataclasses.replace(ns, comment="")
            namespaces[name] = ns if keep else dataclasses.replace(ns, comment=None)
    return dataclasses.replace(
        read,
        namespaces=namespaces,
        extensions={
            name: ext if name in versioned else dataclasses.replace(ext, version=None, reachable=())
            for name, ext in read.extensions.items()
            if name not in stubs.extensions
        },
        enums={key: enum for key, enum in read.enums.items() if key[0] in managed},
        tables={key: table for key, table in read.tables.items() if key[0] in managed},
        # [constraints-types]
        domains={key: d for key, d in read.domains.items() if key[0] in managed},
        composite_types={key: c for key, c in read.composite_types.items() if key[0] in managed},
        range_types={key: r for key, r in read.range_types.items() if key[0] in managed},
        collations={key: c for key, c in read.collations.items() if key[0] in managed},
        # [text-search] an owner only when the files gave one, as for foreign data
        ts_dictionaries={key: dataclasses.replace(d, owner=_given(d.owner, reader))
                         for key, d in read.ts_dictionaries.items() if key[0] in managed},
        ts_configurations={key: dataclasses.replace(c, owner=_given(c.owner, reader))
                           for key, c in read.ts_configurations.items() if key[0] in managed},
        # [operators] likewise; what used an operator in the scratch database is the files' own
        operators={key: dataclasses.replace(o, owner=_given(o.owner, reader), users=())
                   for key, o in read.operators.items() if key[0] in managed},
        # [casts] the database's (no schema) too: in the scratch database, the files made them all
        casts={key: c for key, c in read.casts.items() if c.schema is None or c.schema in managed},
        # [foreign] An owner only when the files gave one (ALTER … OWNER TO another role); once
        # they create any wrapper or server, both kinds are managed: others live are dropped.
        foreign_data_wrappers={n: dataclasses.replace(w, owner=_given(w.owner, reader))
                               for n, w in read.foreign_data_wrappers.items()},
        foreign_servers={n: dataclasses.replace(s, owner=_given(s.owner, reader))
                         for n, s in read.foreign_servers.items()},
        foreign_data_managed=frozenset({"wrappers", "servers"})
        if read.foreign_data_wrappers or read.foreign_servers else frozenset(),
        # Every mapping the files create is declared; those of the servers they create are managed.
        mapped_servers=frozenset(read.foreign_servers),
        statistics={key: s for key, s in read.statistics.items() if key[0] in managed},
        rules={key: r for key, r in read.rules.items() if key[0] in managed},
        sequences={key: seq for key, seq in read.sequences.items() if key[0] in managed},
        managed=managed,
        # [routines] Triggers on managed tables, and those the files put on platform tables
        # (auth.users, stubbed here); functions of the stubs' schemas are not declared.
        functions={key: fn for key, fn in read.functions.items() if fn.schema in managed},
        aggregates={key: a for key, a in read.aggregates.items() if a.schema in managed},
        event_triggers={k: dataclasses.replace(e, owner=_given(e.owner, reader))
                        for k, e in read.event_triggers.items() if e.function[0] in managed},
        triggers={key: t for key, t in read.triggers.items() if key[0] in managed or key[0] in stubs.schemas},
        function_callers={},
    )


def _plural(kind: str) -> str:
    if kind == "statistics":
        return kind
    return f"{kind}es" if kind.endswith("s") else f"{kind}s"  # operator classes


def _unmanaged(found: Iterable[Unmanaged], managed: Collection[str]) -> list[str]:
    """One note per kind of object the files created that the model does not hold (the kinds
    a plan lists as "not managed"): the plan neither creates, changes nor drops them."""
    by_kind: dict[str, list[str]] = {}
    for obj in found:
        if obj.schema in managed:
            by_kind.setdefault(obj.kind, []).append(obj.qualified)
    notes = []
    for kind, names in by_kind.items():
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        plural = kind if len(names) == 1 else _plural(kind)
        notes.append(
            f"{len(names)} {plural} in the SQL files ({shown}): pgreconcile does not manage "
            f"this kind of object yet, so the plan neither creates, changes nor drops them"
        )
    return notes
