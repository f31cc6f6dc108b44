"""The canonical form without a database: one table of spellings that must agree, one of
differences that must survive, and the safety properties (stable, never raises, fast paths)."""

from __future__ import annotations

import pytest

from pgreconcile.normalize.expressions import canonical, equivalent, equivalent_default, parse_error

SAME = [
    # grouping and spelling
    ("outer-parens", "(price > 0)", "price > 0"),
    ("doubled-parens", "((a)) = ((b))", "a = b"),
    ("and-associativity", "a AND (b AND c)", "(a AND b) AND c"),
    ("or-associativity", "a OR (b OR c)", "a OR b OR c"),
    ("keyword-case", "x is not null and Y between 1 and 2", "X IS NOT NULL AND y BETWEEN 1 AND 2"),
    ("quoted-lower-name-is-plain", '"email" = x', "email = x"),
    ("whitespace-and-newlines", "a\n  =\t b", "a = b"),
    ("line-comment", "a = 1 -- why", "a = 1"),
    ("block-comment", "/* why */ a = 1", "a = 1"),
    ("not-equals-spellings", "a != b", "a <> b"),
    ("like-operator", "x ~~ 'a%'", "x LIKE 'a%'"),
    ("ilike-operator", "x ~~* 'a%'", "x ILIKE 'a%'"),
    ("not-like-operator", "x !~~ 'a%'", "x NOT LIKE 'a%'"),
    ("not-ilike-operator", "x !~~* 'a%'", "NOT (x ILIKE 'a%')"),
    ("regex-negated", "x !~ 'a'", "NOT (x ~ 'a')"),
    ("isnull-spelling", "x ISNULL", "x IS NULL"),
    ("notnull-spelling", "x NOTNULL", "x IS NOT NULL"),
    ("dollar-quoted-string", "$$it's$$", "'it''s'"),
    ("strpos-is-position", "strpos(email, '@')", "position('@' in email)"),
    ("char-length-is-length", "char_length(t)", "length(t)"),
    # functions
    ("now-is-current-timestamp", "now()", "CURRENT_TIMESTAMP"),
    ("transaction-timestamp", "transaction_timestamp()", "now()"),
    ("pg-catalog-qualified", "pg_catalog.now()", "now()"),
    ("public-qualified-function", "public.my_func(x)", "my_func(x)"),
    ("function-name-case", "MY_FUNC(x)", "my_func(x)"),
    ("timezone-function", "timezone('utc', ts)", "ts AT TIME ZONE 'utc'"),
    ("user-is-current-user", "user", "current_user"),
    ("current-role-is-current-user", "current_role", "CURRENT_USER"),
    ("qualified-operator", "x OPERATOR(pg_catalog.=) y", "x = y"),
    # what PostgreSQL stores instead of what was written
    ("in-list", "x IN ('a', 'b')", "x = ANY (ARRAY['a', 'b'])"),
    ("in-single", "x IN ('a')", "x = 'a'"),
    ("any-single", "x = ANY (ARRAY['a'])", "x = 'a'"),
    ("not-in", "x NOT IN ('a', 'b')", "x <> ALL (ARRAY['a', 'b'])"),
    ("not-paren-in", "NOT (x IN ('a', 'b'))", "x <> ALL (ARRAY['a', 'b'])"),
    ("in-with-column", "x IN (y, 'a')", "x = y OR x = 'a'"),
    ("between", "x BETWEEN 1 AND 5", "x >= 1 AND x <= 5"),
    ("not-between", "x NOT BETWEEN 1 AND 5", "x < 1 OR x > 5"),
    ("not-equals", "NOT (a = b)", "a <> b"),
    ("not-less", "NOT (a < b)", "a >= b"),
    ("double-not", "NOT NOT a", "a"),
    ("de-morgan", "NOT (a AND b)", "NOT a OR NOT b"),
    ("not-distinct", "NOT (a IS DISTINCT FROM b)", "a IS NOT DISTINCT FROM b"),
    ("similar-to", "x SIMILAR TO 'a%'", "x ~ similar_to_escape('a%')"),
    ("like-escape", "x LIKE 'a!%' ESCAPE '!'", "x ~~ like_escape('a!%', '!')"),
    ("not-like-escape", "x NOT LIKE 'a!%' ESCAPE '!'", "NOT (x ~~ like_escape('a!%', '!'))"),
    # casts PostgreSQL adds
    ("text-constant-cast", "'x'::text", "'x'"),
    ("varchar-constant-cast", "'x'::character varying", "'x'"),
    ("numeric-constant-cast", "(0)::numeric", "0"),
    ("negative-integer-constant", "'-1'::integer", "-1"),
    ("jsonb-constant-cast", "'{}'::jsonb", "'{}'"),
    ("enum-constant-qualified", "'user'::public.user_role", "'user'"),
    ("enum-constant", "'user'::user_role", "'user'"),
    ("date-constant", "'2020-01-01'::date", "'2020-01-01'"),
    ("boolean-keyword-case", "true", "TRUE"),
    ("boolean-from-string", "'t'::boolean", "true"),
    ("number-string", "'1'", "1"),
    ("exponent", "1.5e3", "1500"),
    ("chained-constant-casts", "'1500'::numeric::double precision", "1500"),
    ("column-cast-to-text", "(role)::text = 'a'", "role = 'a'"),
    ("column-cast-to-varchar", "role::varchar = 'a'", "role = 'a'"),
    ("column-cast-to-bpchar", "c::bpchar = 'a'", "c = 'a'"),
    ("column-cast-to-numeric", "(i)::numeric >= 0.5", "i >= 0.5"),
    ("array-constant-cast",
     "(ARRAY['a'::character varying, 'b'::character varying])::text[]", "ARRAY['a', 'b']"),
    ("empty-array-spellings", "ARRAY[]::text[]", "'{}'::text[]"),
    ("regclass-default-schema", "nextval('public.t_id_seq'::regclass)", "nextval('t_id_seq')"),
    ("untyped-sequence-qualified", "nextval('public.t_id_seq')", "nextval('t_id_seq'::regclass)"),
    ("interval-keyword", "interval '1 hour'", "'01:00:00'::interval"),
    ("interval-units", "interval '60 minutes'", "interval '1 hour'"),
    ("jsonb-key-order", """'{"b": 1, "a": 2}'::jsonb""", """'{"a":2,"b":1}'"""),
    ("timestamp-midnight", "'2020-01-01 00:00:00'::timestamp without time zone", "'2020-01-01'"),
    ("uuid-case", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid"),
    # type names in kept casts
    ("int4-is-integer", "lower(x)::int4", "lower(x)::integer"),
    ("int-is-integer", "lower(x)::int", "lower(x)::integer"),
    ("varchar-is-character-varying", "lower(x)::varchar(5)", "lower(x)::character varying(5)"),
    ("timestamptz-long-name", "lower(x)::timestamptz", "lower(x)::timestamp with time zone"),
    ("cast-function-syntax", "CAST(lower(x) AS text)", "lower(x)::text"),
    ("cast-parens", "gen_random_uuid()::text", "(gen_random_uuid())::text"),
    ("extract-parens", "(EXTRACT(epoch FROM now()))::bigint", "extract(epoch from now())::bigint"),
    # json
    ("json-arrow-literal", "j -> 'a'", "j -> 'a'::text"),
    ("json-text-arrow", "(j ->> 'a') IS NULL", "j ->> 'a'::text IS NULL"),
    ("json-index", "j -> 0", "(j -> 0)"),
    ("json-numeric-key", "j -> '1'", "j -> '1'::text"),
    # subqueries
    ("scalar-subquery-alias", "(SELECT auth.uid() AS uid) = id", "(select auth.uid()) = id"),
    ("doubled-subquery-parens", "((SELECT 1)) = x", "(SELECT 1) = x"),
    ("public-table-in-subquery", "EXISTS (SELECT 1 FROM public.m WHERE m.a = 1)",
     "EXISTS (SELECT 1 FROM m WHERE m.a = 1)"),
    ("own-table-qualifier", "profiles.id = auth.uid()", "id = auth.uid()"),
]

DIFFERENT = [
    ("other-column", "a = 1", "b = 1"),
    ("other-constant", "a = 'a'", "a = 'b'"),
    ("gt-vs-gte", "a > 1", "a >= 1"),
    ("other-function", "lower(x) = x", "upper(x) = x"),
    ("quoted-mixed-case", '"Email" = x', "email = x"),
    ("quoted-function-case", '"MyFunc"(x)', "myfunc(x)"),
    ("scale", "0", "0.0"),
    ("padded-string-vs-number", "'007'", "7"),
    ("padded-strings", "'007'", "'7'"),
    ("string-case", "x = 'A'", "x = 'a'"),
    ("string-spaces", "x = 'a  b'", "x = 'a b'"),
    ("extract-vs-date-part", "EXTRACT(epoch FROM now())", "date_part('epoch', now())"),
    ("log-vs-ln", "log(x)", "ln(x)"),
    ("uuid-functions", "gen_random_uuid()", "uuid_generate_v4()"),
    ("now-vs-clock", "now()", "clock_timestamp()"),
    ("grouping", "(a + b) * c", "a + b * c"),
    ("right-nested-minus", "a - (b - c)", "a - b - c"),
    ("and-vs-or", "a AND b", "a OR b"),
    ("operand-order", "a = b", "b = a"),
    ("like-vs-ilike", "x LIKE 'a'", "x ILIKE 'a'"),
    ("regex-case", "x ~ 'a'", "x ~* 'a'"),
    ("json-arrow-kinds", "j -> 'a'", "j ->> 'a'"),
    ("json-path-function", "json_extract_path(j, 'a', 'b')", "j -> 'a'"),
    ("json-key-vs-index", "j -> '1'", "j -> 1"),
    ("json-text-key-vs-index", "j ->> '0'", "j ->> 0"),
    ("json-cast-key-vs-index", "j -> '1'::text", "j -> 1"),
    ("interval-day-vs-hours", "interval '1 day'", "interval '24 hours'"),
    ("json-values", """'{"a": 1}'""", """'{"a": 2}'"""),
    ("sequence", "nextval('a_seq')", "nextval('b_seq')"),
    ("other-schema-sequence", "nextval('other.s')", "nextval('s')"),
    ("other-schema-function", "other.f()", "f()"),
    ("collation", "x COLLATE \"C\" = 'a'", "x = 'a'"),
    ("integer-cast-is-kept", "x::integer = 5", "x = '5'"),
    ("is-not-null-vs-not-is-null", "x IS NOT NULL", "NOT x IS NULL"),  # differ for row values
    ("in-vs-equals-other", "x IN ('a', 'b')", "x = 'a'"),
    ("subquery-qualifier-kept",
     "EXISTS (SELECT 1 FROM m WHERE m.a = t.a)", "EXISTS (SELECT 1 FROM m WHERE m.a = a)"),
    ("null-vs-empty", "x = ''", "x IS NULL"),
    ("true-vs-false", "true", "false"),
]


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in SAME], ids=[c[0] for c in SAME])
def test_spellings_that_mean_the_same_are_equivalent(a: str, b: str) -> None:
    # Both must really parse: agreeing through the text fallback would prove nothing.
    assert parse_error(a) is None and parse_error(b) is None
    assert canonical(a) == canonical(b)
    assert equivalent(a, b) and equivalent(b, a)


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in DIFFERENT], ids=[c[0] for c in DIFFERENT])
def test_real_differences_survive(a: str, b: str) -> None:
    assert parse_error(a) is None and parse_error(b) is None
    assert canonical(a) != canonical(b)
    assert not equivalent(a, b) and not equivalent(b, a)


