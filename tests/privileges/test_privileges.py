"""Grants, owners, default privileges and publications from every source, against a real server:
refusals before anything runs, grants issued again after a re-creation, and inspect → plan empty
in YAML, Python and SQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.catalog.reader import read_schema
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare import load_files
from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import Change
from pgreconcile.diff.privilege_changes import GrantPrivileges, RevokePrivileges
from pgreconcile.diff.privileges import compare_privileges
from pgreconcile.errors import DeclarationErrors
from pgreconcile.localpg import LocalServer, create_database, drop_database
from pgreconcile.model import Grant, GrantKind, GrantTarget, ObjectGrants, ObjectOwner, Schema
from pgreconcile.model.keys import view_key
from pgreconcile.order.graph import order_changes

ROLES = """
DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
"""

LIVE = ROLES + """
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, body text, owner_id integer);
INSERT INTO app.notes VALUES (1, 'a', 1);
GRANT USAGE ON SCHEMA app TO anon, authenticated;
GRANT SELECT, INSERT ON app.notes TO authenticated;
GRANT SELECT (id, body) ON app.notes TO anon;
GRANT UPDATE (body) ON app.notes TO authenticated WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO authenticated;
CREATE PUBLICATION app_pub FOR TABLE app.notes (id, body) WHERE (owner_id > 0) WITH (publish = 'insert, update');
COMMENT ON PUBLICATION app_pub IS 'realtime';
CREATE VIEW app.note_bodies AS SELECT id, body FROM app.notes;
GRANT SELECT ON app.note_bodies TO anon;
CREATE MATERIALIZED VIEW app.note_count AS SELECT count(*) AS n FROM app.notes;
GRANT SELECT ON app.note_count TO anon WITH GRANT OPTION;
CREATE SEQUENCE app.ticket_no;
GRANT USAGE ON SEQUENCE app.ticket_no TO authenticated;
CREATE FUNCTION app.note_total(p_min integer) RETURNS bigint LANGUAGE sql
    AS 'SELECT count(*) FROM app.notes WHERE id >= p_min';
