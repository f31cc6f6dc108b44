"""A composite type whose attributes are reordered is re-created only while nothing stores it
(the golden case composite-type/reorder-attributes plans the re-creation): a column storing it,
a table typed by it or another composite type holding it refuses the plan, naming them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

DESIRED = """version: 1
schemas:
  app:
    types:
      pair: {fields: {amount: integer, label: text}}
"""


@pytest.mark.parametrize(
    ("user", "named"),
    [
        ("CREATE TABLE app.ledger (id bigint PRIMARY KEY, entry app.pair);", "column app.ledger.entry"),
        ("CREATE TABLE app.pairs OF app.pair;", "table app.pairs"),
        ("CREATE TYPE app.wrapper AS (inner_pair app.pair);", "composite type app.wrapper"),
    ],
)
def test_a_reordered_type_in_use_is_refused_naming_its_users(tmp_path: Path, db_url: str, user: str,
                                                              named: str) -> None:
    run_sql(db_url, "CREATE SCHEMA app; CREATE TYPE app.pair AS (label text, amount integer);" + user)
    schema = tmp_path / "schema"
    schema.mkdir()
    # The user stays declared as it is live: only the type's order is asked to change.
    extra = {
        "column app.ledger.entry": "    tables:\n      ledger:\n        columns:\n"
                                   "          id: {type: bigint, primary_key: true}\n          entry: pair\n",
        "table app.pairs": "    tables:\n      pairs: {of: pair, columns: {amount: integer, label: text}}\n",
        "composite type app.wrapper": "",
    }[named]
    desired = DESIRED + extra
    if named == "composite type app.wrapper":
        desired += "      wrapper: {fields: {inner_pair: pair}}\n"
    (schema / "app.yaml").write_text(desired)
    try:
        result = CliRunner().invoke(cli, ["plan", "-s", str(schema), "-d", db_url], catch_exceptions=False)
        assert result.exit_code == Exit.ERROR, result.output
        assert "composite type app.pair: PostgreSQL adds attributes at the end and cannot reorder them, and " \
            f"{named} use it" in result.output, result.output
    finally:
        run_sql(db_url, "DROP SCHEMA app CASCADE;")
