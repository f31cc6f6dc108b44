"""A foreign table's columns' own options: a column named there must be declared (the golden case
foreign/column-options and its inspect round trips cover reading, planning and converging)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors


def test_options_of_an_undeclared_column_are_an_error_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text("version: 1\nschemas:\n  app:\n    tables:\n      films:\n"
                    "        foreign: {server: s, columns: {code: {column_name: num}}}\n"
                    "        columns:\n          title: text\n")
    with pytest.raises(DeclarationErrors) as caught:
        load_files([path])
    assert "app.yaml:6" in str(caught.value) and "foreign table column code is not declared" in str(caught.value)


def test_column_options_are_kept_sorted_with_their_values_as_text(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text("version: 1\nschemas:\n  app:\n    tables:\n      films:\n"
                    "        foreign: {server: s, columns: {title: {column_name: name, Width: 40}, code: {}}}\n"
                    "        columns:\n          code: text\n          title: text\n")
    films = load_files([path]).tables[("app", "films")]
    # Names as written (they are written back quoted), sorted; a column with none is left out.
    assert films.column_server_options == (("title", (("Width", "40"), ("column_name", "name"))),)
