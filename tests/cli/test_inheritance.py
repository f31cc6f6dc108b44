"""Table inheritance through the CLI, on a real server: a parent's column retyped under a view
and a policy of its child (one ALTER, on the parent; the child's readers re-created around it);
the parents re-ordered; a child declared in SQL files, in Python and in YAML converging to the
same database; inspect writing ``inherits`` in every format and planning nothing; bad
``inherits:`` declarations refused with the place and what to do."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.catalog.reader import STATEMENTS_PER_READ, read_catalog
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _schema(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    directory = tmp_path / name
    directory.mkdir()
    for file, text in files.items():
        (directory / file).write_text(text)
    return directory


def _converges(schema: Path, db_url: str) -> str:
    """Apply the declarations, then plan again: nothing left to do. Returns the apply output."""
    code, output = _invoke("apply", "--schema-dir", str(schema), "--database-url", db_url, "--auto-approve")
    assert code == Exit.OK, output
    code, again = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--detailed-exitcode")
    assert code == Exit.OK, again
    assert "No changes" in again
    return output


LIVE = """
CREATE SCHEMA app;
CREATE TABLE app.items (id integer NOT NULL, title text NOT NULL, owner integer);
CREATE TABLE app.books (isbn text) INHERITS (app.items);
CREATE VIEW app.book_owners AS SELECT id, owner FROM app.books;
ALTER TABLE app.books ENABLE ROW LEVEL SECURITY;
CREATE POLICY books_owner ON app.books USING (owner > 0);
INSERT INTO app.books VALUES (1, 'Dune', 7, '0441172717');
"""

RETYPED = """
version: 1
schemas:
  app:
    tables:
      items:
        columns:
          id: {type: integer, nullable: false}
          title: {type: text, nullable: false}
          owner: bigint
      books:
        inherits: [items]
        columns:
          isbn: text
        rls: {enabled: true}
        policies:
          books_owner: {using: "owner > 0"}
    views:
      book_owners:
        query: SELECT id, owner FROM app.books
"""


def test_a_parent_column_retyped_under_its_childs_view_and_policy(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    schema = _schema(tmp_path, "schema", {"app.yaml": RETYPED})
    code, plan = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--sql")
    assert code == Exit.OK, plan
    # One ALTER, on the parent: PostgreSQL retypes the child's copy with it.
    assert plan.count("ALTER COLUMN owner TYPE") == 1 and "ALTER TABLE app.items ALTER COLUMN owner TYPE bigint" in plan
    assert "app.books ALTER COLUMN" not in plan
    # What reads the child's copy goes first and comes back after.
    assert plan.index("DROP VIEW app.book_owners") < plan.index("ALTER COLUMN owner TYPE")
    assert plan.index("DROP POLICY books_owner") < plan.index("ALTER COLUMN owner TYPE")
    assert plan.index("ALTER COLUMN owner TYPE") < plan.index("CREATE POLICY books_owner")
    _converges(schema, db_url)
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT format_type(atttypid, atttypmod), attislocal FROM pg_attribute "
            "WHERE attrelid = 'app.books'::regclass AND attname = 'owner'"
        ).fetchone()
        assert row == ("bigint", False)
        assert conn.execute("SELECT owner FROM app.book_owners").fetchone() == (7,)


def test_parents_are_relinked_in_declared_order(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, """
CREATE SCHEMA app;
CREATE TABLE app.a (x integer);
CREATE TABLE app.b (y integer);
CREATE TABLE app.c (z integer) INHERITS (app.a, app.b);
""")
    text = """
version: 1
schemas:
  app:
    tables:
      a: {columns: {x: integer}}
      b: {columns: {y: integer}}
      c:
        inherits: [b, a]
        columns: {z: integer}
