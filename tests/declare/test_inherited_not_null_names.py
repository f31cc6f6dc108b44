"""PostgreSQL 18: renaming a parent's NOT NULL renames its inheritance children's along, and fails
(42704) on a child that holds that NOT NULL under another name (one that declared the column
NOT NULL itself, ``CREATE TABLE c (a integer NOT NULL) INHERITS (p)``: ``c_a_not_null``); a child's
inherited NOT NULL cannot be renamed at all. The plan leaves both and says so, renames what
PostgreSQL can, and converges. Real server (18+)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import psycopg
from click.testing import CliRunner

from conftest import not_null_constraint_names, run_sql, skip_below
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE TABLE public.p (a integer NOT NULL, b integer NOT NULL);
CREATE TABLE public.c (a integer NOT NULL) INHERITS (public.p);
CREATE TABLE public.d () INHERITS (public.p);
"""

YAML = """
version: 1
schemas:
  public:
    tables:
      p:
        columns:
          a: {type: integer, not_null: p_a_new}
          b: {type: integer, not_null: p_b_new}
      c:
        inherits: [p]
        columns:
          a: {type: integer, not_null: c_a_renamed}
          b: {type: integer, nullable: false}
      d:
        inherits: [p]
        columns:
          a: {type: integer, nullable: false}
          b: {type: integer, nullable: false}
"""


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output + result.stderr


def test_renames_a_child_would_refuse_are_left_and_said(tmp_path: Path, db_url: str) -> None:
    skip_below(db_url, 180000, "NOT NULL constraints have names from PostgreSQL 18 on")
    run_sql(db_url, LIVE)
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(textwrap.dedent(YAML).lstrip("\n"), encoding="utf-8")
    code, plan = _cli("plan", "-s", str(schema), "-d", db_url)
    assert code == Exit.OK, plan
    # b: every child holds the parent's name, renamed along
    assert "» not-null constraint p_b_not_null → p_b_new" in plan, plan
    # a: c holds it as c_a_not_null, so the parent's rename would fail there
    assert "p_a_not_null → p_a_new" not in plan, plan
    assert "not-null constraint p_a_not_null of table public.p (declared as p_a_new" in plan, plan
    assert "public.c holds it under another name" in plan, plan
    # c's own name for it is inherited: PostgreSQL refuses to rename it
    assert "not-null constraint c_a_not_null of table public.c (declared as c_a_renamed: it is inherited from " \
           "public.p" in plan, plan

    code, output = _cli("apply", "-s", str(schema), "-d", db_url, "--auto-approve")
    assert code == Exit.OK, output
    names = not_null_constraint_names(db_url)
    assert (names["p.b"], names["c.b"], names["d.b"]) == ("p_b_new", "p_b_new", "p_b_new")
    assert (names["p.a"], names["c.a"], names["d.a"]) == ("p_a_not_null", "c_a_not_null", "p_a_not_null")

    code, again = _cli("plan", "-s", str(schema), "-d", db_url, "--detailed-exitcode")
    assert code == Exit.OK, again


RETYPE_LIVE = """
CREATE TABLE public.p (a integer NOT NULL, b integer NOT NULL);
CREATE TABLE public.c (a integer NOT NULL) INHERITS (public.p);
"""

RETYPED = """
version: 1
schemas:
  public:
    tables:
      p:
        columns: {a: {type: bigint, nullable: false}, b: {type: bigint, nullable: false}}
      c:
        inherits: [p]
        columns: {a: {type: bigint, nullable: false}}
"""


def test_a_retype_postgresql_18_would_fail_is_refused_while_planning(tmp_path: Path, db_url: str) -> None:
    skip_below(db_url, 180000, "NOT NULL constraints have names from PostgreSQL 18 on")
    run_sql(db_url, RETYPE_LIVE)
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(textwrap.dedent(RETYPED).lstrip("\n"), encoding="utf-8")
    code, plan = _cli("plan", "-s", str(schema), "-d", db_url)
    assert code != Exit.OK, plan
    assert "column a of table public.p: PostgreSQL 18 cannot change its type while public.c holds its NOT NULL" \
        in plan, plan
    assert "column b of table public.p" not in plan, plan  # c holds b's under the parent's name
    code, output = _cli("apply", "-s", str(schema), "-d", db_url, "--auto-approve")
    assert code != Exit.OK and "refused" in output, output
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT format_type(atttypid, NULL) FROM pg_attribute WHERE attrelid = 'public.p'::regclass"
                            " AND attname = 'a'").fetchone() == ("integer",)
