"""The sqlglot dialect the normalizer reads and prints with, and where it steps around it.

sqlglot's postgres dialect reads a few valid PostgreSQL texts otherwise than PostgreSQL does, or
not at all. They are respelled at the token level before parsing (:func:`respell`), each into a
text that means the same to PostgreSQL and that sqlglot reads as PostgreSQL does:

* ``date_part('epoch', t)`` would be read as ``EXTRACT(EPOCH FROM t)``. In PostgreSQL they differ
  (``EXTRACT`` returns numeric since version 14, ``date_part`` double precision) and the catalog
  prints each as written, so merging them would hide a real change. Such calls are renamed to a
  name sqlglot does not know, so it keeps an ordinary function call, and named back by the rules
  (:func:`restored_function_name`).
* A column whose name sqlglot takes for a keyword of another SQL dialect or for the start of a
  statement (``while``, ``vacuum``, ``set``, ``comment``, ``if``, ``xor``…: every one of them an
  ordinary name to PostgreSQL) is quoted: ``while > 0`` → ``"while" > 0``. An unquoted name
  means its lower-case spelling, so the quoted one is the same name (:data:`KEYWORD_COLUMNS`).
* The type ``bit varying`` (how PostgreSQL prints ``varbit``: ``'101'::bit varying``), which
  sqlglot reads as ``bit`` followed by an alias, is written ``varbit``.
* An array of an object-identifier type (``'{}'::regclass[]``, ``oid[]``, ``regtype[]``): sqlglot
  has no array of those. The type is renamed to a stand-in that it reads as a user-defined type,
  and :func:`restore_types` names it back in the parsed tree.

Why tokens and not a dialect subclass with smaller parser tables: with sqlglot's compiled build
(``sqlglotc``) the parser class cannot be subclassed from Python, and every expression would
silently fall back to text comparison.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlglot.dialects.postgres import Postgres
from sqlglot.tokenizer_core import Token, TokenType

if TYPE_CHECKING:
    from sqlglot import exp

DIALECT = Postgres()

# PostgreSQL function → the stand-in name it is parsed under.
_PROTECTED = {"date_part": "pgreconcile__date_part"}
_RESTORED = {stand_in: name for name, stand_in in _PROTECTED.items()}

#: Names PostgreSQL reads as a column (none is a reserved word of PostgreSQL 14–18) which
#: sqlglot==30.30.0 reads as something else where an operand is expected: the start of a
#: statement (``vacuum``, ``set``, ``comment``), an operator or construct of another dialect
#: (``xor``, ``glob``, ``rlike``, ``regexp``, ``between`` as a first word, ``if``,
#: ``connect_by_root``), a ``VALUES`` list, or an interval literal (``interval + 1``).
#: tests/normalize/test_dialect.py checks each against the installed sqlglot and a server.
KEYWORD_COLUMNS = frozenset("""
alter begin between cache call comment commit connect_by_root copy declare delete describe drop
exec execute explain glob if insert interval kill load lock merge optimize partitioned_by pivot
pragma prepare qualify refresh regexp reindex rename reset revoke rlike rollback set show
truncate uncache unpivot update use vacuum values while xor
""".split())

# Keywords after which an operand comes (``x > 0 AND while > 0``, ``CASE WHEN vacuum THEN``).
# Not FOR: ``(SELECT … FOR UPDATE)`` names no column.
_BEFORE_OPERAND = frozenset({
    "and", "or", "not", "case", "when", "then", "else", "between", "symmetric", "like", "ilike",
    "escape", "from", "to", "zone", "distinct", "variadic",
})

# Keywords that may follow an operand (``while IS NULL``, ``vacuum AND x``, ``set BETWEEN 1 AND 2``).
# After any other word the text is read as a statement (``SET x = 1``, ``VACUUM t``) and left
# for the parser to refuse as one.
_AFTER_OPERAND = frozenset({
    "is", "isnull", "notnull", "in", "not", "between", "like", "ilike", "similar", "and", "or",
    "collate", "at", "then", "else", "end", "when", "from", "for", "escape", "overlaps",
})

# Symbols after which no operand comes (``)``, ``]``, ``::``, ``.``), and before which no column
# stands (``(``: a call; ``.``: a qualified name).
_NO_OPERAND_AFTER = frozenset({TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.DCOLON, TokenType.DOT})
_NO_COLUMN_BEFORE = frozenset({TokenType.L_PAREN, TokenType.DOT})

# Tokens after which sqlglot's tokenizer keeps the rest of the text as one string.
_COMMANDS = frozenset(DIALECT.tokenizer_class.COMMANDS)

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*\Z")

# Every word a rule of respell() looks at (object-identifier types: oid, reg…); a text without
# any is left alone. A match inside a string only costs the token walk.
_ANY_WORD = re.compile(r"[a-z_][a-z0-9_$]*")
_TRIGGERS = frozenset({*KEYWORD_COLUMNS, *_PROTECTED, "bit", "oid"})


def _may_need_respelling(sql: str) -> bool:
    words = set(_ANY_WORD.findall(sql.lower()))
    return not _TRIGGERS.isdisjoint(words) or any(word.startswith("reg") for word in words)

# Object-identifier types (sqlglot's OBJECT_IDENTIFIER token) → the stand-in their arrays parse as.
_STAND_IN_PREFIX = "pgreconcile__"


def respell(sql: str, tokens: list[Token]) -> str:
    """``sql`` with the texts sqlglot misreads respelled as the module docstring says (or
    ``sql`` itself). Only tokens are edited, never text inside strings or quoted names."""
    if not _may_need_respelling(sql):
        return sql  # most texts: no word any rule looks at (a cheap scan, not a token walk)
    if tokens and tokens[0].token_type in _COMMANDS:
        # sqlglot's tokenizer keeps the rest of a statement it does not parse (``vacuum > 0``)
        # as one string: read the rest on its own to see whether the word is an operand.
        first, rest = tokens[0], sql[tokens[0].end + 1 :]
        after = DIALECT.tokenize(rest)[:1] if rest.strip() else []
        quoted = _quoted_column(first, None, after[0] if after else None)
        if quoted is None:
            return sql
        sql = sql[: first.start] + quoted + rest
        tokens = DIALECT.tokenize(sql)  # now a quoted name first: the rest is read as tokens
    edits: list[tuple[int, int, str]] = []
    for index, token in enumerate(tokens):
        previous = tokens[index - 1] if index else None
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if _is_bit_varying(token, following) and following is not None:
            edits.append((token.start, following.end, "varbit"))
            continue
        if previous is not None and _is_bit_varying(previous, token):
            continue
        # After a name just quoted as a column comes an operator (``between BETWEEN 1 AND 2``).
        after_column = bool(edits) and edits[-1][0] == getattr(previous, "start", None) and edits[-1][2][0] == '"'
        replacement = (
            _function_stand_in(token, following)
            or (None if after_column else _quoted_column(token, previous, following))
            or _array_type_stand_in(token, following)
        )
        if replacement is not None:
            edits.append((token.start, token.end, replacement))
    for start, end, replacement in reversed(edits):
        sql = sql[:start] + replacement + sql[end + 1 :]
    return sql


def _function_stand_in(token: Token, following: Token | None) -> str | None:
    """The stand-in of a protected function's name when ``token`` names it in a call."""
    if following is None or following.token_type != TokenType.L_PAREN:
        return None
    if token.token_type == TokenType.VAR:
        return _PROTECTED.get(token.text.lower())
    if token.token_type == TokenType.IDENTIFIER:
        return _PROTECTED.get(token.text)
    return None


