"""Round trips through a real PostgreSQL: what a user writes must be equivalent to every text
the catalog can read back for it.

Each case creates one object (a CHECK, a column DEFAULT, a partial-index predicate, an index
element, an RLS policy) from the user's text, reads it back in all the ways the catalog could
(pretty and not, default search_path and ``search_path = pg_catalog``; see conftest), and asserts
:func:`equivalent`. This is the convergence property in miniature: if it fails, ``plan`` after
``apply`` would show a change forever. Each case also checks that :func:`canonical` is stable
(canonical of canonical is itself), and the negative table checks that real differences survive
the same deparse.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pgreconcile.normalize.expressions import (
    canonical,
    canonical_index_element,
    equivalent,
    equivalent_default,
    parse_error,
    split_index_element,
)

pytestmark = pytest.mark.db


@dataclass(frozen=True)
class Case:
    id: str
    sql: str
    column_type: str = ""  # defaults only
    method: str = "btree"  # index elements only


def _ids(cases: list[Case]) -> list[str]:
    return [c.id for c in cases]


CHECKS = [
    # incident 001: a varchar(20) column checked against text constants.
    Case("incident001-role-in-varchar", "role IN ('user', 'assistant', 'system', 'tool')"),
    Case("email-position", "position('@' in email) > 1"),
    Case("email-strpos", "strpos(email, '@') > 1"),
    Case("numeric-gt-int-constant", "price > 0"),
    Case("numeric-negative-constant", "n > -1"),
    Case("integer-negative-constant", "i >= -1"),
    Case("integer-vs-fraction", "i >= 0.5"),
    Case("float-vs-exponent", "f < 1.5e3"),
    Case("numeric-scale-kept", "price >= 0.00"),
    Case("text-in", "t IN ('a', 'b')"),
    Case("text-not-in", "t NOT IN ('a', 'b')"),
    Case("not-paren-in", "NOT (t IN ('a', 'b'))"),
    Case("single-element-in", "v IN ('a')"),
    Case("single-element-not-in", "v NOT IN ('a')"),
    Case("in-with-one-column", "t IN (email, 'x')"),
    Case("in-constants-and-column", "t IN ('a', 'b', email)"),
    Case("bpchar-in", "c IN ('abc', 'def')"),
    Case("enum-equals", "status = 'user'"),
    Case("enum-in", "status IN ('user', 'admin')"),
    Case("enum-cast-to-text", "status::text <> 'admin'"),
    Case("between", "i BETWEEN 1 AND 5"),
    Case("not-between", "i NOT BETWEEN 1 AND 5"),
    Case("not-paren-between", "NOT (i BETWEEN 1 AND 5)"),
    Case("bang-equals", "i != 5"),
    Case("not-equals-kept-as-not", "NOT (i = 7)"),
    Case("and-nested-right", "i > 0 AND (b > 0 AND n > 0)"),
    Case("or-and-precedence", "i > 0 OR b > 0 AND n > 0"),
    Case("or-grouped-under-and", "(i > 0 OR b > 0) AND n > 0"),
    Case("like", "nickname LIKE 'a%'"),
    Case("ilike", "nickname ILIKE 'a%'"),
    Case("not-like", "nickname NOT LIKE 'a%'"),
    Case("not-ilike", "nickname NOT ILIKE 'a%'"),
    Case("like-escape", "nickname LIKE 'a!_%' ESCAPE '!'"),
    Case("regex-match", "nickname ~ '^[a-z0-9_]+$'"),
    Case("regex-imatch", "email ~* '^[A-Z0-9._%+-]+@[A-Z0-9.-]+[.][A-Z]{2,}$'"),
    Case("regex-not-match", "nickname !~ '\\s'"),
    Case("regex-not-imatch", "nickname !~* 'admin'"),
    Case("similar-to", "nickname SIMILAR TO '[a-z]+'"),
    Case("jsonb-has-key", "j ? 'a'"),
    Case("jsonb-contains-unordered-keys", """j @> '{"b":1,  "a": [1,2]}'"""),
    Case("jsonb-field-text-not-null", "(j ->> 'a') IS NOT NULL"),
    Case("jsonb-field-null", "j -> 'b' IS NULL"),
    Case("jsonb-path-text", "j #>> '{a,b}' = 'x'"),
    Case("jsonb-field-cast", "(j->>'n')::int > 0"),
    Case("jsonb-any-key", "j ?| array['a', 'b']"),
    Case("jsonb-numeric-looking-key", "j ->> '1' <> 'x'"),
    Case("jsonb-array-index", "j ->> 1 <> 'x'"),
    Case("jsonb-typeof", "jsonb_typeof(j) = 'object'"),
    Case("char-length", "char_length(t) <= 280"),
    Case("length", "length(t) <= 280"),
    Case("btrim", "btrim(t) <> ''"),
    Case("trim", "trim(t) <> ''"),
    Case("coalesce", "coalesce(i, 0) >= 0"),
    Case("case-when", "CASE WHEN i > 0 THEN t IS NOT NULL ELSE true END"),
    Case("is-distinct-from", "t IS DISTINCT FROM email"),
    Case("boolean-column", "bo"),
    Case("not-boolean-column", "NOT bo"),
    Case("is-not-true", "bo IS NOT TRUE"),
    Case("equals-false", "bo = false"),
    Case("lower-equals", "lower(email) = email"),
    Case("quoted-identifier", '"Email" IS NOT NULL'),
    Case("upper-case-spelling", "LOWER(EMAIL) = Email AND PRICE > 0"),
    Case("arithmetic-grouped", "(i + b) * 2 > 0"),
    Case("arithmetic-precedence", "i + b * 2 > 0"),
    Case("arithmetic-right-nested", "i - (b - 1) > 0"),
    Case("modulo", "i % 2 = 0"),
    Case("concat", "t || 'x' <> 'yx'"),
    Case("array-length", "array_length(tags, 1) <= 10"),
    Case("cardinality", "cardinality(tags) <= 10"),
    Case("array-subscript", "tags[1] <> 'x'"),
    Case("any-array-column", "'x' = ANY (tags)"),
    Case("num-nonnulls", "num_nonnulls(i, b) = 1"),
    Case("greatest-mixed-types", "greatest(i, b) > 0"),
    Case("timestamptz-vs-date-string", "ts > '2020-01-01'"),
    Case("timestamp-vs-date-string", "tsn > '2020-01-01'"),
    Case("date-unpadded", "d > '2020-1-1'"),
    Case("interval-hour", "iv < interval '1 hour'"),
    Case("interval-untyped-days", "iv <= '2 days'"),
    Case("now-minus-interval", "ts > now() - interval '24 hours'"),
    Case("uuid-constant", "u <> '00000000-0000-0000-0000-000000000000'"),
    Case("uuid-constant-upper-case", "u <> 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'"),
    Case("extract-year", "extract(year from d) > 2000"),
    Case("date-part-year", "date_part('year', d) > 2000"),
    Case("date-trunc", "date_trunc('day', ts) <= ts"),
    Case("at-time-zone", "(ts AT TIME ZONE 'utc') > '2020-01-01'"),
    Case("timezone-function", "timezone('utc', ts) > '2020-01-01'"),
    Case("varchar-vs-text-column", "v = t"),
    Case("integer-vs-float-column", "f > i"),
    Case("left-keyword-function", "left(t, 1) = 'a'"),
    Case("substring-from-for", "substring(t from 1 for 2) = 'ab'"),
    Case("current-user", "t = current_user"),
    Case("nullif", "nullif(t, '') IS NOT NULL"),
    Case("citext-equals", "ci = 'abc'"),
    Case("integer-cast-to-text-regex", "i::text ~ '^[0-9]+$'"),
    Case("comment-and-whitespace", "price   >\n 0  -- must be positive\n"),
    Case("doubled-parentheses", "((price > 0))"),
    Case("not-is-null-row-semantics", "NOT (email IS NULL)"),
    # everyday constraints
    Case("non-blank-name", "char_length(trim(nickname)) > 0"),
    Case("null-or-positive", "price IS NULL OR price > 0"),
    Case("dates-ordered", "ts < created_at"),
    Case("rating-range", "i BETWEEN 1 AND 5 AND i IS NOT NULL"),
    Case("code-format", "length(t) = 6 AND t ~ '^[A-Z0-9]+$'"),
    Case("json-array-type", "jsonb_typeof(j -> 'items') = 'array'"),
    Case("coalesce-text", "coalesce(nickname, '') <> 'admin'"),
    Case("case-insensitive-unique-ish", "lower(trim(email)) = email"),
    Case("enum-not-in", "status NOT IN ('admin')"),
    Case("mixed-in-and-like", "role IN ('user', 'tool') OR nickname LIKE 'bot%'"),
]

DEFAULTS = [
    Case("gen-random-uuid", "gen_random_uuid()", "uuid"),
    # incident 002: text ids and epoch-second timestamps.
    Case("incident002-uuid-as-text", "gen_random_uuid()::text", "text"),
    Case("incident002-epoch-bigint", "(EXTRACT(epoch FROM now()))::bigint", "bigint"),
    Case("epoch-bigint-lower-case", "extract(epoch from now())::bigint", "bigint"),
    Case("date-part-epoch", "date_part('epoch', now())", "double precision"),
    Case("now", "now()", "timestamptz"),
    # incident 001: NOW() on a timestamp-without-time-zone column.
    Case("incident001-upper-now-timestamp", "NOW()", "timestamp"),
    Case("current-timestamp", "CURRENT_TIMESTAMP", "timestamptz"),
    Case("transaction-timestamp", "transaction_timestamp()", "timestamptz"),
    Case("localtimestamp", "LOCALTIMESTAMP", "timestamp"),
    Case("current-date", "CURRENT_DATE", "date"),
    Case("text-constant", "'active'", "text"),
    Case("incident001-varchar-title", "'New Conversation'", "varchar(200)"),
    Case("quote-in-text", "'it''s'", "text"),
    Case("dollar-quoted-text", "$$it's$$", "text"),
    Case("integer-zero", "0", "integer"),
    Case("integer-zero-quoted", "'0'", "integer"),
    Case("integer-negative", "-1", "integer"),
    Case("bigint-from-numeric", "1.5e3", "bigint"),
    Case("numeric-zero-for-numeric", "0", "numeric"),
    Case("numeric-scale", "0.0", "numeric(10,2)"),
    Case("boolean-true", "true", "boolean"),
    Case("boolean-false-upper", "FALSE", "boolean"),
    Case("boolean-cast-t", "'t'::boolean", "boolean"),
    Case("jsonb-empty-object", "'{}'", "jsonb"),
    Case("jsonb-empty-object-cast", "'{}'::jsonb", "jsonb"),
    Case("jsonb-empty-array", "'[]'", "jsonb"),
    Case("jsonb-object-reordered", """'{"b": 2, "a": {"y":1,"x":[1, 2.50]}}'""", "jsonb"),
    Case("enum-label", "'user'", "public.user_role"),
    Case("enum-label-cast", "'user'::user_role", "public.user_role"),
    Case("date-constant", "'2020-01-01'", "date"),
    Case("interval-keyword", "interval '30 days'", "interval"),
    Case("interval-keyword-hours", "interval '1 hour'", "interval"),
    Case("sequence-nextval", "nextval('subject_seq')", "bigint"),
    Case("sequence-nextval-qualified", "nextval('public.subject_seq')", "bigint"),
    Case("uuid-ossp-function", "uuid_generate_v4()", "uuid"),
    Case("text-array-empty-literal", "'{}'", "text[]"),
    Case("text-array-empty-constructor", "ARRAY[]::text[]", "text[]"),
    Case("text-array-constructor", "ARRAY['a', 'b']", "text[]"),
    Case("varchar-array-constructor", "ARRAY['a', 'b']", "varchar(10)[]"),
    Case("expiry-plus-interval", "now() + interval '7 days'", "timestamptz"),
    Case("expiry-plus-hour", "now() + interval '1 hour'", "timestamptz"),
    Case("utc-timezone-function", "timezone('utc', now())", "timestamp"),
    Case("utc-at-time-zone", "(now() AT TIME ZONE 'utc')", "timestamp"),
    Case("current-user", "current_user", "text"),
    Case("numeric-trailing-zero", "1.50", "numeric"),
    Case("uuid-constant", "'00000000-0000-0000-0000-000000000000'", "uuid"),
    Case("arithmetic-not-folded", "1 + 2", "integer"),
    Case("uppercase-function", "LOWER('ABC')", "text"),
    Case("empty-string", "''", "text"),
    Case("infinity", "'infinity'", "timestamptz"),
    Case("empty-uuid-array", "ARRAY[]::uuid[]", "uuid[]"),
    Case("enum-qualified-cast", "'assistant'::public.user_role", "public.user_role"),
    Case("numeric-negative", "-0.5", "numeric"),
    Case("json-nested-array", """'[{"b": 1, "a": null}]'""", "jsonb"),
]

PREDICATES = [
    # incident 003: a partial index on the non-null session ids.
    Case("incident003-session-id-not-null", "session_id IS NOT NULL"),
    Case("varchar-in", "role IN ('user', 'tool')"),
    Case("enum-in", "status IN ('user', 'admin')"),
    Case("boolean-and", "bo AND i > 0"),
    Case("not-boolean", "NOT bo"),
    Case("numeric-positive", "price > 0"),
    Case("like-contains", "email LIKE '%@%'"),
    Case("function-not-empty", "lower(email) <> ''"),
    Case("jsonb-key", "j ? 'archived'"),
]

POLICIES = [
    # seed 000: the profiles policies, on a table whose id is a uuid.
    Case("seed000-admin-role", "auth.uid() = id AND auth.role() IN ('authenticated', 'admin')"),
    Case("seed000-admin-role-as-any",
         "auth.uid() = id AND auth.role() = ANY (ARRAY['authenticated'::text, 'admin'::text])"),
    Case("seed000-owner", "auth.uid() = id"),
    Case("seed000-public-read", "true"),
    Case("seed000-service-role", "auth.role() = 'service_role'"),
    Case("select-wrapped-uid", "(select auth.uid()) = id"),
    Case("qualified-own-column", "subject.id = auth.uid()"),
    Case("exists-membership",
         "EXISTS (SELECT 1 FROM members m WHERE m.org_id = subject.org_id AND m.user_id = auth.uid())"),
    Case("in-subquery",
         "org_id IN (SELECT members.org_id FROM members WHERE members.user_id = auth.uid())"),
    Case("jwt-claim", "auth.jwt() ->> 'role' = 'admin'"),
]

ELEMENTS = [
    Case("incident001-created-at-desc", "created_at DESC"),
    Case("function", "lower(nickname)"),
    Case("function-parenthesised", "(lower(nickname))"),
    Case("opclass", "nickname text_pattern_ops"),
    Case("desc-nulls-last", "created_at DESC NULLS LAST"),
    Case("explicit-asc", "created_at ASC"),
    Case("asc-nulls-last-default", "created_at NULLS LAST"),
    Case("desc-nulls-first-default", "created_at DESC NULLS FIRST"),
    Case("asc-nulls-first", "created_at NULLS FIRST"),
    Case("jsonb-field", "(j ->> 'a')"),
    Case("concat-expression", "(nickname || 'x')"),
    Case("collation", 'nickname COLLATE "C"'),
    Case("default-opclass-spelled", "nickname text_ops"),
    Case("function-opclass-desc", "lower(email) text_pattern_ops DESC"),
    Case("coalesce", "coalesce(i, 0)"),
    Case("date-trunc-timestamp", "date_trunc('day', tsn)"),
    Case("gin-default-opclass", "j", method="gin"),
    Case("gin-path-ops", "j jsonb_path_ops", method="gin"),
]


def _assert_equivalent(user: str, texts: dict[str, str]) -> None:
    assert texts, "nothing was read back"
    # Everything must really parse: agreeing through the text fallback would prove nothing.
    unparsed = {text: parse_error(text) for text in (user, *texts.values()) if parse_error(text)}
    assert not unparsed, f"not parsed: {unparsed}"
    failures = [
        f"{label}: {live!r}\n    canonical live: {canonical(live)}\n    canonical user: {canonical(user)}"
        for label, live in texts.items()
        if not equivalent(user, live)
    ]
    assert not failures, f"{user!r} is not equivalent to:\n" + "\n".join(failures)
    for text in (user, *texts.values()):
        assert canonical(canonical(text)) == canonical(text), f"canonical form of {text!r} is not stable"


@pytest.mark.parametrize("case", CHECKS, ids=_ids(CHECKS))
def test_check_constraint_round_trip(deparse, case: Case) -> None:
    _assert_equivalent(case.sql, deparse.check(case.sql))


@pytest.mark.parametrize("case", DEFAULTS, ids=_ids(DEFAULTS))
def test_column_default_round_trip(deparse, case: Case) -> None:
    _assert_equivalent(case.sql, deparse.default(case.sql, case.column_type))


@pytest.mark.parametrize("case", PREDICATES, ids=_ids(PREDICATES))
def test_index_predicate_round_trip(deparse, case: Case) -> None:
    _assert_equivalent(case.sql, deparse.predicate(case.sql))


@pytest.mark.parametrize("case", POLICIES, ids=_ids(POLICIES))
def test_policy_round_trip(deparse, case: Case) -> None:
    _assert_equivalent(case.sql, deparse.policy(case.sql))


@pytest.mark.parametrize("case", ELEMENTS, ids=_ids(ELEMENTS))
def test_index_element_round_trip(deparse, case: Case) -> None:
    texts = deparse.element(case.sql, case.method)
    unparsed = [t for t in (case.sql, *texts.values()) if parse_error(split_index_element(t)[0])]
    assert not unparsed, f"key expression not parsed: {unparsed}"
    expected = canonical_index_element(case.sql)
    wrong = {label: (live, canonical_index_element(live)) for label, live in texts.items()
             if canonical_index_element(live) != expected}
    assert not wrong, f"{case.sql!r} → {expected!r}, but read back as {wrong}"


# Defaults whose constant PostgreSQL reformats through the column's type although the user wrote
# no type: equivalent() alone cannot know the type, equivalent_default() is told it.
UNTYPED_DEFAULTS = [
    Case("interval-untyped-hour", "'1 hour'", "interval"),
    Case("interval-untyped-week", "'1 week'", "interval"),
    Case("boolean-untyped-yes", "'yes'", "boolean"),
    Case("boolean-untyped-t", "'t'", "boolean"),
    Case("uuid-untyped-braces", "'{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}'", "uuid"),
    Case("timestamptz-untyped", "'2020-01-01 12:00'", "timestamp with time zone"),
    Case("integer-untyped-padded", "'007'", "integer"),
    Case("plain-now", "now()", "timestamp with time zone"),
    Case("enum-untyped", "'admin'", "public.user_role"),
    Case("varchar-untyped", "'x'", "character varying(20)"),
]


@pytest.mark.parametrize("case", UNTYPED_DEFAULTS, ids=_ids(UNTYPED_DEFAULTS))
def test_untyped_default_round_trip_with_column_type(deparse, case: Case) -> None:
    texts = deparse.default(case.sql, case.column_type)
    wrong = {label: live for label, live in texts.items()
             if not equivalent_default(case.sql, live, case.column_type)}
    assert not wrong, f"{case.sql!r} as {case.column_type} is not equivalent to {wrong}"


# Pairs (what the user now writes, what was applied before): the live text of the second must
# NOT be equivalent to the first, or the change would never be planned.
CHANGED_CHECKS = [
    Case("other-constant-in-list",
         "role IN ('user', 'assistant', 'system', 'tool')|role IN ('user', 'assistant', 'system')"),
    Case("gt-vs-gte", "price > 0|price >= 0"),
    Case("other-column", "lower(email) = email|lower(nickname) = nickname"),
    Case("other-function", "lower(email) = email|upper(email) = email"),
    Case("other-string", "t = 'a'|t = 'b'"),
    Case("scale-differs", "price > 0|price > 0.0"),
    Case("quoted-vs-folded-column", '"Email" IS NOT NULL|email IS NOT NULL'),
    Case("like-vs-ilike", "nickname LIKE 'a%'|nickname ILIKE 'a%'"),
    Case("in-vs-not-in", "t IN ('a', 'b')|t NOT IN ('a', 'b')"),
    Case("extract-vs-date-part", "extract(year from d) > 2000|date_part('year', d) > 2000"),
    Case("and-vs-or", "i > 0 AND b > 0|i > 0 OR b > 0"),
    Case("grouping-differs", "(i + b) * 2 > 0|i + b * 2 > 0"),
    Case("interval-differs", "iv < interval '1 hour'|iv < interval '2 hours'"),
    Case("jsonb-value-differs", """j @> '{"a": 1}'|j @> '{"a": 2}'"""),
    Case("padded-string", "t = '007'|t = '7'"),
    Case("json-key-vs-index", "j ->> '1' <> 'x'|j ->> 1 <> 'x'"),
]

CHANGED_DEFAULTS = [
    Case("uuid-function-differs", "gen_random_uuid()|uuid_generate_v4()", "uuid"),
    Case("epoch-function-differs",
         "(extract(epoch from now()))::bigint|(date_part('epoch', now()))::bigint", "bigint"),
    Case("text-constant-differs", "'active'|'inactive'", "text"),
    Case("zero-vs-one", "0|1", "integer"),
    Case("clock-vs-now", "clock_timestamp()|now()", "timestamptz"),
]


@pytest.mark.parametrize("case", CHANGED_CHECKS, ids=_ids(CHANGED_CHECKS))
def test_changed_check_is_not_equivalent_to_old_live_text(deparse, case: Case) -> None:
    desired, applied = case.sql.split("|")
    for label, live in deparse.check(applied).items():
        assert not equivalent(desired, live), f"{desired!r} wrongly equals {live!r} ({label})"


@pytest.mark.parametrize("case", CHANGED_DEFAULTS, ids=_ids(CHANGED_DEFAULTS))
def test_changed_default_is_not_equivalent_to_old_live_text(deparse, case: Case) -> None:
    desired, applied = case.sql.split("|")
    for label, live in deparse.default(applied, case.column_type).items():
        assert not equivalent(desired, live), f"{desired!r} wrongly equals {live!r} ({label})"
        assert not equivalent_default(desired, live, case.column_type), f"{desired!r} ≡ {live!r} ({label})"
