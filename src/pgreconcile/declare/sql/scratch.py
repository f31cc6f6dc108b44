"""The scratch database that SQL desired-state files run in, and the promise that it goes away.

By default (``--scratch local``) it is a database in a throwaway PostgreSQL: the server named by
``$RECONCILE_SCRATCH_URL`` (a disposable server such as a CI service container), else one started
for the run (:func:`pgreconcile.localpg.start_server`: local binaries, the embedded wheel,
Docker). Planning must never write, and declaration SQL is code: a ``DO`` block or a function
call can do anything the role may, so it does not run on the target's server unless asked.
``--scratch target`` is that opt-in: a new database ``pgr_scratch_<hex>`` on the target server
(the same server version and extensions, so expressions print exactly as the live ones), run
with the role's privileges — the plan's source line says so.

Either way the database is dropped when the ``with`` block ends — normally, on an error, on
Ctrl-C, and on SIGTERM (turned into an interrupt for the duration, so that ``finally`` runs).
Only a SIGKILL can leave one behind; its name starts with ``pgr_scratch_``.

``reconcile plan`` has the drop of a block that ended normally happen in the background
(:func:`drops_in_background`): the plan is made while the server removes the database (0.7 s
at 2,000 tables), and the command waits for it before it ends.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from types import FrameType
from typing import Any

import psycopg
from psycopg import errors as pg_errors

from pgreconcile.catalog.connect import connect, describe_target, scrub
from pgreconcile.errors import ConnectionFailed, ReconcileError
from pgreconcile.localpg import LocalServer, database_url, start_server
from pgreconcile.quoting import ident, literal

PREFIX = "pgr_scratch_"
#: A throwaway server to create scratch databases on in ``local`` mode, instead of starting one.
SCRATCH_URL_ENV = "RECONCILE_SCRATCH_URL"


class ScratchMode(StrEnum):
    """Where the scratch database is created."""

    TARGET = "target"
    LOCAL = "local"


@dataclass(frozen=True, slots=True)
class Scratch:
    """A scratch database in use: its name, a URL to it, and where it lives (for messages)."""

    name: str
    url: str
    mode: ScratchMode
    server: str
    # Roles the files turned out to create (a CREATE ROLE inside a DO block, which the
    # statement heads cannot see): dropped with the database too, in ``local`` mode.
    created_roles: set[str] = field(default_factory=set)


def new_name() -> str:
    """A database name no other run will pick (``pgr_scratch_`` and 16 hex digits)."""
    return PREFIX + secrets.token_hex(8)


@contextmanager
def scratch_database(
    mode: ScratchMode, target_url: str | None, *, own_roles: Iterable[str] = ()
) -> Iterator[Scratch]:
    """A new, empty scratch database (UTF-8, from template0), dropped when the block ends.

    ``target_url`` is required in ``target`` mode; in ``local`` mode it is not used.
    ``own_roles``: roles the SQL files create (``local`` mode only, where they may): those of
    them that the scratch server did not have before are dropped with the database, so that a
    scratch server kept between runs (``$RECONCILE_SCRATCH_URL``) takes the same files again.
    """
    # What ends the scratch database, in the reverse order: stop the server, drop the database.
    teardown: list[Callable[[], None]] = []
    with _interrupt_on_sigterm():
        try:
            if mode is ScratchMode.LOCAL:
                server = _local_server()
                teardown.append(server.stop)
                with _database_on(server.url, ScratchMode.LOCAL, server.description, teardown,
                                  frozenset(own_roles)) as scratch:
                    yield scratch
            else:
                if not target_url:
                    raise ConnectionFailed(
                        "SQL files in the schema directory run in a scratch database, and no server is given",
                        hint="pass --database-url (the scratch database is created on that server and dropped "
                        "afterwards), or --scratch local to use a throwaway local PostgreSQL",
                    )
                with _database_on(target_url, ScratchMode.TARGET, describe_target(target_url), teardown) as scratch:
                    yield scratch
        except BaseException:
            _tear_down(teardown)  # an error or an interrupt: gone before it goes on its way
            raise
        if _background is not None:
            worker = threading.Thread(target=_tear_down, args=(teardown,), name="pgreconcile-scratch-drop")
            worker.start()
            _background.append(worker)
        else:
            _tear_down(teardown)


# The drops running in the background, while a drops_in_background block is open.
_background: list[threading.Thread] | None = None


@contextmanager
def drops_in_background() -> Iterator[None]:
    """Within the block, a scratch database whose block ended normally is dropped (and a
    throwaway server stopped) in a thread of its own, and the end of this block waits for it;
    an error or an interrupt still drops it at once. ``reconcile plan`` makes its plan in such
    a block (cli/plan_cmd.py); elsewhere the drop stays inside the scratch database's block."""
    global _background
    previous, _background = _background, []
    # SIGTERM stays an interrupt until the drops are done, as inside the scratch block: the
    # ``finally`` below then waits for them rather than the process ending under them.
    with _interrupt_on_sigterm():
        try:
            yield
        finally:
            started, _background = _background, previous
            for worker in started:
                while worker.is_alive():  # a Ctrl-C (or SIGTERM) here must not leave the database behind
                    with contextlib.suppress(KeyboardInterrupt):
                        worker.join()


