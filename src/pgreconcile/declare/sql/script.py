"""An SQL file cut into tokens and statements, with line numbers, the way psql would cut it.

The server, not this module, decides what the SQL means: the text is sent as written. Cutting
it is needed only to say *where* things are — the line of the statement that failed, the line
of the ``CREATE TABLE`` behind a table read back from the scratch database — and to run a file
one statement at a time when it must be (:mod:`.run`). So the scanner knows exactly what
changes where a statement ends, and nothing more: ``'…'`` strings (``''`` inside), ``E'…'``
strings (backslash escapes), ``"…"`` identifiers, ``$tag$…$tag$`` bodies, ``--`` and nested
``/* */`` comments, parentheses, and psql's rule for ``BEGIN ATOMIC … END`` function bodies.
Unterminated strings and comments run to the end of the file; the server reports them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple, cast


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


class Statement:
    """One statement: where it lies in the file (``end`` excludes the ``;``), and its tokens.

    The tokens are cut from the file's text when first asked for. Running a file needs only
    where its statements lie, and reading their heads before anything runs only their first
    words; cutting every token of 2,000 tables' files took a second that the scratch server
    spent waiting. The rest is cut while it runs them (the origins' index)."""

    __slots__ = ("_head", "_text", "_tokens", "_whole_head", "end", "start")

    def __init__(
        self, start: int, end: int, text: str, tokens: tuple[Token, ...] | None = None,
        head: list[Token] | None = None,
    ) -> None:
        """``head``: the first :data:`_HEAD` tokens from ``start`` on, cut already (any past
        ``end`` belong to what follows the statement and are dropped)."""
        self.start = start
        self.end = end
        self._text = text
        self._tokens = tokens
        self._head: tuple[Token, ...] = ()
        self._whole_head = False  # whether _head holds every token of the statement
        if head is not None:
            self._head = tuple(t for t in head if t.end <= end)
            self._whole_head = len(self._head) < _HEAD

    def __repr__(self) -> str:
        return f"Statement({self.start}, {self.end})"

    @property
    def tokens(self) -> tuple[Token, ...]:
        """Every token of the statement."""
        if self._tokens is None:
            self._tokens = self._head if self._whole_head else tuple(_tokens(self._text, self.start, self.end))
        return self._tokens

    def head(self, count: int) -> tuple[Token, ...]:
        """The first ``count`` tokens (fewer when the statement is shorter)."""
        if self._tokens is not None:
            return self._tokens[:count]
        if count > len(self._head) and not self._whole_head:
            self._head = tuple(_tokens(self._text, self.start, self.end, max(count, _HEAD)))
            self._whole_head = len(self._head) < max(count, _HEAD)
        return self._head[:count]

    def words(self, count: int) -> tuple[str, ...]:
        """The first ``count`` tokens as lower-case words ('' for tokens that are not words)."""
        return tuple(t.text if t.kind is TokenKind.WORD else "" for t in self.head(count))


#: Tokens cut at once for a statement's head (the heads read at most eight).
_HEAD = 8


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


# A run of tokens that cannot change where a statement ends — parameters, words, numbers,
# commas and dots, operators — matched in one go, in C: cutting a file into statements spends
# its time on them. Each is matched by the same pattern as in _TOKEN, in the same order, and
# only where none of _TOKEN's alternatives before them (a comment, a string, a quoted name, a
# dollar quote) would match: so the run ends exactly where _tokens would cut its last token.
_RUN = re.compile(
    rf"""
    (?:
      [ \t\n\r\f\v]*
      (?!--|/\*|[eE]'|(?:[bBxXnN]|[uU]&)?'|(?:[uU]&)?"|\$(?:[{_LETTER}][{_LETTER}0-9]*)?\$)
      (?:
        \$\d*
      | [{_LETTER}][{_LETTER}0-9$]*
      | (?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?
      | [,.]
      | (?:[+*<>=~!@#%^&|`?:\[\]{{}}]|-(?!-)|/(?!\*))+
      )
    )*
    """,
    re.VERBOSE | re.DOTALL,
)
_BLANKS = re.compile(r"[ \t\n\r\f\v]*")


def parse_script(text: str, file: str) -> Script:
    """Cut ``text`` into statements (empty ones left out), where psql would cut it.

    A statement ends at a ``;`` outside parentheses, strings, quoted names, dollar quotes and
    comments, and, in ``CREATE FUNCTION`` / ``PROCEDURE``, outside ``BEGIN ATOMIC … END``.
    Runs of other tokens are skipped in one match (_RUN); a routine is cut token by token."""
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    statements: list[Statement] = []
    # Each always matches (a run may be empty; _TOKEN has `other` and `end`).
    run, token, blanks = (cast(Callable[[str, int], re.Match[str]], p.match) for p in (_RUN, _TOKEN, _BLANKS))
    n = len(text)
    position = 0
    first = -1  # where the current statement's first token starts (-1: none yet)
    last = 0  # where its last token so far ends
    depth = 0
    while position < n:
        if first < 0:
            position = blanks(text, position).end()
            ahead = token(text, position)
            kind = ahead.lastgroup
            if kind in ("line", "comment", "block", "end") or (kind == "punct" and ahead.group(kind) == ";"):
                # Not a token (or an empty statement): skipped as below.
                position = _skip(text, ahead, kind)
                continue
            first = position
            # The head, read on (past the statement's end, if it is shorter: trimmed below).
            head = _tokens(text, first, n, _HEAD)
            if _in_routine(head):
                routine, position = _routine(text, first)
                statements.append(routine)
                first, depth = -1, 0
                continue
        skipped = run(text, position)
        if skipped.end() > position:
            position = last = skipped.end()
        found = token(text, position)
        kind = found.lastgroup
        if kind == "punct":
            punct = found.group(kind)
            if punct == ";" and depth == 0:
                statements.append(Statement(first, found.start(kind), text, head=head))
                position, first = found.end(), -1
                continue
            depth = depth + 1 if punct == "(" else max(depth - 1, 0) if punct == ")" else depth
            position = last = found.end()
        elif kind in ("line", "comment", "block"):
            position = _skip(text, found, kind)
        elif kind == "end" or kind is None:
            break
        else:
            position = last = _token_end(text, found, kind)
    if first >= 0:
        statements.append(Statement(first, last, text, head=head))
    return Script(file, text, tuple(statements), newlines)


def _skip(text: str, found: re.Match[str], kind: str | None) -> int:
    """Where scanning goes on after ``found``, which is not a token (or an empty statement's ``;``)."""
    if kind == "block":
        return _comment_end(text, found.start(kind))
    return found.end() if kind != "end" else len(text)


def _token_end(text: str, found: re.Match[str], kind: str, stop: int | None = None) -> int:
    """Where the token ``found`` ends: a dollar quote at its closing tag (or ``stop``)."""
    if kind != "dollar":
        return found.end()
    tag = found.group(kind)
    end = len(text) if stop is None else stop
    close = text.find(tag, found.end(), end)
    return end if close < 0 else close + len(tag)


_BLOCK_WORDS = frozenset({"begin", "case", "end"})


def _in_routine(tokens: list[Token]) -> bool:
    """Whether a statement begun with ``tokens`` is CREATE [OR REPLACE] FUNCTION|PROCEDURE."""
    words = [t.text if t.kind is TokenKind.WORD else "" for t in tokens[:4]]
    if words[:1] != ["create"]:
        return False
    return words[1:2] in (["function"], ["procedure"]) or (
        words[1:3] == ["or", "replace"] and words[3:4] in (["function"], ["procedure"])
    )


def _routine(text: str, start: int) -> tuple[Statement, int]:
    """The CREATE FUNCTION / PROCEDURE statement starting at ``start``, cut token by token (a
    ``BEGIN ATOMIC`` body holds ``;`` that do not end it: psql counts ``BEGIN``, ``CASE`` and
    ``END`` at the top level), and where scanning goes on after it."""
    current: list[Token] = []
    depth = 0
    atomic = 0
    for token in _tokens(text, start, len(text)):
        if token.kind is TokenKind.PUNCT:
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth = max(depth - 1, 0)
            elif token.text == ";" and depth == 0 and atomic == 0:
                return Statement(start, token.start, text, tuple(current)), token.end
        elif token.kind is TokenKind.WORD and depth == 0 and token.text in _BLOCK_WORDS and _in_routine(current):
            # (The word first: deciding whether this is a routine costs more, and most words
            # are not these three.)
            if token.text == "end":
                atomic = max(atomic - 1, 0)
            else:
                atomic += 1
        current.append(token)
    return Statement(start, current[-1].end, text, tuple(current)), len(text)


def _tokens(text: str, start: int = 0, stop: int | None = None, limit: int | None = None) -> list[Token]:
    """Every token of ``text[start:stop]`` (the first ``limit`` of them); comments and blanks
    are dropped. ``start`` must be where a token (or blanks before one) begins."""
    out: list[Token] = []
    append = out.append
    match = _TOKEN.match
    word, punct, string, other = TokenKind.WORD, TokenKind.PUNCT, TokenKind.STRING, TokenKind.OTHER
    lower = _ASCII_LOWER
    # tuple.__new__ builds a Token without the Python-level __new__ of a NamedTuple: half the
    # cost of a token, in a loop that makes one for every word of the file.
    make = tuple.__new__
    position = start
    n = len(text) if stop is None else stop
    count = -1 if limit is None else limit
    while position < n and count != 0:
        found = match(text, position, n)
        assert found is not None  # `other` matches any character, `end` the end
        kind = found.lastgroup
        begin = found.start(kind) if kind else n
        end = found.end()
        count -= 1
        if kind == "word":
            append(make(Token, (word, found.group(kind).translate(lower), begin, end)))
        elif kind == "punct":
            append(make(Token, (punct, found.group(kind), begin, end)))
        elif kind == "quoted":
            raw = found.group(kind)
            body = raw[raw.index('"') + 1 :]
            if body.endswith('"'):
                body = body[:-1]
            append(Token(TokenKind.QUOTED, body.replace('""', '"'), begin, end))
        elif kind in ("string", "escape"):
            append(Token(string, found.group(kind), begin, end))
        elif kind == "dollar":
            end = _token_end(text, found, kind, n)
            append(Token(string, text[begin:end], begin, end))
        elif kind == "block":
            end = _comment_end(text, begin, n)
            count += 1
        elif kind in ("param", "number", "operator", "other"):
            append(make(Token, (other, found.group(kind), begin, end)))
        else:
            count += 1  # a comment or the end: not a token
        position = end
    return out


def _comment_end(text: str, start: int, stop: int | None = None) -> int:
    """End of the block comment opening at ``start``; PostgreSQL's block comments nest."""
    depth = 0
    i = start
    n = len(text) if stop is None else stop
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
