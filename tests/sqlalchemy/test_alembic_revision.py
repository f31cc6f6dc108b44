"""``reconcile plan --format alembic``: the revision written for a plan, run by ``alembic upgrade
head`` on a copy of the database, leaves it equal (whole catalog) to applying the plan."""

from __future__ import annotations

import textwrap
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.catalog.reader import read_schema
from pgreconcile.cli import cli
from pgreconcile.localpg import LocalServer, create_database, drop_database

pytest.importorskip("alembic", reason="Alembic is optional: pip install 'pgreconcile[sqlalchemy]'")

LIVE = """
CREATE TYPE public.mood AS ENUM ('happy', 'sad');
CREATE TABLE public.notes (id integer PRIMARY KEY, body text NOT NULL, mood public.mood);
INSERT INTO public.notes VALUES (1, 'a:b ''quoted'' %s', 'happy'), (2, 'b', 'sad');
CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
INSERT INTO alembic_version VALUES ('base00000001');
"""

DESIRED = """
version: 1
schemas:
  public:
    enums:
      mood: [happy, sad, calm]
    tables:
      notes:
        comment: "Notes: 'quoted' and 100% kept"
        columns:
          id: {type: integer, primary_key: true}
          body: {type: text, nullable: false}
          mood: {type: mood, default: calm}
          tags: {type: "text[]", nullable: false, default_sql: "'{}'::text[]"}
        indexes:
          notes_body_idx: {columns: [body], where: "body <> ':x'"}
"""

BASE_REVISION = '''
revision = "base00000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''

ENV = '''
import os

from alembic import context
from sqlalchemy import create_engine

engine = create_engine(os.environ["ALEMBIC_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
'''


def _alembic_project(root: Path) -> Path:
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "migrations" / "env.py").write_text(textwrap.dedent(ENV))
    (versions / "base00000001_base.py").write_text(BASE_REVISION)
    (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
    return versions


def test_alembic_upgrade_equals_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str, pg_server: LocalServer
) -> None:
    from alembic.config import main as alembic_main

    run_sql(db_url, LIVE)
    copy_name = db_url.rsplit("/", 1)[1] + "_copy"
    copy_url = create_database(pg_server.url, copy_name)
    try:
        run_sql(copy_url, LIVE)
        monkeypatch.chdir(tmp_path)
        (tmp_path / "schema").mkdir()
        (tmp_path / "schema" / "app.yaml").write_text(DESIRED)
        versions = _alembic_project(tmp_path)
        runner = CliRunner()
        written = runner.invoke(cli, ["plan", "-d", db_url, "--format", "alembic", "-o", str(versions)])
        assert written.exit_code == 0, written.output
        [revision] = [p for p in versions.glob("*_pgreconcile_plan.py")]
        text = revision.read_text()
        assert "down_revision = 'base00000001'" in text
        assert "autocommit_block" in text  # the new label is committed on its own first

        monkeypatch.setenv("ALEMBIC_URL", copy_url)
        alembic_main(argv=["-c", str(tmp_path / "alembic.ini"), "upgrade", "head"])
        applied = runner.invoke(cli, ["apply", "-d", db_url, "--auto-approve"])
        assert applied.exit_code == 0, applied.output

        with psycopg.connect(db_url) as planned, psycopg.connect(copy_url) as upgraded:
            assert read_schema(upgraded, ("public",)) == read_schema(planned, ("public",))
            rows = "SELECT id, body, mood::text, tags FROM notes ORDER BY id"
            assert upgraded.execute(rows).fetchall() == planned.execute(rows).fetchall()
            head = upgraded.execute("SELECT version_num FROM alembic_version").fetchone()
            assert head == (revision.name.split("_")[0],)
        again = runner.invoke(cli, ["plan", "-d", copy_url, "--format", "alembic", "-o", str(versions)])
        assert again.exit_code == 0, again.output
        assert "no revision written" in again.output
    finally:
        drop_database(pg_server.url, copy_name)


def test_two_heads_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "app.yaml").write_text(DESIRED)
    versions = _alembic_project(tmp_path)
    (versions / "other.py").write_text(BASE_REVISION.replace("base00000001", "other0000001"))
    run_sql(db_url, LIVE)
    result = CliRunner().invoke(cli, ["plan", "-d", db_url, "--format", "alembic", "-o", str(versions)])
    assert result.exit_code == 1
    assert "2 Alembic heads (base00000001, other0000001)" in result.output
    assert "alembic merge heads" in result.output
