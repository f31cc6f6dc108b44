"""plain_columns answers only where sqlglot agrees: same acceptance, no subquery, same columns.

parse_error, column_refs and reads_subquery take plain_columns' answer when it has one and
never import sqlglot for it; these tests hold every answer it gives to what the sqlglot path
(``_parsed_*``) says of the same text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pgreconcile.normalize import expressions
from pgreconcile.normalize.plain_expressions import FUNCTIONS, NOT_COLUMNS, SQLGLOT_KEYWORDS, TYPES, plain_columns

CASES = Path(__file__).resolve().parent.parent / "cases"


def assert_agrees(text: str) -> frozenset[str] | None:
    """plain_columns(text), after checking that any answer is sqlglot's."""
    plain = plain_columns(text)
    if plain is not None:
        assert expressions._parsed_error(text) is None, text
        assert expressions._parsed_reads_subquery(text) is False, text
        assert expressions._parsed_column_refs(text) == plain, text
    return plain


def test_keyword_list_is_the_pinned_sqlglot_one() -> None:
    from sqlglot.dialects.postgres import Postgres

    words = {k.lower() for k in Postgres().tokenizer_class.KEYWORDS if re.fullmatch(r"[A-Z_][A-Z0-9_]*", k)}
    assert words == SQLGLOT_KEYWORDS


def test_words_the_parser_treats_specially_are_not_columns() -> None:
    from sqlglot.dialects.postgres import Postgres

    special = {k.lower() for k in Postgres().parser_class.NO_PAREN_FUNCTION_PARSERS}
    for word in special | NOT_COLUMNS:
        assert plain_columns(f"{word} >= 0") is None, word