def _quoted_column(token: Token, previous: Token | None, following: Token | None) -> str | None:
    """``"name"`` when ``token`` is an unquoted name of :data:`KEYWORD_COLUMNS` standing where an
    operand stands, followed by what may follow one (not ``(``, a constant or another word)."""
    if token.token_type == TokenType.IDENTIFIER or not _is_word(token):
        return None
    name = token.text.lower()
    if name not in KEYWORD_COLUMNS:
        return None
    if name == "between" and previous is not None and previous.text.lower() == "not":
        return None  # x NOT BETWEEN -1 AND 1: the operator
    if previous is not None and not (
        (_is_symbol(previous) and previous.token_type not in _NO_OPERAND_AFTER)
        or (previous.token_type != TokenType.IDENTIFIER and previous.text.lower() in _BEFORE_OPERAND)
    ):
        return None
    if following is not None and not (
        (_is_symbol(following) and following.token_type not in _NO_COLUMN_BEFORE)
        or (following.token_type != TokenType.IDENTIFIER and following.text.lower() in _AFTER_OPERAND)
    ):
        return None
    return f'"{name}"'


def _array_type_stand_in(token: Token, following: Token | None) -> str | None:
    """The stand-in of an object-identifier type (``regclass``) followed by ``[`` or ``ARRAY``."""
    if token.token_type != TokenType.OBJECT_IDENTIFIER or following is None:
        return None
    if following.token_type not in (TokenType.L_BRACKET, TokenType.ARRAY):
        return None
    return _STAND_IN_PREFIX + token.text.lower()


def _is_bit_varying(token: Token, following: Token | None) -> bool:
    """Whether ``token`` and ``following`` spell the type ``bit varying`` (as PostgreSQL prints
    ``varbit``), which sqlglot reads as ``bit`` aliased ``varying``."""
    return (
        following is not None
        and token.token_type != TokenType.IDENTIFIER
        and following.token_type != TokenType.IDENTIFIER
        and token.text.lower() == "bit"
        and following.text.lower() == "varying"
    )


def _is_word(token: Token) -> bool:
    return _WORD.match(token.text) is not None


def _is_symbol(token: Token) -> bool:
    """Whether ``token`` is an operator or punctuation (``>``, ``||``, ``(``, ``,``, ``::``): not
    a word, a quoted name, a number or a string."""
    if token.token_type in (TokenType.IDENTIFIER, TokenType.NUMBER) or token.token_type.name.endswith("STRING"):
        return False
    return not _is_word(token)


def restore_types(tree: exp.Expr) -> None:
    """Name the stand-ins :func:`respell` gave array element types back, in place."""
    from sqlglot import exp

    for dtype in tree.find_all(exp.DataType):
        kind = dtype.args.get("kind")
        name = kind.expression if isinstance(kind, exp.Dot) else kind
        if isinstance(name, exp.Identifier) and name.name.startswith(_STAND_IN_PREFIX):
            name.set("this", name.name[len(_STAND_IN_PREFIX):])


def restored_function_name(name: str) -> str | None:
    """The PostgreSQL name behind a stand-in, or None when ``name`` is not one."""
    return _RESTORED.get(name.lower())
