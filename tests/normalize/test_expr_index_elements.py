"""Index elements: splitting, defaults of direction/NULLS/operator class, and the default
operator class list checked against a live server."""

from __future__ import annotations

import pytest

from pgreconcile.normalize.expressions import canonical_index_element, parse_error, split_index_element
from pgreconcile.normalize.index_elements import DEFAULT_OPCLASSES

SPLITS = [
    ("column", "created_at", ("created_at", None, False, None)),
    ("desc", "created_at DESC", ("created_at", None, True, None)),
    ("lower-case-keywords", "created_at desc nulls last", ("created_at", None, True, "LAST")),
    ("asc-is-default", "x ASC", ("x", None, False, None)),
    ("nulls-last-is-default-for-asc", "x NULLS LAST", ("x", None, False, None)),
    ("nulls-first-is-default-for-desc", "x DESC NULLS FIRST", ("x", None, True, None)),
    ("asc-nulls-first", "x ASC NULLS FIRST", ("x", None, False, "FIRST")),
    ("function", "lower(nickname)", ("lower(nickname)", None, False, None)),
    ("parenthesised-function", "(lower(nickname))", ("lower(nickname)", None, False, None)),
    ("doubly-parenthesised", "((nickname || 'x'::text))", ("nickname || 'x'::text", None, False, None)),
    ("opclass", "name text_pattern_ops", ("name", "text_pattern_ops", False, None)),
    ("opclass-qualified", "name pg_catalog.text_pattern_ops", ("name", "text_pattern_ops", False, None)),
    ("extension-opclass", "name public.gin_trgm_ops", ("name", "gin_trgm_ops", False, None)),
    ("opclass-other-schema-kept", "name extensions.gin_trgm_ops",
     ("name", "extensions.gin_trgm_ops", False, None)),
    ("opclass-with-parameters", "name gist_trgm_ops(siglen = 32)",
     ("name", "gist_trgm_ops(siglen=32)", False, None)),
    ("default-opclass-with-parameters-kept", "a tsvector_ops (siglen='8')",
     ("a", "tsvector_ops(siglen=8)", False, None)),
    ("default-opclass-dropped", "name text_ops", ("name", None, False, None)),
    ("function-opclass-desc", "lower(email) text_pattern_ops DESC",
     ("lower(email)", "text_pattern_ops", True, None)),
    ("collation-stays-in-expression", 'nickname COLLATE "C" DESC',
     ('nickname COLLATE "C"', None, True, None)),
    ("collation-and-opclass", 'nickname COLLATE "C" text_pattern_ops',
     ('nickname COLLATE "C"', "text_pattern_ops", False, None)),
    ("quoted-column", '"Name" DESC', ('"Name"', None, True, None)),
    ("unparenthesised-operator", "data->>'k' DESC", ("data->>'k'", None, True, None)),
    ("cast-is-not-an-opclass", "x::text", ("x::text", None, False, None)),
    ("is-null-is-not-an-opclass", "(x IS NULL)", ("x IS NULL", None, False, None)),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in SPLITS], ids=[c[0] for c in SPLITS])
def test_split_index_element(text: str, expected: tuple[str, str | None, bool, str | None]) -> None:
    assert split_index_element(text) == expected
    assert parse_error(expected[0]) is None


SAME = [
    ("asc-default", "created_at ASC", "created_at"),
    ("nulls-last-default", "created_at NULLS LAST", "created_at"),
    ("desc-nulls-first-default", "created_at DESC NULLS FIRST", "created_at DESC"),
    ("parentheses", "(lower(nickname))", "lower(nickname)"),
    ("catalog-spelling", "(nickname || 'x'::text)", "(nickname || 'x')"),
    ("keyword-case", "LOWER(Nickname) desc", "lower(nickname) DESC"),
    ("default-opclass", "nickname text_ops", "nickname"),
    ("qualified-opclass", "nickname pg_catalog.text_pattern_ops", "nickname text_pattern_ops"),
    ("opclass-parameters-as-printed", "a tsvector_ops (siglen='8')", "a tsvector_ops(siglen = 8)"),
]

DIFFERENT = [
    ("direction", "created_at DESC", "created_at"),
    ("nulls-first", "created_at NULLS FIRST", "created_at"),
    ("desc-nulls-last", "created_at DESC NULLS LAST", "created_at DESC"),
    ("opclass", "nickname text_pattern_ops", "nickname"),
    ("other-opclass", "nickname text_pattern_ops", "nickname varchar_pattern_ops"),
    ("other-column", "lower(nickname)", "lower(email)"),
    ("function-vs-column", "lower(nickname)", "nickname"),
    ("collation", 'nickname COLLATE "C"', "nickname"),
    ("opclass-parameters", "a tsvector_ops (siglen='8')", "a tsvector_ops (siglen='9')"),
    ("opclass-parameters-or-none", "a tsvector_ops (siglen='8')", "a"),
]


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in SAME], ids=[c[0] for c in SAME])
def test_equivalent_elements(a: str, b: str) -> None:
    assert canonical_index_element(a) == canonical_index_element(b)


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in DIFFERENT], ids=[c[0] for c in DIFFERENT])
def test_different_elements(a: str, b: str) -> None:
    assert canonical_index_element(a) != canonical_index_element(b)


@pytest.mark.db
def test_default_opclasses_are_defaults_wherever_they_exist(expr_db) -> None:
    rows = expr_db.execute(
        "SELECT opcname, bool_and(opcdefault) FROM pg_opclass WHERE opcname = ANY(%s) GROUP BY opcname",
        (sorted(DEFAULT_OPCLASSES),),
    ).fetchall()
    found = dict(rows)
    assert set(found) == DEFAULT_OPCLASSES, f"unknown operator classes: {DEFAULT_OPCLASSES - set(found)}"
    not_default = sorted(name for name, default in found.items() if not default)
    assert not not_default, f"not the default everywhere: {not_default}"
