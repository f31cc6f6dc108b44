"""`reconcile apply` verifies on a new session when its own ended after everything committed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import apply_cmd, cli
from pgreconcile.cli.progress import LineProgress
from pgreconcile.plan.model import Step

DECLARED = (
    "version: 1\nschemas:\n  public:\n    tables:\n      vs:\n        columns:\n"
    "          id: {type: integer, primary_key: true}\n"
    "          code: text\n"
    "        indexes:\n"
    "          vs_code_idx: {columns: [code]}\n"
)


def test_apply_verifies_on_a_new_session_when_its_own_ended(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan's only step (a CONCURRENTLY index, after the commit) runs; then every other
    session of the database is ended, the apply's among them. The apply happened: the command
    must say so, verify the result on a session of its own and exit 0."""
    run_sql(db_url, "DROP TABLE IF EXISTS public.vs; CREATE TABLE public.vs (id integer PRIMARY KEY, code text)")
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(DECLARED)
    ended: list[int] = []

    class EndsSessionsAfterTheLastStep(LineProgress):
        def finished(self, step: Step, seconds: float) -> None:
            super().finished(step, seconds)
            with psycopg.connect(db_url, autocommit=True) as admin:
                rows: list[Any] = admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                ).fetchall()
                ended.extend(1 for row in rows if row[0])

    def progress(total: int, intro: str | None = None) -> LineProgress:
        return EndsSessionsAfterTheLastStep(total, None, intro)

    monkeypatch.setattr(apply_cmd, "progress_for", progress)
    result = CliRunner().invoke(
        cli, ["apply", "-s", str(schema), "-d", db_url, "--concurrently", "--auto-approve"], catch_exceptions=False
    )
    assert ended, "the apply's session was not ended: the test proves nothing"
    assert result.exit_code == 0, result.output
    assert "Apply complete! 1 added" in result.output
    assert "rolled back" not in result.output
    assert "Verified: the database matches the declarations." in result.output
    with psycopg.connect(db_url) as conn:
        names = [row[0] for row in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'vs'")]
    assert "vs_code_idx" in names
