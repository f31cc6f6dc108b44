"""Incident 002 end to end (docs/incidents.md): ``user_profiles.id`` is TEXT with no default, and a
dozen trait columns hold data. Declared with ``default_sql: gen_random_uuid()::text`` and three
JSONB groups absorbing the twelve columns: after apply an insert without an id works, every row's
group JSON equals its old column values (NULLs left out), and planning again shows no changes."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

CASE = Path(__file__).parents[1] / "cases" / "incident" / "002-traits-absorbed-into-jsonb-groups"
GROUPS = {
    "personality_traits": ("openness", "conscientiousness", "extraversion", "attachment_style"),
    "appearance_traits": ("hair_color", "eye_color", "body_type", "height_cm"),
    "behavioral_metrics": ("communication_style", "emoji_usage", "response_length", "humor_style"),
}


def _reconcile(schema_dir: Path, db_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, [*args, "--schema-dir", str(schema_dir), "--database-url", db_url], catch_exceptions=False
    )
    return result.exit_code, result.output


def test_incident_002_traits_move_into_groups_and_ids_default(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, (CASE / "live.sql").read_text())
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    shutil.copy(CASE / "desired.yaml", schema_dir / "profiles.yaml")
    columns = [c for cols in GROUPS.values() for c in cols]
    with psycopg.connect(db_url) as conn:
        before = {row[0]: row[1:] for row in conn.execute(f"SELECT id, {', '.join(columns)} FROM user_profiles")}
        with pytest.raises(psycopg.errors.NotNullViolation):
            conn.execute("INSERT INTO user_profiles (display_name) VALUES ('no id')")

    code, text = _reconcile(schema_dir, db_url, "plan")
    assert code == Exit.OK, text
    assert "absorbed into group personality_traits" in text
    assert "This plan destroys data" not in text  # the values move; nothing is lost

    code, text = _reconcile(schema_dir, db_url, "apply", "--auto-approve")  # no --allow-destroy needed
    assert code == Exit.OK, text

    with psycopg.connect(db_url) as conn:
        after = {row[0]: row[1:] for row in conn.execute(f"SELECT id, {', '.join(GROUPS)} FROM user_profiles")}
        new_id = conn.execute("INSERT INTO user_profiles (display_name) VALUES ('no id') RETURNING id").fetchone()
        conn.rollback()
    assert set(after) == set(before)
    for row_id, values in before.items():
        old = dict(zip(columns, values, strict=True))
        for group, group_json in zip(GROUPS, after[row_id], strict=True):
            expected = {k: old[k] for k in GROUPS[group] if old[k] is not None}
            got = {k: Decimal(str(v)) if k == "height_cm" else v for k, v in group_json.items()}
            assert got == expected, (row_id, group)
    assert new_id is not None and len(new_id[0]) == 36

    code, text = _reconcile(schema_dir, db_url, "plan", "--detailed-exitcode")
    assert code == Exit.OK, text
