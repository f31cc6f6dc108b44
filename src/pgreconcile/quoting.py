"""The one place SQL text is assembled from names and values.

Every identifier and literal that reaches a statement goes through these functions; SQL is
never built by pasting user text into an f-string. Expressions (defaults, CHECKs, predicates)
are the exception by nature: they *are* SQL, and they are parsed by sqlglot during validation
before they can reach a statement.
"""

from __future__ import annotations

import re

# Identifiers PostgreSQL accepts unquoted: lower-case letter or underscore first, then lower-case
# letters, digits, underscores or dollar signs. Anything else (upper case, spaces, keywords) is quoted.
_PLAIN = re.compile(r"^[a-z_][a-z0-9_$]*$")

# Reserved words that must be quoted even when they look plain (PostgreSQL's "reserved" category
# plus the column-name-reserved ones that break in DDL positions).
_RESERVED = frozenset(
    """
    all analyse analyze and any array as asc asymmetric authorization binary both case cast check
    collate collation column concurrently constraint create cross current_catalog current_date
    current_role current_schema current_time current_timestamp current_user default deferrable desc
    distinct do else end except false fetch for foreign freeze from full grant group having ilike in
    initially inner intersect into is isnull join lateral leading left like limit localtime
    localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
    references returning right select session_user similar some symmetric system_user table tablesample
    then to trailing true union unique user using variadic verbose when where window with
    between bigint bit boolean char character coalesce dec decimal exists extract float greatest
    grouping inout int integer interval least national nchar none normalize nullif numeric out
    overlay position precision real row setof smallint substring time timestamp treat trim values
    varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi
    xmlroot xmlserialize xmltable
    """.split()
)


def needs_quotes(name: str) -> bool:
    """Whether PostgreSQL reads ``name`` as written only when it is double-quoted."""
    return not _PLAIN.match(name) or name in _RESERVED


def ident(name: str) -> str:
    """Quote an identifier when PostgreSQL needs it, doubling embedded double quotes."""
    if not needs_quotes(name):
        return name
    return '"' + name.replace('"', '""') + '"'


def qualified(schema: str, name: str) -> str:
    """``schema.name`` with each part quoted as needed."""
    return f"{ident(schema)}.{ident(name)}"


def literal(value: str | int | float | bool | None) -> str:
    """An SQL literal: strings single-quoted with quotes doubled (E'' form when a backslash is
    present, so ``standard_conforming_strings`` cannot change the meaning), numbers and booleans
    as written, None as NULL."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if "\\" in text:
        return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'"
    return "'" + text.replace("'", "''") + "'"


def ident_list(names: tuple[str, ...] | list[str]) -> str:
    """Comma-separated quoted identifiers, for column lists."""
    return ", ".join(ident(n) for n in names)


# An operator's symbol cannot be quoted: it is written as it is, so only what PostgreSQL's lexer
# reads as one operator token is accepted (its characters, at most 63 of them, no comment start,
# and a symbol of several characters ending in + or - only when it holds one of ~ ! @ # % ^ & | ` ?).
_OPERATOR_CHARS = re.compile(r"[+\-*/<>=~!@#%^&|`?]{1,63}")
_OPERATOR_SPECIAL = set("~!@#%^&|`?")


def operator_symbol(symbol: str) -> str:
    """``symbol`` when it is one valid operator name, else ValueError (the one place an
    operator's name enters SQL)."""
    if not _OPERATOR_CHARS.fullmatch(symbol) or "--" in symbol or "/*" in symbol:
        raise ValueError(f"{symbol!r} is not an operator name (1 to 63 of + - * / < > = ~ ! @ # % ^ & | ` ?, "
                         "without -- or /*)")
    if len(symbol) > 1 and symbol[-1] in "+-" and not _OPERATOR_SPECIAL & set(symbol):
        raise ValueError(f"{symbol!r} is not an operator name: PostgreSQL would read its last {symbol[-1]} "
                         "as another operator")
    return symbol


def qualified_operator(schema: str, symbol: str) -> str:
    """``OPERATOR(schema.symbol)``: an operator named where an expression could not tell it."""
    return f"OPERATOR({ident(schema)}.{operator_symbol(symbol)})"