@pytest.mark.parametrize("text", sorted({t for case in SAME + DIFFERENT for t in case[1:]}))
def test_canonical_is_stable(text: str) -> None:
    once = canonical(text)
    assert canonical(once) == once


def test_absent_expressions() -> None:
    assert equivalent(None, None)
    assert not equivalent(None, "now()")
    assert not equivalent("now()", None)


def test_whitespace_fast_path_does_not_parse() -> None:
    canonical.cache_clear()
    assert equivalent("price   >\n0", " price > 0 ")
    assert equivalent("x = 'a  b'", "x = 'a  b'")
    assert canonical.cache_info().currsize == 0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("x = 'a  b'", "x = 'a b'"),  # blanks inside a literal are data
        ("x -- c\n= 1", "x -- c = 1"),  # a comment ends at the line end
        ('"A  B" = 1', '"A B" = 1'),  # and inside a quoted name
    ],
)
def test_fast_path_never_merges_what_whitespace_separates(a: str, b: str) -> None:
    assert not equivalent(a, b)


def test_canonical_is_memoized() -> None:
    canonical.cache_clear()
    canonical("lower(email) = email")
    canonical("lower(email) = email")
    info = canonical.cache_info()
    assert (info.hits, info.misses) == (1, 1)


UNPARSEABLE = ["x ~>=~ y", "a b c", "f(", "'unterminated", '"unterminated', "", "   ", "(", ")", "$$",
               "1; DROP TABLE x", "SELECT 1", "x AS y", "*", "\x00", "CASE",
               "((((" * 200 + "1" + "))))" * 200]