"""
    schema = _schema(tmp_path, "schema", {"app.yaml": text})
    output = _converges(schema, db_url)
    assert "no longer inherit app.a" in output and "inherit app.a" in output
    with psycopg.connect(db_url) as conn:
        parents = conn.execute(
            "SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = 'app.c'::regclass ORDER BY inhseqno"
        ).fetchall()
    assert parents == [("app.b",), ("app.a",)]


SQL_FILES = """
CREATE SCHEMA app;
CREATE TABLE app.items (id bigint NOT NULL, title text NOT NULL, CONSTRAINT items_title CHECK (title <> ''));
CREATE TABLE app.books (isbn text NOT NULL, PRIMARY KEY (id)) INHERITS (app.items);
CREATE INDEX books_title_idx ON app.books (title);
"""

PYTHON_FILES = '''
from pgreconcile.declare import Table, check, index, primary_key

__schema__ = "app"


class Items(Table):
    id: int
    title: str
    __checks__ = [check("items_title", "title <> ''")]


class Books(Table):
    isbn: str
    __inherits__ = [Items]
    __primary_key__ = primary_key("id")
    __indexes__ = [index("books_title_idx", "title")]
'''

YAML_FILES = """
version: 1
schemas:
  app:
    tables:
      items:
        columns:
          id: {type: bigint, nullable: false}
          title: {type: text, nullable: false}
        checks:
          items_title: "title <> ''"
      books:
        inherits: [app.items]
        columns:
          isbn: {type: text, nullable: false}
        primary_key: [id]
        indexes:
          books_title_idx: [title]
"""


@pytest.mark.parametrize("file, text", [("app.sql", SQL_FILES), ("app.py", PYTHON_FILES), ("app.yaml", YAML_FILES)])
def test_a_child_declared_in_each_language_converges(tmp_path: Path, db_url: str, file: str, text: str) -> None:
    schema = _schema(tmp_path, "schema", {file: text})
    output = _converges(schema, db_url)
    assert "+ inherits app.items" in output, output
    with psycopg.connect(db_url) as conn:
        run_sql(db_url, "INSERT INTO app.books VALUES (1, 'Dune', '0441172717')")
        assert conn.execute("SELECT count(*) FROM app.items").fetchone() == (1,)
    # Every language declares the same database: the other two plan nothing against it.
    for other, other_text in (("app.sql", SQL_FILES), ("app.py", PYTHON_FILES), ("app.yaml", YAML_FILES)):
        if other == file:
            continue
        again = _schema(tmp_path, f"again-{other}", {other: other_text})
        code, plan = _invoke("plan", "--schema-dir", str(again), "--database-url", db_url, "--detailed-exitcode")
        assert code == Exit.OK, plan


@pytest.mark.parametrize("fmt, suffix", [("yaml", "yaml"), ("python", "py"), ("sql", "sql")])
def test_inspect_writes_inherits_and_plans_nothing(tmp_path: Path, db_url: str, fmt: str, suffix: str) -> None:
    run_sql(db_url, LIVE + "CREATE TABLE app.tagged (tags text[]);\n"
            "CREATE TABLE app.ebooks (url text, title text NOT NULL) INHERITS (app.books, app.tagged);\n")
    schema = tmp_path / "schema"
    schema.mkdir()
    target = schema / f"app.{suffix}"
    code, output = _invoke("inspect", "--database-url", db_url, "--schema", "app", "--format", fmt, "-o", str(target))
    assert code == 0, output
    written = target.read_text()
    assert {"yaml": "inherits: [books, tagged]", "python": '__inherits__ = ["books", "tagged"]',
            "sql": "INHERITS (app.books, app.tagged)"}[fmt] in written, written
    code, output = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--detailed-exitcode")
    assert code == Exit.OK, output
    assert "No changes" in output


def test_the_catalog_read_sends_no_more_statements_with_inheritance(db_url: str) -> None:
    run_sql(db_url, LIVE)
    with psycopg.connect(db_url) as conn:
        read = read_catalog(conn, ["app"])
    assert read.statements == STATEMENTS_PER_READ
    books = read.schema.tables[("app", "books")]
    assert books.inherits == (("app", "items"),)
    assert [c.name for c in books.columns] == ["isbn"]
    assert [c.name for c in books.inherited_columns] == ["id", "title", "owner"]
    assert not any(u.kind == "inheritance" for u in read.schema.unmanaged)


@pytest.mark.parametrize(
    "tables, message",
    [
        ("c: {inherits: [nowhere], columns: {z: integer}}", "inherits 'nowhere', which is not a declared table"),
        ("c: {inherits: [c], columns: {z: integer}}", "a table cannot inherit from itself"),
        ("c: {inherits: [d], columns: {z: integer}}\n      d: {inherits: [c], columns: {w: integer}}",
         "inheritance cycle"),
        ("c: {inherits: [p], columns: {x: text}}", "column x is text here but integer in a parent table"),
        ("c: {inherits: [p], columns: {z: integer}, indexes: {c_idx: [nope]}}", "column 'nope' does not exist"),
        ("c: {inherits: [e], columns: {z: integer}}", "PostgreSQL cannot inherit from a partitioned table"),
    ],
)
def test_bad_inherits_declarations_name_the_place(tmp_path: Path, tables: str, message: str) -> None:
    text = f"""
