"""Plans that must be refused, with the reason, before anything runs."""

from __future__ import annotations

from pathlib import Path

import psycopg
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE TYPE public.mood AS ENUM ('happy', 'meh', 'sad');
CREATE TABLE public.ledger (id bigint PRIMARY KEY, amount numeric(12,2), note text, mood public.mood);
INSERT INTO public.ledger VALUES (1, 10.00, 'opening balance', 'happy');
"""

TABLE = """
version: 1
schemas:
  public:
    enums:
      mood: {labels}
    tables:
      ledger:
        prevent_destroy: {prevent}
        columns:
          id: {{type: bigint, primary_key: true}}
          amount: numeric(12,2)
          mood: mood
{note}"""


def _declare(tmp_path: Path, *, labels: str = "[happy, meh, sad]", prevent: str = "true", note: bool = True) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir()
    text = TABLE.format(labels=labels, prevent=prevent, note="          note: text\n" if note else "")
    (directory / "app.yaml").write_text(text)
    return directory


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _live_columns(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'public.ledger'::regclass AND attnum > 0 "
            "AND NOT attisdropped ORDER BY attnum"
        ).fetchall()
    return [r[0] for r in rows]


def test_prevent_destroy_refuses_a_column_drop_even_with_allow_destroy(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    schema = _declare(tmp_path, note=False)
    args = ("--schema-dir", str(schema), "--database-url", db_url)
    code, output = _invoke("plan", *args)
    assert code == Exit.ERROR
    assert "Refused: column public.ledger.note would be dropped" in output
    assert "prevent_destroy: true" in output
    code, output = _invoke("apply", *args, "--auto-approve", "--allow-destroy")
    assert code == Exit.ERROR
    assert "prevent_destroy" in output
    assert _live_columns(db_url) == ["id", "amount", "note", "mood"]


def test_without_prevent_destroy_the_same_drop_is_only_gated(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    schema = _declare(tmp_path, prevent="false", note=False)
    args = ("--schema-dir", str(schema), "--database-url", db_url)
    code, _ = _invoke("apply", *args, "--auto-approve", "--allow-destroy")
    assert code == 0
    assert _live_columns(db_url) == ["id", "amount", "mood"]


def test_an_enum_label_in_use_removed_without_a_replacement_is_refused_with_the_count(
    tmp_path: Path, db_url: str
) -> None:
    run_sql(db_url, LIVE + "INSERT INTO public.ledger VALUES (2, 1.00, 'meh day', 'meh');")
    schema = _declare(tmp_path, labels="[happy, sad]")
    args = ("--schema-dir", str(schema), "--database-url", db_url)
    code, output = _invoke("plan", *args)
    assert code == Exit.ERROR
    assert "1 of 2 rows carries label 'meh', removed without a replacement" in output
    assert "removed_values: {meh: <label or null>}" in output
    code, output = _invoke("apply", *args, "--auto-approve")
    assert code == Exit.ERROR
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT enum_range(NULL::public.mood)::text").fetchone()
    assert row == ("{happy,meh,sad}",)
