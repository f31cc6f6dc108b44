"""``default:`` values → the text PostgreSQL prints for the default, and back.

The expected texts are what PostgreSQL 15 printed (``pg_get_expr(adbin, adrelid)`` under
``search_path = pg_catalog``) for columns created with ``DEFAULT <the expected text>`` — so a
declared default, once applied, reads back unchanged — and, for the plain cases, also for the
value written naively (``DEFAULT 'x'``, ``DEFAULT 0``).
"""

from __future__ import annotations

import pytest

from pgreconcile.declare.spec.literals import LiteralError, cast_label, default_sql, literal_value

LABELS = ("sysadmin", "admin", "user")

SERVER_PRINTED = [
    ("x", "text", "'x'::text"),
    ("x", "character varying(20)", "'x'::character varying"),
    ("ab", "character(3)", "'ab'::bpchar"),
    (0, "integer", "0"),
    (-5, "integer", "'-5'::integer"),
    (0, "bigint", "0"),
    (-1, "bigint", "'-1'::integer"),
    (5000000000, "bigint", "'5000000000'::bigint"),
    (3, "smallint", "3"),
    (0, "numeric", "0"),
    (1.5, "numeric(10,2)", "1.5"),
    (-1.5, "numeric", "'-1.5'::numeric"),
    (1.5, "real", "1.5"),
    (0, "double precision", "0"),
    (True, "boolean", "true"),
    ("false", "boolean", "false"),
    ("user", "public.user_role", "'user'::public.user_role"),
    ("00000000-0000-0000-0000-000000000000", "uuid", "'00000000-0000-0000-0000-000000000000'::uuid"),
    ("2024-01-01", "date", "'2024-01-01'::date"),
    ({"b": 1, "aa": [1, 2]}, "jsonb", """'{"b": 1, "aa": [1, 2]}'::jsonb"""),
    ('{"b":1}', "json", """'{"b":1}'::json"""),
    ([], "text[]", "'{}'::text[]"),
    (["a", "b c"], "text[]", """'{a,"b c"}'::text[]"""),
    ([True, None, "NULL", ""], "text[]", """'{t,NULL,"NULL",""}'::text[]"""),
    ([1, 2], "integer[]", "'{1,2}'::integer[]"),
    ("1 day", "interval", "'1 day'::interval"),
    ("5", "integer", "5"),
    ("it's", "character varying", "'it''s'::character varying"),
    ("", "text", "''::text"),
    (1e300, "double precision", "'1" + "0" * 300 + "'::numeric"),
]


@pytest.mark.parametrize(
    ("value", "column_type", "printed"), SERVER_PRINTED, ids=[f"{t}-{v!r}"[:40] for v, t, _ in SERVER_PRINTED]
)
def test_default_is_what_the_server_prints(value: object, column_type: str, printed: str) -> None:
    assert default_sql(value, column_type, LABELS if column_type == "public.user_role" else None) == printed


def test_backslashes_use_the_escape_string_form() -> None:
    # The server prints 'a\b'::text (standard_conforming_strings); quoting.literal writes E'' so
    # the text cannot change meaning with that setting. The normalizer bridges the two.
    assert default_sql("a\\b", "text") == "E'a\\\\b'::text"


@pytest.mark.parametrize(
    ("value", "column_type", "message"),
    [
        ("many", "integer", "is not a number"),
        (True, "integer", "is a boolean"),
        (True, "text", "is a boolean"),
        ("maybe", "boolean", "is not a boolean"),
        (1, "boolean", "is not a boolean"),
        ("nope", "uuid", "not a valid uuid"),
        ("USER", "public.user_role", "did you mean 'user'?"),
        (["user", "root"], "public.user_role[]", "'root' is not a label"),
        ("{not json", "jsonb", "not valid JSON"),
        ({"a": 1}, "text", "got a mapping"),
        (float("inf"), "double precision", "not a finite number"),
        (3, "text[]", "must be a list"),
    ],
    ids=[
        "not-number",
        "bool-for-int",
        "bool-for-text",
        "bad-bool-word",
        "int-for-bool",
        "bad-uuid",
        "bad-label",
        "bad-array-label",
        "bad-json",
        "mapping-for-text",
        "infinity",
        "scalar-for-array",
    ],
)
def test_default_errors(value: object, column_type: str, message: str) -> None:
    labels = LABELS if "user_role" in column_type else None
    with pytest.raises(LiteralError) as caught:
        default_sql(value, column_type, labels)
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("column_type", "label"),
    [
        ("character varying(20)", "character varying"),
        ("character(3)", "bpchar"),
        ("numeric(10,2)", "numeric"),
        ("timestamp(3) with time zone", "timestamp with time zone"),
        ("interval day", "interval"),
        ("character varying(5)[]", "character varying[]"),
        ("public.user_role", "public.user_role"),
    ],
)
def test_cast_label_drops_modifiers(column_type: str, label: str) -> None:
    assert cast_label(column_type) == label


@pytest.mark.parametrize(
    ("printed", "column_type", "value"),
    [
        ("'active'::text", "text", "active"),
        ("'user'::public.user_role", "public.user_role", "user"),
        ("0", "integer", 0),
        ("'-5'::integer", "integer", -5),
        ("1.5", "numeric", 1.5),
        ("0.10", "numeric", "0.10"),
        ("true", "boolean", True),
        ("'{}'::text[]", "text[]", "{}"),
        ("""'{"a": 1}'::jsonb""", "jsonb", '{"a": 1}'),
        ("'0'::text", "text", "0"),
        ("E'a\\\\b'::text", "text", "a\\b"),
    ],
)
def test_literal_value_reads_back(printed: str, column_type: str, value: object) -> None:
    found = literal_value(printed, column_type, LABELS if "user_role" in column_type else None)
    assert found == value and type(found) is type(value)
    assert default_sql(found, column_type, LABELS if "user_role" in column_type else None) == printed


@pytest.mark.parametrize(
    ("printed", "column_type"),
    [
        ("now()", "timestamp with time zone"),
        ("nextval('t_id_seq'::regclass)", "integer"),
        ("'5'::bigint", "bigint"),
        ("'a\\b'::text", "text"),
        ("'x'::text", "public.user_role"),
        ("(0)::numeric", "numeric"),
        ("gen_random_uuid()", "uuid"),
        ("""'{"a":1}'::jsonb""", "jsonb"),
    ],
    ids=[
        "function",
        "sequence",
        "quoted-number",
        "server-backslash",
        "wrong-cast",
        "parenthesised",
        "uuid-fn",
        "unnormalized-jsonb",
    ],
)
def test_literal_value_refuses_what_it_cannot_reproduce(printed: str, column_type: str) -> None:
    assert literal_value(printed, column_type, LABELS if "user_role" in column_type else None) is None
