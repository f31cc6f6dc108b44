"""rename_column_refs: a live expression as PostgreSQL will print it after a declared rename."""

from __future__ import annotations

import pytest

from pgreconcile.normalize.expressions import equivalent, rename_column_refs

CASES = [
    ("(auth.uid() = user_id)", "auth.uid() = id"),
    ("((profiles.user_id IS NOT NULL) AND (x > 0))", "profiles.id IS NOT NULL AND x > 0"),
    # Another table's column of the same name, inside a subquery, is left alone.
    (
        "(EXISTS ( SELECT 1 FROM members m WHERE ((m.user_id = profiles.user_id))))",
        "EXISTS (SELECT 1 FROM members m WHERE m.user_id = profiles.id)",
    ),
    ("(\"User_Id\" IS NULL)", "\"User_Id\" IS NULL"),  # a different (quoted, mixed-case) name
]


@pytest.mark.parametrize(("live", "after"), CASES)
def test_renamed_columns_compare_equal_to_the_declaration(live: str, after: str) -> None:
    assert equivalent(rename_column_refs(live, {"user_id": "id"}, "profiles"), after)


def test_unparseable_text_is_returned_unchanged() -> None:
    assert rename_column_refs("((", {"a": "b"}, "t") == "(("


def test_nothing_to_rename_returns_the_same_text() -> None:
    text = "(a = b)"
    assert rename_column_refs(text, {"c": "d"}, "t") is text