def _tear_down(teardown: list[Callable[[], None]]) -> None:
    """Run each step, last added first; every step reports its own failures (never raises)."""
    while teardown:
        teardown.pop()()


def _local_server() -> LocalServer:
    try:
        return start_server(os.environ.get(SCRATCH_URL_ENV) or None)
    except RuntimeError as why:
        raise ReconcileError(
            f"*.sql declarations run in a throwaway local PostgreSQL (--scratch local), and none could be "
            f"started: {why}",
            hint=f"install the PostgreSQL server binaries (or `pip install 'pgreconcile[embedded]'`), set "
            f"{SCRATCH_URL_ENV} to a disposable server, or opt into running them on the target server with "
            "--scratch target (with the role's privileges)",
        ) from None


# Everything about a scratch server that SQL files' result can depend on, besides the files and
# the target's platform stubs: its version, the extensions it offers, the role the files run as
# (and the roles they can grant to), and its configuration (anything not left at the default).
# The scratch database itself is always UTF-8 with the C locale from template0 (_create).
_IDENTITY = """
SELECT pg_catalog.version(),
       current_user,
       (SELECT pg_catalog.string_agg(name || ' ' || coalesce(default_version, '-'), ', ' ORDER BY name)
        FROM pg_catalog.pg_available_extensions),
       (SELECT pg_catalog.string_agg(rolname, ', ' ORDER BY rolname) FROM pg_catalog.pg_roles),
       (SELECT pg_catalog.string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_catalog.pg_settings
        WHERE source NOT IN ('default', 'client', 'session', 'override') AND context <> 'internal')
"""


def scratch_identity(mode: ScratchMode, target_url: str | None) -> str | None:
    """What the scratch server adds to the result of running SQL files (see _IDENTITY), for the
    declaration cache's key; None when it cannot be known without starting a server (``local``
    mode without ``$RECONCILE_SCRATCH_URL``) or the server cannot be reached (the load itself
    will say why): such loads are not cached."""
    url = target_url if mode is ScratchMode.TARGET else os.environ.get(SCRATCH_URL_ENV)
    if not url:
        return None
    try:
        with connect(url) as conn:
            row = conn.execute(_IDENTITY).fetchone()
    except (ReconcileError, psycopg.Error):
        return None
    return None if row is None else repr(tuple(row))


