"""Comments on indexes, constraints and policies (and a materialized view's index) survive
``reconcile inspect`` in every format: a database built from the inspected files carries the
same comments, and the inspected files plan to nothing against the database they came from."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.localpg import LocalServer, create_database, drop_database

LIVE = """
CREATE SCHEMA app;
CREATE TABLE app.owners (id bigint PRIMARY KEY);
CREATE TABLE app.notes (
    id bigint CONSTRAINT notes_pkey PRIMARY KEY,
    owner_id bigint NOT NULL CONSTRAINT notes_owner_fkey REFERENCES app.owners (id),
    body text CONSTRAINT notes_body_check CHECK (length(body) < 1000),
    slug text CONSTRAINT notes_slug_key UNIQUE
);
CREATE INDEX notes_owner_idx ON app.notes (owner_id);
ALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_owner ON app.notes USING (owner_id = 1);
CREATE MATERIALIZED VIEW app.note_counts AS SELECT owner_id, count(*) AS n FROM app.notes GROUP BY owner_id;
CREATE UNIQUE INDEX note_counts_owner_idx ON app.note_counts (owner_id);
COMMENT ON CONSTRAINT notes_pkey ON app.notes IS 'the identity';
COMMENT ON CONSTRAINT notes_owner_fkey ON app.notes IS 'who wrote it';
COMMENT ON CONSTRAINT notes_body_check ON app.notes IS 'short notes only';
COMMENT ON CONSTRAINT notes_slug_key ON app.notes IS 'one note per slug';
COMMENT ON INDEX app.notes_slug_key IS 'looked up by slug';
COMMENT ON INDEX app.notes_owner_idx IS 'notes by owner';
COMMENT ON POLICY notes_owner ON app.notes IS 'owners see their notes';
COMMENT ON INDEX app.note_counts_owner_idx IS 'refresh concurrently needs it';
"""

COMMENTS = """
SELECT 'constraint ' || conname, obj_description(oid, 'pg_constraint') FROM pg_constraint
 WHERE connamespace = 'app'::regnamespace
UNION ALL
SELECT 'index ' || relname, obj_description(oid, 'pg_class') FROM pg_class
 WHERE relnamespace = 'app'::regnamespace AND relkind = 'i'
UNION ALL
SELECT 'policy ' || polname, obj_description(oid, 'pg_policy') FROM pg_policy
ORDER BY 1
"""


def _comments(url: str) -> list[tuple[str, str | None]]:
    with psycopg.connect(url) as conn:
        return [(row[0], row[1]) for row in conn.execute(COMMENTS).fetchall()]


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt,name", [("yaml", "app.yaml"), ("python", "app.py"), ("sql", "app.sql")])
def test_inspected_comments_build_the_same_database(
    fmt: str, name: str, tmp_path: Path, db_url: str, pg_server: LocalServer
) -> None:
    run_sql(db_url, LIVE)
    expected = _comments(db_url)
    assert ("policy notes_owner", "owners see their notes") in expected
    assert ("index notes_pkey", None) in expected  # the key's comment is on its constraint
    assert ("index notes_slug_key", "looked up by slug") in expected  # the key's index has its own
    directory = tmp_path / "schema"
    directory.mkdir()
    code, output = _invoke("inspect", "-d", db_url, "--schema", "app", "--format", fmt, "-o", str(directory / name))
    assert code == 0, output
    scratch = ("--scratch", "local") if fmt == "sql" else ()
    code, output = _invoke("plan", "-s", str(directory), "-d", db_url, "--detailed-exitcode", *scratch)
    assert code == 0, output
    fresh = f"pgr_comments_{uuid.uuid4().hex[:10]}"
    fresh_url = create_database(pg_server.url, fresh)
    try:
        code, output = _invoke("apply", "-s", str(directory), "-d", fresh_url, "--auto-approve", *scratch)
        assert code == 0, output
        assert _comments(fresh_url) == expected
        code, output = _invoke("plan", "-s", str(directory), "-d", fresh_url, "--detailed-exitcode", *scratch)
        assert code == 0, output
    finally:
        drop_database(pg_server.url, fresh)


def test_a_comment_change_never_re_creates_its_object(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    directory = tmp_path / "schema"
    directory.mkdir()
    assert _invoke("inspect", "-d", db_url, "--schema", "app", "-o", str(directory / "app.yaml"))[0] == 0
    path = directory / "app.yaml"
    path.write_text(path.read_text().replace("notes by owner", "the owner's notes").replace(
        ", comment: owners see their notes}", "}"))
    code, output = _invoke("plan", "-s", str(directory), "-d", db_url)
    assert code == 0, output
    assert "~ index notes_owner_idx comment 'notes by owner' → 'the owner''s notes'" in output
    assert "~ policy notes_owner comment 'owners see their notes' → none" in output
    assert "-/+" not in output and "Plan: 0 to add, 2 to change, 0 to destroy." in output
