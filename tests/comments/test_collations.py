"""Collations: declared in YAML, Python or SQL files, used by columns, read back, inspected in
every format, and refused where PostgreSQL could not drop one."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql, server_has_icu
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors
from pgreconcile.localpg import LocalServer, create_database, drop_database

LIVE = """
CREATE SCHEMA app;
CREATE COLLATION app.case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION app.bytes (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');
COMMENT ON COLLATION app.bytes IS 'byte order';
CREATE TABLE app.users (id bigint PRIMARY KEY, email text COLLATE app.case_insensitive NOT NULL,
                        code text COLLATE app.bytes);
INSERT INTO app.users VALUES (1, 'Ann@Example.com', 'x');
"""

COLLATIONS = """
SELECT c.collname, c.collprovider::text, c.collisdeterministic, c.collcollate, c.collctype,
       obj_description(c.oid, 'pg_collation'),
       (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a WHERE a.attcollation = c.oid)
FROM pg_collation c WHERE c.collnamespace = 'app'::regnamespace ORDER BY 1
"""


def _collations(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return [tuple(row) for row in conn.execute(COLLATIONS).fetchall()]


@pytest.fixture
def icu(db_url: str) -> None:
    """The scenario uses an ICU collation: skipped on a server built without ICU (the matrix's)."""
    with psycopg.connect(db_url) as conn:
        if not server_has_icu(conn):
            pytest.skip("needs a server built with ICU; this one is not")


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt,name", [("yaml", "app.yaml"), ("python", "app.py"), ("sql", "app.sql")])
def test_inspected_collations_build_the_same_database(
    fmt: str, name: str, tmp_path: Path, db_url: str, pg_server: LocalServer, icu: None
) -> None:
    run_sql(db_url, LIVE)
    expected = _collations(db_url)
    assert [row[0] for row in expected] == ["bytes", "case_insensitive"]
    directory = tmp_path / "schema"
    directory.mkdir()
    code, output = _invoke("inspect", "-d", db_url, "--schema", "app", "--format", fmt, "-o", str(directory / name))
    assert code == 0, output
    scratch = ("--scratch", "local") if fmt == "sql" else ()
    code, output = _invoke("plan", "-s", str(directory), "-d", db_url, "--detailed-exitcode", *scratch)
    assert code == 0, output
    assert "Not managed" not in output
    fresh = f"pgr_collations_{uuid.uuid4().hex[:10]}"
    fresh_url = create_database(pg_server.url, fresh)
    try:
        code, output = _invoke("apply", "-s", str(directory), "-d", fresh_url, "--auto-approve", *scratch)
        assert code == 0, output
        assert _collations(fresh_url) == expected
        with psycopg.connect(fresh_url) as conn:
            conn.execute("INSERT INTO app.users VALUES (1, 'ann@example.com', 'y')")
            # Nondeterministic: equal ignoring case, as declared.
            assert conn.execute("SELECT count(*) FROM app.users WHERE email = 'ANN@EXAMPLE.COM'").fetchone() == (1,)
    finally:
        drop_database(pg_server.url, fresh)


def test_a_collation_in_use_is_not_dropped(tmp_path: Path, db_url: str, icu: None) -> None:
    run_sql(db_url, LIVE)
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text("""version: 1
schemas:
  app:
    collations:
      case_insensitive: {provider: icu, locale: und-u-ks-level1, deterministic: false}
    tables:
      users:
        columns:
          id: {type: bigint, primary_key: true}
          email: {type: text, nullable: false, collation: app.case_insensitive}
          code: {type: text, collation: app.bytes}
""")
    code, output = _invoke("plan", "-s", str(schema), "-d", db_url)
    assert code == Exit.ERROR, output
    assert "collation app.case_insensitive must be re-created" in output and "app.users.email" in output
    assert "collation app.bytes is not declared and would be dropped, but app.users.code use it" in output


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{provider: icu}", "an icu collation takes `locale`"),
        ("{lc_collate: C}", "a libc collation needs `locale`"),
        ("{locale: C, deterministic: false}", "only an ICU collation can be nondeterministic"),
        ("{locale: C, rules: '&a < b'}", "`rules` are ICU tailoring rules"),
    ],
)
def test_a_collation_missing_what_create_collation_needs_is_an_error(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(f"version: 1\nschemas:\n  app:\n    collations:\n      c: {body}\n")
    with pytest.raises(DeclarationErrors) as caught:
        load_files([path])
    assert "app.yaml:5" in str(caught.value) and message in str(caught.value)
