"""Saved plans: `plan -out FILE` then `apply FILE` applies exactly that plan, or refuses it —
stale, other version, refused, or made from other declarations — before anything runs."""

from __future__ import annotations

import dataclasses
import json
import uuid
from pathlib import Path

import jsonschema
import psycopg
import pytest
from workflow_helpers import NOTES, NOTES_DESIRED, full_catalog, invoke, schema_dir

from conftest import run_sql
from pgreconcile import __version__
from pgreconcile.apply.runner import apply_plan
from pgreconcile.apply.staleness import PlanStale
from pgreconcile.catalog.reader import read_schema
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.cli.plan_cmd import UNSAVED_NOTE
from pgreconcile.plan import make_plan
from pgreconcile.plan.model import FORMAT_VERSION
from pgreconcile.plan.saved import read_saved_plan, write_saved_plan
from pgreconcile.plan.serialize import plan_schema


def _columns(url: str, table: str = "notes") -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped ORDER BY attnum",
            (f"public.{table}",),
        ).fetchall()
    return [r[0] for r in rows]


@pytest.fixture
def saved(tmp_path: Path, db_url: str) -> tuple[Path, Path]:
    """A database with notes and other, and a saved plan that changes notes: (schema dir, plan)."""
    run_sql(db_url, NOTES)
    schema = schema_dir(tmp_path, NOTES_DESIRED)
    plan_file = tmp_path / "plans" / "notes.plan.json"
    result = invoke("plan", "-s", str(schema), "-d", db_url, "-out", str(plan_file))
    assert result.exit_code == 0, result.output
    assert f"Saved the plan to {plan_file}. To apply exactly this plan: reconcile apply {plan_file}" in result.output
    assert UNSAVED_NOTE not in result.output
    return schema, plan_file


def test_plan_out_then_apply_runs_exactly_the_saved_plan(saved: tuple[Path, Path], db_url: str) -> None:
    schema, plan_file = saved
    document = json.loads(plan_file.read_text())
    jsonschema.validate(document, plan_schema())
    assert document["tool_version"] == __version__
    assert document["declarations"]["schema_dir"] == str(schema)
    # Touched: notes (changed). Not touched: other.
    assert list(document["fingerprints"]) == ["table:public.notes"]
    assert document["fingerprints"]["table:public.notes"].startswith("sha256:")

    result = invoke("apply", str(plan_file), "-d", db_url)  # no stdin: a saved plan never asks
    assert result.exit_code == 0, result.output
    assert "Only 'yes'" not in result.output
    assert "Actions are shown with these symbols" not in result.output  # not planned again
    assert "Apply complete! 2 added, 1 changed, 0 destroyed." in result.output
    assert "Verified: the database matches the declarations." in result.output
    assert _columns(db_url) == ["id", "body", "created_at"]

    again = invoke("plan", "-s", str(schema), "-d", db_url, "--detailed-exitcode")
    assert again.exit_code == Exit.OK, again.output


def test_plain_plan_reminds_that_apply_may_differ(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, NOTES)
    schema = schema_dir(tmp_path, NOTES_DESIRED)
    result = invoke("plan", "-s", str(schema), "-d", db_url)
    assert result.output.rstrip().endswith(UNSAVED_NOTE)
    # Machine views stay exactly what they are.
    assert UNSAVED_NOTE not in invoke("plan", "-s", str(schema), "-d", db_url, "--json").output


