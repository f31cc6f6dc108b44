"""Index key elements: ``created_at DESC``, ``lower(nickname)``, ``name text_pattern_ops``.

An element, as ``CREATE INDEX`` takes it, is ``key [COLLATE c] [opclass] [ASC|DESC]
[NULLS FIRST|LAST]`` where the key is a column, a function call or a parenthesised expression.
Two spellings are the same element when their keys are equivalent expressions and their options
mean the same; the options have defaults that PostgreSQL omits when it prints an index:

* ``ASC`` is the default direction; ``NULLS LAST`` is the default for ASC and ``NULLS FIRST`` for
  DESC, so ``x NULLS LAST`` = ``x`` and ``x DESC NULLS FIRST`` = ``x DESC``;
* an operator class that is the default for its type and access method is omitted
  (``x text_ops`` = ``x``); only classes that are the default wherever they exist are treated so
  (see ``DEFAULT_OPCLASSES``; a test checks the list against a live server).

Reading a live index: ``pg_get_indexdef(indexrelid, k, true)`` prints the key *only* — no
collation, operator class, direction or NULLS order. The catalog must add those from
``indcollation`` (when it differs from the column's), ``indclass`` (when not ``opcdefault``) and
``indoption`` (bit 1 = DESC, bit 2 = NULLS FIRST), or split the full ``pg_get_indexdef(indexrelid)``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pgreconcile.normalize.lexical import Token, top_level_tokens

# Operator classes that are the default in every access method that has them (PostgreSQL 15,
# `SELECT opcname FROM pg_opclass GROUP BY 1 HAVING bool_and(opcdefault)`), limited to the ones
# people write. Not here on purpose: varchar_ops, inet_ops (not the GiST default), *_pattern_ops,
# jsonb_path_ops, gin_trgm_ops, *_bloom_ops, *_minmax_multi_ops.
_DEFAULT_OPCLASS_NAMES = """
    array_ops bit_ops bool_ops bpchar_ops bytea_ops char_ops date_ops enum_ops float4_ops float8_ops
    int2_ops int4_ops int8_ops interval_ops jsonb_ops money_ops name_ops numeric_ops oid_ops
    range_ops multirange_ops text_ops time_ops timestamp_ops timestamptz_ops timetz_ops tsvector_ops
    tsquery_ops uuid_ops varbit_ops macaddr_ops macaddr8_ops pg_lsn_ops record_ops
    int2_minmax_ops int4_minmax_ops int8_minmax_ops numeric_minmax_ops date_minmax_ops
    timestamp_minmax_ops timestamptz_minmax_ops text_minmax_ops uuid_minmax_ops
