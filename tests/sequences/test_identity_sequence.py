"""An identity's sequence name and persistence (``sequence: {name: …, unlogged: …}``): declaration
errors, the default spelled out, PostgreSQL 14 (the golden cases sequence/identity-sequence-name and
sequence/identity-unlogged, and their inspect round trips, cover planning and converging)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors
from pgreconcile.plan.server_support import for_server, unsupported


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ("{type: serial, sequence: {name: other_seq}}", "a serial column's sequence is named notes_id_seq"),
        ("{type: bigint, identity: always, sequence: {name: a.b.c}}", "is `name` or `schema.name`"),
        ("{type: serial, sequence: {unlogged: true}}", "a serial column's sequence is logged as its table is"),
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


def _table(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "app.yaml"
    path.write_text("version: 1\nschemas:\n  app:\n    tables:\n      notes:\n" + body)
    return path


def test_an_identity_logged_as_its_table_is_declared_as_left_out(tmp_path: Path) -> None:
    path = _table(tmp_path, "        unlogged: true\n        columns:\n"
                            "          a: {type: bigint, identity: always, sequence: {unlogged: true}}\n"
                            "          b: {type: bigint, identity: always, sequence: {unlogged: false}}\n")
    notes = load_files([path]).tables[("app", "notes")]
    assert [c.identity_unlogged for c in notes.columns] == [None, False]


def test_postgresql_14_makes_every_identity_sequence_logged_and_refuses_an_unlogged_one(tmp_path: Path) -> None:
    column = "          a: {type: bigint, identity: always, sequence: {unlogged: %s}}\n"
    logged = load_files([_table(tmp_path, "        unlogged: true\n        columns:\n" + column % "false")])
    on_14 = for_server(logged, 140000)
    assert [c.identity_unlogged for c in on_14.tables[("app", "notes")].columns] == [None]
    assert for_server(logged, 150000) is logged
    unlogged = load_files([_table(tmp_path, "        columns:\n" + column % "true")])
    (error,) = unsupported(unlogged, 140000)
    assert "column a: an unlogged identity sequence needs PostgreSQL 15" in str(error) and "app.yaml:7" in str(error)
    assert unsupported(unlogged, 150000) == []