version: 1
schemas:
  app:
    tables:
      p: {{columns: {{x: integer}}}}
      e: {{columns: {{at: date}}, partition_by: range (at)}}
      {tables}
"""
    schema = _schema(tmp_path, "schema", {"app.yaml": text})
    code, output = _invoke("validate", "--schema-dir", str(schema))
    assert code == Exit.ERROR, output
    assert message in output, output
    assert "app.yaml:" in output and "Traceback" not in output


def test_a_childs_index_may_name_an_inherited_column(tmp_path: Path) -> None:
    text = """
version: 1
schemas:
  app:
    tables:
      p: {columns: {x: integer}}
      c:
        inherits: [p]
        columns: {z: integer}
        primary_key: [x]
        indexes: {c_x_idx: [x, z]}
        checks: {c_x_positive: "x > 0"}
"""
    schema = _schema(tmp_path, "schema", {"app.yaml": text})
    code, output = _invoke("validate", "--schema-dir", str(schema))
    assert code == Exit.OK, output


def test_a_key_on_a_parent_is_probed_on_the_parents_rows_alone(tmp_path: Path, db_url: str) -> None:
    """A primary key and a foreign key check only their own table's rows: a child's row with the
    same id is no duplicate, and a child's row satisfies no foreign key."""
    run_sql(db_url, """
CREATE SCHEMA app;
CREATE TABLE app.items (id integer NOT NULL);
CREATE TABLE app.books (isbn text) INHERITS (app.items);
CREATE TABLE app.loans (item integer);
INSERT INTO app.items VALUES (1);
INSERT INTO app.books VALUES (1, 'x'), (2, 'y');
INSERT INTO app.loans VALUES (1);
""")
    text = """
version: 1
schemas:
  app:
    tables:
      items:
        columns: {id: {type: integer, primary_key: true}}
      books:
        inherits: [items]
        columns: {isbn: text}
      loans:
        columns: {item: {type: integer, references: {table: items, column: id}}}
"""
    schema = _schema(tmp_path, "schema", {"app.yaml": text})
    code, plan = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url)
    assert code == Exit.OK, plan
    assert "no duplicates in 1 row" in plan, plan
    _converges(schema, db_url)


def test_a_retype_reaches_merged_columns_and_grandchildren_through_one_alter(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, """
CREATE SCHEMA app;
CREATE TABLE app.items (id integer NOT NULL, owner integer);
CREATE TABLE app.books (owner integer, isbn text) INHERITS (app.items);
CREATE TABLE app.rare_books (grade text) INHERITS (app.books);
CREATE INDEX rare_books_owner_idx ON app.rare_books (owner);
INSERT INTO app.rare_books VALUES (1, 7, 'x', 'A');
""")
    text = """
version: 1
schemas:
  app:
    tables:
      items:
        columns: {id: {type: integer, nullable: false}, owner: bigint}
      books:
        inherits: [items]
        columns: {owner: bigint, isbn: text}
      rare_books:
        inherits: [books]
        columns: {grade: text}
        indexes: {rare_books_owner_idx: [owner]}
"""
    schema = _schema(tmp_path, "schema", {"app.yaml": text})
    code, plan = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--sql")
    assert code == Exit.OK, plan
    assert plan.count("TYPE bigint") == 1 and "ALTER TABLE app.items ALTER COLUMN owner TYPE bigint" in plan, plan
    assert plan.index("DROP INDEX app.rare_books_owner_idx") < plan.index("TYPE bigint")
    assert plan.index("TYPE bigint") < plan.index("CREATE INDEX rare_books_owner_idx")
    _converges(schema, db_url)