def test_plan_out_with_json_keeps_stdout_pure_json(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, NOTES)
    schema = schema_dir(tmp_path, NOTES_DESIRED)
    plan_file = tmp_path / "p.plan.json"
    result = invoke("plan", "-s", str(schema), "-d", db_url, "--out", str(plan_file), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(plan_file.read_text())
    assert "Saved the plan" in result.stderr


def test_a_stale_plan_is_refused_naming_the_changed_table(saved: tuple[Path, Path], db_url: str) -> None:
    _, plan_file = saved
    run_sql(db_url, "ALTER TABLE public.notes ADD COLUMN author text")
    before = full_catalog(db_url)
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "the database changed since the plan was made" in result.output
    assert "  - table public.notes changed" in result.output
    assert "Nothing was applied." in result.output
    assert "[1/" not in result.output and "steps:" not in result.output  # no step was announced
    assert full_catalog(db_url) == before


def test_a_change_to_an_untouched_table_does_not_make_the_plan_stale(saved: tuple[Path, Path], db_url: str) -> None:
    _, plan_file = saved
    run_sql(db_url, "CREATE INDEX other_id_idx ON public.other (id)")
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert "changed since the plan was made" not in result.output
    assert "Apply complete! 2 added, 1 changed, 0 destroyed." in result.output
    assert _columns(db_url) == ["id", "body", "created_at"]
    # Applied — and verification still reports the drift the other change made, as drift.
    assert result.exit_code == Exit.ERROR
    assert "in objects the plan did not touch" in result.output
    assert "- index other_id_idx (id)" in result.output


def test_a_change_outside_the_managed_schemas_is_no_concern(saved: tuple[Path, Path], db_url: str) -> None:
    _, plan_file = saved
    run_sql(db_url, "CREATE SCHEMA elsewhere; CREATE TABLE elsewhere.t (id integer)")
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == 0, result.output
    assert "Verified: the database matches the declarations." in result.output


def test_an_object_the_plan_creates_that_appeared_meanwhile_is_stale(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, NOTES)
    schema = schema_dir(tmp_path, NOTES_DESIRED + "      audit:\n        columns:\n          id: integer\n")
    plan_file = tmp_path / "p.plan.json"
    assert invoke("plan", "-s", str(schema), "-d", db_url, "-out", str(plan_file)).exit_code == 0
    assert json.loads(plan_file.read_text())["fingerprints"]["table:public.audit"] == "absent"
    run_sql(db_url, "CREATE TABLE public.audit (id integer)")
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "table public.audit now exists (the plan creates it)" in result.output


def test_a_plan_from_another_tool_version_is_refused(saved: tuple[Path, Path], db_url: str) -> None:
    _, plan_file = saved
    document = json.loads(plan_file.read_text())
    document["tool_version"] = "0.0.9"
    plan_file.write_text(json.dumps(document))
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert f"the plan was made by pgreconcile 0.0.9; this is pgreconcile {__version__}" in result.output
    assert _columns(db_url) == ["id", "body"]


def test_a_plan_of_another_format_major_is_refused(saved: tuple[Path, Path], db_url: str) -> None:
    _, plan_file = saved
    document = json.loads(plan_file.read_text())
    document["format_version"] = "2.0"
    plan_file.write_text(json.dumps(document))
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "plan format_version 2.0" in result.output and "is not supported" in result.output


def test_a_plan_without_fingerprints_is_refused(saved: tuple[Path, Path], db_url: str) -> None:
    _, plan_file = saved
    document = json.loads(plan_file.read_text())
    for name in ("fingerprints", "scope", "declarations"):
        del document[name]
    document["format_version"] = "1.0"
    plan_file.write_text(json.dumps(document))
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "carries no fingerprints" in result.output


def test_a_saved_plan_with_refusals_is_refused(tmp_path: Path, db_url: str) -> None:
    # A label still in use, removed without a replacement: refused with the count.
    run_sql(db_url, "CREATE TYPE public.mood AS ENUM ('happy', 'meh');"
            "CREATE TABLE public.days (id integer PRIMARY KEY, mood public.mood);"
            "INSERT INTO public.days VALUES (1, 'meh');")
    schema = schema_dir(tmp_path, "version: 1\nschemas:\n  public:\n    enums:\n      mood: [happy]\n    tables:\n"
                        "      days:\n        columns:\n          id: {type: integer, primary_key: true}\n"
                        "          mood: mood\n")
    plan_file = tmp_path / "p.plan.json"
    result = invoke("plan", "-s", str(schema), "-d", db_url, "-out", str(plan_file))
    assert result.exit_code == Exit.ERROR  # written, for review, but refused
    assert json.loads(plan_file.read_text())["refusals"]
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "the plan is refused" in result.output


def test_declarations_changed_since_planning_refuse_the_plan(saved: tuple[Path, Path], db_url: str) -> None:
    schema, plan_file = saved
    (schema / "app.yaml").write_text(NOTES_DESIRED.replace("Free-form notes.", "Notes."))
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert f"the declarations in {schema} changed since the plan was made" in result.output
    assert _columns(db_url) == ["id", "body"]


def test_moving_declarations_between_files_is_not_a_change(saved: tuple[Path, Path], db_url: str) -> None:
    schema, plan_file = saved
    (schema / "app.yaml").write_text("\n\n# moved down two lines\n" + NOTES_DESIRED)
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == 0, result.output


def test_schema_dir_flag_overrides_the_recorded_one(saved: tuple[Path, Path], tmp_path: Path, db_url: str) -> None:
    schema, plan_file = saved
    (tmp_path / "checkout").mkdir()
    moved = schema.rename(tmp_path / "checkout" / "schema")
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "does not exist" in result.output
    result = invoke("apply", str(plan_file), "-d", db_url, "--schema-dir", str(moved))
    assert result.exit_code == 0, result.output


def test_a_plan_that_lost_a_step_is_refused_before_anything_runs(saved: tuple[Path, Path], db_url: str) -> None:
    """The file lost a step (made consistently, so it reads and its derived fields agree):
    planning again under the lock finds the step missing, names it, and nothing runs."""
    _, plan_file = saved
    plan = read_saved_plan(plan_file)
    dropped = next(s for s in plan.steps if s.kind == "index")
    plan.steps = [s for s in plan.steps if s is not dropped]
    plan.steps = [dataclasses.replace(s, number=i) for i, s in enumerate(plan.steps, start=1)]
    write_saved_plan(plan, plan_file)
    before = full_catalog(db_url)
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "Verified" not in result.output and "Apply complete" not in result.output
    assert "the saved plan lacks a step pgreconcile plans from these declarations" in result.output
    assert "index notes_created_at_idx" in result.output
    assert full_catalog(db_url) == before


def test_a_hand_edited_statement_is_refused_naming_the_step(saved: tuple[Path, Path], db_url: str) -> None:
    """Issue 18: an extra statement in steps[0].statements ran and was then "Verified"."""
    _, plan_file = saved
    document = json.loads(plan_file.read_text())
    document["steps"][0]["statements"].append("DROP TABLE public.other")
    plan_file.write_text(json.dumps(document, indent=2))
    before = full_catalog(db_url)
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "step 1 (" in result.output
    assert "differs from what pgreconcile plans from these declarations against this database" in result.output
    assert "its statements" in result.output
    assert "a plan file must not be edited" in result.output
    assert "Apply complete" not in result.output
    assert full_catalog(db_url) == before
    assert "other" in [t for (_, t) in read_tables(db_url)]


def test_an_edited_step_order_or_label_is_refused(saved: tuple[Path, Path], db_url: str) -> None:
    _, plan_file = saved
    document = json.loads(plan_file.read_text())
    document["steps"][-1]["label"] = "harmless comment"
    plan_file.write_text(json.dumps(document, indent=2))
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert f"step {len(document['steps'])} (" in result.output and "its label" in result.output


def test_a_saved_plan_records_its_database_and_refuses_any_other(
    saved: tuple[Path, Path], db_url: str, pg_server: object
) -> None:
    """Issue 18: a plan made against one database was applied to another and created objects there."""
    _, plan_file = saved
    document = json.loads(plan_file.read_text())
    database = document["database"]
    assert database["name"] == db_url.rsplit("/", 1)[1].split("?")[0]
    assert database["system_identifier"].isdigit() and database["oid"] > 0
    assert document["format_version"] == FORMAT_VERSION
    other_url = db_url.rsplit("/", 1)[0] + "/" + _other_database(db_url)
    run_sql(other_url, NOTES)
    before = full_catalog(other_url)
    result = invoke("apply", str(plan_file), "-d", other_url)
    assert result.exit_code == Exit.ERROR
    assert f"the plan was made for database {database['name']} (oid {database['oid']})" in result.output
    assert "but this connection reaches database pgr_other_" in result.output
    assert full_catalog(other_url) == before
    # The same database under its right URL applies, and the report names what it read back.
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == 0, result.output
    assert f"(read back from database {database['name']} (oid {database['oid']}) on server" in result.output


def test_a_plan_with_another_server_identifier_is_refused(saved: tuple[Path, Path], db_url: str) -> None:
    _, plan_file = saved
    document = json.loads(plan_file.read_text())
    document["database"]["system_identifier"] = "1"
    plan_file.write_text(json.dumps(document, indent=2))
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "on server 1, but this connection reaches" in result.output
    assert _columns(db_url) == ["id", "body"]


def _other_database(db_url: str) -> str:
    """A new empty database on the same server (dropped with the server at the end of the session)."""
    name = "pgr_other_" + uuid.uuid4().hex[:10]
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def read_tables(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT schemaname, tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return [(r[0], r[1]) for r in rows]


def test_detailed_exitcode_is_1_on_error(tmp_path: Path, db_url: str) -> None:
    schema = schema_dir(tmp_path, "version: 1\nschemas:\n  public:\n    tables: {t: {columns: {id: nosuchtype}}}\n")
    result = invoke("plan", "-s", str(schema), "-d", db_url, "--detailed-exitcode")
    assert result.exit_code == Exit.ERROR


def test_a_saved_plan_that_drops_data_needs_allow_destroy(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, NOTES)
    schema = schema_dir(tmp_path, NOTES_DESIRED.replace("          body: {type: text, nullable: false}\n", ""))
    plan_file = tmp_path / "p.plan.json"
    assert invoke("plan", "-s", str(schema), "-d", db_url, "-out", str(plan_file)).exit_code == 0
    assert json.loads(plan_file.read_text())["destroys_data"] is True
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "--allow-destroy" in result.output
    assert _columns(db_url) == ["id", "body"]
    result = invoke("apply", str(plan_file), "-d", db_url, "--allow-destroy")
    assert result.exit_code == 0, result.output
    assert _columns(db_url) == ["id", "created_at"]


def test_a_plan_waiting_for_approval_is_checked_the_same_way(db_url: str) -> None:
    """What `reconcile apply` does between the prompt and the first statement: the database
    changed while the plan waited for "yes"."""
    run_sql(db_url, NOTES)
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, ["public"])
    notes = live.tables[("public", "notes")]
    tables = {**live.tables, ("public", "notes"): dataclasses.replace(notes, comment="x")}
    desired = dataclasses.replace(live, tables=tables)
    plan = make_plan(desired, live, source="s", target="t")
    run_sql(db_url, "ALTER TABLE public.notes ALTER COLUMN body DROP NOT NULL")
    with psycopg.connect(db_url) as conn, pytest.raises(PlanStale, match=r"table public\.notes changed"):
        apply_plan(conn, plan)
    with psycopg.connect(db_url) as conn:
        assert read_schema(conn, ["public"]).tables[("public", "notes")].comment is None


@pytest.mark.parametrize("kind", ["publication", "collation"])
def test_a_publication_or_collation_changed_while_the_plan_waited_is_stale(db_url: str, kind: str) -> None:
    """Publications and collations have fingerprints too: the plan changes one, someone else
    changes it meanwhile, and apply refuses rather than overwrite what it did not see."""
    run_sql(db_url, NOTES + "; CREATE PUBLICATION pgr_pub FOR TABLE public.notes;"
            " CREATE COLLATION public.pgr_coll (provider = libc, locale = 'C')")
    try:
        with psycopg.connect(db_url) as conn:
            live = read_schema(conn, ["public"])
        if kind == "publication":
            pub = live.publications["pgr_pub"]
            desired = dataclasses.replace(live, publications={"pgr_pub": dataclasses.replace(pub, publish=("insert",))})
            meanwhile = "ALTER PUBLICATION pgr_pub SET (publish = 'insert, update')"
        else:
            key = ("public", "pgr_coll")
            coll = live.collations[key]
            desired = dataclasses.replace(live, collations={key: dataclasses.replace(coll, comment="sorting")})
            meanwhile = ("DROP COLLATION public.pgr_coll;"
                         " CREATE COLLATION public.pgr_coll (provider = libc, locale = 'POSIX')")
        plan = make_plan(desired, live, source="s", target="t")
        assert plan.has_changes and any(key.startswith(f"{kind}:") for key in plan.fingerprints), plan.fingerprints
        run_sql(db_url, meanwhile)
        with psycopg.connect(db_url) as conn, pytest.raises(PlanStale, match=rf"{kind} \S*pgr_\w+ changed"):
            apply_plan(conn, plan)
    finally:
        run_sql(db_url, "DROP PUBLICATION IF EXISTS pgr_pub; DROP COLLATION IF EXISTS public.pgr_coll")


def test_a_role_that_may_not_read_the_system_identifier_still_plans(db_url: str) -> None:
    """pg_control_system() may be revoked from PUBLIC; the database is then named by name and oid."""
    from pgreconcile.apply.identity import read_database

    role = "pgr_noctl_" + uuid.uuid4().hex[:6]
    run_sql(db_url, f"REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC; CREATE ROLE {role} LOGIN")
    try:
        with psycopg.connect(db_url.replace("postgres@", f"{role}@", 1)) as conn:
            database = read_database(conn)
            assert database.system_identifier == "unknown" and database.oid > 0
            assert conn.execute("SELECT 1").fetchone() == (1,)  # the connection is usable after
        with psycopg.connect(db_url) as conn:
            assert read_database(conn).system_identifier.isdigit()
    finally:
        run_sql(db_url, f"GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC; DROP ROLE {role}")
