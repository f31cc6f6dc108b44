"""The pytest plugin, run as an application's test session would run it: a project with models,
a YAML file and a reconcile.toml; its tests use ``reconcile_db`` and see the declared schema,
a fresh copy per test."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pgreconcile.localpg import LocalServer

pytest.importorskip("sqlalchemy", reason="SQLAlchemy is optional: pip install 'pgreconcile[sqlalchemy]'")

SRC = Path(__file__).resolve().parents[2] / "src"

APP_TEST = '''
import psycopg


def test_schema_is_there(reconcile_db):
    with psycopg.connect(reconcile_db) as conn:
        conn.execute("INSERT INTO notes (body) VALUES ('hello')")
        assert conn.execute("SELECT count(*) FROM notes").fetchone() == (1,)
        assert conn.execute("SELECT relrowsecurity FROM pg_class WHERE relname = 'notes'").fetchone() == (True,)


def test_each_test_gets_a_fresh_copy(reconcile_db):
    with psycopg.connect(reconcile_db) as conn:
        assert conn.execute("SELECT count(*) FROM notes").fetchone() == (0,)
'''


def test_reconcile_db_gives_the_declared_schema(tmp_path: Path, pg_server: LocalServer) -> None:
    (tmp_path / "appmodels.py").write_text(textwrap.dedent('''
        from sqlalchemy import Identity, Text
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

        class Base(DeclarativeBase):
            pass

        class Note(Base):
            __tablename__ = "notes"
            id: Mapped[int] = mapped_column(Identity(), primary_key=True)
            body: Mapped[str] = mapped_column(Text)
    '''))
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "rls.yaml").write_text("schemas:\n  public:\n    tables:\n      notes:\n        rls: true\n")
    (tmp_path / "reconcile.toml").write_text('sqlalchemy = "appmodels:Base.metadata"\n')
    (tmp_path / "test_app.py").write_text(APP_TEST)
    env = {**os.environ, "RECONCILE_TEST_DATABASE_URL": pg_server.url, "PYTHONPATH": f"{SRC}{os.pathsep}{tmp_path}"}
    result = subprocess.run(
        # The entry point may be installed already; load the plugin from this checkout once.
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:pgreconcile",
         "-p", "pgreconcile.pytest_plugin", "--rootdir", str(tmp_path), str(tmp_path / "test_app.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
