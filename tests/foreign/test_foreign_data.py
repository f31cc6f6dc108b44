"""Foreign data wrappers, servers, user mappings and foreign tables: the same plan from YAML,
Python and SQL files, applied and planned again on a real server; secrets never shown; what
PostgreSQL cannot alter re-created or refused; bad declarations named at their line."""

from __future__ import annotations

import json
import textwrap
import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.localpg import LocalServer, create_database, drop_database

SECRET = "s3cret-Pa55"

YAML = f"""
version: 1
foreign_data_wrappers:
  test_fdw: {{options: {{debug: 'true'}}}}
foreign_servers:
  test_server:
    wrapper: test_fdw
    type: postgres_fdw
    version: '1.0'
    options: {{host: localhost, port: '5432'}}
    user_mappings:
      public: {{options: {{user: remote_user, password: {SECRET}}}}}
schemas:
  test_schema:
    tables:
      t:
        foreign: {{server: test_server, options: {{schema_name: remote_schema, table_name: remote_table}}}}
        columns:
          id: {{type: integer, default: 0, nullable: false}}
          name: text
"""

PYTHON = f'''
from pgreconcile.declare import Table, column

__foreign_data_wrappers__ = {{"test_fdw": {{"options": {{"debug": "true"}}}}}}
__foreign_servers__ = {{
    "test_server": {{
        "wrapper": "test_fdw", "type": "postgres_fdw", "version": "1.0",
        "options": {{"host": "localhost", "port": "5432"}},
        "user_mappings": {{"public": {{"options": {{"user": "remote_user", "password": "{SECRET}"}}}}}},
    }},
}}


class T(Table, schema="test_schema", name="t"):
    id: int = column(type="integer", default=0)
    name: str | None = column(type="text")
    __foreign__ = {{"server": "test_server",
                   "options": {{"schema_name": "remote_schema", "table_name": "remote_table"}}}}
'''

SQL = f"""
CREATE FOREIGN DATA WRAPPER test_fdw OPTIONS (debug 'true');
CREATE SERVER test_server TYPE 'postgres_fdw' VERSION '1.0' FOREIGN DATA WRAPPER test_fdw
    OPTIONS (host 'localhost', port '5432');
CREATE USER MAPPING FOR PUBLIC SERVER test_server OPTIONS (user 'remote_user', password '{SECRET}');
CREATE SCHEMA test_schema;
CREATE FOREIGN TABLE test_schema.t (id integer DEFAULT 0 NOT NULL, name text) SERVER test_server
    OPTIONS (schema_name 'remote_schema', table_name 'remote_table');
"""

STATE = """
SELECT (SELECT array_agg(fdwname || ':' || array_to_string(fdwoptions, ',')) FROM pg_foreign_data_wrapper),
       (SELECT array_agg(srvname || ':' || srvtype || ':' || srvversion || ':' || array_to_string(srvoptions, ','))
        FROM pg_foreign_server),
       (SELECT array_agg(usename || ':' || (SELECT string_agg(o, ',' ORDER BY o) FROM unnest(umoptions) AS o))
        FROM pg_user_mappings),
       (SELECT array_agg(c.relname || ':' || array_to_string(ft.ftoptions, ',')) FROM pg_foreign_table ft
        JOIN pg_class c ON c.oid = ft.ftrelid),
       (SELECT array_agg(attname || ':' || format_type(atttypid, atttypmod) || ':' || attnotnull ORDER BY attnum)
        FROM pg_attribute WHERE attrelid = 'test_schema.t'::regclass AND attnum > 0)
"""


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _dir(tmp_path: Path, name: str, text: str) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return directory


def _state(url: str) -> tuple[object, ...]:
    with psycopg.connect(url) as conn:
        row = conn.execute(STATE).fetchone()
    assert row is not None
    return tuple(row)


@pytest.mark.parametrize("name,text", [("app.yaml", YAML), ("app.py", PYTHON), ("app.sql", SQL)],
                         ids=["yaml", "python", "sql"])
