"""PostgreSQL 17 names a domain's NOT NULL (pg_constraint, contype 'n'): SQL files that name it
get that name, at CREATE DOMAIN, at SET NOT NULL and by a rename of the live one. Real server
(17+), through the CLI with a local scratch server of the same major."""

from __future__ import annotations

from pathlib import Path

import psycopg

from conftest import run_sql, skip_below, sql_files_cli
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



def test_domain_not_null_names_follow_the_sql_files(tmp_path: Path, db_url: str) -> None:
    skip_below(db_url, 170000, "a domain's NOT NULL has a name from PostgreSQL 17 on")
    run_sql(db_url, LIVE)
    run = sql_files_cli(tmp_path, db_url, FILES)

    code, plan = run("plan", "--detailed-exitcode")
    assert code == Exit.CHANGES, plan
    code, output = run("apply", "--auto-approve")
    assert code == Exit.OK, output
    assert _names(db_url) == {
        "renamed": "new_name", "tightened": "tightened_required", "fresh": "fresh_required", "plain": "plain_not_null",
    }
    code, again = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, again
