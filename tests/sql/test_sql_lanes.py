"""Long files of plain DDL run on two connections at once (declare/sql/lanes.py): which
statements wait for which, and — on a real server — that the files build exactly what one
connection builds, report the same first error, and converge through the CLI."""

from __future__ import annotations

import random
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from pgreconcile.catalog.connect import connect
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare.sql import lanes
from pgreconcile.declare.sql import source as sql_source
from pgreconcile.declare.sql.lanes import LANES_ENV, LaneConnections, lane_order, run_lanes
from pgreconcile.declare.sql.run import run_script
from pgreconcile.declare.sql.scratch import ScratchMode
from pgreconcile.declare.sql.script import parse_script
from pgreconcile.errors import DeclarationError


def _waits(text: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, ...]] | None:
    monkeypatch.setattr(lanes, "MIN_STATEMENTS", 1)
    order = lane_order(parse_script(text, "app.sql"))
    return None if order is None else [tuple(w) for w in order.waits]


def test_a_table_comes_before_what_names_it_and_unrelated_tables_wait_for_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waits = _waits(
        "CREATE TABLE app.a (id int PRIMARY KEY);\n"  # 0
        "CREATE TABLE app.b (id int PRIMARY KEY);\n"  # 1: nothing in common with a
        "CREATE INDEX a_id_idx ON app.a (id);\n"  # 2: a's index
        "COMMENT ON TABLE app.b IS 'owned by support';\n"  # 3: b
        "CREATE TABLE app.c (a_id int REFERENCES app.a (id) ON DELETE CASCADE);\n"  # 4: after a's last statement
        "COMMENT ON TABLE app.c IS 'owned by support';\n"  # 5: c only: words after BY in a string name nothing
        "COMMENT ON COLUMN app.c.a_id IS 'x';\n"  # 6: c's column: c
        "ALTER TABLE app.b ENABLE ROW LEVEL SECURITY;\n"  # 7
        "CREATE POLICY b_read ON app.b USING (true);\n"  # 8
        "CREATE TABLE app.d (n bigint DEFAULT nextval('app.a_id_seq'));\n"  # 9: a name of a's kind, in a string
        "COMMENT ON SCHEMA app IS 'first';\n"  # 10: no relation
        "COMMENT ON FUNCTION app.f(integer) IS 'f';\n"  # 11
        "COMMENT ON SCHEMA app IS 'second';\n",  # 12: the same object as 10: after it
        monkeypatch,
    )
    assert waits == [(), (), (0,), (1,), (2,), (4,), (5,), (3,), (7,), (4,), (), (), (10,)]


def test_statements_of_other_kinds_are_barriers(monkeypatch: pytest.MonkeyPatch) -> None:
    waits = _waits(
        "CREATE TABLE app.a (id int);\n"  # 0
        "CREATE TABLE app.b (id int);\n"  # 1
        "CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"  # 2: after 0 and 1
        "CREATE TABLE app.c (n int DEFAULT app.f());\n"  # 3: after the barrier
        "CREATE INDEX ON app.c (n);\n"  # 4: unnamed: its name depends on what exists, a barrier
        "CREATE TABLE app.d AS SELECT 1 AS n;\n"  # 5: AS: a barrier
        "CREATE TABLE app.e (id int);\n",  # 6
        monkeypatch,
    )
    assert waits == [(), (), (0, 1), (2,), (3,), (4,), (5,)]


def test_an_index_named_like_a_tables_implicit_index_waits_for_that_table(monkeypatch: pytest.MonkeyPatch) -> None:
    waits = _waits(
        'CREATE TABLE app."Orders" (id int PRIMARY KEY);\n'  # 0
        "CREATE TABLE app.u (id int);\n"  # 1
        'CREATE UNIQUE INDEX "Orders_pkey2" ON app.u (id);\n'  # 2: u, and a name of Orders' kind
        'CREATE INDEX orders_idx ON app."Orders" (id);\n',  # 3: Orders (quoted, as written) and 2
        monkeypatch,
    )
    assert waits == [(), (), (0, 1), (0, 2)]


