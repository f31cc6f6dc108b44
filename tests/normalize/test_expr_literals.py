"""Constant normalizers against PostgreSQL's own output functions.

Each normalizer claims to print a constant the way a type's output function does; the server is
the judge (``SELECT $1::interval::text`` and so on), so these tests fail if the mirror drifts.
"""

from __future__ import annotations

import pytest

from pgreconcile.normalize.literals import (
    boolean_value,
    canonical_datetime,
    canonical_interval,
    canonical_json,
    canonical_number,
    canonical_uuid,
    number_like_string,
)

INTERVALS = [
    "1 hour", "24 hours", "1 week", "1.5 weeks", "1 day 2 hours", "2 hours ago", "-1 day",
    "1 year 2 months", "-14 months", "1 day -1 hour", "90 minutes", "0", "10", "1.5 days", "1:30",
    "-1:30:15.5", "3 days 04:05:06", "1 mon", "100 years", "0.5 seconds", "1 day -1 hour ago",
    "-1 day +1 hour", "1 millisecond", "2 decades", "30 days", "7 DAYS", "1 Hour 30 Minutes",
    "45 secs", "2 hrs", "1d", "3 weeks 2 days", "250 microseconds",
]


@pytest.mark.db
@pytest.mark.parametrize("text", INTERVALS)
def test_interval_matches_interval_out(expr_db, text: str) -> None:
    row = expr_db.execute("SELECT %s::interval::text", (text,)).fetchone()
    assert canonical_interval(text) == row[0]
    assert canonical_interval(row[0]) == row[0], "the printed form must be a fixed point"


@pytest.mark.parametrize("text", ["", "ago", "1 fortnight", "1.5 months", "P1D", "1 day garbage", "abc"])
def test_interval_outside_the_understood_subset_is_left_alone(text: str) -> None:
    assert canonical_interval(text) is None


JSON_TEXTS = [
    "{}", "[]", '{"b":1,"a":2}', '{"aa": 1, "b": 2}', '{"a": {"y": 1, "x": [1, 2.50]}}',
    '{"a": 1, "a": 2}', '[1, 1.0, 1e2, 1E-2, -0, 0.0]', '{"s": "quote \\" backslash \\\\ tab \\t"}',
    '{"é": "ünïcode", "\\u00e9t\\u00e9": true}', '[null, true, false, "x"]', '  { "k" :\n [ ] }  ',
    '{"ctrl": "\\u0001"}', '{"long_key": 1, "z": 2, "ab": 3}',
]


@pytest.mark.db
@pytest.mark.parametrize("text", JSON_TEXTS)
def test_json_matches_jsonb_out(expr_db, text: str) -> None:
    row = expr_db.execute("SELECT %s::jsonb::text", (text,)).fetchone()
    assert canonical_json(text) == row[0]


@pytest.mark.parametrize("text", ["{a,b}", "{1,2}", "'x'", "1", '"s"', "true", "[1,", "{} x"])
def test_non_json_containers_are_left_alone(text: str) -> None:
    assert canonical_json(text) is None


NUMBERS = ["0", "007", "1.50", "1.5e3", "1.50e1", "1E-2", ".5", "5.", "-0", "-0.0", "+3",
           "123456789012345678901234"]


@pytest.mark.db
@pytest.mark.parametrize("text", NUMBERS)
def test_number_matches_numeric_out(expr_db, text: str) -> None:
    row = expr_db.execute("SELECT %s::numeric::text", (text,)).fetchone()
    assert canonical_number(text) == row[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", "1"), ("-1", "-1"), ("1.50", "1.50"), ("007", None), ("1e3", None), ("+1", None), ("1 ", None),
     ("abc", None), ("", None), ("0.0", "0.0")],
)
def test_only_canonical_number_strings_count_as_numbers(text: str, expected: str | None) -> None:
    assert number_like_string(text) == expected


DATETIMES = [
    ("2020-01-01", "date"), ("2020-1-1", "date"), ("2020-01-01", "timestamp"),
    ("2020-01-01 12:30", "timestamp"), ("2020-01-01T12:30:15.250", "timestamp"),
    ("2020-01-01 00:00:00+00", "timestamptz"), ("2020-01-01 08:00:00Z", "timestamptz"),
    ("2024-02-29 23:59:59.999999", "timestamp"),
]


@pytest.mark.db
@pytest.mark.parametrize(("text", "type_name"), DATETIMES)
def test_datetime_agrees_with_what_the_server_prints(expr_db, text: str, type_name: str) -> None:
    # The catalog prints e.g. '2020-01-01 00:00:00+00'; the user wrote '2020-01-01': both sides
    # must normalize to one text (the session runs with TimeZone=UTC, as the catalog reader must).
    row = expr_db.execute(f"SELECT %s::{type_name}::text", (text,)).fetchone()
    assert canonical_datetime(text) is not None
    assert canonical_datetime(text) == canonical_datetime(row[0])


@pytest.mark.parametrize("text", ["2020-13-01", "2020-02-30", "2020-01-01 25:00", "2020-01-01 10:00+02",
                                  "yesterday", "2020/01/01", "01-01-2020"])
def test_datetimes_not_understood_are_left_alone(text: str) -> None:
    assert canonical_datetime(text) is None


@pytest.mark.db
@pytest.mark.parametrize(
    "text",
    ["A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
     "a0eebc999c0b4ef8bb6d6bb9bd380a11", "00000000-0000-0000-0000-000000000000"],
)
def test_typed_uuid_matches_uuid_out(expr_db, text: str) -> None:
    row = expr_db.execute("SELECT %s::uuid::text", (text,)).fetchone()
    assert canonical_uuid(text, typed=True) == row[0]


def test_untyped_uuid_needs_the_hyphenated_form() -> None:
    assert canonical_uuid("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", typed=False) == (
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
    )
    assert canonical_uuid("a0eebc999c0b4ef8bb6d6bb9bd380a11", typed=False) is None


@pytest.mark.db
@pytest.mark.parametrize(
    "text", ["t", "true", "TRUE", "yes", "y", "on", "1", "f", "false", "no", "off", "0", "of"]
)
def test_boolean_matches_boolin(expr_db, text: str) -> None:
    row = expr_db.execute("SELECT %s::boolean", (text,)).fetchone()
    assert boolean_value(text) is row[0]


@pytest.mark.parametrize("text", ["o", "maybe", "2", ""])
def test_non_booleans_are_not_guessed(text: str) -> None:
    assert boolean_value(text) is None
