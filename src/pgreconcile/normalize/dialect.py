"""The sqlglot dialect the normalizer reads and prints with, and where it steps around it.

sqlglot's postgres dialect reads ``date_part('epoch', t)`` as ``EXTRACT(EPOCH FROM t)``. In
PostgreSQL they differ (``EXTRACT`` returns numeric since version 14, ``date_part`` double
precision) and the catalog prints each as written, so merging them would hide a real change.
Such calls are renamed at the token level before parsing (to a name sqlglot does not know, so
it keeps an ordinary function call) and named back by the rules.

Why tokens and not a dialect subclass with a smaller FUNCTION_PARSERS table: with sqlglot's
compiled build (``sqlglotc``) the parser class cannot be subclassed from Python, and every
expression would silently fall back to text comparison.
"""

from __future__ import annotations

import itertools

from sqlglot.dialects.postgres import Postgres
from sqlglot.tokenizer_core import Token, TokenType

DIALECT = Postgres()

# PostgreSQL function → the stand-in name it is parsed under.
_PROTECTED = {"date_part": "pgreconcile__date_part"}
_RESTORED = {stand_in: name for name, stand_in in _PROTECTED.items()}


def protect_functions(sql: str, tokens: list[Token]) -> str:
    """``sql`` with calls of protected functions renamed to their stand-ins (or ``sql`` itself).

    Only real calls are renamed: a name token followed by ``(``; never text inside strings.
    A quoted name must match exactly (``"date_part"``), an unquoted one in any case.
    """
    edits: list[tuple[int, int, str]] = []
    for token, following in itertools.pairwise(tokens):
        if following.token_type != TokenType.L_PAREN:
            continue
        if token.token_type == TokenType.VAR:
            stand_in = _PROTECTED.get(token.text.lower())
        elif token.token_type == TokenType.IDENTIFIER:
            stand_in = _PROTECTED.get(token.text)
        else:
            continue
        if stand_in is not None:
            edits.append((token.start, token.end, stand_in))
    for start, end, stand_in in reversed(edits):
        sql = sql[:start] + stand_in + sql[end + 1 :]
    return sql


def restored_function_name(name: str) -> str | None:
    """The PostgreSQL name behind a stand-in, or None when ``name`` is not one."""
    return _RESTORED.get(name.lower())
