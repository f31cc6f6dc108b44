"""Helpers for the workflow tests: the CLI in-process and as a real subprocess, schema
directories, and reading the whole catalog to prove that nothing changed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
from click.testing import CliRunner, Result

from pgreconcile.catalog.reader import list_schemas, read_schema
from pgreconcile.cli import cli
from pgreconcile.model import Schema

NOTES = """
CREATE TABLE public.notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body text NOT NULL);
INSERT INTO public.notes (body) VALUES ('a'), ('b');
CREATE TABLE public.other (id integer PRIMARY KEY);
"""

# Adds a column, an index and a comment to notes; leaves other alone (it is declared as it is).
NOTES_DESIRED = """
version: 1
schemas:
  public:
    tables:
      notes:
        comment: Free-form notes.
        columns:
          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid()}
          body: {type: text, nullable: false}
          created_at: {type: timestamptz, nullable: false, default_sql: now()}
        indexes:
          notes_created_at_idx: {columns: [created_at DESC]}
      other:
        columns:
          id: {type: integer, primary_key: true}
"""


def invoke(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    """Run ``reconcile`` in this process (stdout and stderr both in ``.output``)."""
    return CliRunner().invoke(cli, list(args), input=stdin, env=env, catch_exceptions=False)


def schema_dir(base: Path, text: str, name: str = "schema") -> Path:
    """A declarations directory under ``base`` holding ``text`` as app.yaml."""
    directory = base / name
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "app.yaml").write_text(text)
    return directory


def spawn(*args: str, cwd: Path | None = None) -> subprocess.Popen[str]:
    """``reconcile`` as a real process (signals, concurrency), output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "pgreconcile", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
    )


def full_catalog(url: str) -> Schema:
    """Every user schema of the database, as the reader sees it."""
    with psycopg.connect(url) as conn:
        return read_schema(conn, list_schemas(conn))


def wait_for(url: str, sql: str, params: tuple[Any, ...] = (), timeout: float = 60.0) -> Any:
    """Poll ``sql`` until it returns a row; its first value."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(sql, params).fetchone()
            if row is not None:
                return row[0]
            time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {sql}")


def apply_waiting_on_a_lock(url: str) -> int:
    """The backend pid of a pgreconcile session that waits on a lock (a blocked step)."""
    pid: int = wait_for(
        url,
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgreconcile' "
        "AND wait_event_type = 'Lock' AND datname = current_database()",
    )
    return pid
