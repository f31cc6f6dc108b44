"""While the server runs the SQL files, the loading process does the Python work that does not
need their result: the caller's imports (``meanwhile``) and the index of where objects were
written (declare/sql/source.py, _load). Each caller's ``meanwhile`` runs exactly once, whichever
way the declarations are loaded."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from pgreconcile import cache
from pgreconcile.declare.directory import load_directory
from pgreconcile.declare.sql import source as sql_source
from pgreconcile.declare.sql.scratch import ScratchMode

SLOW = (
    "CREATE TABLE public.notes (id bigint PRIMARY KEY, body text NOT NULL);\n"
    "DO $$ BEGIN PERFORM pg_sleep(3); END $$;\n"
    "CREATE INDEX notes_body_idx ON public.notes (body);\n"
)


def _files(tmp_path: Path, text: str, name: str = "app.sql") -> list[Path]:
    path = tmp_path / "schema" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return [path]


def _sleeping_sessions(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_catalog.pg_stat_activity "
            "WHERE state = 'active' AND query LIKE '%pg_sleep(3)%' AND pid <> pg_catalog.pg_backend_pid()"
        ).fetchone()
    return int(row[0]) if row else 0


def test_the_callers_work_is_done_while_the_server_runs_the_files(tmp_path: Path, db_url: str) -> None:
    seen: list[int] = []

    def meanwhile() -> None:
        # The files are running right now: the DO block sleeps on the scratch server.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            seen.append(_sleeping_sessions(db_url))
            if seen[-1]:
                return
            time.sleep(0.05)

    loaded = sql_source.load_sql(_files(tmp_path, SLOW), mode=ScratchMode.LOCAL, target_url=db_url,
                                 meanwhile=meanwhile)
    assert seen and seen[-1] == 1, "the caller's work did not overlap the files running"
    table = loaded.schema.tables[("public", "notes")]
    # The origin index built meanwhile still gives every column its line.
    assert table.origin is not None and table.origin.line == 1
    assert [c.origin.line for c in table.columns if c.origin] == [1, 1]


def test_meanwhile_runs_once_however_the_declarations_load(tmp_path: Path, db_url: str) -> None:
    calls: list[str] = []
    sql_dir = _files(tmp_path, "CREATE TABLE public.notes (id bigint PRIMARY KEY);\n")[0].parent
    load_directory(sql_dir, target_url=db_url, meanwhile=lambda: calls.append("sql"))
    yaml_dir = tmp_path / "yaml"
    yaml_dir.mkdir()
    (yaml_dir / "app.yaml").write_text("schemas:\n  public:\n    tables:\n      notes:\n        columns:\n"
                                       "          id: {type: bigint, primary_key: true}\n")
    load_directory(yaml_dir, meanwhile=lambda: calls.append("yaml"))
    assert calls == ["sql", "yaml"]


def test_a_cached_load_still_does_the_callers_work(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    paths = _files(tmp_path, "CREATE TABLE public.notes (id bigint PRIMARY KEY);\n")
    calls: list[int] = []
    first = sql_source.load_sql(paths, mode=ScratchMode.LOCAL, target_url=db_url, meanwhile=lambda: calls.append(1))
    cache.flush(background=False)
    again = sql_source.load_sql(paths, mode=ScratchMode.LOCAL, target_url=db_url, meanwhile=lambda: calls.append(2))
    assert again == first
    assert calls == [1, 2]


def test_sql_files_need_no_declaration_language_before_they_run() -> None:
    # The YAML/Python language (pydantic models) is imported while the files run, not before:
    # loading a directory of SQL files starts the server's work first.
    probe = (
        "import sys\n"
        "import pgreconcile.declare.directory, pgreconcile.declare.sql.source, pgreconcile.cli.desired\n"
        "print(sorted(m for m in ('pydantic', 'pgreconcile.declare.documents', 'pgreconcile.declare.build.assemble')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
