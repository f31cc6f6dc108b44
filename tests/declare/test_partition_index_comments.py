"""Comments on a partition's indexes attached to its table's (``attached: {index: {index: table's
index, comment: …}}``): declared in YAML and Python alike, written back by ``reconcile inspect``
(YAML, Python and SQL), and converged through the CLI on a real server — the SQL files being the
bytebase case (``CREATE INDEX`` on the table, ``COMMENT ON INDEX`` on the partition's copy)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

from conftest import run_sql, sql_files_cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.model import Schema

if TYPE_CHECKING:
    from declare_helpers import SchemaDir

pytest_plugins = ["declare_helpers"]  # the schema_dir fixture

YAML = """
version: 1
schemas:
  public:
    tables:
      accounts:
        columns:
          tenant: {type: text, nullable: false}
          email: text
        indexes:
          accounts_email_idx: [email]
        partition_by: list (tenant)
        partitions:
          accounts_t1:
            in: [t1]
            attached: {accounts_t1_email_idx: {index: accounts_email_idx, comment: copied for t1}}
          accounts_t2:
            in: [t2]
            attached: {accounts_t2_email_idx: accounts_email_idx}
"""

PYTHON = '''
from pgreconcile.declare import Table, column


class Accounts(Table, name="accounts"):
    tenant: str
    email: str | None = None
    __indexes__ = {"accounts_email_idx": ["email"]}
    __partition_by__ = "list (tenant)"
    __partitions__ = {
        "accounts_t1": {"in": ["t1"], "attached": {
            "accounts_t1_email_idx": {"index": "accounts_email_idx", "comment": "copied for t1"}}},
        "accounts_t2": {"in": ["t2"], "attached": {"accounts_t2_email_idx": "accounts_email_idx"}},
    }
'''

SQL = """
CREATE TABLE accounts (tenant text NOT NULL, id integer NOT NULL, email text, PRIMARY KEY (tenant, id))
    PARTITION BY LIST (tenant);
CREATE TABLE accounts_t1 PARTITION OF accounts FOR VALUES IN ('t1');
CREATE TABLE accounts_t2 PARTITION OF accounts FOR VALUES IN ('t2');
CREATE INDEX accounts_t1_email_idx ON accounts_t1 (id);
CREATE INDEX accounts_email_idx ON accounts (email);
COMMENT ON INDEX accounts_t1_email_idx1 IS 'inherited clone comment';
"""


def _attached(schema: Schema) -> dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]]:
    table = schema.table("public", "accounts")
    assert table is not None
    return {p.name: (p.attached, p.attached_comments) for p in table.partitions}


EXPECTED = {
    "accounts_t1": ((("accounts_t1_email_idx", "accounts_email_idx"),), (("accounts_t1_email_idx", "copied for t1"),)),
    "accounts_t2": ((("accounts_t2_email_idx", "accounts_email_idx"),), ()),
}


def test_yaml_and_python_declare_the_same(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.yaml", YAML)
    from_yaml = schema_dir.load()
    assert _attached(from_yaml) == EXPECTED
    (schema_dir.path / "app.yaml").unlink()
    schema_dir.write("app.py", PYTHON)
    assert _attached(schema_dir.load()) == EXPECTED


def test_the_table_index_named_in_the_long_form_is_required(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.yaml", YAML.replace("{index: accounts_email_idx, comment:", "{comment:"))
    assert any("accounts_t1" in e.message for e in schema_dir.errors())


def test_yaml_converges_and_inspect_writes_the_comment(tmp_path: Path, db_url: str) -> None:
    from click.testing import CliRunner

    from pgreconcile.cli import cli

    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(YAML, encoding="utf-8")
    common = ["--schema-dir", str(schema), "--database-url", db_url]
    result = CliRunner().invoke(cli, ["apply", *common, "--auto-approve"], catch_exceptions=False)
    assert result.exit_code == Exit.OK, result.output
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT obj_description('public.accounts_t1_email_idx'::regclass, 'pg_class')").fetchone()
    assert row == ("copied for t1",)
    result = CliRunner().invoke(cli, ["plan", *common, "--detailed-exitcode"], catch_exceptions=False)
    assert result.exit_code == Exit.OK, result.output
    for fmt in ("yaml", "python", "sql"):
        result = CliRunner().invoke(cli, ["inspect", "--database-url", db_url, "--format", fmt], catch_exceptions=False)
        assert result.exit_code == Exit.OK, result.output
        assert "copied for t1" in result.output, fmt


def test_sql_files_comment_the_partition_copy(tmp_path: Path, db_url: str) -> None:
    run = sql_files_cli(tmp_path, db_url, SQL)
    code, output = run("plan")
    assert code == Exit.OK, output
    assert "~ index accounts_t1_email_idx1 comment none → 'inherited clone comment'" in output, output
    code, output = run("apply", "--auto-approve")
    assert code == Exit.OK, output
    code, output = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, output
    run_sql(db_url, "COMMENT ON INDEX public.accounts_t1_email_idx1 IS 'changed by hand'")
    code, output = run("plan", "--detailed-exitcode")
    assert code == Exit.CHANGES, output
    assert "'changed by hand' → 'inherited clone comment'" in output, output
