"""Incident 000 end to end through the CLI, on data: a bigint ``id`` beside the uuid
``user_id`` with RLS policies pinned to both (docs/incidents.md).

The golden plan of the same case lives in tests/cases/incident/000-profiles-bigint-id-beside-uuid;
this test checks what the golden cannot: the destroy gate, every row surviving with its uuid,
the foreign key and the policies as declared, a second plan with no changes, and that the same
inputs plan to the same bytes every time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.catalog.reader import read_schema
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare import load_schema
from pgreconcile.diff.policies import same_policy

CASE = Path(__file__).parents[1] / "cases" / "incident" / "000-profiles-bigint-id-beside-uuid"


def _reconcile(schema_dir: Path, db_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, [*args, "--schema-dir", str(schema_dir), "--database-url", db_url], catch_exceptions=False
    )
    return result.exit_code, result.output


def _rows(db_url: str, key: str) -> dict[str, tuple[object, ...]]:
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            f"SELECT {key}::text, display_name, cancellation_token, created_at FROM public.profiles"
        ).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def test_incident_000_profiles_id_becomes_the_uuid(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, (CASE / "live.sql").read_text())
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    shutil.copy(CASE / "desired.yaml", schema_dir / "profiles.yaml")
    before = _rows(db_url, "user_id")
    assert len(before) == 400

    code, text = _reconcile(schema_dir, db_url, "plan")
    assert code == Exit.OK, text
    assert "» column user_id → id" in text
    assert "- column id bigint" in text and "drops data" in text
    assert "-/+ policy profiles_admin_role_full_access" in text
    assert "re-created: reads column id, which is dropped" in text
    assert "-/+ primary key profiles_pkey (id)" in text

    # The same inputs plan to the same bytes, every time.
    texts = {_reconcile(schema_dir, db_url, "plan", "--no-color")[1] for _ in range(5)}
    assert len(texts) == 1
    documents = {_reconcile(schema_dir, db_url, "plan", "--json")[1] for _ in range(5)}
    assert len(documents) == 1

    # Dropping the bigint id loses data: refused without --allow-destroy, nothing changed.
    code, text = _reconcile(schema_dir, db_url, "apply", "--auto-approve")
    assert code == Exit.ERROR
    assert "--allow-destroy" in text
    assert _rows(db_url, "user_id") == before

    code, text = _reconcile(schema_dir, db_url, "apply", "--auto-approve", "--allow-destroy")
    assert code == Exit.OK, text
    assert "Apply complete!" in text

    # Every row survived, now keyed by its uuid.
    assert _rows(db_url, "id") == before
    desired = load_schema(schema_dir)
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, ["public"])
        id_type = conn.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = 'public.profiles'::regclass AND attname = 'id'"
        ).fetchone()
    assert id_type == ("uuid",)
    table = live.tables[("public", "profiles")]
    assert table.primary_key is not None and table.primary_key.columns == ("id",)
    assert table.column("user_id") is None
    [fk] = table.foreign_keys
    assert (fk.columns, fk.ref_schema, fk.ref_table, fk.ref_columns) == (("id",), "auth", "users", ("id",))
    assert fk.on_delete.value == "cascade"
    assert table.rls_enabled
    wanted = desired.tables[("public", "profiles")]
    assert [p.name for p in table.policies] == [p.name for p in wanted.policies]
    assert all(same_policy(a, b) for a, b in zip(table.policies, wanted.policies, strict=True))

    code, text = _reconcile(schema_dir, db_url, "plan", "--detailed-exitcode")
    assert code == Exit.OK, text
    assert "No changes" in text