REVOKE EXECUTE ON FUNCTION app.note_total(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.note_total(integer) TO authenticated;
CREATE PROCEDURE app.purge() LANGUAGE sql AS 'DELETE FROM app.notes WHERE false';
REVOKE ALL ON PROCEDURE app.purge() FROM PUBLIC;
CREATE FUNCTION app.open_total() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM app.notes';
CREATE DOMAIN app.positive AS integer CHECK (VALUE > 0);
GRANT USAGE ON DOMAIN app.positive TO anon;
CREATE TYPE app.pair AS (a integer, b integer);
REVOKE USAGE ON TYPE app.pair FROM PUBLIC;
CREATE AGGREGATE app.note_concat(text) (SFUNC = textcat, STYPE = text);
REVOKE EXECUTE ON FUNCTION app.note_concat(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.note_concat(text) TO anon;
"""

# Every ACL of the objects in schema app, PostgreSQL's default spelled out where none was set.
ACLS = """
SELECT 'rel', c.relname, COALESCE(c.relacl, acldefault('r', c.relowner))::text FROM pg_class c
 WHERE c.relnamespace = 'app'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'S')
UNION ALL
SELECT 'proc', p.proname, COALESCE(p.proacl, acldefault('f', p.proowner))::text FROM pg_proc p
 WHERE p.pronamespace = 'app'::regnamespace
UNION ALL
SELECT 'type', t.typname, COALESCE(t.typacl, acldefault('T', t.typowner))::text FROM pg_type t
 WHERE t.typnamespace = 'app'::regnamespace
   AND (t.typtype = 'd' OR t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
ORDER BY 1, 2
"""


def _acls(url: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(url) as conn:
        return [tuple(row) for row in conn.execute(ACLS).fetchall()]


def _live(db_url: str) -> None:
    """LIVE, whose publication has a column list and a row filter (PostgreSQL 15+)."""
    with psycopg.connect(db_url) as conn:
        if conn.info.server_version < 150000:
            pytest.skip("publication column lists and row filters need PostgreSQL 15+")
    run_sql(db_url, LIVE)


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _write(tmp_path: Path, name: str, text: str) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text)
    return directory


def _acl(url: str, relation: str) -> str | None:
    """The relation's ACL, the owner's MAINTAIN (PostgreSQL 17+, `m`) left out so that one
    expected text holds on every major."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT relacl::text FROM pg_class WHERE oid = %s::regclass", (relation,)).fetchone()
    return row[0].replace("=arwdDxtm/", "=arwdDxt/") if row and row[0] else None


def test_a_grant_to_a_missing_role_refuses_before_anything_runs(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, ROLES)
    schema = _write(tmp_path, "app.yaml", """
version: 1
schemas:
  app:
    tables:
      notes:
        columns: {id: integer}
        grants: {anon: [select], no_such_role_pgr: [insert]}
""")
    args = ("--schema-dir", str(schema), "--database-url", db_url)
    code, output = _invoke("plan", *args)
    assert code == Exit.ERROR
    assert "no_such_role_pgr" in output and "does not exist" in output and "app.yaml:" in output
    code, output = _invoke("apply", *args, "--auto-approve")
    assert code == Exit.ERROR
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT to_regclass('app.notes')").fetchone() == (None,), "nothing may run"


def test_a_privilege_the_kind_does_not_have_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text("version: 1\nschemas:\n  app:\n    grants: {anon: [select]}\n")
    with pytest.raises(DeclarationErrors, match=r"app.yaml:4.*'select' is not a privilege of a schema"):
        load_files([path])


def test_a_function_or_view_grant_is_checked_against_its_kind(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(
        "version: 1\nschemas:\n  app:\n    functions:\n      f():\n        returns: integer\n"
        "        body: SELECT 1\n        grants: {anon: [select]}\n"
        "    views:\n      v:\n        query: SELECT 1 AS one\n        grants: {anon: [execute]}\n"
    )
    with pytest.raises(DeclarationErrors) as caught:
        load_files([path])
    text = str(caught.value)
    assert "'select' is not a privilege of a function" in text and "app.f()" in text
    assert "app.yaml:12" in text and "'execute' is not a privilege of a view" in text


@dataclass(frozen=True)
class _ReplaceView(Change):
    """Stands for the views helper's re-creation of a view (a -/+ step creating its key)."""

    ACTION = Action.REPLACE
    KIND = "view"

    @property
    def key(self) -> str:
        return view_key("app", "v")


def test_an_object_the_plan_re_creates_gets_its_declared_grants_again() -> None:
    target = GrantTarget(GrantKind.VIEW, "app", "v")
    key = target.key
    declared = frozenset({Grant("anon", "select"), Grant("authenticated", "select")})
    desired = Schema(grants={key: ObjectGrants(target, declared)})
    live = Schema(
        grants={key: ObjectGrants(target, declared | {Grant("old_role", "select")})},
        owners={key: ObjectOwner(target, "postgres")},
        current_role="postgres",
    )
    # Unchanged view: only the undeclared grant goes.
    changes, refusals = compare_privileges(desired, live, [])
    assert refusals == []
    assert [(type(c), c.grants) for c in changes] == [(RevokePrivileges, {Grant("old_role", "select")})]
    # Re-created: the live grants are gone with the old view; the declared ones are issued again
    # after the create (ordered by its key), and the undeclared one is not "revoked".
    recreate = _ReplaceView(creates=frozenset({key}))
    changes, _ = compare_privileges(desired, live, [recreate])
    grants = [c for c in changes if isinstance(c, GrantPrivileges)]
    assert [g.grants for g in grants] == [declared]
    assert not any(isinstance(c, RevokePrivileges) for c in changes)
    ordered = order_changes(changes)
    assert ordered.index(recreate) < ordered.index(grants[0])


def test_revoking_is_a_hazard_and_unmanaged_grants_stay(tmp_path: Path, db_url: str) -> None:
    _live(db_url)
    run_sql(db_url, "CREATE TABLE app.other (id integer); GRANT SELECT ON app.other TO anon;")
    schema = _write(tmp_path, "app.yaml", """
version: 1
schemas:
  app:
    tables:
      notes:
        columns: {id: {type: integer, primary_key: true}, body: text, owner_id: integer}
        grants: {authenticated: [select]}
      other:
        columns: {id: integer}
""")
    args = ("--schema-dir", str(schema), "--database-url", db_url)
    code, output = _invoke("plan", *args, "--detailed-exitcode")
    assert code == Exit.CHANGES
    assert Hazard.REVOKES_ACCESS.value in output
    assert "insert to authenticated" in output and "select to anon" in output
    code, _ = _invoke("apply", *args, "--auto-approve")
    assert code == 0
    assert _acl(db_url, "app.notes") == "{postgres=arwdDxt/postgres,authenticated=r/postgres}"
    # Created after the default privileges, untouched by the plan (its grants are not declared).
    assert _acl(db_url, "app.other") == "{postgres=arwdDxt/postgres,authenticated=r/postgres,anon=r/postgres}"
    code, _ = _invoke("plan", *args, "--detailed-exitcode")
    assert code == 0


@pytest.mark.parametrize("fmt,name", [("yaml", "app.yaml"), ("python", "app.py"), ("sql", "app.sql")])
def test_inspect_then_plan_is_empty(fmt: str, name: str, tmp_path: Path, db_url: str, pg_server: LocalServer) -> None:
    _live(db_url)
    directory = tmp_path / "schema"
    directory.mkdir()
    code, output = _invoke("inspect", "--database-url", db_url, "--schema", "app", "--format", fmt,
                           "-o", str(directory / name))
    assert code == 0, output
    text = (directory / name).read_text()
    assert "app_pub" in text and "authenticated" in text
    code, output = _invoke("plan", "--schema-dir", str(directory), "--database-url", db_url, "--detailed-exitcode")
    assert code == 0, output
    # An empty plan only proves nothing written differs: the files must also carry the grants,
    # so a database built from them holds the same ACL on every view, sequence, routine and type.
    fresh = f"pgr_privileges_inspect_{uuid.uuid4().hex[:10]}"
    fresh_url = create_database(pg_server.url, fresh)
    try:
        scratch = ("--scratch", "local") if fmt == "sql" else ()
        code, output = _invoke("apply", "--schema-dir", str(directory), "--database-url", fresh_url,
                               "--auto-approve", *scratch)
        assert code == 0, output
        expected = _acls(db_url)
        # ACLs the files must carry (not PostgreSQL's defaults).
        assert ("proc", "purge", "{postgres=X/postgres}") in expected
        assert ("type", "pair", "{postgres=U/postgres}") in expected
        assert ("proc", "note_concat", "{postgres=X/postgres,anon=X/postgres}") in expected
        assert _acls(fresh_url) == expected
    finally:
        drop_database(pg_server.url, fresh)


def test_python_declarations_carry_grants_and_publications(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, ROLES)
    schema = _write(tmp_path, "app.py", '''
from pgreconcile.declare import Table, column

__schema__ = "app"
__schemas__ = {"app": {"grants": {"anon": ["usage"]}, "default_privileges": {"tables": {"anon": ["select"]}}}}
__publications__ = {"app_pub": {"tables": ["app.notes"], "publish": ["insert"]}}


class Notes(Table):
    id: int = column(primary_key=True)
    body: str | None = column(grants={"anon": ["update"]})
    __grants__ = {"authenticated": {"privileges": ["all"], "grant_option": True}, "anon": ["select"]}
''')
    args = ("--schema-dir", str(schema), "--database-url", db_url)
    code, output = _invoke("apply", *args, "--auto-approve")
    assert code == 0, output
    assert _acl(db_url, "app.notes") == (
        "{postgres=arwdDxt/postgres,anon=r/postgres,authenticated=a*r*w*d*D*x*t*/postgres}"
    )
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, ["app"])
    assert live.publications["app_pub"].tables[0].name == "notes"
    assert {g.grantee for g in live.grants["column:app.notes.body"].grants} == {"anon"}
    code, output = _invoke("plan", *args, "--detailed-exitcode")
    assert code == 0, output


def test_sql_files_declare_the_grants_they_make(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, ROLES + "CREATE SCHEMA app; CREATE TABLE app.notes (id integer); "
                            "GRANT SELECT, DELETE ON app.notes TO anon;")
    schema = _write(tmp_path, "app.sql", """
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer);
CREATE TABLE app.quiet (id integer);
GRANT SELECT ON app.notes TO anon;
GRANT INSERT ON app.notes TO authenticated;
""")
    args = ("--schema-dir", str(schema), "--database-url", db_url, "--scratch", "local")
    code, output = _invoke("apply", *args, "--auto-approve")
    assert code == 0, output
    assert _acl(db_url, "app.notes") == "{postgres=arwdDxt/postgres,anon=r/postgres,authenticated=a/postgres}"
    code, output = _invoke("plan", *args, "--detailed-exitcode")
    assert code == 0, output


SCENARIO = """
version: 1
schemas:
  app:
    grants: {{authenticated: [usage]}}
    tables:
      notes:
        columns:
          id: {{type: integer, primary_key: true}}
          score: {{type: {score}, convert: {{using: "score::{score}"}}}}
        grants: {{authenticated: [select]}}
    views:
      top_notes:
        query: SELECT id, score FROM app.notes WHERE score > 1
        grants: {{authenticated: [select], anon: [select]}}
    functions:
      note_score(p_id integer):
        returns: {score}
        language: sql
        body: SELECT score FROM app.notes WHERE id = p_id
        grants: {{authenticated: [execute]}}
"""


def _pg_dump(url: str) -> str:
    # The server's own major (the matrix points RECONCILE_PG_BINDIR at it): an older pg_dump
    # refuses a newer server.
    bindir = os.environ.get("RECONCILE_PG_BINDIR")
    fallback = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"
    pg_dump = str(Path(bindir) / "pg_dump") if bindir else fallback
    out = subprocess.run([pg_dump, "--schema-only", "--schema=app", url], check=True, capture_output=True, text=True)
    # Dumps differ in their header and (pg_dump 17.6+) in a random \restrict key: neither is schema.
    skipped = ("-- Dumped", "\\restrict", "\\unrestrict")
    return "\n".join(line for line in out.stdout.splitlines() if not line.startswith(skipped))


def test_a_column_change_re_creates_a_view_and_a_function_with_their_grants(
    tmp_path: Path, db_url: str, pg_server: LocalServer
) -> None:
    """Issue 17's scenario: a column type change re-creates a view and a function that both carry
    grants; afterwards the schema (privileges included) equals one built from the declarations."""
    run_sql(db_url, ROLES)
    before = _write(tmp_path, "app.yaml", SCENARIO.format(score="integer"))
    args = ("--schema-dir", str(before), "--database-url", db_url)
    assert _invoke("apply", *args, "--auto-approve")[0] == 0
    run_sql(db_url, "INSERT INTO app.notes VALUES (1, 5), (2, 1)")
    after = tmp_path / "after"
    after.mkdir()
    (after / "app.yaml").write_text(SCENARIO.format(score="bigint"))
    code, output = _invoke("apply", "--schema-dir", str(after), "--database-url", db_url, "--auto-approve")
    assert code == 0, output
    # Issued again after the re-creates: a new object starts from PostgreSQL's defaults.
    assert "+ grant on view app.top_notes: select to anon; select to authenticated" in output
    assert "+ grant on function app.note_score(integer): execute to authenticated" in output
    # The same declarations, applied to an empty database.
    name = f"pgr_privileges_direct_{uuid.uuid4().hex[:10]}"
    direct = create_database(pg_server.url, name)
    try:
        assert _invoke("apply", "--schema-dir", str(after), "--database-url", direct, "--auto-approve")[0] == 0
        dumped = _pg_dump(db_url)
        assert dumped == _pg_dump(direct)
        # Not two dumps equally lacking the grants: they are there, on the re-created objects.
        assert "GRANT SELECT ON TABLE app.top_notes TO anon;" in dumped
        assert "GRANT SELECT ON TABLE app.top_notes TO authenticated;" in dumped
        assert "GRANT ALL ON FUNCTION app.note_score(p_id integer) TO authenticated;" in dumped
        assert "REVOKE ALL ON FUNCTION app.note_score(p_id integer) FROM PUBLIC;" in dumped
    finally:
        drop_database(pg_server.url, name)
