"""Casts: SQL files and Python declarations converge, casts are kept under the schema of what
they use, declaration errors, ordering, saved plans (the golden case cast/create-alter-drop and
its inspect round trips in YAML, Python and SQL cover creating, re-creating and dropping)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from conftest import run_sql, sql_files_cli
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.declare.build.casts import split_cast_key
from pgreconcile.diff.casts import CreateCast, DropCast
from pgreconcile.diff.compare import compare
from pgreconcile.errors import DeclarationErrors
from pgreconcile.model import Schema
from pgreconcile.model.casts import CastContext
from pgreconcile.order.graph import order_changes

TYPES = """
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'happy');
CREATE FUNCTION app.mood_rank(m app.mood) RETURNS integer LANGUAGE sql IMMUTABLE
    AS $$SELECT CASE WHEN m = 'happy' THEN 1 ELSE 0 END$$;
"""

CASTS = """
SELECT k.castsource::regtype::text, k.casttarget::regtype::text, k.castfunc::regprocedure::text,
       k.castmethod, k.castcontext, obj_description(k.oid, 'pg_cast')
FROM pg_cast k WHERE k.oid >= 16384 ORDER BY 1, 2
"""


def _casts(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(CASTS).fetchall()


def test_sql_files_converge(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, TYPES + "CREATE CAST (app.mood AS integer) WITH INOUT;")
    try:
        files = TYPES + """
