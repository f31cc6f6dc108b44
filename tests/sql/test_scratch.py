"""The scratch database is always gone afterwards — after success, an SQL error, an unexpected
exception, Ctrl-C and SIGTERM — as pg_database says; a role without CREATEDB gets a clear way
out; ``--scratch local`` runs the files in a throwaway local server, never on the target."""

from __future__ import annotations

import json
import os
import signal
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from click.testing import CliRunner

from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare.directory import load_directory
from pgreconcile.declare.sql import scratch as scratch_module
from pgreconcile.declare.sql import source as sql_source
from pgreconcile.declare.sql.scratch import PREFIX, ScratchMode
from pgreconcile.errors import DeclarationError, ReconcileError
from pgreconcile.localpg import LocalServer

GOOD = "create schema app;\ncreate table app.items (id bigint primary key, name text not null);\n"


@pytest.fixture
def names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every scratch database name handed out during the test."""
    handed: list[str] = []
    original = scratch_module.new_name

    def recording() -> str:
        handed.append(original())
        return handed[-1]

    monkeypatch.setattr(scratch_module, "new_name", recording)
    return handed


def _schema_dir(tmp_path: Path, text: str, name: str = "app.sql") -> Path:
    directory = tmp_path / "schema"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def _exists(admin_url: str, name: str) -> bool:
    with psycopg.connect(admin_url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def _assert_all_gone(admin_url: str, handed: list[str]) -> None:
    assert handed, "no scratch database was created"
    for name in handed:
        assert name.startswith(PREFIX)
        assert not _exists(admin_url, name), f"scratch database {name} is still there"


def test_gone_after_success(tmp_path: Path, db_url: str, names: list[str]) -> None:
    seen: list[bool] = []
    original = sql_source.read_catalog

    def reading(conn: psycopg.Connection[Any], managed: Any) -> Any:
        seen.append(_exists(db_url, names[-1]))  # it does exist while the files are read back
        return original(conn, managed)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sql_source, "read_catalog", reading)
        desired = load_directory(_schema_dir(tmp_path, GOOD), target_url=db_url).schema
    assert ("app", "items") in desired.tables
    assert seen == [True]
    _assert_all_gone(db_url, names)


def test_dropped_in_background_while_the_plan_is_made_and_gone_when_the_block_ends(
    tmp_path: Path, db_url: str, names: list[str]
) -> None:
    with scratch_module.drops_in_background():
        load_directory(_schema_dir(tmp_path, GOOD), target_url=db_url)
        started = list(scratch_module._background or [])
        assert [t.name for t in started] == ["pgreconcile-scratch-drop"]  # not dropped inside the load
    assert not any(t.is_alive() for t in started)
    assert scratch_module._background is None
    _assert_all_gone(db_url, names)


def test_an_error_drops_at_once_even_with_drops_in_background(tmp_path: Path, db_url: str, names: list[str]) -> None:
    with scratch_module.drops_in_background():
        with pytest.raises(DeclarationError, match="syntax error"):
            load_directory(_schema_dir(tmp_path, GOOD + "create tabel oops ();\n"), target_url=db_url)
        assert scratch_module._background == []
        _assert_all_gone(db_url, names)  # before the block ends


def test_gone_after_a_plan_of_the_command(tmp_path: Path, db_url: str, names: list[str]) -> None:
    schema = _schema_dir(tmp_path, GOOD)
    result = CliRunner().invoke(cli, ["plan", "--schema-dir", str(schema), "--database-url", db_url,
                                      "--scratch", "target", "--no-color"])
    assert result.exit_code == 0, result.output
    assert "app.items" in result.output  # the plan creates the table
    _assert_all_gone(db_url, names)


def test_gone_after_an_sql_error(tmp_path: Path, db_url: str, names: list[str]) -> None:
    with pytest.raises(DeclarationError, match="syntax error"):
        load_directory(_schema_dir(tmp_path, GOOD + "create tabel oops ();\n"), target_url=db_url)
    _assert_all_gone(db_url, names)


def test_gone_after_an_unexpected_exception(
    tmp_path: Path, db_url: str, names: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(conn: psycopg.Connection[Any], managed: Any) -> Any:
        raise RuntimeError("a bug while reading back")

    monkeypatch.setattr(sql_source, "read_catalog", broken)
    with pytest.raises(RuntimeError, match="a bug while reading back"):
        load_directory(_schema_dir(tmp_path, GOOD), target_url=db_url)
    _assert_all_gone(db_url, names)


def test_gone_after_ctrl_c_and_the_cli_says_so(
    tmp_path: Path, db_url: str, names: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sql_source, "run_script", interrupted)
    schema_dir = _schema_dir(tmp_path, GOOD)
    result = CliRunner().invoke(cli, ["plan", "-s", str(schema_dir), "-d", db_url], catch_exceptions=False)
    assert result.exit_code == Exit.ERROR
    assert "Interrupted" in result.output and "Traceback" not in result.output
    _assert_all_gone(db_url, names)


def test_gone_after_sigterm(tmp_path: Path, db_url: str, names: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[int] = []

    def fallback(signum: int, frame: FrameType | None) -> None:
        received.append(signum)  # only reached if the scratch code did not take SIGTERM over

    def terminated(*args: Any, **kwargs: Any) -> None:
        os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, fallback)
    try:
        monkeypatch.setattr(sql_source, "run_script", terminated)
        with pytest.raises(KeyboardInterrupt):
            load_directory(_schema_dir(tmp_path, GOOD), target_url=db_url)
        assert signal.getsignal(signal.SIGTERM) is fallback  # restored afterwards
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert received == []
    _assert_all_gone(db_url, names)


def test_sigterm_while_dropped_in_background_waits_for_the_drop(
    tmp_path: Path, db_url: str, names: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[int] = []

    def fallback(signum: int, frame: FrameType | None) -> None:
        received.append(signum)  # only reached if the block did not take SIGTERM over

    original = scratch_module._drop

    def slow_drop(admin_url: str, name: str) -> None:
        time.sleep(1.0)  # still dropping when the signal comes
        original(admin_url, name)

    monkeypatch.setattr(scratch_module, "_drop", slow_drop)
    previous = signal.signal(signal.SIGTERM, fallback)
    try:
        with pytest.raises(KeyboardInterrupt), scratch_module.drops_in_background():
            load_directory(_schema_dir(tmp_path, GOOD), target_url=db_url)
            assert _exists(db_url, names[-1])  # the drop runs in the background
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # interrupted by the signal, long before this ends
        assert signal.getsignal(signal.SIGTERM) is fallback
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert received == []
    _assert_all_gone(db_url, names)  # waited for, not left behind


@pytest.fixture
def role_without_createdb(db_url: str, pg_server: LocalServer) -> Iterator[str]:
    """A URL for this test's database as a role that may log in but not create databases."""
    role = f"pgr_nocreatedb_{os.getpid()}"
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        conn.execute(f'CREATE ROLE "{role}" LOGIN NOCREATEDB')
    parts = urlsplit(db_url)
    url = urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port}"))
    try:
        try:
            psycopg.connect(url).close()
        except psycopg.Error as err:
            pytest.skip(f"cannot log in as a second role on the test server: {err}")
        yield url
    finally:
        with psycopg.connect(pg_server.url, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_no_createdb_privilege_suggests_scratch_local(tmp_path: Path, role_without_createdb: str) -> None:
    schema_dir = _schema_dir(tmp_path, GOOD)
    result = CliRunner().invoke(
        cli, ["plan", "-s", str(schema_dir), "-d", role_without_createdb, "--scratch", "target"], catch_exceptions=False
    )
    assert result.exit_code == Exit.ERROR
    assert "Traceback" not in result.output
    assert "the role has no CREATEDB privilege" in result.output
    assert "use --scratch local" in result.output


def test_validate_with_sql_files_and_no_server_says_what_to_pass(tmp_path: Path) -> None:
    schema_dir = _schema_dir(tmp_path, GOOD)
    result = CliRunner().invoke(
        cli, ["validate", "-s", str(schema_dir), "--scratch", "target"], env={"DATABASE_URL": None},
        catch_exceptions=False,
    )
    assert result.exit_code == Exit.ERROR
    assert "SQL files in the schema directory run in a scratch database, and no server is given" in result.output
    assert "--database-url" in result.output and "--scratch local" in result.output


@pytest.fixture
def local_servers(monkeypatch: pytest.MonkeyPatch) -> list[LocalServer]:
    """Every local server ``--scratch local`` starts during the test."""
    started: list[LocalServer] = []
    original = scratch_module.start_server
    monkeypatch.delenv(scratch_module.SCRATCH_URL_ENV, raising=False)  # a server of its own

    def recording(prefer_url: str | None = None) -> LocalServer:
        started.append(original(prefer_url))
        return started[-1]

    monkeypatch.setattr(scratch_module, "start_server", recording)
    return started


def _skip_without_local_server(output: str) -> None:
    if "run in a throwaway local PostgreSQL (--scratch local), and none could be started" in output:
        pytest.skip("no local PostgreSQL can be started for --scratch local")


@pytest.mark.parametrize("flag", [["--scratch", "local"], []], ids=["explicit", "default"])
def test_scratch_local_never_touches_the_target_server(
    tmp_path: Path,
    db_url: str,
    names: list[str],
    local_servers: list[LocalServer],
    pg_server: LocalServer,
    flag: list[str],
) -> None:
    """Issue 18: planning never writes — by default, too, *.sql files never run on the target's server."""
    role = f"pgr_reader_{os.getpid()}"
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" NOLOGIN')
    try:
        # A GRANT to a role of the target: in local mode the role is created in the local server.
        schema_dir = _schema_dir(tmp_path, GOOD + f'grant select on app.items to "{role}";\n')
        common = ["-s", str(schema_dir), "-d", db_url, *flag]
        result = CliRunner().invoke(cli, ["plan", *common, "--detailed-exitcode"], catch_exceptions=False)
        _skip_without_local_server(result.output)
        assert result.exit_code == Exit.CHANGES, result.output
        assert "+ table app.items" in result.output
        result = CliRunner().invoke(cli, ["apply", *common, "--auto-approve"], catch_exceptions=False)
        assert result.exit_code == Exit.OK, result.output
        result = CliRunner().invoke(cli, ["plan", *common, "--detailed-exitcode"], catch_exceptions=False)
        assert result.exit_code == Exit.OK, result.output
        # [privileges] The GRANT in the SQL files is declared, so it was applied to the target.
        with psycopg.connect(db_url) as conn:
            assert conn.execute(f"SELECT has_table_privilege('{role}', 'app.items', 'SELECT')").fetchone() == (True,)
    finally:
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')  # its grants, so that the role can go
        with psycopg.connect(pg_server.url, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
    assert len(local_servers) == 3  # one per command
    for server in local_servers:
        assert server.url != pg_server.url
        assert server.directory is None or not server.directory.exists()  # stopped and deleted
    for name in names:
        assert not _exists(db_url, name)  # never created on the target


def test_scratch_local_allows_server_wide_statements_and_needs_no_url(tmp_path: Path, names: list[str]) -> None:
    schema_dir = _schema_dir(tmp_path, GOOD + "create role pgr_local_only;\n")
    result = CliRunner().invoke(
        cli,
        ["validate", "-s", str(schema_dir), "--scratch", "local"],
        env={"DATABASE_URL": None, scratch_module.SCRATCH_URL_ENV: None},
        catch_exceptions=False,
    )
    _skip_without_local_server(result.output)
    assert result.exit_code == Exit.OK, result.output
    # app, and public: SQL files alone describe the whole database
    assert "1 table," in result.output and "in 2 schemas." in result.output


def test_scratch_target_without_url_is_a_reconcile_error() -> None:
    with pytest.raises(ReconcileError, match="no server is given"), scratch_module.scratch_database(
        ScratchMode.TARGET, None
    ):
        pass


def test_scratch_target_is_flagged_in_every_view_of_the_plan(tmp_path: Path, db_url: str) -> None:
    """Issue 18: running declaration SQL on the target server is an opt-in the plan says out loud."""
    schema_dir = _schema_dir(tmp_path, GOOD)
    flag = "*.sql declarations ran on the target server, running declaration SQL with the role's privileges"
    for view in ([], ["--json"], ["--markdown"], ["--sql"]):
        result = CliRunner().invoke(
            cli, ["plan", "-s", str(schema_dir), "-d", db_url, "--scratch", "target", *view], catch_exceptions=False
        )
        assert result.exit_code == Exit.OK, result.output
        assert f"Warning: --scratch target: {flag}." in result.output
    document = CliRunner().invoke(
        cli, ["plan", "-s", str(schema_dir), "-d", db_url, "--scratch", "target", "--json"], catch_exceptions=False
    )
    assert flag in json.loads(document.stdout)["source"]
    plain = CliRunner().invoke(cli, ["plan", "-s", str(schema_dir), "-d", db_url], catch_exceptions=False)
    assert plain.exit_code == Exit.OK, plain.output
    assert "target server" not in plain.output


@pytest.fixture
def own_scratch_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A throwaway server of the test's own as $RECONCILE_SCRATCH_URL (kept between plans)."""
    from pgreconcile.localpg import start_server

    try:
        server = start_server()
    except RuntimeError as why:
        pytest.skip(f"no second local PostgreSQL can be started: {why}")
    monkeypatch.setenv(scratch_module.SCRATCH_URL_ENV, server.url)
    try:
        yield server.url
    finally:
        server.stop()


def test_files_creating_a_role_the_target_has_plan_again_and_again(
    tmp_path: Path, db_url: str, own_scratch_server: str
) -> None:
    # The target has the role already (a deploy created it): the files' CREATE ROLE runs in the
    # scratch server, where the target's roles are copied as stubs — but not the ones the files
    # create, and those are dropped with the scratch database, so the next plan runs them again.
    role = "pgr_reader_" + os.urandom(4).hex()
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}"')
    try:
        schema_dir = _schema_dir(
            tmp_path, f"create role {role};\ncreate table public.notes (id int primary key);\n"
            f"grant select on public.notes to {role};\n"
        )
        common = ["-s", str(schema_dir), "-d", db_url]
        for _ in range(2):
            result = CliRunner().invoke(cli, ["plan", *common, "--detailed-exitcode"], catch_exceptions=False)
            assert result.exit_code == Exit.CHANGES, result.output
            assert f"select to {role}" in result.output.lower(), result.output
        with psycopg.connect(own_scratch_server) as conn:
            left = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchall()
        assert left == []
        result = CliRunner().invoke(cli, ["apply", *common, "--auto-approve"], catch_exceptions=False)
        assert result.exit_code == Exit.OK, result.output
        result = CliRunner().invoke(cli, ["plan", *common, "--detailed-exitcode"], catch_exceptions=False)
        assert result.exit_code == Exit.OK, result.output
    finally:
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS public.notes")
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