def test_every_word_sqlglot_knows_agrees() -> None:
    """Every word of sqlglot's own source (its keywords, function names, the words its parser
    matches by text, such as ``WHILE`` at the start of a statement), where a column would be."""
    import sqlglot

    words: set[str] = set()
    for path in Path(sqlglot.__file__).parent.rglob("*.py"):
        words.update(word.lower() for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", path.read_text()))
    assert len(words) > 5000
    for word in sorted(words):
        for text in (word, f"{word} > 0", f"x = {word}"):
            assert_agrees(text)


@pytest.mark.parametrize("word", sorted(SQLGLOT_KEYWORDS))
def test_a_keyword_is_never_read_as_a_column(word: str) -> None:
    for text in (f"{word} >= 0", f"{word.upper()} IS NULL", f"({word})::text", f"1 = {word}"):
        assert_agrees(text)
        assert plain_columns(text) is None or word not in plain_columns(text), text  # type: ignore[operator]


PLAIN = [
    ("now()", set()),
    ("gen_random_uuid()", set()),
    ("0", set()),
    ("'active'", set()),
    ("(attempts >= 0)", {"attempts"}),
    ("((attempts >= 0) AND (attempts <= 1000000))", {"attempts"}),
    ("(status = ANY (ARRAY['active'::text, 'inactive'::text, 'archived'::text]))", {"status"}),
    ("(balance >= (0)::numeric)", {"balance"}),
    ("(char_length((sku)::text) > 0)", {"sku"}),
    ("(expires_at IS NOT NULL)", {"expires_at"}),
    ("(updated_at >= created_at)", {"updated_at", "created_at"}),
    ('"Email" <> lower("Email")', {"Email"}),
    ("Price * 2 > -cost OR NOT (a IN (1, 2)) AND b NOT IN ('x')", {"price", "cost", "a", "b"}),
    ("x <> ALL (ARRAY[1, 2]) AND name_ || 'x' IS NULL", {"x", "name_"}),
]


@pytest.mark.parametrize(("text", "columns"), PLAIN)
def test_plain_expressions_are_read(text: str, columns: set[str]) -> None:
    assert assert_agrees(text) == columns
    assert expressions.parse_error(text) is None
    assert expressions.column_refs(text) == columns


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_every_cast_target_agrees(type_name: str) -> None:
    for text in (f"(a)::{type_name}", f"'x'::{type_name}[] IS NULL", f"-((a)::{type_name}[])", f"a::{type_name} = b"):
        assert_agrees(text)
    assert plain_columns(f"(a)::{type_name}") == {"a"}


NOT_PLAIN = [
    "",
    "price > 0 garbage",
    "price > 0;",
    "SELECT 1",
    "(SELECT max(a) FROM t) > 0",
    "EXISTS (SELECT 1)",
    "x = 1 -- comment",
    "x = /* c */ 1",
    "x >=-1",
    "e'a'",
    "date '2020-01-01'",
    "date_part('epoch', t) > 0",
    "lower(a, b)",
    "now(1)",
    "f(x)",
    '"f"(x)',
    "a = b = c",
    "x IN ()",
    "x::mytype",
    "1e5",
    "x = 'a\\'",
    "t.col > 0",
    "user = 'x'",
    "CASE WHEN a THEN 1 END",
    "(1, 2)",
    "ARRAY[]::text[]",
    "'x'::regclass[]",
]


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_other_texts_are_left_to_sqlglot(text: str) -> None:
    assert plain_columns(text) is None
    assert expressions.parse_error(text) == expressions._parsed_error(text)
    assert expressions.column_refs(text) == expressions._parsed_column_refs(text)
    assert expressions.reads_subquery(text) == expressions._parsed_reads_subquery(text)


# -- generated expressions -------------------------------------------------------------------

_NAMES = st.sampled_from(["a", "status", "created_at", "x1", "_y", "Price", "weight_kg", "ab_c2"])
_ANY_WORD = st.one_of(_NAMES, st.sampled_from(sorted(SQLGLOT_KEYWORDS)), st.sampled_from(sorted(FUNCTIONS)),
                      st.sampled_from(["user", "default", "if", "case", "any", "all", "or", "and", "not"]))
_QUOTED = st.text(st.characters(codec="ascii", exclude_characters='"\\\0'), min_size=1, max_size=6)
_STRINGS = st.text(st.characters(codec="utf-8", exclude_characters="\\\0"), max_size=6)


def _expressions(names: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    leaves = st.one_of(
        names,
        _QUOTED.map(lambda name: f'"{name}"'),
        st.integers(0, 10**12).map(str),
        st.decimals(0, 1000, places=2).map(str),
        _STRINGS.map(lambda text: "'" + text.replace("'", "''") + "'"),
        st.sampled_from(["TRUE", "false", "NULL", "now()", "gen_random_uuid()"]),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        pair = st.tuples(inner, inner)
        return st.one_of(
            inner.map(lambda e: f"({e})"),
            inner.map(lambda e: f"-{e}"),
            st.tuples(inner, st.sampled_from(sorted(TYPES)), st.booleans()).map(
                lambda t: f"({t[0]})::{t[1]}{'[]' if t[2] else ''}"),
            st.tuples(pair, st.sampled_from(["=", "<>", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%",
                                              "||", "AND", "or"])).map(lambda t: f"{t[0][0]} {t[1]} {t[0][1]}"),
            st.tuples(inner, st.sampled_from(["IS NULL", "is not null"])).map(" ".join),
            st.tuples(inner, st.sampled_from(["= ANY", "<> ALL"]), st.lists(inner, min_size=1, max_size=3)).map(
                lambda t: f"{t[0]} {t[1]} (ARRAY[{', '.join(t[2])}])"),
            st.tuples(inner, st.sampled_from(["IN", "NOT IN"]), st.lists(inner, min_size=1, max_size=3)).map(
                lambda t: f"{t[0]} {t[1]} ({', '.join(t[2])})"),
            inner.map(lambda e: f"NOT ({e})"),
            st.tuples(st.sampled_from(["char_length", "LENGTH", "lower", "upper", "abs"]), inner).map(
                lambda t: f"{t[0]}({t[1]})"),
        )

    return st.recursive(leaves, extend, max_leaves=8)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions(_NAMES))
def test_generated_plain_expressions_agree_with_sqlglot(text: str) -> None:
    # Not all are accepted (``a = b = c`` is not in the grammar), but what is must agree.
    assert_agrees(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions(_ANY_WORD))
def test_generated_expressions_with_keywords_agree_with_sqlglot(text: str) -> None:
    assert_agrees(text)


# Characters and pieces an edit inserts: each could take a text out of the grammar, or into a
# corner of it (a comment, an escape, a typed literal, a dollar in a name).
_PIECES = [*"()[],'\"-:;=<>!|*/%.$#@?~ \\\tE0aX", "--", "/*", "::", " AND", " NOT", " IN", "IS "]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions(_NAMES), st.lists(st.tuples(st.integers(0, 200), st.sampled_from(_PIECES)), max_size=3))
def test_edited_expressions_agree_with_sqlglot(text: str, edits: list[tuple[int, str]]) -> None:
    for position, insert in edits:
        position %= len(text) + 1
        text = text[:position] + insert + text[position:]
    assert_agrees(text)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_the_grammar_reads_most_generated_expressions() -> None:
    """The agreement tests above prove something only if plain_columns answers most of what
    they generate (about seven in ten; a chained comparison such as ``a = b = c`` is not read)."""
    samples = [_expressions(_NAMES).example() for _ in range(200)]
    assert sum(plain_columns(text) is not None for text in samples) > 100


def _declared_texts() -> set[str]:
    keys = {"check", "default_sql", "where", "using", "with_check", "expression"}
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in keys and isinstance(value, str):
                    found.add(value)
                elif key == "checks" and isinstance(value, dict):
                    found.update(v for v in value.values() if isinstance(v, str))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in CASES.rglob("desired.yaml"):
        try:
            walk(yaml.safe_load(path.read_text()))
        except yaml.YAMLError:
            continue
    return found


def test_every_expression_of_the_golden_cases_agrees() -> None:
    texts = _declared_texts()
    answered = [text for text in sorted(texts) if assert_agrees(text) is not None]
    assert len(answered) > 50