def test_every_source_creates_the_same_foreign_data_and_never_shows_the_password(
    name: str, text: str, tmp_path: Path, db_url: str
) -> None:
    common = ("--schema-dir", str(_dir(tmp_path, name, text)), "--database-url", db_url)
    code, shown = _invoke("plan", *common, "--sql")
    assert code == Exit.OK, shown
    code, as_json = _invoke("plan", *common, "--json")
    assert code == Exit.OK, as_json
    code, output = _invoke("plan", *common, "-out", str(tmp_path / "saved.plan.json"))
    assert code == Exit.OK, output
    for text_out in (shown, as_json, output, (tmp_path / "saved.plan.json").read_text()):
        assert SECRET not in text_out
    assert "password '***'" in shown
    steps = [(s["kind"], s["key"]) for s in json.loads(as_json)["steps"]]
    assert steps == [
        ("schema", "schema:test_schema"),
        ("foreign data wrapper", "foreign data wrapper:test_fdw"),
        ("server", "server:test_server"),
        ("user mapping", "user mapping:public@test_server"),
        ("table", "table:test_schema.t"),
    ]
    # A saved plan holds no password, so it cannot set one.
    code, output = _invoke("apply", str(tmp_path / "saved.plan.json"), "--database-url", db_url)
    assert code == Exit.ERROR, output
    assert "a saved plan never holds its value" in output and SECRET not in output

    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    assert SECRET not in output
    wrappers, servers, mappings, tables, columns = _state(db_url)
    assert wrappers == ["test_fdw:debug=true"]
    assert servers == ["test_server:postgres_fdw:1.0:host=localhost,port=5432"]
    assert mappings == [f"public:password={SECRET},user=remote_user"]
    assert tables == ["t:schema_name=remote_schema,table_name=remote_table"]
    assert columns == ["id:integer:true", "name:text:false"]
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_a_changed_password_is_altered_without_being_shown(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, SQL.replace(SECRET, "old-password"))
    common = ("--schema-dir", str(_dir(tmp_path, "app.yaml", YAML)), "--database-url", db_url)
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.CHANGES, output
    assert "~ user mapping for public on server test_server: option password changed" in output
    assert "old-password" not in output and SECRET not in output
    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    assert _state(db_url)[2] == [f"public:password={SECRET},user=remote_user"]


def test_undeclared_wrappers_and_servers_are_left_alone_unless_their_kind_is_declared(
    tmp_path: Path, db_url: str
) -> None:
    run_sql(db_url, "CREATE FOREIGN DATA WRAPPER other_fdw; CREATE SERVER other_server FOREIGN DATA WRAPPER other_fdw;")
    only_tables = "version: 1\nschemas:\n  app:\n    tables:\n      t: {columns: {id: integer}}\n"
    schema_dir = _dir(tmp_path, "app.yaml", only_tables)
    code, output = _invoke("plan", "--schema-dir", str(schema_dir), "--database-url", db_url)
    assert code == Exit.OK, output
    assert "other_server" not in output and "other_fdw" not in output
    (schema_dir / "app.yaml").write_text(only_tables + "foreign_servers:\n", encoding="utf-8")
    code, output = _invoke("plan", "--schema-dir", str(schema_dir), "--database-url", db_url)
    assert "- server other_server (wrapper other_fdw)" in output
    assert "other_fdw" not in output.replace("(wrapper other_fdw)", "")


def test_a_server_whose_type_changes_is_recreated_with_its_foreign_tables(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, SQL.replace("TYPE 'postgres_fdw'", "TYPE 'old_type'"))
    common = ("--schema-dir", str(_dir(tmp_path, "app.yaml", YAML)), "--database-url", db_url)
    code, output = _invoke("plan", *common)
    assert "re-created: its type changed" in output
    assert "re-created: server test_server is re-created" in output
    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    assert _state(db_url)[1] == ["test_server:postgres_fdw:1.0:host=localhost,port=5432"]
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_a_foreign_table_moved_to_another_server_is_recreated(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, SQL + "CREATE SERVER old_server FOREIGN DATA WRAPPER test_fdw;"
            "ALTER FOREIGN TABLE test_schema.t RENAME TO t_old; DROP FOREIGN TABLE test_schema.t_old;"
            "CREATE FOREIGN TABLE test_schema.t (id integer) SERVER old_server;")
    declared = YAML.replace("foreign_servers:\n", "foreign_servers:\n  old_server: {wrapper: test_fdw}\n")
    common = ("--schema-dir", str(_dir(tmp_path, "app.yaml", declared)), "--database-url", db_url)
    code, output = _invoke("plan", *common)
    assert "-/+ foreign table test_schema.t" in output and "re-created: its server changed" in output
    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_an_ordinary_table_declared_foreign_is_refused(tmp_path: Path, db_url: str) -> None:
    ordinary = SQL[: SQL.index("CREATE FOREIGN TABLE")] + "CREATE TABLE test_schema.t (id integer, name text);"
    run_sql(db_url, ordinary)
    code, output = _invoke("plan", "--schema-dir", str(_dir(tmp_path, "app.yaml", YAML)), "--database-url", db_url)
    assert code == Exit.ERROR, output
    assert "test_schema.t is an ordinary table but declared as a foreign table" in output


