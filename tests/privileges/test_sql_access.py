"""SQL files as the desired state of access, against a real server: what they grant is granted and
what they do not is revoked (in the managed schemas), relative to what an object is born with on
the target; database-wide and per-schema default privileges; owners the files set. Each test
applies, reads the catalog back and plans again (no changes)."""

from __future__ import annotations

from pathlib import Path

import psycopg
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

ROLES = """
DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE pgr_keeper_a NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE pgr_keeper_b NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
"""

# Every default privileges entry of the database: (schema or '' for every schema, objects, ACL).
DEFAULT_ACLS = """
SELECT COALESCE(n.nspname, ''), d.defaclobjtype::text, d.defaclacl::text
FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
ORDER BY 1, 2
"""


def _write(tmp_path: Path, text: str, folder: str = "schema") -> Path:
    directory = tmp_path / folder
    directory.mkdir(exist_ok=True)
    (directory / "app.sql").write_text(text)
    return directory


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _converge(directory: Path, db_url: str, *extra: str) -> str:
    """Apply the files, then plan again: nothing may be left to do. The apply output."""
    args = ("--schema-dir", str(directory), "--database-url", db_url, "--scratch", "local")
    code, output = _invoke("apply", *args, "--auto-approve", *extra)
    assert code == 0, output
    code, again = _invoke("plan", *args, "--detailed-exitcode")
    assert code == Exit.OK, again
    return output


def _one(url: str, query: str, *params: object) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute(query, params).fetchone()
    return row[0] if row else None


def _acl(url: str, relation: str) -> str | None:
    acl = _one(url, "SELECT relacl::text FROM pg_class WHERE oid = %s::regclass", relation)
    return acl.replace("=arwdDxtm/", "=arwdDxt/") if isinstance(acl, str) else None  # PostgreSQL 17's MAINTAIN


