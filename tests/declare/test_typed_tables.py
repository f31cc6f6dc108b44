"""``of:`` (``__of__`` in Python) makes a typed table: the composite type is resolved in the
table's schema or named with its own, and the declared columns must be the type's attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors

DOCUMENT = """version: 1
schemas:
  hr:
    types:
      employee:
        fields: {{name: text, salary: numeric}}
    tables:
      staff:
        of: {of}
        columns:
{columns}
"""


def _load(tmp_path: Path, of: str, columns: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "hr.yaml"
    path.write_text(DOCUMENT.format(of=of, columns=columns))
    return load_files([path]).tables[("hr", "staff")]


@pytest.mark.parametrize("of", ["employee", "hr.employee"])
def test_the_type_is_named_in_the_schema_or_qualified(tmp_path: Path, of: str) -> None:
    table = _load(tmp_path, of, "          name: {type: text, nullable: false}\n          salary: numeric")
    assert table.of_type == ("hr", "employee")
    assert [(c.name, c.nullable) for c in table.columns] == [("name", False), ("salary", True)]


@pytest.mark.parametrize("columns", [
    "          name: text",  # one missing
    "          salary: numeric\n          name: text",  # another order
    "          name: text\n          salary: integer",  # another type
])
def test_columns_that_are_not_the_types_attributes_are_refused(tmp_path: Path, columns: str) -> None:
    with pytest.raises(DeclarationErrors) as caught:
        _load(tmp_path, "employee", columns)
    text = str(caught.value)
    assert "table hr.staff: a typed table's columns are its type's attributes" in text
    assert "hr.employee: name text, salary numeric" in text