def test_what_a_foreign_table_cannot_have_is_an_error_at_its_line(tmp_path: Path) -> None:
    bad = YAML.replace("          name: text\n", "          name: text\n        primary_key: id\n")
    code, output = _invoke("validate", "--schema-dir", str(_dir(tmp_path, "app.yaml", bad)))
    assert code == Exit.ERROR, output
    line = bad.lstrip("\n").splitlines().index("        primary_key: id") + 1
    assert f"app.yaml:{line}" in output
    assert "a foreign table cannot have a primary key" in output
    assert "Traceback" not in output


# Transitions as supabase/pg-delta's foreign data wrapper tests write them: the live database is
# built by the first script, the second is the desired state as SQL files.
BASE = "CREATE FOREIGN DATA WRAPPER test_fdw;\n"
SERVER = BASE + "CREATE SERVER test_server FOREIGN DATA WRAPPER test_fdw;\n"
TABLE = SERVER + "CREATE SCHEMA test_schema;\n"
TRANSITIONS = {
    "create-wrapper": ("", "CREATE FOREIGN DATA WRAPPER test_fdw OPTIONS (debug 'true');"),
    "wrapper-options": ("CREATE FOREIGN DATA WRAPPER test_fdw OPTIONS (debug 'true');",
                        "CREATE FOREIGN DATA WRAPPER test_fdw OPTIONS (debug 'false', x 'y');"),
    "create-server": (BASE, BASE + "CREATE SERVER test_server TYPE 'postgres_fdw' VERSION '1.0' "
                      "FOREIGN DATA WRAPPER test_fdw OPTIONS (host 'localhost', port '5432');"),
    "server-version-options": (
        BASE + "CREATE SERVER test_server VERSION '1.0' FOREIGN DATA WRAPPER test_fdw OPTIONS (host 'a');",
        BASE + "CREATE SERVER test_server VERSION '2.0' FOREIGN DATA WRAPPER test_fdw OPTIONS (port '1');"),
    "server-owner": (SERVER, SERVER + "ALTER SERVER test_server OWNER TO fdw_test_owner;"),
    "drop-server": (SERVER, BASE),
    "mapping-current-user": (SERVER, SERVER + "CREATE USER MAPPING FOR CURRENT_USER SERVER test_server "
                             "OPTIONS (user 'remote_user', password 'secret');"),
    "mapping-public-alter": (
        SERVER + "CREATE USER MAPPING FOR PUBLIC SERVER test_server OPTIONS (user 'a');",
        SERVER + "CREATE USER MAPPING FOR PUBLIC SERVER test_server OPTIONS (user 'b', password 'p');"),
    "mapping-drop": (SERVER + "CREATE USER MAPPING FOR fdw_test_owner SERVER test_server;", SERVER),
    "create-foreign-table": (TABLE, TABLE + "CREATE FOREIGN TABLE test_schema.t (id integer DEFAULT 0 NOT NULL, "
                             "name text) SERVER test_server OPTIONS (schema_name 'r', table_name 't');"),
    "foreign-table-columns": (
        TABLE + "CREATE FOREIGN TABLE test_schema.t (id integer, old text) SERVER test_server;",
        TABLE + "CREATE FOREIGN TABLE test_schema.t (id bigint NOT NULL DEFAULT 1, added text) SERVER test_server "
        "OPTIONS (table_name 'remote');"),
    "drop-foreign-table": (TABLE + "CREATE FOREIGN TABLE test_schema.t (id integer) SERVER test_server;", TABLE),
    "foreign-table-options": (
        TABLE + "CREATE FOREIGN TABLE test_schema.t (id integer) SERVER test_server OPTIONS (a '1', b '2');",
        TABLE + "CREATE FOREIGN TABLE test_schema.t (id integer) SERVER test_server OPTIONS (a '1', b '2');\n"
        "ALTER FOREIGN TABLE test_schema.t OPTIONS (DROP a, SET b '3', ADD c '4');"),
    "wrapper-owner": (BASE, BASE + "ALTER FOREIGN DATA WRAPPER test_fdw OWNER TO fdw_test_owner;"),
    # Files that drop the last wrapper still manage wrappers: the live one goes.
    "drop-last-wrapper": (BASE, BASE + "DROP FOREIGN DATA WRAPPER test_fdw;"),
}


