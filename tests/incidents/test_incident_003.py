"""Incident 003 end to end (docs/incidents.md): a varchar session_id holding uuids, and 3 values
that are not, becomes a uuid foreign key. The plan counts the 3 values before anything runs;
apply turns exactly those into NULL and keeps every other value; an orphan would block the FK."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

CASE = Path(__file__).parents[1] / "cases" / "incident" / "003-varchar-session-ids-become-uuid"
BAD = {"+15559990001", "+15559990002", "+15559990003"}


def _reconcile(schema_dir: Path, db_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, [*args, "--schema-dir", str(schema_dir), "--database-url", db_url], catch_exceptions=False
    )
    return result.exit_code, result.output


def _sessions(db_url: str) -> dict[str, str | None]:
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT phone, session_id::text FROM core.whatsapp_conversations").fetchall()
    return dict(rows)


def _schema_dir(tmp_path: Path) -> Path:
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    shutil.copy(CASE / "desired.yaml", schema_dir / "app.yaml")
    return schema_dir


def test_incident_003_non_uuid_values_become_null_and_the_rest_stay(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, (CASE / "live.sql").read_text())
    schema_dir = _schema_dir(tmp_path)
    before = _sessions(db_url)

    code, text = _reconcile(schema_dir, db_url, "plan")
    assert code == Exit.OK, text
    assert "3 of 203 values are not uuids → NULL" in text
    assert "all 200 references resolve" in text

    # Values turned into NULL are data lost: refused without --allow-destroy, nothing changed.
    code, text = _reconcile(schema_dir, db_url, "apply", "--auto-approve")
    assert code == Exit.ERROR and "--allow-destroy" in text
    assert _sessions(db_url) == before

    code, text = _reconcile(schema_dir, db_url, "apply", "--auto-approve", "--allow-destroy")
    assert code == Exit.OK, text
    after = _sessions(db_url)
    assert set(after) == set(before)
    assert {phone for phone, value in after.items() if value is None} == BAD | {"+15559990004"}
    assert {p: v for p, v in after.items() if p not in BAD} == {p: v for p, v in before.items() if p not in BAD}

    code, text = _reconcile(schema_dir, db_url, "plan", "--detailed-exitcode")
    assert code == Exit.OK, text


def test_incident_003_an_orphan_blocks_the_foreign_key_before_anything_runs(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, (CASE / "live.sql").read_text())
    run_sql(
        db_url,
        "INSERT INTO core.whatsapp_conversations (phone, session_id) "
        "VALUES ('+15559990009', '99999999-9999-4999-8999-999999999999')",
    )
    schema_dir = _schema_dir(tmp_path)
    code, text = _reconcile(schema_dir, db_url, "plan")
    assert code == Exit.ERROR
    assert "1 of 201 rows references no row of core.conversation_sessions: apply will fail" in text
    code, text = _reconcile(schema_dir, db_url, "apply", "--auto-approve", "--allow-destroy")
    assert code == Exit.ERROR
    assert _sessions(db_url)["+15559990009"] == "99999999-9999-4999-8999-999999999999"