"""
DEFAULT_OPCLASSES = frozenset(_DEFAULT_OPCLASS_NAMES.split())

_DEFAULT_SCHEMAS = ("public.", "pg_catalog.")


def split_index_element(text: str) -> tuple[str, str | None, bool, str | None]:
    """Split an index element into ``(expression, opclass, descending, nulls)``.

    ``expression`` is the key as written, without outer parentheses, with its ``COLLATE`` clause
    if any (``s COLLATE "C"``). ``opclass`` is lower-cased unless quoted, without a ``public.`` /
    ``pg_catalog.`` qualifier, and None when absent or a default class. ``nulls`` is ``"FIRST"`` or
    ``"LAST"`` only when it differs from the default for the direction, else None.

    Text that does not follow the element grammar (``data->>'k' DESC`` without the parentheses
    PostgreSQL requires) still splits: everything before the direction is the expression.
    """
    tokens = top_level_tokens(text)
    if tokens is None:
        return _strip_parens(text.strip()), None, False, None
    tokens, nulls_first = _take_nulls(tokens)
    tokens, descending = _take_direction(tokens)
    nulls = _non_default_nulls(descending, nulls_first)
    expression_end, opclass = _take_opclass(tokens)
    if not tokens:
        return "", opclass, descending, nulls
    expression = text[tokens[0].start : expression_end].strip()
    return _strip_parens(expression), opclass, descending, nulls


def _is_word(token: Token, *words: str) -> bool:
    return token.kind == "word" and token.text.lower() in words


def _take_nulls(tokens: list[Token]) -> tuple[list[Token], bool | None]:
    if len(tokens) >= 2 and _is_word(tokens[-2], "nulls") and _is_word(tokens[-1], "first", "last"):
        return tokens[:-2], tokens[-1].text.lower() == "first"
    return tokens, None


def _take_direction(tokens: list[Token]) -> tuple[list[Token], bool]:
    if len(tokens) >= 2 and _is_word(tokens[-1], "asc", "desc"):
        return tokens[:-1], tokens[-1].text.lower() == "desc"
    return tokens, False


def _non_default_nulls(descending: bool, nulls_first: bool | None) -> str | None:
    # NULLS FIRST is the default for DESC, NULLS LAST for ASC.
    if nulls_first is None or nulls_first == descending:
        return None
    return "FIRST" if nulls_first else "LAST"


def _take_opclass(tokens: list[Token]) -> tuple[int, str | None]:
    """Where the key (plus COLLATE clause) ends, and the operator class after it, if the tokens
    follow ``key [COLLATE name] [opclass [(params)]]``; otherwise all tokens are the key."""
    if not tokens:
        return 0, None
    whole = tokens[-1].end
    position = _key_length(tokens)
    if position == 0:
        return whole, None
    has_collate = position + 1 < len(tokens) and _is_word(tokens[position], "collate")
    if has_collate and tokens[position + 1].kind == "word":
        position += 2
    key_end = tokens[position - 1].end
    rest = tokens[position:]
    if not rest:
        return key_end, None
    if rest[0].kind == "word" and not _is_word(rest[0], "collate") and (
        len(rest) == 1 or (len(rest) == 2 and rest[1].kind == "group" and rest[1].text.startswith("("))
    ):
        return key_end, _canonical_opclass("".join(t.text for t in rest))
    return whole, None


def _key_length(tokens: list[Token]) -> int:
    """Number of tokens in a grammatical key: ``(expr)``, ``name`` or ``name(args)``; 0 if none."""
    first = tokens[0]
    if first.kind == "group" and first.text.startswith("("):
        return 1
    if first.kind == "word":
        if len(tokens) > 1 and tokens[1].kind == "group" and tokens[1].text.startswith("("):
            return 2
        return 1
    return 0


def _canonical_opclass(text: str) -> str | None:
    name = text if text.startswith('"') else text.lower()
    for prefix in _DEFAULT_SCHEMAS:
        if name.startswith(prefix):
            name = name[len(prefix) :]
    name = " ".join(name.split())
    if "(" in name:  # parameters: a default class with them is still named
        base, _, params = name.partition("(")
        return base.strip() + "(" + _canonical_parameters(params)
    return None if name in DEFAULT_OPCLASSES else name


# A parameter's value as pg_get_indexdef quotes it ('8') or as written (8): one spelling.
_QUOTED_WORD = re.compile(r"'([A-Za-z0-9_.+-]*)'")


def _canonical_parameters(params: str) -> str:
    """``siglen = '8', x=1)`` → ``siglen=8,x=1)``: blanks and the quotes of plain values dropped."""
    return _QUOTED_WORD.sub(r"\1", re.sub(r"\s+", "", params))


def _strip_parens(text: str) -> str:
    """``((lower(x)))`` → ``lower(x)``: only parentheses that enclose the whole text."""
    while text.startswith("(") and text.endswith(")"):
        tokens = top_level_tokens(text)
        if tokens is None or len(tokens) != 1:
            break
        text = text[1:-1].strip()
    return text


# A key that is a plain column name (quoted or not), optionally with a collation.
_PLAIN_KEY = re.compile(r'("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)(?:\s+COLLATE\s+\S.*)?', re.I | re.S)


@lru_cache(maxsize=65536)  # `created_at DESC`, `user_id`: the same few elements in every table
def element_column(element: str) -> str | None:
    """The column an index element names (``"Email" DESC`` → ``Email``, ``email`` → ``email``),
    or None when its key is an expression. Elements are SQL: unquoted names fold to lower case."""
    key = split_index_element(element)[0]
    plain = _PLAIN_KEY.fullmatch(key)
    if plain is None:
        return None
    token = plain[1]
    return token[1:-1].replace('""', '"') if token.startswith('"') else token.lower()
