"""Output that tells the truth and cannot be hijacked (issue 18): a refused plan says so in every
view and on stderr; labels stay on one line (a `-- step` comment cannot be escaped); names with
control characters are refused; Markdown fences and cells hold whatever names hold."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.diff.actions import Action
from pgreconcile.plan.lines import single_line
from pgreconcile.plan.model import Plan, Step
from pgreconcile.render import render_sql, render_text
from pgreconcile.render.markdown import fence_for, render_markdown

# A label still in use, removed without a replacement.
REFUSED_LIVE = (
    "CREATE TYPE public.mood AS ENUM ('happy', 'meh', 'sad');"
    "CREATE TABLE public.days (id integer PRIMARY KEY, mood public.mood);"
    "INSERT INTO public.days VALUES (1, 'meh');"
)
REFUSED_DESIRED = (
    "version: 1\nschemas:\n  public:\n    enums:\n      mood: [happy, sad]\n    tables:\n      days:\n"
    "        columns:\n          id: {type: integer, primary_key: true}\n          mood: mood\n"
)


def _schema(tmp_path: Path, text: str) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir(exist_ok=True)
    (directory / "app.yaml").write_text(text)
    return directory


def _plan(*args: str) -> Result:
    return CliRunner().invoke(cli, ["plan", *args], catch_exceptions=False)


@pytest.mark.parametrize("view", ["--sql", "--json", "--markdown", None])
def test_a_refused_plan_says_so_in_every_view_and_on_stderr(tmp_path: Path, db_url: str, view: str | None) -> None:
    run_sql(db_url, REFUSED_LIVE)
    schema = _schema(tmp_path, REFUSED_DESIRED)
    result = _plan("-s", str(schema), "-d", db_url, *([view] if view else []))
    assert result.exit_code == Exit.ERROR
    assert "No changes" not in result.stdout
    assert "Error: the plan is refused:" in result.stderr
    assert "meh" in result.stderr  # the reason, not only the fact
    if view == "--json":
        document = json.loads(result.stdout)
        assert document["refusals"] and "meh" in document["refusals"][0]
    elif view == "--sql":
        assert "-- REFUSED: this plan cannot be applied" in result.stdout
        assert "-- Refused: " in result.stdout and "meh" in result.stdout
        assert "BEGIN;" not in result.stdout  # nothing to pipe into psql by mistake
    else:
        assert "Refused: " in result.stdout and "meh" in result.stdout


def test_a_multi_line_expression_label_stays_inside_its_sql_comment(tmp_path: Path, db_url: str) -> None:
    """An index on (CASE … END) is labelled with PostgreSQL's multi-line text; `plan --sql` must
    still be a script that runs."""
    run_sql(db_url, "CREATE TABLE public.t (id integer PRIMARY KEY, kind text)")
    schema = _schema(
        tmp_path,
        "version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n"
        "          id: {type: integer, primary_key: true}\n          kind: text\n"
        "        indexes:\n          t_case_idx:\n            columns:\n"
        "              - \"(CASE\\n  WHEN kind = 'a' THEN 1\\n  ELSE 2\\nEND)\"\n",
    )
    result = _plan("-s", str(schema), "-d", db_url, "--sql")
    assert result.exit_code == 0, result.output
    for line in result.stdout.splitlines():
        if line.startswith("-- step"):
            assert "CASE" in line and "END" in line  # the whole label on the comment's line
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(result.stdout)  # the script runs as psql would run it
        assert conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 't_case_idx'").fetchone() == (1,)


def test_a_live_name_with_a_newline_cannot_escape_the_step_comment(tmp_path: Path, db_url: str) -> None:
    """Issue 18: `"t\\nDROP TABLE other.victim; --"` broke out of `-- step` and `plan --sql | psql`
    dropped the table. Live names are whatever the database holds; the plan must hold them safely."""
    run_sql(
        db_url,
        'CREATE SCHEMA other; CREATE TABLE other.victim (id integer);'
        'CREATE TABLE public."t\nDROP TABLE other.victim; --" (id integer)',
    )
    schema = _schema(
        tmp_path, "version: 1\nschemas:\n  public:\n    tables:\n      kept:\n        columns:\n          id: integer\n"
    )
    result = _plan("-s", str(schema), "-d", db_url, "--sql")
    assert result.exit_code == 0, result.output
    # The name may span lines inside its quotes in a statement; never in a comment.
    lines = result.stdout.splitlines()
    [comment] = [line for line in lines if line.startswith("-- step") and "- table public.t" in line]
    assert comment.endswith("DROP TABLE other.victim; --")
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(result.stdout)
        assert conn.execute("SELECT to_regclass('other.victim') IS NOT NULL").fetchone() == (True,)
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (1,)


@pytest.mark.parametrize(
    "name", ["t\nx", "t\rx", "t\x1b[2Jx", "t\tx"], ids=["newline", "carriage-return", "escape", "tab"]
)
def test_names_with_control_characters_are_refused_at_validation(tmp_path: Path, name: str) -> None:
    yaml = "version: 1\nschemas:\n  public:\n    tables:\n      " + json.dumps(name) + ":\n        columns:\n"
    schema = _schema(tmp_path, yaml + "          id: integer\n")
    result = CliRunner().invoke(cli, ["validate", "-s", str(schema)], catch_exceptions=False)
    assert result.exit_code == Exit.ERROR
    assert "contains a control character" in result.output
    assert "Traceback" not in result.output


def _hostile_plan() -> Plan:
    label = "comment on table public.t: '```` </details> <!-- pgreconcile plan --> | x'\nDROP TABLE y; --"
    step = Step(
        number=1,
        action=Action.UPDATE,
        kind="table",
        key="table:public.t",
        label=label,
        statements=("COMMENT ON TABLE public.t IS '```` </details>'",),
        table="public.t",
    )
    return Plan(source="schema/ (1 file)", target="db", steps=[step])


def test_markdown_cannot_be_ended_by_what_names_and_comments_hold() -> None:
    text = render_markdown(_hostile_plan())
    lines = text.splitlines()
    # The SQL block's fence is longer than the longest backtick run inside it.
    opening = next(line for line in lines if line.endswith("sql") and line.startswith("`"))
    assert opening == "`````sql"
    assert lines.count("`````") == 1
    # Exactly one real </details> and no marker outside the code block.
    outside = text.split(opening)[0] + text.split("\n`````\n")[1]
    assert outside.count("</details>") == 1
    assert "<!-- pgreconcile plan -->" not in outside
    row = next(line for line in lines if line.startswith("| 1 |"))
    assert "&lt;/details&gt;" in row and "\\|" in row and "DROP TABLE y" in row


def test_every_renderer_keeps_a_label_on_one_line() -> None:
    plan = _hostile_plan()
    sql = render_sql(plan)
    assert not any(line.startswith("DROP TABLE y") for line in sql.splitlines())
    text = render_text(plan)
    assert not any(line.startswith("DROP TABLE y") for line in text.splitlines())
    assert fence_for("no backticks") == "```"
    assert single_line("a\n  b\r\nc\u2028d") == "a b c d"