SNAPSHOT = """
SELECT 'wrapper', fdwname, pg_get_userbyid(fdwowner),
       (SELECT array_agg(o ORDER BY o) FROM unnest(fdwoptions) AS o)::text FROM pg_foreign_data_wrapper
UNION ALL SELECT 'server', srvname, pg_get_userbyid(srvowner) || ' ' || coalesce(srvtype, '-') || ' '
                 || coalesce(srvversion, '-'),
                 (SELECT array_agg(o ORDER BY o) FROM unnest(srvoptions) AS o)::text FROM pg_foreign_server
UNION ALL SELECT 'mapping', srvname, usename,
                 (SELECT array_agg(o ORDER BY o) FROM unnest(umoptions) AS o)::text FROM pg_user_mappings
UNION ALL SELECT 'foreign table', c.relname, pg_get_userbyid(c.relowner),
                 (SELECT array_agg(o ORDER BY o) FROM unnest(ft.ftoptions) AS o)::text
          FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
UNION ALL SELECT 'column', c.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull,
                 pg_get_expr(d.adbin, d.adrelid)
          FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'f'
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE a.attnum > 0 AND NOT a.attisdropped
ORDER BY 1, 2, 3
"""


def _snapshot(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return [tuple(row) for row in conn.execute(SNAPSHOT).fetchall()]


@pytest.mark.parametrize("transition", sorted(TRANSITIONS))
def test_sql_transitions_converge(transition: str, tmp_path: Path, db_url: str, pg_server: LocalServer) -> None:
    run_sql(db_url, "DO $$ BEGIN CREATE ROLE fdw_test_owner SUPERUSER; "
                    "EXCEPTION WHEN duplicate_object THEN NULL; END $$;")
    before, after = TRANSITIONS[transition]
    if before:
        run_sql(db_url, before)
    common = ("--schema-dir", str(_dir(tmp_path, "app.sql", after + "\n")), "--database-url", db_url)
    code, output = _invoke("apply", *common, "--auto-approve", "--allow-destroy")
    assert code == Exit.OK, output
    assert "secret" not in output
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output
    # The target now holds what the files build in a database of their own.
    fresh = f"fdw_{uuid.uuid4().hex[:10]}"
    fresh_url = create_database(pg_server.url, fresh)
    try:
        run_sql(fresh_url, after or "SELECT 1")
        assert _snapshot(db_url) == _snapshot(fresh_url)
    finally:
        drop_database(pg_server.url, fresh)


def test_a_foreign_tables_comment_and_owner_change_in_place(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, SQL + "COMMENT ON FOREIGN TABLE test_schema.t IS 'old';\n"
                    "DO $$ BEGIN CREATE ROLE fdw_test_owner SUPERUSER; "
                    "EXCEPTION WHEN duplicate_object THEN NULL; END $$;")
    extra = "        comment: new\n        owner: fdw_test_owner\n"
    declared = YAML.replace("        columns:\n", extra + "        columns:\n", 1)
    common = ("--schema-dir", str(_dir(tmp_path, "app.yaml", declared)), "--database-url", db_url)
    code, output = _invoke("plan", *common, "--sql")
    assert "COMMENT ON FOREIGN TABLE test_schema.t IS 'new'" in output, output
    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT obj_description('test_schema.t'::regclass, 'pg_class'), "
                           "pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'test_schema.t'::regclass").fetchone()
    assert row == ("new", "fdw_test_owner")
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_a_saved_plan_without_secrets_applies(tmp_path: Path, db_url: str) -> None:
    declared = YAML.replace(f", password: {SECRET}", "")
    common = ("--schema-dir", str(_dir(tmp_path, "app.yaml", declared)), "--database-url", db_url)
    saved = str(tmp_path / "saved.plan.json")
    code, output = _invoke("plan", *common, "-out", saved)
    assert code == Exit.OK, output
    code, output = _invoke("apply", saved, "--database-url", db_url)
    assert code == Exit.OK, output
    assert _state(db_url)[2] == ["public:user=remote_user"]
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_no_alembic_revision_is_written_for_a_password(tmp_path: Path, db_url: str) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    schema_dir = _dir(tmp_path, "app.yaml", YAML)
    code, output = _invoke("plan", "--schema-dir", str(schema_dir), "-d", db_url, "--format", "alembic",
                           "-o", str(versions))
    assert code == Exit.ERROR, output
    assert "sets a secret option, so no Alembic revision is written" in output and SECRET not in output
    assert list(versions.iterdir()) == []
