"""The columns a plain SQL expression reads, worked out without sqlglot — or "cannot tell".

``reconcile validate`` parses every DEFAULT, CHECK and index predicate it is given
(:func:`pgreconcile.normalize.expressions.parse_error`) and asks which columns a CHECK reads.
Importing sqlglot for that costs more than everything else a small schema's validation does
(about 0.08 s of a 0.3 s command), and what most declarations hold is plain: ``now()``,
``gen_random_uuid()``, ``(attempts >= 0)``, ``(status = ANY (ARRAY['a'::text, 'b'::text]))``,
``(char_length((sku)::text) > 0)``, ``(expires_at IS NOT NULL)``.

:func:`plain_columns` reads a small grammar of such expressions: literals (unsigned numbers
without exponent, strings without backslashes), ``TRUE``/``FALSE``/``NULL``, column names,
calls of a few known functions, parentheses, ``::`` casts to a few built-in types, ``ARRAY[…]``,
unary minus, ``+ - * / % ||``, one comparison (``= <> != < > <= >=``, optionally ``ANY``/``ALL``
of a parenthesised operand), ``IS [NOT] NULL``, ``[NOT] IN (…)``, ``NOT``, ``AND``, ``OR``.
Anything else — another operator, a comment, a quoted name holding ``"``, a name sqlglot
reads as a keyword, a subquery, a function not listed — answers None, and the caller parses
with sqlglot as before. So an answer is only ever given where sqlglot (the pinned release, read
the way :mod:`.parse` reads) accepts the text as one expression without a subquery and finds
exactly these columns; ``tests/normalize/test_plain_expressions.py`` holds it to sqlglot on
generated expressions and on every word sqlglot reserves.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Every one-word keyword of sqlglot's postgres tokenizer (sqlglot==30.30.0, pinned in
# pyproject.toml): such a word is not read as a column name, so it is never taken for one here.
# The test compares this list with the installed sqlglot's.
SQLGLOT_KEYWORDS = frozenset("""
all alter analyze and anti any apply array as asc asof autoincrement auto_increment begin
between bigdecimal bigint bignum bignumeric bigserial binary bit blob bool boolean bpchar byte
bytea cache call case char character clob collate column comment commit constraint copy create
cross cstring cube current_catalog current_date current_schema current_time current_timestamp
current_user database date datemultirange daterange datetime dec decfloat decimal decimal128
decimal256 decimal32 decimal64 declare default delete desc describe distinct do double drop else
end enum escape except exec execute exists explain false fetch file filter first fixed float
float4 float8 for format from full function geography geometry glob grant having hstore hugeint
ilike in index inet inner inout insert int int1 int128 int16 int2 int256 int32 int4
int4multirange int4range int64 int8 int8multirange int8range integer intersect interval into is
isnull join json jsonb keep kill lateral left like limit list load localtime localtimestamp lock
long longblob longtext longvarchar map mediumblob mediumint mediumtext merge money name
namespace natural nchar next not notnull null nullable number numeric nummultirange numrange
nvarchar nvarchar2 object offset oid on only operator optimize or ordinality out outer over
overlaps overwrite partition partitioned_by percent pivot point pragma prepare procedure qualify
range real recursive ref references refresh regclass regcollation regconfig regdictionary regexp
regnamespace regoper regoperator regproc regprocedure regrole regtype reindex rename replace
reset returning revoke right rlike rollback rollup row rows schema select semi sequence serial
session session_user set settings short show smallint smallserial some str straight_join string
struct table tablesample temp temporary text then time timestamp timestampltz timestampntz
timestamptz timestamp_ltz timestamp_ntz timetz time_ns tinyblob tinyint tinytext trigger true
truncate tsmultirange tsrange tstzmultirange tstzrange type uhugeint uint uint128 uint256
uncache union unique unknown unnest unpivot update use using uuid vacuum values varbinary
varchar varchar2 variadic variant vector view volatile when where window with xml xor
""".split())

#: Words that sqlglot reads as a column but PostgreSQL reads as a value function: never a column
#: (column_refs in expressions.py leaves them out too).
NOT_COLUMNS = frozenset({
    "user", "current_role", "current_user", "session_user", "current_date", "current_time",
    "current_timestamp", "localtime", "localtimestamp", "current_schema", "current_catalog", "default",
})

# Words sqlglot's parser treats specially without a parenthesis after them (``while`` where a
# statement could start), and the value functions above: never a column here.
_SPECIAL_WORDS = frozenset({"any", "case", "connect_by_root", "if", "variadic", "while"}) | NOT_COLUMNS

#: Functions read here → (fewest, most) arguments; each arity is checked against sqlglot.
FUNCTIONS: dict[str, tuple[int, int]] = {
    "now": (0, 0),
    "gen_random_uuid": (0, 0),
    "clock_timestamp": (0, 0),
    "statement_timestamp": (0, 0),
    "random": (0, 0),
    "char_length": (1, 1),
    "length": (1, 1),
    "lower": (1, 1),
    "upper": (1, 1),
    "abs": (1, 1),
}

#: Cast targets read here (lower case, words separated by one space), with or without ``[]``;
#: ``regclass`` without (its arrays are left to sqlglot, respelled by dialect.py).
TYPES = frozenset({
    "text", "integer", "int", "bigint", "smallint", "numeric", "boolean", "jsonb", "json", "uuid",
    "date", "regclass", "timestamptz", "varchar", "character varying", "timestamp with time zone",
    "timestamp without time zone", "double precision",
})
_NO_ARRAY = frozenset({"regclass"})

_OPERATORS = frozenset({"=", "<>", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "||"})
_COMPARISONS = frozenset({"=", "<>", "!=", "<", ">", "<=", ">="})

# One token per match: blanks; an unsigned number not run into a name or a dot; a string; a
# quoted name; a word; `::`; a run of operator characters (checked against _OPERATORS: `>=-`,
# `--` and `/*` are not one of them); punctuation. Anything else stops the scan.
_TOKEN = re.compile(
    r"""(?P<blank>[ \t\r\n]+)
    |(?P<number>[0-9]+(?:\.[0-9]+)?)(?![A-Za-z0-9_.$])
    |(?P<string>'(?:[^'\\]|'')*')
    |(?P<quoted>"[^"\\]+")
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_$])
    |(?P<cast>::)
    |(?P<operator>[-+*/%<>=!|~&^#@?:]+)
    |(?P<punct>[(),\[\]])""",
    re.VERBOSE,
)


class _NotPlain(Exception):
    """The text is outside the grammar: sqlglot decides."""


def _tokens(sql: str) -> list[tuple[str, str]]:
    """(kind, text) of every token, blanks left out; words lower-cased."""
    out: list[tuple[str, str]] = []
    position, end = 0, len(sql)
    while position < end:
        match = _TOKEN.match(sql, position)
        if match is None:
            raise _NotPlain
        kind = match.lastgroup
        assert kind is not None
        text = match.group(kind)
        position = match.end()
        if kind == "blank":
            continue
        if kind == "operator" and text not in _OPERATORS:
            raise _NotPlain
        out.append((kind, text.lower() if kind == "word" else text))
    return out


class _Reader:
    """A recursive-descent reader of the grammar in the module docstring; collects columns."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0
        self.columns: set[str] = set()

    def peek(self, offset: int = 0) -> tuple[str, str]:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else ("end", "")

    def take(self, *texts: str) -> str | None:
        """The next token's text if it is one of ``texts`` (words, operators, punctuation)."""
        kind, text = self.peek()
        if kind in ("word", "operator", "punct", "cast") and text in texts:
            self.at += 1
            return text
        return None

    def need(self, text: str) -> None:
        if self.take(text) is None:
            raise _NotPlain

    def expression(self) -> None:
        self.conjunction()
        while self.take("or"):
            self.conjunction()

    def conjunction(self) -> None:
        self.negation()
        while self.take("and"):
            self.negation()

    def negation(self) -> None:
        self.take("not")  # one NOT at most: ``NOT NOT a`` is left to sqlglot
        self.predicate()

    def predicate(self) -> None:
        self.sum()
        if self.take(*_COMPARISONS):
            if self.take("any", "all"):
                self.need("(")
                self.sum()
                self.need(")")
            else:
                self.sum()
        elif self.take("is"):
            self.take("not")
            self.need("null")
        elif self.peek() == ("word", "in") or (self.peek() == ("word", "not") and self.peek(1) == ("word", "in")):
            self.take("not")
            self.need("in")
            self.need("(")
            self.sum()
            while self.take(","):
                self.sum()
            self.need(")")

    def sum(self) -> None:
        self.product()
        while self.take("+", "-", "||"):
            self.product()

    def product(self) -> None:
        self.unary()
        while self.take("*", "/", "%"):
            self.unary()

    def unary(self) -> None:
        self.take("-")
        self.primary()
        while self.take("::"):
            self.cast_type()

    def cast_type(self) -> None:
        words = []
        while self.peek()[0] == "word":
            words.append(self.peek()[1])
            self.at += 1
        name = " ".join(words)
        if name not in TYPES:
            raise _NotPlain
        if self.take("["):
            if name in _NO_ARRAY:
                raise _NotPlain
            self.need("]")

    def primary(self) -> None:
        kind, text = self.peek()
        self.at += 1
        if kind in ("number", "string"):
            return
        if kind == "quoted":
            if self.peek() == ("punct", "("):
                raise _NotPlain  # a quoted function name
            self.columns.add(text[1:-1])
            return
        if kind == "punct" and text == "(":
            self.expression()
            self.need(")")
            return
        if kind != "word":
            raise _NotPlain
        if text in ("true", "false", "null"):
            return
        if text == "array":
            self.need("[")
            self.expression()
            while self.take(","):
                self.expression()
            self.need("]")
            return
        if self.peek() == ("punct", "("):
            self.call(text)
            return
        if text in SQLGLOT_KEYWORDS or text in _SPECIAL_WORDS:
            raise _NotPlain
        self.columns.add(text)

    def call(self, name: str) -> None:
        arity = FUNCTIONS.get(name)
        if arity is None:
            raise _NotPlain
        self.need("(")
        count = 0
        if not self.take(")"):
            self.expression()
            count = 1
            while self.take(","):
                self.expression()
                count += 1
            self.need(")")
        if not arity[0] <= count <= arity[1]:
            raise _NotPlain


@lru_cache(maxsize=65536)
def plain_columns(sql: str) -> frozenset[str] | None:
    """The columns ``sql`` reads (unquoted names folded to lower case, quoted ones as written)
    when it is a plain expression (module docstring), which sqlglot parses as one expression
    without a subquery; None when it is not, or when this cannot tell."""
    try:
        tokens = _tokens(sql)
        if not tokens:
            return None
        reader = _Reader(tokens)
        reader.expression()
        if reader.at != len(tokens):
            return None
    except (_NotPlain, RecursionError):
        return None
    return frozenset(reader.columns)
