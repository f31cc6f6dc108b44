"""The benchmark's PostgreSQL: a server, a database of its own on it, loading SQL, finding pg_dump.

The server is the one given (``--database-url`` or $RECONCILE_TEST_DATABASE_URL), else a
throwaway one from :func:`pgreconcile.localpg.start_server`. Either way the benchmark works in
a fresh database it creates with a unique name and drops at the end, so it never touches
anything else on a shared server.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from pgreconcile.localpg import LocalServer, ServerKind, create_database, drop_database, start_server


@dataclass(frozen=True, slots=True)
class BenchDatabase:
    """Where the benchmark's schema lives: its URL, the server it is on, the server's version."""

    url: str
    name: str
    server: LocalServer
    version: str  # e.g. "15.18"
    major: int


@contextmanager
def bench_database(prefer_url: str | None) -> Iterator[BenchDatabase]:
    """A fresh, empty database for the benchmark; dropped (and our own server stopped) on exit,
    whether the benchmark succeeded or not."""
    server = start_server(prefer_url)
    try:
        name = f"pgreconcile_bench_{uuid.uuid4().hex[:10]}"
        url = create_database(server.url, name)
        try:
            with psycopg.connect(url) as conn:
                number = conn.info.server_version
            yield BenchDatabase(url, name, server, f"{number // 10000}.{number % 10000}", number // 10000)
        finally:
            # A server we started is deleted whole by stop(); only a given one needs the drop.
            if server.directory is None:
                drop_database(server.url, name)
    finally:
        server.stop()


def run_script(url: str, scripts: Iterable[str]) -> float:
    """Run each SQL script (many statements, no parameters) in order; return the seconds taken.

    A script without parameters goes to the server as one simple query: one round trip and one
    transaction for the whole batch, which is what makes loading thousands of tables fast.
    """
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        for script in scripts:
            # bytes: psycopg's typing accepts text only as a literal string; this text is generated.
            conn.execute(script.encode())
    return time.perf_counter() - started


def analyze(url: str) -> None:
    """ANALYZE the database, system catalogs included, as autovacuum would have done on a real
    server by the time anyone plans against it (catalog queries plan badly without statistics)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def _server_bindir(url: str) -> list[Path]:
    """Directories that hold the server's own binaries, best guess first.

    ``pg_config`` (the view) names the server's BINDIR but only superusers may read it and a
    relocated install (the embedded wheel) reports its build path; the executable of our own
    backend, through /proc, is the truth when the server runs on this machine.
    """
    found: list[Path] = []
    with psycopg.connect(url, autocommit=True) as conn:
        try:
            row = conn.execute("SELECT setting FROM pg_config WHERE name = 'BINDIR'").fetchone()
            if row and row[0]:
                found.append(Path(row[0]))
        except psycopg.Error:
            pass
        backend = conn.info.backend_pid
        with contextlib.suppress(OSError):  # another machine, or not ours to look at
            found.append(Path(os.readlink(f"/proc/{backend}/exe")).parent)
    return found


def _pg_dump_major(path: Path) -> int | None:
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    return int(match.group(1)) if out.returncode == 0 and match else None


def find_pg_dump(db: BenchDatabase) -> tuple[Path, str]:
    """The pg_dump to compare with: the server's own, else one of the same major version, else
    the newest one on PATH that can dump this server (pg_dump refuses newer servers).

    Returns the path and what ``pg_dump --version`` says.
    """
    candidates = [d / "pg_dump" for d in _server_bindir(db.url)]
    candidates.append(Path(f"/usr/lib/postgresql/{db.major}/bin/pg_dump"))
    on_path = shutil.which("pg_dump")
    if on_path:
        candidates.append(Path(on_path))
    usable = [(p, m) for p in candidates if p.is_file() for m in [_pg_dump_major(p)] if m is not None]
    exact = [p for p, m in usable if m == db.major]
    newer = [p for p, m in usable if m > db.major]
    chosen = next(iter(exact + newer), None)
    if chosen is None:
        raise RuntimeError(
            f"no pg_dump for PostgreSQL {db.major} found (looked at: {', '.join(map(str, candidates))})"
        )
    version = subprocess.run([str(chosen), "--version"], capture_output=True, text=True).stdout.strip()
    return chosen, version


#: pg_dump locks every table it dumps in one transaction, and ``psql -1`` holds a lock on every
#: relation it creates until it commits: 10,000 tables (or one transaction creating 2,000 with
#: their indexes) overflow the default lock table (64 x max_connections slots).
LOCKS_PER_TRANSACTION = 1024


def raise_lock_limit(db: BenchDatabase) -> str:
    """Make room for 10,000 tables in one transaction; returns what was done, for the report.

    Only the benchmark's own server is reconfigured (``ALTER SYSTEM`` and a restart on the same
    port, so every URL stays valid); a given server is left as it is, and the caller learns its
    setting instead.
    """
    with psycopg.connect(db.url, autocommit=True) as conn:
        row = conn.execute("SHOW max_locks_per_transaction").fetchone()
        current = int(row[0]) if row else 64
        if current >= LOCKS_PER_TRANSACTION or db.server.kind is not ServerKind.LOCAL_BINARIES \
                or db.server.directory is None:
            return f"max_locks_per_transaction = {current} (as the server had it)"
        conn.execute(f"ALTER SYSTEM SET max_locks_per_transaction = {LOCKS_PER_TRANSACTION}")
        exe = Path(os.readlink(f"/proc/{conn.info.backend_pid}/exe"))
    data = db.server.directory / "data"
    log = db.server.directory / "server.log"
    argv = [str(exe.parent / "pg_ctl"), "-D", str(data), "-l", str(log), "-m", "fast", "-w", "-t", "60", "restart"]
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    # Output to /dev/null, not a pipe: the restarted postmaster would hold a pipe open forever.
    done = subprocess.run(argv, cwd=db.server.directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"restarting the benchmark's server failed (exit {done.returncode}); see {log}")
    return f"max_locks_per_transaction = {LOCKS_PER_TRANSACTION} (raised for the benchmark's own server)"


@contextmanager
def other_database(db: BenchDatabase, suffix: str) -> Iterator[str]:
    """A second fresh database on the benchmark's server (its URL), dropped on exit."""
    name = f"{db.name}_{suffix}"
    url = create_database(db.server.url, name)
    try:
        yield url
    finally:
        drop_database(db.server.url, name)


def find_psql(pg_dump: Path) -> Path:
    """The psql next to ``pg_dump`` (the same installation), else the one on PATH."""
    beside = pg_dump.parent / "psql"
    if beside.is_file():
        return beside
    on_path = shutil.which("psql")
    if on_path is None:
        raise RuntimeError("no psql found (needed for the SQL-file comparison; --no-sql-files skips it)")
    return Path(on_path)
