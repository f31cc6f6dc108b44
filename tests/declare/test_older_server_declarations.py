"""Declarations an older server has no syntax for — NULLS NOT DISTINCT, a view's
``security_invoker``, a publication's column list, row filter or schemas (15), a collation's
``rules`` (16), the privilege MAINTAIN (17) — are refused while planning against it, before
anything runs (plan/server_support.py), instead of being written into the plan and failing at
apply with a syntax error. The refusal covers a new table too: the probe of NULLS NOT DISTINCT
only ever saw a key added to an existing one."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare import load_files
from pgreconcile.plan.server_support import unsupported

DECLARED = """\
version: 1
schemas:
  public:
    collations:
      tailored: {provider: icu, locale: und, rules: "&a < b"}
      plain: {provider: builtin, locale: C}
    tables:
      accounts:
        columns:
          id: {type: bigint, primary_key: true}
          email: text
        grants: {public: [select, maintain]}
        unique:
          accounts_email_key: {columns: [email], nulls_not_distinct: true}
        indexes:
          accounts_email_idx: {columns: [email], unique: true, nulls_not_distinct: true}
      stays:
        columns: {r: int4range}
        partition_by: range (r)
        exclusions:
          stays_no_overlap: [r WITH &&]
    views:
      ids:
        query: SELECT id FROM accounts
        security_invoker: false
publications:
  narrow:
    tables:
      public.accounts: {columns: [id]}
  filtered:
    tables:
      public.accounts: {where: "id > 0"}
  whole_schema: {schemas: [public]}
"""

ON_14 = [
    ":5: collation public.tailored: a collation with ICU tailoring rules needs PostgreSQL 16",
    ":6: collation public.plain: the collation provider builtin needs PostgreSQL 17",
    ":12: grants on table public.accounts: the privilege MAINTAIN needs PostgreSQL 17",
    ":14: table public.accounts: unique constraint accounts_email_key: UNIQUE NULLS NOT DISTINCT needs PostgreSQL 15",
    ":16: table public.accounts: index accounts_email_idx: UNIQUE NULLS NOT DISTINCT needs PostgreSQL 15",
    ":21: table public.stays: exclusion constraint stays_no_overlap: an exclusion constraint on a partitioned table"
    " needs PostgreSQL 17",
    ":23: view public.ids: the view option security_invoker needs PostgreSQL 15",
    ":27: publication narrow: table public.accounts: a publication column list needs PostgreSQL 15",
    ":30: publication filtered: table public.accounts: a publication row filter (WHERE) needs PostgreSQL 15",
    ":33: publication whole_schema: a publication of a schema's tables (TABLES IN SCHEMA) needs PostgreSQL 15",
]
ON_15 = [m for m in ON_14 if not m.endswith(" 15")]
ON_16 = [m for m in ON_15 if not m.endswith(" 16")]


@pytest.mark.parametrize(
    ("version", "expected"),
    [(140011, ON_14), (150004, ON_15), (160004, ON_16), (170002, [])],
    ids=["14", "15", "16", "17"],
)
def test_each_declaration_refused_below_its_major(version: int, expected: list[str], tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(DECLARED, encoding="utf-8")
    rendered = [e.render() for e in unsupported(load_files([path]), version)]
    assert len(rendered) == len(expected), rendered
    for text, message in zip(rendered, expected, strict=True):
        assert message in text and f"(this server is {version // 10000}); nothing was run" in text, (message, text)
        assert "hint: remove `" in text
    maintain = [text for text in rendered if "MAINTAIN" in text]
    assert all("a GRANT ALL read in a newer scratch server holds it too" in text for text in maintain)


def test_plan_and_apply_refuse_what_the_server_lacks(tmp_path: Path, db_url: str) -> None:
    """Through the CLI on a real server (14: every 15 feature and more; 15, 16: what 16 and 17
    add): exit 1 with each declaration's file:line, and nothing created — not the table, whose
    CREATE used to carry NULLS NOT DISTINCT into a syntax error at apply."""
    with psycopg.connect(db_url) as conn:
        major = conn.info.server_version // 10000
    if major >= 17:
        pytest.skip(f"PostgreSQL {major} has every feature declared here")
    expected = [m for m in ON_14 if int(m.rsplit(" ", 1)[1]) > major]
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(DECLARED, encoding="utf-8")
    common = ["--schema-dir", str(schema), "--database-url", db_url]
    for command in (["plan", "--detailed-exitcode"], ["apply", "--auto-approve"]):
        result = CliRunner().invoke(cli, [*command[:1], *common, *command[1:]], catch_exceptions=False)
        assert result.exit_code == Exit.ERROR, result.output
        for message in expected:
            assert message in result.output, (message, result.output)
        assert result.output.count("nothing was run") == len(expected), result.output
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT to_regclass('public.accounts')").fetchone() == (None,)
        assert conn.execute("SELECT count(*) FROM pg_publication").fetchone() == (0,)