@pytest.mark.parametrize("statement", [
    "SET search_path = app",
    "SELECT pg_catalog.set_config('search_path', '', false)",
    "DO $$ BEGIN END $$",
    "CREATE TEMP TABLE scratch (id int)",
    "INSERT INTO app.a VALUES (1)",
])
def test_a_statement_that_may_change_the_session_keeps_the_file_on_one_connection(
    statement: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _waits(f"CREATE TABLE app.a (id int);\n{statement};\nCREATE TABLE app.b (id int);\n", monkeypatch) is None


def test_a_short_file_runs_on_one_connection() -> None:
    text = "".join(f"CREATE TABLE app.t{n} (id int);\n" for n in range(lanes.MIN_STATEMENTS - 1))
    assert lane_order(parse_script(text, "app.sql")) is None
    assert lane_order(parse_script(text + "CREATE TABLE app.last (id int);\n", "app.sql")) is not None


def _schema_sql(tables: int, seed: int = 7) -> str:
    """A long declarative file: tables with foreign keys to earlier ones (and one to a later
    one, and a pair in a cycle), named indexes, comments, policies, a function used by later
    defaults (a barrier) and a view (another)."""
    rng = random.Random(seed)
    out = [
        "CREATE TABLE app.cycle_a (id int PRIMARY KEY, b_id int REFERENCES app.cycle_b (id));",
        "CREATE TABLE app.cycle_b (id int PRIMARY KEY, a_id int REFERENCES app.cycle_a (id));",
        "CREATE TABLE app.early (id int PRIMARY KEY, late_id int REFERENCES app.late (id));",
    ]
    for n in range(tables):
        refs = sorted({rng.randrange(n) for _ in range(rng.choice((0, 1, 2)))}) if n else []
        columns = ["id int PRIMARY KEY", f"label text NOT NULL DEFAULT 'n{n}'", "created_at timestamptz"]
        columns += [f"t{r}_id int REFERENCES app.t{r} (id) ON DELETE CASCADE" for r in refs]
        if n > tables // 2:
            columns.append("score int DEFAULT app.base_score()")
        out.append(f"CREATE TABLE app.t{n} ({', '.join(columns)});")
        out.append(f"CREATE INDEX t{n}_created_idx ON app.t{n} (created_at DESC);")
        out += [f"CREATE INDEX t{n}_t{r}_idx ON app.t{n} (t{r}_id);" for r in refs]
        out.append(f"COMMENT ON TABLE app.t{n} IS 'table {n}, on t{max(n - 1, 0)}';")
        out.append(f"COMMENT ON COLUMN app.t{n}.label IS 'the label';")
        if n % 5 == 0:
            out.append(f"ALTER TABLE app.t{n} ENABLE ROW LEVEL SECURITY;")
            out.append(f"CREATE POLICY t{n}_read ON app.t{n} USING (label <> '');")
        if n == tables // 2:
            out.append("CREATE FUNCTION app.base_score() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 1';")
            out.append("CREATE VIEW app.some AS SELECT id, label FROM app.t0;")
    out.append("CREATE TABLE app.late (id int PRIMARY KEY);")
    return "CREATE SCHEMA app;\n" + "\n".join(out) + "\n"


def _files(tmp_path: Path, text: str) -> list[Path]:
    path = tmp_path / "schema" / "app.sql"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return [path]


def test_the_files_build_what_one_connection_builds(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = _files(tmp_path, _schema_sql(120))
    assert lane_order(parse_script(paths[0].read_text(), str(paths[0]))) is not None
    monkeypatch.setenv("RECONCILE_CACHE_DIR", "off")
    loaded = {}
    for count in ("1", "2"):
        monkeypatch.setenv(LANES_ENV, count)
        loaded[count] = sql_source.load_sql(paths, mode=ScratchMode.LOCAL, target_url=db_url)
    one, two = loaded["1"].schema, loaded["2"].schema
    assert len(one.tables) == 124 and sum(len(table.policies) for table in one.tables.values()) == 24
    assert two == one
    # Where each object was written is the same too.
    for key, table in one.tables.items():
        assert two.tables[key].origin == table.origin, key
        assert [c.origin for c in two.tables[key].columns] == [c.origin for c in table.columns], key


def test_both_connections_run_statements(tmp_path: Path, db_url: str) -> None:
    script = parse_script(_schema_sql(120), "app.sql")
    order = lane_order(script)
    assert order is not None
    base = db_url.rsplit("/", 1)[0]
    with psycopg.connect(db_url, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS lanes_run")
        admin.execute("CREATE DATABASE lanes_run")
    try:
        with psycopg.connect(f"{base}/lanes_run", autocommit=True) as first, \
                psycopg.connect(f"{base}/lanes_run", autocommit=True) as second:
            first.execute(script.text_of(script.statements[0]))  # CREATE SCHEMA: a barrier, run as psql would
            rest = parse_script(script.text[script.statements[1].start:], "app.sql")
            run = run_lanes([first, second], rest, lane_order(rest) or order)
            # Both lanes worked (a statement tried twice counts twice); set aside, as on one
            # connection: the tables naming tables that come later in the file.
            assert all(count > 0 for count in run.ran), run.ran
            assert sum(run.ran) >= len(rest.statements)
            assert [rest.text_of(s).split("(")[0].strip() for s in run.aside] == [
                "CREATE TABLE app.cycle_a", "CREATE TABLE app.cycle_b", "CREATE TABLE app.early"]
            count = first.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'app' AND c.relkind = 'r'").fetchone()
            assert count is not None and count[0] == 121  # t0…t119 and late; not the three set aside
    finally:
        with psycopg.connect(db_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS lanes_run")


def test_the_first_error_in_file_order_is_reported(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = _schema_sql(100).splitlines()
    # Two bad statements: the one further down is reached first by a lane when the earlier
    # one waits for more; whichever runs first, the error is the first one's line.
    first_bad, second_bad = 60, 40
    lines.insert(len(lines) - first_bad, "CREATE TABLE app.bad_late (x no_such_type);")
    lines.insert(second_bad, "CREATE TABLE app.bad_early (x no_such_type_either);")
    paths = _files(tmp_path, "\n".join(lines) + "\n")
    monkeypatch.setenv("RECONCILE_CACHE_DIR", "off")
    where = {}
    for count in ("1", "2"):
        monkeypatch.setenv(LANES_ENV, count)
        with pytest.raises(DeclarationError) as raised:
            sql_source.load_sql(paths, mode=ScratchMode.LOCAL, target_url=db_url)
        where[count] = (raised.value.where, raised.value.message)
    assert where["2"] == where["1"]
    assert where["1"][0] == f"{paths[0]}:{second_bad + 1}"
    assert "no_such_type_either" in where["1"][1]


def test_a_long_file_converges_through_the_cli(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LANES_ENV, "2")
    directory = _files(tmp_path, _schema_sql(80))[0].parent
    args = ("--schema-dir", str(directory), "--database-url", db_url)
    runner = CliRunner()
    result = runner.invoke(cli, ["apply", *args, "--auto-approve"], catch_exceptions=False)
    assert result.exit_code == Exit.OK, result.output
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE c.relkind = 'r'), count(*) FILTER (WHERE c.relkind = 'i') "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'app'").fetchone()
    assert row is not None and row[0] == 84 and row[1] > 160
    again = runner.invoke(cli, ["plan", *args, "--detailed-exitcode"], catch_exceptions=False)
    assert again.exit_code == Exit.OK, again.output


def test_without_a_second_connection_the_file_runs_on_one(tmp_path: Path, db_url: str) -> None:
    # A role allowed one connection: the lane's connection is refused, and the file runs as psql's.
    base = db_url.rsplit("/", 1)[0]
    with psycopg.connect(db_url, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS lanes_one")
        admin.execute("DROP ROLE IF EXISTS lanes_one_role")
        admin.execute("CREATE ROLE lanes_one_role LOGIN CONNECTION LIMIT 1")
        admin.execute("CREATE DATABASE lanes_one OWNER lanes_one_role")
    url = base.replace("postgres@", "lanes_one_role@", 1) + "/lanes_one"
    try:
        script = parse_script(_schema_sql(60), "app.sql")
        assert lane_order(script) is not None
        with psycopg.connect(url, autocommit=True) as conn:
            extra = LaneConnections(lambda: connect(url, autocommit=True), 1)
            with extra:
                assert extra() == []  # refused: the role's one connection is taken
                run_script(conn, script, one_by_one=False, lanes=extra)
            count = conn.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'app' AND c.relkind = 'r'").fetchone()
        assert count is not None and count[0] == 64
    finally:
        with psycopg.connect(db_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS lanes_one")
            admin.execute("DROP ROLE IF EXISTS lanes_one_role")