CREATE CAST (app.mood AS integer) WITH FUNCTION app.mood_rank(app.mood) AS ASSIGNMENT;
COMMENT ON CAST (app.mood AS integer) IS 'Happy counts.';
CREATE CAST (text AS app.mood) WITH INOUT AS IMPLICIT;
"""
        run = sql_files_cli(tmp_path, db_url, files)
        code, output = run("plan")
        assert code == 0, output
        assert "-/+ cast (app.mood AS integer)" in output and "re-created: its method and context changed" in output
        assert "+ cast (text AS app.mood) (with inout, as implicit)" in output, output
        code, output = run("apply", "--auto-approve")
        assert code == 0, output
        code, output = run("plan", "--detailed-exitcode")
        assert code == 0, output
        assert _casts(db_url) == [
            ("app.mood", "integer", "app.mood_rank(app.mood)", "f", "a", "Happy counts."),
            ("text", "app.mood", "-", "i", "i", None),
        ]
        # Files without the casts: both are dropped (they count in app, which the files manage).
        (tmp_path / "schema" / "app.sql").write_text(TYPES)
        code, output = run("plan")
        assert "- cast (app.mood AS integer)" in output and "- cast (text AS app.mood)" in output, output
    finally:
        run_sql(db_url, "DROP SCHEMA app CASCADE;")


def test_python_declarations_converge(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, TYPES + "CREATE TABLE app.feelings (id integer PRIMARY KEY, mood app.mood NOT NULL);")
    try:
        path = tmp_path / "app.py"
        path.write_text(
            "import enum\n"
            "from pgreconcile.declare import Table, column, function\n\n"
            "class Mood(enum.Enum):\n    SAD = 'sad'\n    HAPPY = 'happy'\n\n"
            "class Feeling(Table, schema='app', name='feelings'):\n"
            "    id: int = column(primary_key=True)\n    mood: Mood\n\n"
            "__functions__ = [function('mood_rank(m app.mood)', returns='integer', volatility='immutable',\n"
            "                          schema='app', body=\"SELECT CASE WHEN m = 'happy' THEN 1 ELSE 0 END\")]\n"
            "__schemas__ = {'app': {'casts': {\n"
            "    'mood AS integer': {'function': 'mood_rank', 'context': 'assignment'}}}}\n"
        )
        desired = load_files([path])
        cast = desired.casts[("app.mood", "integer")]
        assert (cast.function, cast.function_args, cast.context) == (("app", "mood_rank"), ("app.mood",),
                                                                     CastContext.ASSIGNMENT)
        with psycopg.connect(db_url) as conn:
            live = read_schema(conn, desired.managed)
        changes = compare(desired, live).changes
        assert [c for c in changes if "cast" in c.key] == [c for c in changes if isinstance(c, CreateCast)]
        assert len([c for c in changes if isinstance(c, CreateCast)]) == 1
        run_sql(db_url, "CREATE CAST (app.mood AS integer) WITH FUNCTION app.mood_rank(app.mood) AS ASSIGNMENT;")
        with psycopg.connect(db_url) as conn:
            live = read_schema(conn, desired.managed)
        assert live.casts == desired.casts
        assert not [c for c in compare(desired, live).changes if "cast" in c.key]
    finally:
        run_sql(db_url, "DROP SCHEMA app CASCADE;")


def test_a_cast_is_ordered_between_its_function_and_its_types(tmp_path: Path) -> None:
    live = Schema(managed=frozenset({"app"}))
    path_text = (
        "version: 1\nschemas:\n  app:\n    enums:\n      mood: [sad, happy]\n"
        "    functions:\n      mood_rank(m mood):\n        returns: integer\n        language: sql\n"
        "        body: SELECT 1\n    casts:\n      mood AS integer: {function: mood_rank}\n"
    )
    path = tmp_path / "app.yaml"
    path.write_text(path_text)
    desired = load_files([path])
    changes = compare(desired, live).changes
    create = next(c for c in changes if isinstance(c, CreateCast))
    assert create.needs >= {"type:app.mood", "function:app.mood_rank(app.mood)"}
    order = [c.key for c in order_changes(changes)]
    assert order.index("cast:(app.mood AS integer)") > order.index("function:app.mood_rank(app.mood)")
    # Dropped: before the function and the type go.
    back = compare(live, desired).changes
    assert any(isinstance(c, DropCast) and "function:app.mood_rank(app.mood)" in c.live_needs for c in back)


@pytest.mark.parametrize(("yaml_cast", "message"), [
    pytest.param("mood integer: {inout: true}", "must be `source type AS target type`", id="key"),
    pytest.param("mood AS integer: {inout: true, binary: true}", "say how it converts, once", id="two-ways"),
    pytest.param("mood AS integer: {context: sometimes, inout: true}", "context", id="context"),
    pytest.param("mood AS nosuchtype: {inout: true}", "nosuchtype", id="type"),
])
def test_declaration_errors_name_the_cast_and_its_line(tmp_path: Path, yaml_cast: str, message: str) -> None:
    path = tmp_path / "app.yaml"
    path.write_text("version: 1\nschemas:\n  app:\n    enums:\n      mood: [sad, happy]\n"
                    f"    casts:\n      {yaml_cast}\n")
    with pytest.raises(DeclarationErrors) as failure:
        load_files([path])
    text = str(failure.value)
    assert message in text and "app.yaml:7" in text, text


def test_split_cast_key() -> None:
    assert split_cast_key("mood AS text") == ("mood", "text")
    assert split_cast_key("(app.mood as character varying(20))") == ("app.mood", "character varying(20)")
    with pytest.raises(ValueError):
        split_cast_key("mood AS")


def test_casts_between_built_in_types_are_the_databases(tmp_path: Path, db_url: str) -> None:
    # json AS … uses nothing of a schema: such a cast belongs to the database, managed once the
    # files create or drop casts (not otherwise: see the last plan).
    run_sql(db_url, "CREATE CAST (json AS character varying) WITHOUT FUNCTION;")
    try:
        files = """
CREATE CAST (json AS text) WITHOUT FUNCTION AS IMPLICIT;
COMMENT ON CAST (json AS text) IS 'Raw.';
"""
        run = sql_files_cli(tmp_path, db_url, files)
        code, output = run("plan")
        assert code == 0, output
        assert "- cast (json AS character varying) (without function)" in output, output
        assert "+ cast (json AS text) (without function, as implicit)" in output, output
        code, output = run("apply", "--auto-approve")
        assert code == 0, output
        assert run("plan", "--detailed-exitcode")[0] == 0
        assert [r for r in _casts(db_url) if r[0] == "json"] == [("json", "text", "-", "b", "i", "Raw.")]
        # Files that neither create nor drop a cast leave the database's casts alone.
        (tmp_path / "schema" / "app.sql").write_text("CREATE TABLE public.t (id integer);\n")
        code, output = run("plan")
        assert "cast (" not in output, output
    finally:
        run_sql(db_url, "DROP CAST IF EXISTS (json AS text); DROP CAST IF EXISTS (json AS character varying);")
