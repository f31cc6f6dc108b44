"""The counters of narrowed sequences are read on the planning connection before the probes:
the read must leave no transaction open (the probes take a snapshot of their own)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

YAML = """\
version: 1
schemas:
  public:
    tables:
      tickets:
        columns:
          id: {type: integer, identity: always, primary_key: true, sequence: {max_value: 50}}
          title: {type: text, nullable: false}
"""


def test_a_narrowed_counter_and_a_probed_change_plan_and_apply(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, "CREATE TABLE public.tickets (id integer GENERATED ALWAYS AS IDENTITY (START WITH 100) "
                    "PRIMARY KEY, title text)")
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(YAML)
    common = ["--schema-dir", str(schema), "--database-url", db_url]
    runner = CliRunner()
    result = runner.invoke(cli, ["plan", *common, "--detailed-exitcode"], catch_exceptions=False)
    assert result.exit_code == Exit.CHANGES, result.output
    assert "restarted at its new start" in result.output and "title" in result.output, result.output
    result = runner.invoke(cli, ["apply", *common, "--auto-approve"], catch_exceptions=False)
    assert result.exit_code == Exit.OK, result.output
    result = runner.invoke(cli, ["plan", *common, "--detailed-exitcode"], catch_exceptions=False)
    assert result.exit_code == Exit.OK, result.output
