"""An SQL file cut into tokens and statements, with line numbers, the way psql would cut it.

The server, not this module, decides what the SQL means: the text is sent as written. Cutting
it is needed only to say *where* things are — the line of the statement that failed, the line
of the ``CREATE TABLE`` behind a table read back from the scratch database — and to run a file
one statement at a time when it must be (:mod:`.sql_run`). So the scanner knows exactly what
changes where a statement ends, and nothing more: ``'…'`` strings (``''`` inside), ``E'…'``
strings (backslash escapes), ``"…"`` identifiers, ``$tag$…$tag$`` bodies, ``--`` and nested
``/* */`` comments, parentheses, and psql's rule for ``BEGIN ATOMIC … END`` function bodies.
Unterminated strings and comments run to the end of the file; the server reports them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class TokenKind(StrEnum):
    """What a token is, as far as finding names and statement ends goes."""

    WORD = "word"  # an unquoted identifier or keyword, folded to lower case
    QUOTED = "quoted"  # a "quoted identifier", unquoted
    STRING = "string"  # any string literal or dollar-quoted body, raw
    OTHER = "other"  # numbers, operators, parameters: raw
    PUNCT = "punct"  # one of ( ) , . ;


class Token(NamedTuple):
    """One token: a tuple, because a file has hundreds of thousands of them."""

    kind: TokenKind
    text: str
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        """Whether this is an unquoted word, one of ``words`` when any are given."""
        return self.kind is TokenKind.WORD and (not words or self.text in words)

    @property
    def is_name(self) -> bool:
        """Whether this token can be (part of) an object name."""
        return self.kind in (TokenKind.WORD, TokenKind.QUOTED)


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement: its tokens and where it lies in the file (``end`` excludes the ``;``)."""

    start: int
    end: int
    tokens: tuple[Token, ...]

    def words(self, count: int) -> tuple[str, ...]:
        """The first ``count`` tokens as lower-case words ('' for tokens that are not words)."""
        return tuple(t.text if t.kind is TokenKind.WORD else "" for t in self.tokens[:count])


@dataclass(frozen=True)
class Script:
    """A whole SQL file: its name (as shown in messages), text and statements."""

    file: str
    text: str
    statements: tuple[Statement, ...]
    _newlines: list[int] = field(default_factory=list, repr=False, compare=False)

    def line_of(self, offset: int) -> int:
        """The 1-based line of character ``offset``."""
        return bisect.bisect_left(self._newlines, offset) + 1

    def text_of(self, statement: Statement) -> str:
        """The statement as written, without its ``;``."""
        return self.text[statement.start : statement.end]


_LETTER = r"A-Za-z_\u0080-\U0010ffff"
# One pattern for every token with the blanks before it, tried at each token start: the scanner
# runs at this regex's speed. Order matters: a string prefix (E'…', B'…', U&'…') is tried before
# a word, an operator last. Unterminated quotes run to the end of the text. A block comment that
# nests another, and a dollar quote (which needs its own tag back), are closed in Python.
_TOKEN = re.compile(
    rf"""
    [ \t\n\r\f\v]*
    (?:
      (?P<line>--[^\n]*)
    | (?P<comment>/\*(?:[^*/]|\*(?!/)|/(?!\*))*\*/)
    | (?P<block>/\*)
    | (?P<escape>[eE]'(?:[^'\\]|\\.|'')*'?)
    | (?P<string>(?:[bBxXnN]|[uU]&)?'(?:[^']|'')*'?)
    | (?P<quoted>(?:[uU]&)?"(?:[^"]|"")*"?)
    | (?P<dollar>\$(?:[{_LETTER}][{_LETTER}0-9]*)?\$)
    | (?P<param>\$\d*)
    | (?P<word>[{_LETTER}][{_LETTER}0-9$]*)
    | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<punct>[(),.;])
    | (?P<operator>(?:[+*<>=~!@#%^&|`?:\[\]{{}}]|-(?!-)|/(?!\*))+)
    | (?P<other>.)
    | (?P<end>$)
    )
    """,
    re.VERBOSE | re.DOTALL,
)
_NEWLINE = re.compile("\n")
# PostgreSQL folds only ASCII letters of unquoted names (in UTF-8 databases).
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(word: str) -> str:
    """An unquoted identifier as PostgreSQL stores it."""
    return word.translate(_ASCII_LOWER)


