"""``replica_identity:`` is checked where it is written: a word PostgreSQL knows, or a unique
index or constraint of the same table."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors

TABLE = """version: 1
schemas:
  public:
    tables:
      accounts:
        columns:
          id: {{type: bigint, primary_key: true}}
          email: {{type: text, nullable: false}}
        indexes:
          accounts_email_idx: {{columns: [email], unique: true}}
          accounts_plain_idx: {{columns: [email]}}
        replica_identity: {value}
"""


def _load(tmp_path: Path, value: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "app.yaml"
    path.write_text(TABLE.format(value=value))
    return load_files([path]).tables[("public", "accounts")]


@pytest.mark.parametrize(
    ("written", "identity", "index"),
    [
        ("full", "full", None),
        ("NOTHING", "nothing", None),
        ("default", "default", None),
        ("index accounts_email_idx", "index", "accounts_email_idx"),
        ("USING INDEX accounts_pkey", "index", "accounts_pkey"),
    ],
)
def test_each_form_reaches_the_model(tmp_path: Path, written: str, identity: str, index: str | None) -> None:
    table = _load(tmp_path, written)
    assert (table.replica_identity, table.replica_index) == (identity, index)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("everything", "replica_identity 'everything' is not one PostgreSQL knows"),
        ("index accounts_plain_idx", "'accounts_plain_idx' is not a unique index or constraint of this table"),
        ("index nowhere", "'nowhere' is not a unique index or constraint of this table"),
    ],
)
def test_a_wrong_value_is_an_error_at_its_line(tmp_path: Path, written: str, message: str) -> None:
    with pytest.raises(DeclarationErrors) as caught:
        _load(tmp_path, written)
    text = str(caught.value)
    assert "app.yaml:12" in text and "table public.accounts" in text and message in text
