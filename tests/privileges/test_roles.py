"""Roles the declarations need: created when the server lacks them (first in the plan), never
altered or dropped; from YAML, Python, SQL (a plain CREATE ROLE or one inside a DO block) and
written back by inspect. Real server; every role a test creates is dropped at its end, since
roles outlive the test's database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors
from pgreconcile.localpg import LocalServer


@pytest.fixture
def names(pg_server: LocalServer) -> Iterator[list[str]]:
    """Two role names no other test uses; dropped (with what they own) when the test ends."""
    tag = uuid.uuid4().hex[:8]
    chosen = [f"pgr_reader_{tag}", f"pgr_login_{tag}"]
    yield chosen
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        databases = [d for (d,) in conn.execute(
            "SELECT datname FROM pg_database WHERE datallowconn AND datname LIKE 'pgr_test_%'").fetchall()]
    for database in databases:
        url = pg_server.url.rsplit("/", 1)[0] + "/" + database
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                for role in chosen:
                    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                        conn.execute(f'DROP OWNED BY "{role}"')
        except psycopg.Error:
            pass
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        for role in chosen:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _roles(url: str, names: list[str]) -> dict[str, bool]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = ANY(%s)", [names]).fetchall()
    return dict(rows)


def _dir(tmp_path: Path, name: str, text: str) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_yaml_roles_are_created_first_then_left_alone(tmp_path: Path, db_url: str, names: list[str]) -> None:
    reader, login = names
    directory = _dir(tmp_path, "app.yaml", f"""
roles:
  {reader}: {{}}
  {login}: {{login: true}}
schemas:
  app:
    grants: {{{reader}: [usage]}}
    tables:
      notes:
        owner: {login}
        grants: {{{reader}: [select]}}
        columns:
          id: {{type: integer, primary_key: true}}
""")
    args = ("--schema-dir", str(directory), "--database-url", db_url)
    code, plan = _invoke("plan", *args, "--detailed-exitcode")
    assert code == Exit.CHANGES, plan
    lines = [line.strip() for line in plan.splitlines()
             if line.strip().startswith(("+ ", "~ ")) and "  " not in line.strip()]
    # The roles come before everything that names them.
    assert lines[0].startswith(f"+ role {login} (can log in;"), lines
    assert lines[1].startswith(f"+ role {reader} (cannot log in;"), lines
    code, output = _invoke("apply", *args, "--auto-approve")
    assert code == Exit.OK, output
    assert _roles(db_url, names) == {reader: False, login: True}
    with psycopg.connect(db_url) as conn:
        owner = conn.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'notes'").fetchone()
    assert owner == (login,)
    code, output = _invoke("plan", *args, "--detailed-exitcode")
    assert code == Exit.OK, output

    # An existing role is left as it is: attributes are the administrator's, never altered.
    run_sql(db_url, f'ALTER ROLE "{reader}" LOGIN')
    code, output = _invoke("plan", *args, "--detailed-exitcode")
    assert code == Exit.OK, output
    # Nor is an undeclared role ever dropped.
    text = (directory / "app.yaml").read_text()
    text = text.replace(f"  {login}: {{login: true}}\n", "").replace(f"owner: {login}", "owner: postgres")
    (directory / "app.yaml").write_text(text)
    code, output = _invoke("apply", *args, "--auto-approve")
    assert code == Exit.OK, output
    assert f"role {login}" not in output
    assert set(_roles(db_url, names)) == {reader, login}


def test_sql_files_create_their_roles_also_inside_a_do_block(tmp_path: Path, db_url: str, names: list[str]) -> None:
    reader, login = names
    directory = _dir(tmp_path, "app.sql", f"""
CREATE ROLE {login} WITH LOGIN;
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{reader}') THEN CREATE ROLE {reader}; END IF;
END $$;
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY);
ALTER TABLE app.notes OWNER TO {login};
GRANT SELECT ON app.notes TO {reader};
""")
    args = ("--schema-dir", str(directory), "--database-url", db_url, "--scratch", "local")
    code, output = _invoke("plan", *args)
    assert code == Exit.OK, output
    code, output = _invoke("apply", *args, "--auto-approve")
    assert code == Exit.OK, output
    assert f"+ role {login} (can log in;" in output and f"+ role {reader} (cannot log in;" in output
    assert _roles(db_url, names) == {reader: False, login: True}
    code, output = _invoke("plan", *args, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_python_roles_and_a_role_named_but_not_declared(tmp_path: Path, names: list[str]) -> None:
    reader, login = names
    path = tmp_path / "app.py"
    path.write_text(f'''
from pgreconcile.declare import Table, column

__schema__ = "app"
__roles__ = {{"{reader}": {{}}, "{login}": {{"login": True}}}}


class Notes(Table):
    id: int = column(primary_key=True)
''', encoding="utf-8")
    schema = load_files([path])
    assert {n: r.login for n, r in schema.declared_roles.items()} == {reader: False, login: True}
    assert schema.declared_roles[reader].origin is not None

    bad = tmp_path / "bad.yaml"
    bad.write_text("roles:\n  someone: {login: maybe}\n", encoding="utf-8")
    with pytest.raises(DeclarationErrors) as err:
        load_files([bad])
    assert "bad.yaml:2" in str(err.value) and "login" in str(err.value)


def test_a_role_neither_existing_nor_declared_is_refused(tmp_path: Path, db_url: str, names: list[str]) -> None:
    reader, _ = names
    directory = _dir(tmp_path, "app.yaml", f"""
schemas:
  app:
    grants: {{{reader}: [usage]}}
""")
    code, output = _invoke("plan", "--schema-dir", str(directory), "--database-url", db_url)
    assert code == Exit.ERROR, output
    assert f"names role '{reader}', which does not exist: declare it" in output
    assert _roles(db_url, names) == {}


def test_a_saved_plan_refuses_a_role_created_meanwhile(tmp_path: Path, db_url: str, names: list[str]) -> None:
    reader, _ = names
    directory = _dir(tmp_path, "app.yaml", f"roles: [{reader}]\nschemas:\n  app: {{}}\n")
    args = ("--schema-dir", str(directory), "--database-url", db_url)
    saved = tmp_path / "plan.json"
    code, output = _invoke("plan", *args, "-out", str(saved))
    assert code == Exit.OK, output
    run_sql(db_url, f'CREATE ROLE "{reader}"')
    code, output = _invoke("apply", str(saved), *args, "--auto-approve")
    assert code == Exit.ERROR, output
    assert f"role {reader} now exists" in output


def test_inspect_writes_the_roles_its_grants_name(tmp_path: Path, db_url: str, names: list[str]) -> None:
    reader, login = names
    run_sql(db_url, f"""
CREATE ROLE {reader}; CREATE ROLE {login} LOGIN;
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY);
GRANT SELECT ON app.notes TO {reader};
GRANT INSERT ON app.notes TO {login};
""")
    for fmt, name in (("yaml", "app.yaml"), ("python", "app.py")):
        out = tmp_path / fmt
        out.mkdir()
        code, output = _invoke("inspect", "--database-url", db_url, "--schema", "app", "--format", fmt,
                               "-o", str(out / name))
        assert code == Exit.OK, output
        declared = load_files([out / name]).declared_roles
        assert {n: r.login for n, r in declared.items()} == {reader: False, login: True}, fmt
        assert "postgres" not in declared  # the inspecting role, a superuser
        code, output = _invoke("plan", "--schema-dir", str(out), "--database-url", db_url, "--detailed-exitcode")
        assert code == Exit.OK, output
