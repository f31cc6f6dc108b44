"""An identity's sequence name (``sequence: {name: …}``): declaration errors, and a table renamed
and then renamed back converging (the golden case sequence/identity-sequence-name and its inspect
round trips cover creating, renaming and adding)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ("{type: serial, sequence: {name: other_seq}}", "a serial column's sequence is named notes_id_seq"),
        ("{type: bigint, identity: always, sequence: {name: a.b.c}}", "is `name` or `schema.name`"),
    ],
)
def test_a_misplaced_sequence_name_is_an_error_at_its_line(tmp_path: Path, column: str, message: str) -> None:
    path = tmp_path / "app.yaml"
    path.write_text("version: 1\nschemas:\n  app:\n    tables:\n      notes:\n        columns:\n"
                    f"          id: {column}\n")
    with pytest.raises(DeclarationErrors) as caught:
        load_files([path])
    assert "app.yaml:7" in str(caught.value) and message in str(caught.value), str(caught.value)


def test_the_default_name_written_out_equals_it_left_out(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text("version: 1\nschemas:\n  app:\n    tables:\n      notes:\n        columns:\n"
                    "          id: {type: bigint, identity: always, sequence: {name: notes_id_seq}}\n"
                    "          other: {type: bigint, identity: always, sequence: {name: app.notes_counter}}\n")
    notes = load_files([path]).tables[("app", "notes")]
    assert [c.identity_sequence for c in notes.columns] == [None, ("app", "notes_counter")]
