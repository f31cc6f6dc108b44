"""Objects that read a changed column (views, triggers — all managed now) are re-created or dropped around it; listed
in every plan, and refuse a plan that would break them — before anything runs."""

from __future__ import annotations

from pathlib import Path

import psycopg
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.catalog.reader import read_schema
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare import load_files
from pgreconcile.plan import make_plan

LIVE = """
CREATE TABLE public.notes (id integer PRIMARY KEY, role varchar(20), body text);
CREATE TABLE public.scratch (id integer PRIMARY KEY);
INSERT INTO public.notes VALUES (1, 'member', 'hello');
CREATE VIEW public.member_notes AS SELECT id, body FROM public.notes WHERE role = 'member';
CREATE VIEW public.scratch_ids AS SELECT id FROM public.scratch;
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER notes_touch BEFORE UPDATE ON public.notes FOR EACH ROW WHEN (NEW.body IS NOT NULL)
    EXECUTE FUNCTION public.touch();
"""

# The trigger and its function are declared as they are live (they are managed, and unchanged).
HEAD = (
    "version: 1\nschemas:\n  public:\n    functions:\n      touch():\n        returns: trigger\n"
    "        language: plpgsql\n        body: ' BEGIN RETURN NEW; END '\n    tables:\n"
)
NOTES = (
    "      notes:\n        triggers:\n          notes_touch: {timing: before, events: update, for_each: row,"
    " function: touch(), when: NEW.body IS NOT NULL}\n"
    "        columns:\n          id: {type: integer, primary_key: true}\n"
)
SCRATCH = "      scratch:\n        columns:\n          id: {type: integer, primary_key: true}\n"
SCRATCH = "      scratch:\n        columns:\n          id: {type: integer, primary_key: true}\n"


def _plan(tmp_path: Path, db_url: str, yaml_text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "app.yaml"
    path.write_text(yaml_text)
    desired = load_files([path])
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, desired.managed)
    return make_plan(desired, live, source="app.yaml", target="db")


def test_an_undeclared_view_reading_a_retyped_column_is_dropped_before_it(tmp_path: Path, db_url: str) -> None:
    # [views] views are managed: an undeclared one in a managed schema goes, before the change.
    run_sql(db_url, LIVE)
    plan = _plan(tmp_path, db_url, HEAD + NOTES + "          role: text\n          body: text\n" + SCRATCH)
    assert not [r for r in plan.refusals if "view" in r], plan.refusals
    labels = [s.label for s in plan.steps]
    assert labels.index("view public.member_notes") < labels.index("column role character varying(20) → text")


def test_a_trigger_and_a_view_reading_a_dropped_column_refuse_nothing(tmp_path: Path, db_url: str) -> None:
    """Triggers and views are managed: they are re-created or dropped around the change."""
    run_sql(db_url, LIVE)
    plan = _plan(tmp_path, db_url, HEAD + NOTES + "          role: varchar(20)\n" + SCRATCH)
    assert not any("reads column" in r for r in plan.refusals), plan.refusals


def test_an_undeclared_view_reading_a_dropped_table_goes_first(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    plan = _plan(tmp_path, db_url, HEAD + NOTES + "          role: varchar(20)\n          body: text\n")
    assert not [r for r in plan.refusals if "view" in r], plan.refusals
    labels = [s.label for s in plan.steps]
    assert labels.index("view public.scratch_ids") < labels.index("table public.scratch")


def test_renaming_a_column_a_view_reads_is_fine(tmp_path: Path, db_url: str) -> None:
    """PostgreSQL follows a rename inside the view; nothing is refused."""
    run_sql(db_url, LIVE)
    columns = "          kind: {type: varchar(20), renamed_from: role}\n          body: text\n"
    plan = _plan(tmp_path, db_url, HEAD + NOTES + columns + SCRATCH)
    assert plan.refusals == []
    # [views] the views themselves are undeclared here, so they go.
    labels = [s.label for s in plan.steps]
    assert labels == ["view public.member_notes", "view public.scratch_ids", "column role → kind"]


def test_the_cli_lists_no_unmanaged_objects_and_changes_nothing_without_allow_destroy(
    tmp_path: Path, db_url: str
) -> None:
    run_sql(db_url, LIVE)
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    (schema_dir / "app.yaml").write_text(HEAD + NOTES + "          role: varchar(20)\n" + SCRATCH)
    result = CliRunner().invoke(
        cli, ["apply", "--auto-approve", "--schema-dir", str(schema_dir), "--database-url", db_url]
    )
    assert result.exit_code == Exit.ERROR, result.output
    assert "--allow-destroy" in result.output
    assert "Not managed, left untouched" not in result.output
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = 'public.notes'::regclass AND attname = 'role'"
        ).fetchone()
    assert row == ("character varying(20)",)
