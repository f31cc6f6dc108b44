"""parse_error (what a declaration may hold) and column_refs (what an expression reads)."""

from __future__ import annotations

import pytest

from pgreconcile.normalize.expressions import column_refs, parse_error

VALID = [
    "price > 0",
    "position('@' in email) > 1",
    "role IN ('user', 'assistant', 'system', 'tool')",
    "now()",
    "'active'",
    "gen_random_uuid()::text",
    "(EXTRACT(epoch FROM now()))::bigint",
    "auth.uid() = id",
    "auth.role() = ANY (ARRAY['authenticated'::text, 'admin'::text])",
    "(SELECT auth.uid()) = id",
    "EXISTS (SELECT 1 FROM members m WHERE m.user_id = auth.uid())",
    "CASE WHEN a THEN 1 ELSE 2 END",
    "j ->> 'a' IS NOT NULL",
    "j ? 'a' AND j @> '{}'",
    "x ~ '^a' AND x !~* 'b'",
    "interval '1 day'",
    "(1, 2)",
    "ARRAY[]::text[]",
    "x = ';'",
    '"a;b" = 1',
    "x = 1 -- a comment with ; inside",
    "date_part('epoch', now())",
    "tags[1] = '['",
    # Arrays of object-identifier types, which sqlglot alone does not read.
    "'{}'::regclass[]",
    "x = ANY ('{pg_class}'::pg_catalog.regclass[])",
    "CAST('{}' AS regtype[])",
    "'{}'::oid ARRAY",
    # `bit varying`, as PostgreSQL prints varbit, which sqlglot alone reads as `bit` and an alias.
    "'101'::bit varying",
    "'{}'::bit varying(8)[]",
    # Columns with names sqlglot reads as statements or other dialects' keywords.
    "while > 0",
    "vacuum",
    "set IS DISTINCT FROM comment",
    "x > 0 AND if > 0",
    "(values BETWEEN 0 AND 10)",
    "CASE WHEN vacuum THEN xor ELSE rlike END",
    "x NOT BETWEEN -1 AND 2",
    "EXISTS (SELECT 1 FROM t WHERE t.a = b FOR UPDATE)",
    "x BETWEEN -1 AND 2 OR between BETWEEN -1 AND 2",
]


@pytest.mark.parametrize("text", VALID)
def test_valid_expressions_have_no_error(text: str) -> None:
    assert parse_error(text) is None


INVALID = [
    ("two-statements", "1; DROP TABLE x", "';'"),
    ("trailing-semicolon", "price > 0;", "';'"),
    ("select", "SELECT 1", "query"),
    ("table-statement", "TABLE x", "query"),
    ("drop", "DROP TABLE x", "statement (DROP)"),
    ("insert", "INSERT INTO t VALUES (1)", "statement"),
    ("update", "UPDATE t SET a = 1", "statement"),
    ("create", "CREATE TABLE t (a int)", "statement"),
    ("grant", "GRANT SELECT ON x TO y", "statement (GRANT)"),
    # A lone ``vacuum`` is a column to PostgreSQL (a CHECK on a table without one is refused for
    # reading a column it does not have); followed by a name it is the statement.
    ("vacuum", "VACUUM t", "statement"),
    ("vacuum-full", "VACUUM FULL", "statement"),
    ("set", "SET search_path = x", "statement"),
    ("comment", "COMMENT ON TABLE t IS 'x'", "statement"),
    ("reset", "RESET ALL", "statement"),
    ("show", "SHOW search_path", "statement (SHOW)"),
    ("values", "VALUES (1)", "VALUES"),
    ("trailing-word", "price > 0 garbage", "'garbage'"),
    ("alias", "x AS y", "alias"),
    ("star", "*", "STAR"),
    ("unclosed-call", "f(", "line 1, column 2"),
    ("dangling-and", "x = 1 AND", "AND lacks an operand"),
    ("dangling-comparison", "price >", "GT lacks an operand"),
    ("unterminated-string", "'unterminated", "cannot read"),
    ("empty", "", "empty"),
    ("blank", "   ", "empty"),
    ("empty-in-list", "x IN ()", "IN list"),
    ("case-without-end", "CASE WHEN x THEN 1", "END"),
    ("unclosed-array-type", "'{}'::int[", "'[' is not closed"),
    ("unclosed-reg-array-type", "'{}'::regclass[", "'[' is not closed"),
    ("unopened-bracket", "a]", "'[' is not closed"),
    ("keyword-column-dangling", "while >", "lacks an operand"),
    ("keyword-column-then-word", "vacuum garbage", "statement"),
]


@pytest.mark.parametrize(("text", "fragment"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_expressions_are_explained(text: str, fragment: str) -> None:
    message = parse_error(text)
    assert message is not None
    assert fragment in message
    assert "\n" not in message and len(message) < 200


REFS = [
    ("plain", "price > 0", {"price"}),
    ("function-name-is-not-a-column", "lower(email) = email", {"email"}),
    ("schema-function", "auth.uid() = id", {"id"}),
    ("qualified-column", "t.col > 0 AND profiles.id = auth.uid()", {"col", "id"}),
    ("quoted-keeps-case", 'lower("Name") = "email"', {"Name", "email"}),
    ("unquoted-folds-case", "Email IS NOT NULL", {"email"}),
    ("value-functions-are-not-columns",
     "owner = current_user OR owner = user OR x = current_role", {"owner", "x"}),
    ("no-columns", "now()", set()),
    ("extract-field-is-not-a-column", "EXTRACT(epoch FROM created_at)", {"created_at"}),
    ("json", "j ->> 'a' = 'b'", {"j"}),
    ("composite-field", "(comp).field > 0", {"comp"}),
    ("subscript", "tags[1] = 'x'", {"tags"}),
    ("case", "CASE WHEN a THEN b ELSE c END", {"a", "b", "c"}),
    ("in-list", "role IN ('a', 'b') AND status = other", {"role", "status", "other"}),
    ("cast-type-is-not-a-column", "x::user_role = 'a'", {"x"}),
    ("subquery-columns-included", "org_id IN (SELECT m.org_id FROM members m WHERE m.user_id = auth.uid())",
     {"org_id", "user_id"}),
    ("unparseable-reads-nothing", "x ~>=~ y", set()),
    ("keyword-columns", "while >= 0 AND vacuum OR set = comment", {"while", "vacuum", "set", "comment"}),
    ("keyword-column-first-then-more", "vacuum OR if > 0 OR xor IS NULL", {"vacuum", "if", "xor"}),
    ("interval-column", "interval + 1 > 0", {"interval"}),
    ("not-between-is-the-operator", "x NOT BETWEEN -1 AND 2", {"x"}),
    ("between-column-and-operator", "between BETWEEN -1 AND 2", {"between"}),
    ("interval-literal-is-not-a-column", "t > now() - interval '1 day'", {"t"}),
    ("reg-array-cast", "deps <> '{pg_class}'::regclass[]", {"deps"}),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in REFS], ids=[c[0] for c in REFS])
def test_column_refs(text: str, expected: set[str]) -> None:
    assert column_refs(text) == frozenset(expected)