def test_a_saved_plan_links_a_table_to_a_parent(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, """
CREATE SCHEMA app;
CREATE TABLE app.items (id integer NOT NULL, title text NOT NULL DEFAULT 'untitled');
CREATE TABLE app.books (id integer, isbn text);
INSERT INTO app.books VALUES (1, 'x');
""")
    text = """
version: 1
schemas:
  app:
    tables:
      items:
        columns: {id: {type: integer, nullable: false}, title: {type: text, nullable: false, default: untitled}}
      books:
        inherits: [items]
        columns: {isbn: text}
"""
    schema = _schema(tmp_path, "schema", {"app.yaml": text})
    saved = tmp_path / "plan.json"
    code, output = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "-out", str(saved))
    assert code == Exit.OK, output
    code, output = _invoke("apply", "--schema-dir", str(schema), "--database-url", db_url, str(saved))
    assert code == Exit.OK, output
    assert "Apply complete!" in output
    code, again = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--detailed-exitcode")
    assert code == Exit.OK and "No changes" in again, again
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT id, title FROM app.items").fetchall() == [(1, "untitled")]


def test_a_renamed_parent_keeps_its_children(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, """
CREATE SCHEMA app;
CREATE TABLE app.old_items (id integer NOT NULL);
CREATE TABLE app.books (isbn text) INHERITS (app.old_items);
INSERT INTO app.books VALUES (1, 'x');
""")
    text = """
version: 1
schemas:
  app:
    tables:
      items:
        renamed_from: old_items
        columns: {id: {type: integer, nullable: false}}
      books:
        inherits: [items]
        columns: {isbn: text}
"""
    schema = _schema(tmp_path, "schema", {"app.yaml": text})
    code, plan = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--sql")
    assert code == Exit.OK, plan
    assert "RENAME TO items" in plan and "INHERIT" not in plan, plan
    _converges(schema, db_url)


def test_a_parent_outside_the_managed_schemas_is_taken_as_named(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, """
CREATE SCHEMA ext;
CREATE TABLE ext.base (id integer NOT NULL, note text);
CREATE SCHEMA app;
CREATE TABLE app.child (x integer, note text) INHERITS (ext.base);
INSERT INTO app.child VALUES (1, 'n', 2);
""")
    schema = tmp_path / "schema"
    schema.mkdir()
    code, output = _invoke("inspect", "--database-url", db_url, "--schema", "app", "-o", str(schema / "app.yaml"))
    assert code == 0, output
    assert "inherits: [ext.base]" in (schema / "app.yaml").read_text()
    code, output = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--detailed-exitcode")
    assert code == Exit.OK and "No changes" in output, output
    # Declared without it, the link goes: NO INHERIT, the child keeping what it declares.
    text = """
version: 1
schemas:
  app:
    tables:
      child:
        columns: {id: {type: integer, nullable: false}, note: text, x: integer}
"""
    (schema / "app.yaml").write_text(text)
    output = _converges(schema, db_url)
    assert "no longer inherit ext.base" in output, output


def test_a_childs_own_default_on_an_inherited_column_leaves_the_column_to_the_parent(
    tmp_path: Path, db_url: str
) -> None:
    # As pg_dump writes it: the child has the column from its parent only (not attislocal) and
    # sets a default of its own with ALTER TABLE ONLY. Created the same way, the column stays the
    # parent's: dropping it there drops it from the child too.
    schema = _schema(tmp_path, "schema", {"app.sql": """
CREATE SCHEMA app;
CREATE TABLE app.parent (id integer NOT NULL, note text, made timestamptz NOT NULL);
CREATE TABLE app.child () INHERITS (app.parent);
ALTER TABLE ONLY app.child ALTER COLUMN id SET DEFAULT 0;
ALTER TABLE ONLY app.child ALTER COLUMN note SET NOT NULL;
"""})
    _converges(schema, db_url)
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT a.attislocal, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE a.attrelid = 'app.child'::regclass AND a.attname = 'id'"
        ).fetchone()
        assert row == (False, "0")
        assert conn.execute(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 'app.child'::regclass AND attnum > 0 AND attislocal"
        ).fetchone() == (0,)
        if conn.info.server_version >= 180000:
            # The parent's NOT NULL on id is inherited only (pg_dump prints no constraint of the
            # child's own for it); the child's own on note is its own.
            own = conn.execute(
                "SELECT a.attname, c.conislocal FROM pg_constraint c JOIN pg_attribute a "
                "ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
                "WHERE c.conrelid = 'app.child'::regclass AND c.contype = 'n' ORDER BY 1"
            ).fetchall()
            assert own == [("id", False), ("made", False), ("note", True)]