@pytest.mark.parametrize("text", UNPARSEABLE, ids=range(len(UNPARSEABLE)))
def test_unparseable_text_never_raises(text: str) -> None:
    assert isinstance(canonical(text), str)
    assert equivalent(text, text)
    assert isinstance(equivalent(text, "x = 1"), bool)


def test_unparseable_text_falls_back_to_folded_text() -> None:
    assert equivalent("X ~>=~  Y", "x ~>=~ y")
    assert not equivalent("'A' ~>=~ y", "'a' ~>=~ y")


def test_every_prefix_of_a_real_expression_is_handled() -> None:
    text = "((role)::text = ANY ((ARRAY['user'::character varying, 'tool'::character varying])::text[]))"
    for end in range(len(text) + 1):
        assert isinstance(canonical(text[:end]), str)


@pytest.mark.parametrize(
    ("desired", "live", "column_type"),
    [
        ("'1 hour'", "'01:00:00'::interval", "interval"),
        ("'yes'", "true", "boolean"),
        ("'{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}'", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", "uuid"),
        ("'007'", "7", "integer"),
        ("now()", "now()", "timestamp with time zone"),
        ("'user'", "'user'::public.user_role", "public.user_role"),
    ],
)
def test_defaults_compare_as_values_of_the_column_type(desired: str, live: str, column_type: str) -> None:
    assert equivalent_default(desired, live, column_type)


@pytest.mark.parametrize(
    ("desired", "live", "column_type"),
    [
        ("'1 hour'", "'02:00:00'::interval", "interval"),
        ("'yes'", "false", "boolean"),
        ("'007'", "8", "integer"),
        ("now()", "clock_timestamp()", "timestamp with time zone"),
        ("'x'", "'y'::character varying", "character varying(20)"),
    ],
)
def test_defaults_that_differ_as_values_stay_different(desired: str, live: str, column_type: str) -> None:
    assert not equivalent_default(desired, live, column_type)
    assert equivalent_default(None, None, "text") and not equivalent_default(None, "1", "integer")
