"""A materialized view's columns' statistics targets and storage (``ALTER MATERIALIZED VIEW …
ALTER COLUMN … SET STATISTICS / SET STORAGE``) are read, declared (SQL files, YAML, Python),
compared and set — on a new materialized view after it is created, on a kept one in place — and
``reconcile inspect`` writes them back. Real server."""

from __future__ import annotations

import textwrap
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql, sql_files_cli
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE TABLE public.products (id integer PRIMARY KEY, title text, price numeric);
CREATE MATERIALIZED VIEW public.m AS SELECT id, title, price FROM public.products;
ALTER MATERIALIZED VIEW public.m ALTER COLUMN id SET STATISTICS 80;
ALTER MATERIALIZED VIEW public.m ALTER COLUMN price SET STATISTICS 21;
ALTER MATERIALIZED VIEW public.m ALTER COLUMN title SET STORAGE EXTERNAL;
"""

FILES = """
CREATE TABLE public.products (id integer PRIMARY KEY, title text, price numeric);
CREATE MATERIALIZED VIEW public.m AS SELECT id, title, price FROM public.products;
ALTER MATERIALIZED VIEW public.m ALTER COLUMN price SET STATISTICS 35;
CREATE MATERIALIZED VIEW public.n AS SELECT id, title FROM public.products;
ALTER TABLE public.n ALTER COLUMN title SET STORAGE EXTERNAL;
"""

YAML = """
version: 1
schemas:
  public:
    tables:
      products:
        columns: {id: integer, title: text, price: numeric}
        primary_key: id
    materialized_views:
      m:
        query: SELECT id, title, price FROM products
        columns:
          price: {statistics: 35, comment: The price}
      n:
        query: SELECT id, title FROM products
        columns:
          title: {storage: external}
"""

WANTED = {("m", "id"): (None, "p"), ("m", "title"): (None, "x"), ("m", "price"): (35, "m"),
          ("n", "id"): (None, "p"), ("n", "title"): (None, "e")}


def _settings(url: str) -> dict[tuple[str, str], tuple[int | None, str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.relname, a.attname, NULLIF(a.attstattarget::int, -1), a.attstorage"
            " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " WHERE c.relkind = 'm' AND a.attnum > 0 ORDER BY 1, 2"
        ).fetchall()
    return {(rel, att): (target, storage) for rel, att, target, storage in rows}


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output + result.stderr


def test_sql_files_set_them_in_place_and_on_a_new_materialized_view(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    run = sql_files_cli(tmp_path, db_url, FILES)
    code, output = run("apply", "--auto-approve")
    assert code == Exit.OK, output
    assert _settings(db_url) == WANTED
    code, output = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, output


def test_yaml_declares_them_and_inspect_writes_them_back(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(textwrap.dedent(YAML).lstrip("\n"), encoding="utf-8")
    code, output = _cli("plan", "-s", str(schema), "-d", db_url, "--detailed-exitcode")
    assert code == Exit.CHANGES, output
    assert "column id statistics 80 → default" in output, output
    assert "column price statistics 21 → 35" in output, output
    assert "column title storage external → default" in output, output
    code, output = _cli("apply", "-s", str(schema), "-d", db_url, "--auto-approve")
    assert code == Exit.OK, output
    assert _settings(db_url) == WANTED
    for fmt, name in (("yaml", "app.yaml"), ("python", "app.py"), ("sql", "app.sql")):
        directory = tmp_path / fmt
        directory.mkdir()
        code, output = _cli("inspect", "-d", db_url, "--schema", "public", "--format", fmt, "-o", str(directory / name))
        assert code == Exit.OK, output
        text = (directory / name).read_text(encoding="utf-8")
        assert "35" in text and "external" in text.lower(), text
        code, output = _cli("plan", "-s", str(directory), "-d", db_url, "--detailed-exitcode")
        assert code == Exit.OK, f"{fmt}: {output}"


def test_a_view_column_takes_no_statistics_target(tmp_path: Path) -> None:
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(textwrap.dedent("""
        version: 1
        schemas:
          public:
            views:
              v:
                query: SELECT 1 AS x
                columns: {x: {statistics: 10}}
        """).lstrip("\n"), encoding="utf-8")
    code, output = _cli("validate", "-s", str(schema))
    assert code != Exit.OK
    assert "take no storage nor statistics target" in output, output


@pytest.mark.parametrize("declared", ["{storage: sometimes}", "{statistics: many}"])
def test_bad_values_are_refused_at_load(tmp_path: Path, declared: str) -> None:
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(
        f"version: 1\nschemas:\n  public:\n    materialized_views:\n      m:\n"
        f"        query: SELECT 1 AS x\n        columns: {{x: {declared}}}\n", encoding="utf-8")
    code, output = _cli("validate", "-s", str(schema))
    assert code != Exit.OK, output
