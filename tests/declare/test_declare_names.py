"""PostgreSQL's implicit constraint names, and dotted names.

The expected names were produced by PostgreSQL 15 itself: the tables were created with unnamed
constraints and the names read back from pg_constraint (the table names are the ones the server
kept after truncating them to 63 bytes).
"""

from __future__ import annotations

import pytest

from pgreconcile.declare.spec.names import (
    check_column,
    check_name,
    dotted,
    foreign_key_name,
    make_object_name,
    primary_key_name,
    split_dotted,
    too_long,
    truncated,
    unique_name,
)
from pgreconcile.normalize.index_elements import element_column

LONG = "a_really_long_table_name_that_goes_on_and_on_for_quite_a_while_"
UMLAUT = "Überlänge_äöü_ÄÖÜ_ß_überlänge_äöü_ÄÖÜ_ß_über"


@pytest.mark.parametrize(
    ("made", "server"),
    [
        (primary_key_name("profiles"), "profiles_pkey"),
        (unique_name("profiles", ["email"]), "profiles_email_key"),
        (unique_name("shorty", ["b", "c", "d", "e"]), "shorty_b_c_d_e_key"),
        (foreign_key_name("shorty", ["b"]), "shorty_b_fkey"),
        (check_name("t_chk", "a"), "t_chk_a_check"),
        (check_name("t_chk", None), "t_chk_check"),
        (primary_key_name(LONG), "a_really_long_table_name_that_goes_on_and_on_for_quite_a_w_pkey"),
        (check_name(LONG, None), "a_really_long_table_name_that_goes_on_and_on_for_quite_a__check"),
        (check_name(LONG, "c2"), "a_really_long_table_name_that_goes_on_and_on_for_quite_c2_check"),
        (
            unique_name(LONG, ["short", "c2"]),
            "a_really_long_table_name_that_goes_on_and_on_for_q_short_c2_key",
        ),
        (
            unique_name(LONG, ["another_really_long_column_name_that_is_long_as_well_really"]),
            "a_really_long_table_name_that_another_really_long_column_na_key",
        ),
        (unique_name("shorty", ["a" * 63]), "shorty_" + "a" * 52 + "_key"),
        (primary_key_name(UMLAUT), "Überlänge_äöü_ÄÖÜ_ß_überlänge_äöü_ÄÖÜ_ß__pkey"),
        (foreign_key_name(UMLAUT, ["ref"]), "Überlänge_äöü_ÄÖÜ_ß_überlänge_äöü_ÄÖÜ_ref_fkey"),
    ],
    ids=[
        "pkey",
        "key",
        "multi-column-key",
        "fkey",
        "check-column",
        "check-table",
        "long-pkey",
        "long-check",
        "long-column-check",
        "long-table-short-columns",
        "both-long",
        "long-column",
        "multibyte-pkey",
        "multibyte-fkey",
    ],
)
def test_implicit_names_match_the_server(made: str, server: str) -> None:
    assert made == server
    assert len(made.encode()) <= 63


def test_truncation_never_splits_a_character() -> None:
    name = make_object_name("ä" * 40, "ö" * 40, "key")
    assert len(name.encode()) <= 63
    assert name.endswith("_key") and set(name[:-4]) <= {"ä", "ö", "_"}


def test_identifier_length() -> None:
    assert not too_long("x" * 63)
    assert too_long("x" * 64)
    assert too_long("ä" * 32) and not too_long("ä" * 31)
    assert truncated("ä" * 40) == "ä" * 31


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("users", ["users"]),
        ("auth.users", ["auth", "users"]),
        ("auth.users.id", ["auth", "users", "id"]),
        ('"my.schema".Users', ["my.schema", "Users"]),
        ('"a""b".c', ['a"b', "c"]),
        (" core . sessions ", ["core", "sessions"]),
    ],
    ids=["one", "two", "three", "quoted-dot", "doubled-quote", "spaces"],
)
def test_split_dotted(text: str, parts: list[str]) -> None:
    assert split_dotted(text) == parts
    assert split_dotted(dotted(*parts)) == parts


@pytest.mark.parametrize("text", ['"open', "a..b", ".a", "a."], ids=["unterminated", "empty-middle", "lead", "trail"])
def test_split_dotted_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        split_dotted(text)


@pytest.mark.parametrize(
    ("read", "column"),
    [
        ({"price"}, "price"),
        ({"Price"}, "price"),
        ({"price", "other"}, None),
        (set(), None),
        ({"nope"}, None),
        ({"Mixed"}, "Mixed"),
    ],
    ids=["one", "folds", "two", "none", "not-a-column", "exact-case"],
)
def test_check_column(read: set[str], column: str | None) -> None:
    assert check_column(read, ["price", "other", "Mixed"]) == column


@pytest.mark.parametrize(
    ("element", "column"),
    [
        ("email", "email"),
        ("Email", "email"),
        ('"Email" DESC NULLS LAST', "Email"),
        ("name text_pattern_ops", "name"),
        ('name collate "C"', "name"),
        ("created_at DESC", "created_at"),
        ("lower(email)", None),
        ("(lower(email))", None),
        ("(data->>'k') DESC", None),
    ],
)
def test_element_column(element: str, column: str | None) -> None:
    assert element_column(element) == column