@contextmanager
def _database_on(
    admin_url: str, mode: ScratchMode, server: str, teardown: list[Callable[[], None]],
    own_roles: frozenset[str] = frozenset(),
) -> Iterator[Scratch]:
    """A scratch database on ``admin_url``'s server; its drop (and that of the roles the files
    made there) is added to ``teardown`` once its creation has been attempted."""
    name = new_name()
    scratch: Scratch | None = None
    new_roles: frozenset[str] = frozenset()

    def drop() -> None:
        _drop(admin_url, name)
        found = frozenset(scratch.created_roles) if mode is ScratchMode.LOCAL and scratch else frozenset()
        if new_roles | found:
            _drop_roles(admin_url, new_roles | found)

    with connect(admin_url, autocommit=True) as admin:
        if own_roles:
            there = admin.execute(
                "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY (%s)", [sorted(own_roles)]
            ).fetchall()
            new_roles = own_roles - {role for (role,) in there}
        # From here on the database may exist, even if CREATE DATABASE is interrupted: the
        # server may have finished it before the cancel arrived.
        teardown.append(drop)
        _create(admin, name, server)
    scratch = Scratch(name, database_url(admin_url, name), mode, server)
    yield scratch


def _drop_roles(admin_url: str, roles: frozenset[str]) -> None:
    """Drop the roles the files created on the scratch server (their objects went with the
    scratch database); one that is gone already, or still in use elsewhere, is left."""
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
            for role in sorted(roles):
                with contextlib.suppress(psycopg.Error):
                    admin.execute(f"DROP ROLE IF EXISTS {ident(role)}")
    except psycopg.Error:
        pass  # the roles stay on a throwaway server; nothing depends on them


def _create(admin: psycopg.Connection[Any], name: str, server: str) -> None:
    # template0 and a fixed encoding and locale: nothing added to template1 leaks in, and
    # PostgreSQL reports error positions in characters of a UTF-8 text, as Python counts them.
    sql = (
        f"CREATE DATABASE {ident(name)} TEMPLATE template0 ENCODING {literal('UTF8')} "
        f"LC_COLLATE {literal('C')} LC_CTYPE {literal('C')}"
    )
    try:
        admin.execute(sql)
    except pg_errors.InsufficientPrivilege:
        raise ReconcileError(
            f"cannot create the scratch database on {server}: the role has no CREATEDB privilege",
            hint="SQL files are run in a scratch database; use --scratch local to run them in a throwaway "
            "local PostgreSQL instead, or grant CREATEDB to the role",
        ) from None
    except psycopg.Error as err:
        reason = err.diag.message_primary or str(err).strip()
        raise ReconcileError(
            f"cannot create the scratch database on {server}: {reason}",
            hint="use --scratch local to run the SQL files in a throwaway local PostgreSQL instead",
        ) from None
    # The files run a hundred statements per transaction: waiting for each commit to reach the
    # disk is wasted on a database dropped at the end (a crash loses nothing kept). Set as the
    # database's own default, so that the DISCARD ALL after each file keeps it; if refused,
    # the files only run slower.
    with contextlib.suppress(psycopg.Error):
        admin.execute(f"ALTER DATABASE {ident(name)} SET synchronous_commit = off")


def _drop(admin_url: str, name: str) -> None:
    """Drop the scratch database, ending any session still in it. A failure is reported, never
    raised over the error that may be on its way out."""
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
            if admin.info.server_version >= 130000:
                admin.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")
            else:
                admin.execute(
                    "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_catalog.pg_backend_pid()",
                    (name,),
                )
                admin.execute(f"DROP DATABASE IF EXISTS {ident(name)}")
    except psycopg.Error as err:
        reason = " ".join(scrub(str(err), admin_url).split())
        sys.stderr.write(
            f"Warning: the scratch database {name} could not be dropped ({reason}); "
            f"drop it by hand: DROP DATABASE {ident(name)};\n"
        )


@contextmanager
def _interrupt_on_sigterm() -> Iterator[None]:
    """While the block runs, SIGTERM raises KeyboardInterrupt (as Ctrl-C does), so that the
    scratch database is dropped by the ``finally`` blocks on the way out. Signal handlers can
    only be set from the main thread; elsewhere the block runs unchanged."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