def _default_acls(url: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(url) as conn:
        return [tuple(row) for row in conn.execute(DEFAULT_ACLS).fetchall()]


def test_grants_the_files_do_not_make_are_revoked_table_and_column(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, ROLES + """
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer, body text, dropped text);
GRANT SELECT, UPDATE ON app.notes TO anon;
GRANT SELECT (id, body, dropped) ON app.notes TO authenticated;
""")
    # The files grant nothing on the table level but SELECT: UPDATE moves to one column, and the
    # column grants to authenticated are gone (the REVOKE on the table must not undo the new one;
    # the dropped column takes its grant along, no REVOKE on it).
    directory = _write(tmp_path, """
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer, body text);
GRANT SELECT ON app.notes TO anon;
GRANT UPDATE (body) ON app.notes TO anon;
""")
    output = _converge(directory, db_url, "--allow-destroy")
    assert "grant on column dropped" not in output
    assert "revokes access" in output
    assert _acl(db_url, "app.notes") == "{postgres=arwdDxt/postgres,anon=r/postgres}"
    column_acl = "SELECT attacl::text FROM pg_attribute WHERE attrelid = 'app.notes'::regclass AND attname = %s"
    assert _one(db_url, column_acl, "body") == "{anon=w/postgres}"
    assert _one(db_url, column_acl, "id") is None


def test_files_without_any_grant_revoke_the_live_ones(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, ROLES + "CREATE SCHEMA app; CREATE TABLE app.log (id integer); GRANT SELECT ON app.log TO anon;"
                            "CREATE FUNCTION app.one() RETURNS integer LANGUAGE sql AS 'SELECT 1';"
                            "REVOKE EXECUTE ON FUNCTION app.one() FROM PUBLIC;")
    directory = _write(tmp_path, """
CREATE SCHEMA app;
CREATE TABLE app.log (id integer);
CREATE FUNCTION app.one() RETURNS integer LANGUAGE sql AS 'SELECT 1';
""")
    _converge(directory, db_url)
    assert _acl(db_url, "app.log") == "{postgres=arwdDxt/postgres}"
    # A function the files leave alone is as CREATE FUNCTION makes it: PUBLIC may execute it.
    assert _one(db_url, "SELECT has_function_privilege('anon', 'app.one()', 'EXECUTE')") is True


def test_the_targets_own_default_privileges_are_kept(tmp_path: Path, db_url: str) -> None:
    """Supabase's shape: public's default privileges grant every new table to a role; SQL files
    that never mention them keep them, on tables that exist and on tables the plan creates."""
    run_sql(db_url, ROLES + """
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO anon;
CREATE TABLE public.notes (id integer);
""")
    directory = _write(tmp_path, """
CREATE TABLE public.notes (id integer);
CREATE TABLE public.tags (id integer);
GRANT INSERT ON public.notes TO authenticated;
""")
    output = _converge(directory, db_url)
    assert "revokes access" not in output
    assert _acl(db_url, "public.notes") == "{postgres=arwdDxt/postgres,anon=r/postgres,authenticated=a/postgres}"
    assert _acl(db_url, "public.tags") == "{postgres=arwdDxt/postgres,anon=r/postgres}"
    assert _default_acls(db_url) == [("public", "r", "{anon=r/postgres}")]


def test_database_wide_default_privileges_are_declared_and_narrowed(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, ROLES)
    first = _write(tmp_path, """
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO anon;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer);
CREATE FUNCTION app.one() RETURNS integer LANGUAGE sql AS 'SELECT 1';
""", "first")
    output = _converge(first, db_url)
    assert "in every schema" in output
    entries = _default_acls(db_url)
    assert [(s, kind) for s, kind, _ in entries] == [("", "f"), ("", "r")]
    assert entries[0][2] == "{postgres=X/postgres}"  # the role keeps EXECUTE, PUBLIC does not
    assert "anon=r/postgres" in entries[1][2]
    assert "anon=r/postgres" in str(_acl(db_url, "app.notes"))
    assert _one(db_url, "SELECT has_function_privilege('anon', 'app.one()', 'EXECUTE')") is False
    # The files now set only INSERT for anon: SELECT goes from the defaults and from the table,
    # and functions get PostgreSQL's built-in defaults back (PUBLIC may execute), existing one too.
    second = _write(tmp_path, """
ALTER DEFAULT PRIVILEGES GRANT INSERT ON TABLES TO anon;
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer);
CREATE FUNCTION app.one() RETURNS integer LANGUAGE sql AS 'SELECT 1';
""", "second")
    _converge(second, db_url)
    entries = _default_acls(db_url)
    assert [(s, kind) for s, kind, _ in entries] == [("", "r")]
    assert "anon=a/postgres" in entries[0][2] and "anon=r" not in entries[0][2]
    assert _acl(db_url, "app.notes") == "{postgres=arwdDxt/postgres,anon=a/postgres}"
    assert _one(db_url, "SELECT has_function_privilege('anon', 'app.one()', 'EXECUTE')") is True


def test_default_privileges_in_public_are_managed_without_managing_public(tmp_path: Path, db_url: str) -> None:
    """Beside YAML, files that put nothing in public but its default privileges change only those.
    (Alone, SQL files describe the whole database: tests/sql/test_sql_whole_database.py.)"""
    run_sql(db_url, ROLES + "CREATE SCHEMA app; CREATE TABLE public.untouched (id integer);")
    directory = _write(tmp_path, """
CREATE SCHEMA app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, UPDATE ON TABLES TO authenticated WITH GRANT OPTION;
""")
    (directory / "more.yaml").write_text("schemas:\n  more: {}\n")
    _converge(directory, db_url)
    assert _default_acls(db_url) == [("public", "r", "{authenticated=r*w*/postgres}")]
    assert _one(db_url, "SELECT to_regclass('public.untouched')::text") == "untouched"


def test_a_schema_the_files_create_holds_only_their_default_privileges(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, ROLES + "CREATE SCHEMA app; ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO anon;"
                            "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT USAGE ON SEQUENCES TO anon;")
    directory = _write(tmp_path, "CREATE SCHEMA app;\n")
    output = _converge(directory, db_url)
    assert "revokes access" in output
    assert _default_acls(db_url) == []


def test_owners_the_files_set_are_applied_others_kept(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, ROLES + """
CREATE SCHEMA app;
CREATE TABLE app.given (id integer);
CREATE TABLE app.kept (id integer);
CREATE FUNCTION app.one() RETURNS integer LANGUAGE sql AS 'SELECT 1';
ALTER TABLE app.given OWNER TO pgr_keeper_a;
ALTER TABLE app.kept OWNER TO pgr_keeper_a;
ALTER FUNCTION app.one() OWNER TO pgr_keeper_a;
""")
    directory = _write(tmp_path, """
CREATE SCHEMA app;
CREATE TABLE app.given (id integer);
CREATE TABLE app.kept (id integer);
CREATE FUNCTION app.one() RETURNS integer LANGUAGE sql AS 'SELECT 1';
ALTER TABLE app.given OWNER TO pgr_keeper_b;
ALTER FUNCTION app.one() OWNER TO pgr_keeper_b;
""")
    output = _converge(directory, db_url)
    assert "owner of table app.given: pgr_keeper_a → pgr_keeper_b" in output
    owner = "SELECT relowner::regrole::text FROM pg_class WHERE oid = %s::regclass"
    assert _one(db_url, owner, "app.given") == "pgr_keeper_b"
    assert _one(db_url, owner, "app.kept") == "pgr_keeper_a"  # the files gave it no owner
    assert _one(db_url, "SELECT proowner::regrole::text FROM pg_proc WHERE oid = 'app.one()'::regprocedure") == (
        "pgr_keeper_b"
    )


def test_column_grants_on_views_are_read_granted_and_revoked(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, ROLES + """
CREATE SCHEMA app;
CREATE TABLE app.todos (id integer, name text);
CREATE VIEW app.todos_view AS SELECT id, name FROM app.todos;
CREATE MATERIALIZED VIEW app.todos_mat AS SELECT id, name FROM app.todos;
GRANT SELECT (id, name) ON app.todos_view TO anon;
GRANT SELECT (id, name) ON app.todos_mat TO anon;
""")
    # The live column grants of a view are read as held: SELECT (name) to anon is revoked, the
    # one on id stays (no GRANT again), and the new ones are granted once (a second plan is empty).
    directory = _write(tmp_path, """
CREATE SCHEMA app;
CREATE TABLE app.todos (id integer, name text);
CREATE VIEW app.todos_view AS SELECT id, name FROM app.todos;
CREATE MATERIALIZED VIEW app.todos_mat AS SELECT id, name FROM app.todos;
GRANT SELECT (id) ON app.todos_view TO anon;
GRANT UPDATE (name) ON app.todos_view TO authenticated;
GRANT SELECT (id) ON app.todos_mat TO anon;
""")
    output = _converge(directory, db_url)
    assert "+ grant on column id" not in output, output  # held already: not granted again
    column_acl = "SELECT attacl::text FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s"
    assert _one(db_url, column_acl, "app.todos_view", "id") == "{anon=r/postgres}"
    assert _one(db_url, column_acl, "app.todos_view", "name") == "{authenticated=w/postgres}"
    assert _one(db_url, column_acl, "app.todos_mat", "id") == "{anon=r/postgres}"
    assert _one(db_url, column_acl, "app.todos_mat", "name") is None


def test_column_grants_of_views_re_created_as_readers_are_granted_again(tmp_path: Path, db_url: str) -> None:
    # Retyping amount re-creates totals (it reads the column) and, in turn, big (it reads
    # totals) and the materialized view: all three come back without their column grants,
    # which must be issued again (found by pgschema's diff tests: apply's verification failed).
    views = """
CREATE VIEW app.totals AS SELECT id, amount FROM app.orders;
CREATE VIEW app.big AS SELECT id, amount FROM app.totals WHERE amount > 100;
CREATE MATERIALIZED VIEW app.summary AS SELECT id, amount FROM app.totals;
GRANT SELECT (id) ON app.big TO anon;
GRANT SELECT (id, amount) ON app.summary TO anon;
GRANT SELECT ON app.totals TO authenticated;
"""
    table = "CREATE SCHEMA app;\nCREATE TABLE app.orders (id integer PRIMARY KEY, amount {});\n"
    run_sql(db_url, ROLES + table.format("integer") + views)
    directory = _write(tmp_path, table.format("bigint") + views)
    output = _converge(directory, db_url)
    assert "-/+ view app.big" in output, output
    assert "+ grant on column id: select to anon" in output, output
    column_acl = "SELECT attacl::text FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s"
    assert _one(db_url, column_acl, "app.big", "id") == "{anon=r/postgres}"
    assert _one(db_url, column_acl, "app.big", "amount") is None
    assert _one(db_url, column_acl, "app.summary", "id") == "{anon=r/postgres}"
    assert _one(db_url, column_acl, "app.summary", "amount") == "{anon=r/postgres}"
    assert _acl(db_url, "app.totals") == "{postgres=arwdDxt/postgres,authenticated=r/postgres}"