def parse_script(text: str, file: str) -> Script:
    """Cut ``text`` into statements (empty ones left out)."""
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    statements: list[Statement] = []
    current: list[Token] = []
    depth = 0
    atomic = 0  # BEGIN ATOMIC … END nesting inside CREATE FUNCTION / PROCEDURE, as psql counts it
    for token in _tokens(text):
        if token.kind is TokenKind.PUNCT:
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth = max(depth - 1, 0)
            elif token.text == ";" and depth == 0 and atomic == 0:
                if current:
                    statements.append(Statement(current[0].start, token.start, tuple(current)))
                current = []
                continue
        elif token.kind is TokenKind.WORD and depth == 0 and token.text in _BLOCK_WORDS and _in_routine(current):
            # (The word first: deciding whether this is a routine costs more, and most words
            # are not these three.)
            if token.text == "end":
                atomic = max(atomic - 1, 0)
            else:
                atomic += 1
        current.append(token)
    if current:
        last = current[-1]
        statements.append(Statement(current[0].start, last.end, tuple(current)))
    return Script(file, text, tuple(statements), newlines)


_BLOCK_WORDS = frozenset({"begin", "case", "end"})


def _in_routine(tokens: list[Token]) -> bool:
    """Whether a statement begun with ``tokens`` is CREATE [OR REPLACE] FUNCTION|PROCEDURE."""
    words = [t.text if t.kind is TokenKind.WORD else "" for t in tokens[:4]]
    if words[:1] != ["create"]:
        return False
    return words[1:2] in (["function"], ["procedure"]) or (
        words[1:3] == ["or", "replace"] and words[3:4] in (["function"], ["procedure"])
    )


def _tokens(text: str) -> list[Token]:
    """Every token of ``text``; comments and blanks are dropped."""
    out: list[Token] = []
    append = out.append
    match = _TOKEN.match
    word, punct, string, other = TokenKind.WORD, TokenKind.PUNCT, TokenKind.STRING, TokenKind.OTHER
    lower = _ASCII_LOWER
    # tuple.__new__ builds a Token without the Python-level __new__ of a NamedTuple: half the
    # cost of a token, in a loop that makes one for every word of the file.
    make = tuple.__new__
    position = 0
    n = len(text)
    while position < n:
        found = match(text, position)
        assert found is not None  # `other` matches any character, `end` the end
        kind = found.lastgroup
        start = found.start(kind) if kind else n
        end = found.end()
        if kind == "word":
            append(make(Token, (word, found.group(kind).translate(lower), start, end)))
        elif kind == "punct":
            append(make(Token, (punct, found.group(kind), start, end)))
        elif kind == "quoted":
            raw = found.group(kind)
            body = raw[raw.index('"') + 1 :]
            if body.endswith('"'):
                body = body[:-1]
            append(Token(TokenKind.QUOTED, body.replace('""', '"'), start, end))
        elif kind in ("string", "escape"):
            append(Token(string, found.group(kind), start, end))
        elif kind == "dollar":
            tag = found.group(kind)
            close = text.find(tag, end)
            end = n if close < 0 else close + len(tag)
            append(Token(string, text[start:end], start, end))
        elif kind == "block":
            end = _comment_end(text, start)
        elif kind in ("param", "number", "operator", "other"):
            append(make(Token, (other, found.group(kind), start, end)))
        position = end
    return out


def _comment_end(text: str, start: int) -> int:
    """End of the block comment opening at ``start``; PostgreSQL's block comments nest."""
    depth = 0
    i = start
    n = len(text)
    while i < n:
        if text.startswith("/*", i):
            depth += 1
            i += 2
        elif text.startswith("*/", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return n
