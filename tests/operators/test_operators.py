"""Operators: SQL files converge, operators in use are not dropped, declaration errors, the
operator symbol guard, ordering by edges, saved plans (the golden case operator/create-alter-drop
and its inspect round trips in YAML, Python and SQL cover creating, altering and dropping)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql, sql_files_cli
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare import load_files
from pgreconcile.declare.build.operators import split_operator_key
from pgreconcile.diff.compare import compare
from pgreconcile.diff.operators import CreateOperator, DropOperator
from pgreconcile.errors import DeclarationErrors
from pgreconcile.model import Schema
from pgreconcile.order.graph import build_graph
from pgreconcile.quoting import operator_symbol

FUNCTIONS = """
CREATE SCHEMA app;
CREATE FUNCTION app.both_present(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$SELECT a IS NOT NULL AND b IS NOT NULL$$;
"""

# Every operator of schema app as the catalog has it (shells included: oprcode 0).
OPERATORS = """
SELECT o.oprname::text, o.oprleft::regtype::text, o.oprright::regtype::text, o.oprcode::text,
       o.oprcom::regoperator::text, o.oprnegate::regoperator::text, o.oprrest::text, o.oprjoin::text,
       o.oprcanhash, o.oprcanmerge, obj_description(o.oid, 'pg_operator'), pg_get_userbyid(o.oprowner)
FROM pg_operator o WHERE o.oprnamespace = 'app'::regnamespace ORDER BY 1, 2, 3
"""


def _operators(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(OPERATORS).fetchall()


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_sql_files_converge_with_owner_shells_and_a_changed_commutator(tmp_path: Path, db_url: str) -> None:
    live = FUNCTIONS + """
CREATE OPERATOR app.&&& (FUNCTION = app.both_present, LEFTARG = text, RIGHTARG = text,
    COMMUTATOR = OPERATOR(app.&&&), RESTRICT = eqsel);
"""
    run_sql(db_url, live + "CREATE ROLE pgr_op_owner;")
    try:
        files = FUNCTIONS + """
CREATE OPERATOR app.&&& (FUNCTION = app.both_present, LEFTARG = text, RIGHTARG = text,
    NEGATOR = OPERATOR(app.!&&&), RESTRICT = neqsel, JOIN = neqjoinsel, MERGES);
COMMENT ON OPERATOR app.&&& (text, text) IS 'Both present.';
ALTER OPERATOR app.&&& (text, text) OWNER TO pgr_op_owner;
"""
        run = sql_files_cli(tmp_path, db_url, files)
        code, output = run("plan")
        assert code == 0, output
        assert "-/+ operator app.&&&(text, text)" in output, output
        assert "re-created: its commutator, negator and MERGES changed" in output, output
        code, output = run("apply", "--auto-approve")
        assert code == 0, output
        code, output = run("plan", "--detailed-exitcode")
        assert code == 0, output
        rows = _operators(db_url)
        # The negator named before it existed is a shell (no function): PostgreSQL's, not planned.
        assert [r for r in rows if r[0] == "&&&"] == [
            ("&&&", "text", "text", "app.both_present", "0", "app.!&&&(text,text)", "neqsel", "neqjoinsel",
             False, True, "Both present.", "pgr_op_owner"),
        ]
        assert [(r[0], r[3]) for r in rows if r[0] == "!&&&"] == [("!&&&", "-")]
    finally:
        run_sql(db_url, "DROP SCHEMA app CASCADE; DROP ROLE pgr_op_owner;")


def test_an_operator_in_use_is_not_dropped_nor_re_created(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, FUNCTIONS + """
CREATE OPERATOR app.&&& (FUNCTION = app.both_present, LEFTARG = text, RIGHTARG = text);
CREATE TABLE app.notes (id bigint PRIMARY KEY, a text, b text);
CREATE VIEW app.complete AS SELECT id FROM app.notes WHERE a OPERATOR(app.&&&) b;
""")
    schema = tmp_path / "schema"
    schema.mkdir()
    body = """version: 1
schemas:
  app:
    functions:
      both_present(a text, b text): {returns: boolean, language: sql, volatility: immutable,
                                     body: SELECT a IS NOT NULL AND b IS NOT NULL}
    tables:
      notes:
        columns:
          id: {type: bigint, primary_key: true}
          a: text
          b: text
    views:
      complete: {query: "SELECT id FROM app.notes WHERE a OPERATOR(app.&&&) b"}
"""
    try:
        declared = '    operators:\n      "&&&(text, text)": {function: both_present, hashes: true}\n'
        (schema / "app.yaml").write_text(body + declared)
        code, output = _invoke("plan", "-s", str(schema), "-d", db_url)
        assert code == Exit.ERROR, output
        assert "operator app.&&&(text, text) must be re-created (its HASHES changed), but view app.complete uses it" \
            in output, output
        (schema / "app.yaml").write_text(body.replace("    views:\n      complete: {query: \"SELECT id FROM app.notes "
                                                      "WHERE a OPERATOR(app.&&&) b\"}\n", ""))
        code, output = _invoke("plan", "-s", str(schema), "-d", db_url)
        assert code == Exit.ERROR, output
        assert "operator app.&&&(text, text) is not declared and would be dropped, but view app.complete uses it" \
            in output, output
    finally:
        run_sql(db_url, "DROP SCHEMA app CASCADE;")


@pytest.mark.parametrize(
    ("key", "body", "message"),
    [
        ('"&&&"', "{function: f}", "must be `symbol(left type, right type)`"),
        ('"&&&(text)"', "{function: f}", "must name two operand types"),
        ('"a+b(text, text)"', "{function: f}", "is not an operator name"),
        ('"&&&(text, no_such_type)"', "{function: f}", "no_such_type"),
        ('"&&&(text, text)"', "{commutator: '&&&'}", "function"),
        ('"&&&(text, text)"', "{function: f, negator: 'x.y.&&'}", "is not an operator name"),
    ],
)
def test_a_malformed_operator_is_an_error_at_its_line(tmp_path: Path, key: str, body: str, message: str) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(f"version: 1\nschemas:\n  app:\n    operators:\n      {key}: {body}\n")
    with pytest.raises(DeclarationErrors) as caught:
        load_files([path])
    assert "app.yaml:5" in str(caught.value) and message in str(caught.value), str(caught.value)


def test_operator_symbols_are_checked_before_they_enter_sql() -> None:
    for good in ("+", "||++", "<~>", "!!", "@-@", "~~~"):
        assert operator_symbol(good) == good
    for bad in ("", "a", "+;", "--", "/*", "<>+", "+ -", "x" * 64, "&" * 64):
        with pytest.raises(ValueError):
            operator_symbol(bad)
    assert split_operator_key("!!(NONE, bigint)") == ("!!", None, "bigint")
    assert split_operator_key(" <~>( numeric(10,2) , integer ) ") == ("<~>", "numeric(10,2)", "integer")


def _declared(tmp_path: Path, body: str) -> Schema:
    path = tmp_path / "app.yaml"
    path.write_text("version: 1\nschemas:\n  app:\n" + body)
    return load_files([path])


def test_an_operator_is_ordered_after_its_function_and_before_its_drop_by_edges(tmp_path: Path) -> None:
    """Edges, not ranks: the operator needs its declared function; dropping a live operator
    comes before dropping the function it calls."""
    desired = _declared(tmp_path, """    functions:
      both_present(a text, b text): {returns: boolean, language: sql, body: SELECT a IS NOT NULL}
    operators:
      "&&&(text, text)": {function: both_present}
""")
    diff = compare(desired, Schema(managed=frozenset({"app"})))
    graph = build_graph(diff.changes)
    position = {type(c).__name__ + ":" + c.key: i for i, c in enumerate(diff.changes)}
    create_op = position["CreateOperator:operator:app.&&&(text,text)"]
    create_fn = next(i for k, i in position.items() if k.startswith("CreateFunction:"))
    assert graph.has_edge(create_fn, create_op)
    empty = Schema(managed=frozenset({"app"}))
    dropped = compare(empty, desired)
    drop_op = next(i for i, c in enumerate(dropped.changes) if isinstance(c, DropOperator))
    drop_fn = next(i for i, c in enumerate(dropped.changes) if type(c).__name__ == "DropFunction")
    assert build_graph(dropped.changes).has_edge(drop_op, drop_fn)
    assert not any(isinstance(c, CreateOperator) for c in dropped.changes)


def test_a_saved_plan_is_refused_when_an_operator_changed_since(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, FUNCTIONS + "CREATE OPERATOR app.&&& (FUNCTION = app.both_present, LEFTARG = text, "
                                "RIGHTARG = text);")
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text("""version: 1
schemas:
  app:
    functions:
      both_present(a text, b text): {returns: boolean, language: sql, volatility: immutable,
                                     body: SELECT a IS NOT NULL AND b IS NOT NULL}
    operators:
      "&&&(text, text)": {function: both_present, comment: Both present.}
""")
    try:
        saved = str(tmp_path / "saved.plan.json")
        code, output = _invoke("plan", "-s", str(schema), "-d", db_url, "-out", saved)
        assert code == 0, output
        assert '"operator:app.&&&(text,text)": "sha256:' in Path(saved).read_text()
        run_sql(db_url, "ALTER OPERATOR app.&&& (text, text) SET (RESTRICT = eqsel);")
        code, output = _invoke("apply", saved, "-d", db_url)
        assert code != 0 and "operator app.&&&(text,text) changed" in output, output
    finally:
        run_sql(db_url, "DROP SCHEMA app CASCADE;")
