"""PostgreSQL 17 names a domain's NOT NULL (pg_constraint, contype 'n'): SQL files that name it
get that name, at CREATE DOMAIN, at SET NOT NULL and by a rename of the live one. Real server
(17+), through the CLI with a local scratch server of the same major."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE DOMAIN public.renamed AS integer CONSTRAINT old_name NOT NULL;
CREATE DOMAIN public.tightened AS text;
"""

FILES = """
CREATE DOMAIN public.renamed AS integer CONSTRAINT new_name NOT NULL;
CREATE DOMAIN public.tightened AS text CONSTRAINT tightened_required NOT NULL;
CREATE DOMAIN public.fresh AS integer CONSTRAINT fresh_required NOT NULL CHECK (VALUE > 0);
CREATE DOMAIN public.plain AS integer NOT NULL;
"""


def _names(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT contypid::regtype::text, conname FROM pg_constraint"
            " WHERE contype = 'n' AND connamespace = 'public'::regnamespace AND contypid <> 0"
        ).fetchall()
    return dict(rows)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_domain_not_null_names_follow_the_sql_files(tmp_path: Path, db_url: str) -> None:
    with psycopg.connect(db_url) as conn:
        if conn.info.server_version < 170000:
            pytest.skip("a domain's NOT NULL has a name from PostgreSQL 17 on")
    run_sql(db_url, LIVE)
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    (schema_dir / "app.sql").write_text(FILES, encoding="utf-8")
    common = ("--schema-dir", str(schema_dir), "--database-url", db_url, "--scratch", "local")

    code, plan = _run("plan", *common, "--detailed-exitcode")
    assert code == Exit.CHANGES, plan
    code, output = _run("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    assert _names(db_url) == {
        "renamed": "new_name", "tightened": "tightened_required", "fresh": "fresh_required", "plain": "plain_not_null",
    }
    code, again = _run("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, again
