"""The same views declared in YAML, in Python and in SQL files give the same plan, byte for
byte; it applies, converges, and ``reconcile inspect`` of the result plans to nothing."""

from __future__ import annotations

import textwrap
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli

LIVE = """
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, owner text NOT NULL, score integer);
INSERT INTO app.notes VALUES (1, 'ann', 3), (2, 'bob', 5);
CREATE VIEW app.stale AS SELECT id FROM app.notes;
"""

YAML = """
version: 1
schemas:
  app:
    tables:
      notes:
        columns:
          id: integer
          owner: {type: text, nullable: false}
          score: integer
        primary_key: id
    views:
      scored:
        query: SELECT id, owner, score FROM notes WHERE score IS NOT NULL
        security_invoker: true
        comment: Scored notes
        columns: {score: The score}
      owners:
        query: SELECT DISTINCT owner FROM scored
    materialized_views:
      owner_scores:
        query: SELECT owner, sum(score) AS total FROM notes GROUP BY owner
        indexes:
          owner_scores_owner: {columns: [owner], unique: true}
"""

PYTHON = '''
from pgreconcile.declare import Table, column, index, materialized_view, view

__schema__ = "app"


class Notes(Table):
    id: int = column(type="integer", primary_key=True)
    owner: str
    score: int | None = column(type="integer")


scored = view(
    "SELECT id, owner, score FROM notes WHERE score IS NOT NULL",
    security_invoker=True,
    comment="Scored notes",
    columns={"score": "The score"},
)
owners = view("SELECT DISTINCT owner FROM scored")
owner_scores = materialized_view(
    "SELECT owner, sum(score) AS total FROM notes GROUP BY owner",
    indexes=[index("owner_scores_owner", "owner", unique=True)],
)
'''

SQL = """
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, owner text NOT NULL, score integer);
CREATE VIEW app.scored WITH (security_invoker = true) AS
    SELECT id, owner, score FROM app.notes WHERE score IS NOT NULL;
COMMENT ON VIEW app.scored IS 'Scored notes';
COMMENT ON COLUMN app.scored.score IS 'The score';
CREATE VIEW app.owners AS SELECT DISTINCT owner FROM app.scored;
CREATE MATERIALIZED VIEW app.owner_scores AS SELECT owner, sum(score) AS total FROM app.notes GROUP BY owner;
CREATE UNIQUE INDEX owner_scores_owner ON app.owner_scores (owner);
"""


@pytest.fixture
def pg15(db_url: str) -> str:
    """``db_url``, or a skip naming the reason when the server predates security_invoker."""
    with psycopg.connect(db_url) as conn:
        major = conn.info.server_version // 10000
    if major < 15:
        pytest.skip(f"security_invoker needs PostgreSQL 15+ (this server is {major})")
    return db_url


def _dir(root: Path, name: str, text: str) -> Path:
    directory = root / name.split(".")[1]
    directory.mkdir()
    (directory / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return directory


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 2), result.output + result.stderr
    return result.output


def _plan(directory: Path, url: str) -> str:
    text = _cli("plan", "-s", str(directory), "-d", url, "--sql")
    return text.split("\n", 1)[1]  # the first line names the directory


def test_yaml_python_and_sql_give_the_same_plan_and_converge(tmp_path: Path, pg15: str) -> None:
    db_url = pg15
    run_sql(db_url, LIVE)
    dirs = [_dir(tmp_path, "views.yaml", YAML), _dir(tmp_path, "views.py", PYTHON), _dir(tmp_path, "views.sql", SQL)]
    plans = [_plan(d, db_url) for d in dirs]
    assert plans[0] == plans[1] == plans[2], "\n=====\n".join(plans)
    plan = plans[0]
    assert "- view app.stale" in plan and "+ view app.owners" in plan
    assert "+ materialized view app.owner_scores" in plan
    assert "Not managed" not in plan

    _cli("apply", "-s", str(dirs[0]), "-d", db_url, "--auto-approve")
    for directory in dirs:
        assert "No changes." in _plan(directory, db_url)


def test_inspect_then_plan_is_empty(tmp_path: Path, pg15: str) -> None:
    db_url = pg15
    views = SQL.split("score integer);", 1)[1]
    run_sql(db_url, LIVE.replace("CREATE VIEW app.stale AS SELECT id FROM app.notes;", views))
    for fmt, name in (("yaml", "app.yaml"), ("python", "app.py"), ("sql", "app.sql")):
        directory = tmp_path / fmt
        directory.mkdir()
        _cli("inspect", "-d", db_url, "--schema", "app", "--format", fmt, "-o", str(directory / name))
        text = (directory / name).read_text(encoding="utf-8")
        assert "owner_scores" in text and "scored" in text, text
        assert "No changes." in _plan(directory, db_url), fmt


def test_sql_view_options_keep_their_value_and_order(tmp_path: Path, pg15: str) -> None:
    """`security_barrier = false` set is not the same as no option, and the options are written
    in the order the files wrote them: the catalog (and a dump) then reads as the files did."""
    db_url = pg15
    run_sql(db_url, "CREATE SCHEMA app; CREATE TABLE app.notes (id integer);"
                    "CREATE VIEW app.v WITH (security_barrier = true) AS SELECT id FROM app.notes;")
    directory = _dir(tmp_path, "app.sql", """
        CREATE SCHEMA app;
        CREATE TABLE app.notes (id integer);
        CREATE VIEW app.v AS SELECT id FROM app.notes;
        ALTER VIEW app.v SET (security_invoker = true, security_barrier = false);
        CREATE VIEW app.w WITH (security_invoker = true, security_barrier = false) AS SELECT id FROM app.notes;
    """)
    _cli("apply", "-s", str(directory), "-d", db_url, "--auto-approve")
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT relname, reloptions::text FROM pg_class WHERE relname IN ('v', 'w') "
                            "ORDER BY 1").fetchall()
    assert rows == [("v", "{security_invoker=true,security_barrier=false}"),
                    ("w", "{security_invoker=true,security_barrier=false}")]
    assert "No changes." in _plan(directory, db_url)
