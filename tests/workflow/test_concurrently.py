"""--concurrently: indexes on existing tables are built with CREATE INDEX CONCURRENTLY after the
transaction, one by one; the plan says so; a failed one leaves no INVALID index behind."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
from workflow_helpers import NOTES, NOTES_DESIRED, invoke, schema_dir

from conftest import run_sql
from pgreconcile.cli.exitcodes import Exit

# A second index on notes, and a new table with an index of its own.
DESIRED = NOTES_DESIRED.replace(
    "          notes_created_at_idx: {columns: [created_at DESC]}\n",
    "          notes_created_at_idx: {columns: [created_at DESC]}\n          notes_body_idx: {columns: [body]}\n",
) + "      audit:\n        columns:\n          id: integer\n        indexes:\n          audit_id_idx: {columns: [id]}\n"


def _indexes(url: str) -> dict[str, bool]:
    """Index name → valid, for the indexes of public."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT i.indisprimary"
        ).fetchall()
    return dict(rows)


def test_the_plan_says_which_indexes_are_built_concurrently(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, NOTES)
    schema = schema_dir(tmp_path, DESIRED)
    common = ("-s", str(schema), "-d", db_url, "--concurrently")

    text = invoke("plan", *common).output
    assert "+ index notes_body_idx (body)" in text
    assert "built CONCURRENTLY, after the transaction commits · cannot run in a transaction" in text
    assert "Steps 5, 6 run after the transaction commits, one by one" in text

    sql = invoke("plan", *common, "--sql").output
    after_commit = sql.split("COMMIT;", 1)[1]
    assert "CREATE INDEX CONCURRENTLY notes_body_idx ON public.notes (body);" in after_commit
    assert "CREATE INDEX CONCURRENTLY notes_created_at_idx ON public.notes (created_at DESC);" in after_commit
    # The new table's index stays in the transaction: the table is empty and not visible before it.
    assert "CREATE INDEX audit_id_idx ON public.audit (id);" in sql.split("COMMIT;", 1)[0]

    steps = json.loads(invoke("plan", *common, "--json").output)["steps"]
    built_after = [(s["label"], s["transactional"]) for s in steps if s["phase"] == "after"]
    assert built_after == [
        ("index notes_body_idx (body)", False),
        ("index notes_created_at_idx (created_at DESC)", False),
    ]

    # Without the flag, nothing changes phase.
    assert "CONCURRENTLY" not in invoke("plan", "-s", str(schema), "-d", db_url, "--sql").output


def test_apply_concurrently_builds_valid_indexes_and_converges(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, NOTES)
    schema = schema_dir(tmp_path, DESIRED)
    result = invoke("apply", "--auto-approve", "--concurrently", "-s", str(schema), "-d", db_url)
    assert result.exit_code == 0, result.output
    assert "Applying 6 steps: 4 in one transaction, 2 after it." in result.output
    assert _indexes(db_url) == {"notes_body_idx": True, "notes_created_at_idx": True, "audit_id_idx": True}
    assert invoke("plan", "-s", str(schema), "-d", db_url, "--detailed-exitcode").exit_code == Exit.OK


def test_a_failed_concurrent_build_drops_the_invalid_index_it_left(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, NOTES + "INSERT INTO public.notes (body) VALUES ('a');")
    desired = NOTES_DESIRED.replace(
        "          notes_created_at_idx: {columns: [created_at DESC]}\n",
        "          notes_created_at_idx: {columns: [created_at DESC]}\n"
        "          notes_body_key: {columns: [body], unique: true}\n",
    )
    schema = schema_dir(tmp_path, desired)
    plan_file = tmp_path / "p.plan.json"
    # Probes off: the duplicates would refuse the plan; here the concurrent build must fail.
    args = ("--concurrently", "--probe-timeout", "0", "-s", str(schema), "-d", db_url, "-out", str(plan_file))
    made = invoke("plan", *args)
    assert made.exit_code == 0
    result = invoke("apply", str(plan_file), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "step 3 (+ public.notes: unique index notes_body_key (body)) failed" in result.output
    assert "may fail on existing data" in plan_file.read_text()
    assert "could not create unique index" in result.output
    assert (
        "The transaction was committed; this step runs after it and did not complete. "
        "The 1 step after it did not run." in result.output
    )
    assert "It left the INVALID index public.notes_body_key behind, which was dropped." in result.output
    indexes = _indexes(db_url)
    assert "notes_body_key" not in indexes
    # The transaction's steps stay applied, as the plan said they would; the next index was not built.
    assert indexes == {}
    assert "created_at" in invoke("plan", "-s", str(schema), "-d", db_url).output
