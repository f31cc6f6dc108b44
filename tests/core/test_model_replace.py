"""pgreconcile.model.replace: the same copies as dataclasses.replace, for every model class it
copies itself, and dataclasses.replace's own behaviour where it does not."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from pgreconcile.model.objects import CheckConstraint, Column, Index, Table
from pgreconcile.model.origin import Origin
from pgreconcile.model.replace import replace


def _table() -> Table:
    return Table(
        "app", "notes",
        columns=(Column("id", "bigint", nullable=False), Column("body", "text", default="''::text")),
        checks=(CheckConstraint("notes_body_check", "length(body) > 0"),),
        indexes=(Index("notes_body_idx", ("body",)),),
    )


@pytest.mark.parametrize("changes", [
    {"origin": Origin("a.sql", 3)},
    {"comment": "hello", "origin": None},
    {},
])
def test_copies_equal_dataclasses_replace(changes: dict[str, object]) -> None:
    table = _table()
    for obj in (table, table.columns[0], table.checks[0], table.indexes[0]):
        own: dict[str, Any] = {k: v for k, v in changes.items() if k in {f.name for f in dataclasses.fields(obj)}}
        mine, theirs = replace(obj, **own), dataclasses.replace(obj, **own)
        assert mine == theirs and mine is not obj
        assert all(getattr(mine, f.name) is getattr(theirs, f.name) for f in dataclasses.fields(obj))
    assert obj.origin is None  # the original is untouched


def test_unknown_field_is_refused_like_dataclasses_replace() -> None:
    with pytest.raises(TypeError, match="colour"):
        replace(_table().columns[0], colour="red")


def test_a_class_with_post_init_goes_through_init() -> None:
    @dataclasses.dataclass(frozen=True)
    class Upper:
        name: str

        def __post_init__(self) -> None:
            object.__setattr__(self, "name", self.name.upper())

    assert replace(Upper("a"), name="b").name == "B"
