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


class TokenKind(StrEnum):
    """What a token is, as far as finding names and statement ends goes."""

    WORD = "word"  # an unquoted identifier or keyword, folded to lower case
    QUOTED = "quoted"  # a "quoted identifier", unquoted
    STRING = "string"  # any string literal or dollar-quoted body, raw
    OTHER = "other"  # numbers, operators, parameters: raw
    PUNCT = "punct"  # one of ( ) , . ;


@dataclass(frozen=True, slots=True)
class Token:
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


_WORD_START = re.compile(r"[A-Za-z_\u0080-\U0010ffff]")
_WORD = re.compile(r"[A-Za-z0-9_$\u0080-\U0010ffff]*")
_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_\u0080-\U0010ffff][A-Za-z0-9_\u0080-\U0010ffff]*)?\$")
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_OPERATOR = re.compile(r"[+\-*/<>=~!@#%^&|`?:\[\]{}]+")
_PUNCT = frozenset("(),.;")
# PostgreSQL folds only ASCII letters of unquoted names (in UTF-8 databases).
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# String prefixes that keep standard quoting (bit strings, hex strings, national characters).
_PLAIN_PREFIXES = frozenset({"b", "x", "n"})


def fold(word: str) -> str:
    """An unquoted identifier as PostgreSQL stores it."""
    return word.translate(_ASCII_LOWER)


def parse_script(text: str, file: str) -> Script:
    """Cut ``text`` into statements (empty ones left out)."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
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
        elif token.kind is TokenKind.WORD and depth == 0 and _in_routine(current):
            if token.text in ("begin", "case"):
                atomic += 1
            elif token.text == "end" and atomic:
                atomic -= 1
        current.append(token)
    if current:
        last = current[-1]
        statements.append(Statement(current[0].start, last.end, tuple(current)))
    return Script(file, text, tuple(statements), newlines)


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
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\n\r\f\v":
            i += 1
            continue
        if text.startswith("--", i):
            newline = text.find("\n", i)
            i = n if newline < 0 else newline + 1
            continue
        if text.startswith("/*", i):
            i = _comment_end(text, i)
            continue
        kind, value, end = _scan_one(text, i)
        out.append(Token(kind, value, i, end))
        i = end
    return out


def _scan_one(text: str, i: int) -> tuple[TokenKind, str, int]:
    """The token starting at ``i`` (not a blank or a comment): its kind, text and end."""
    ch = text[i]
    if ch == "'":
        end = _string_end(text, i, backslashes=False)
        return TokenKind.STRING, text[i:end], end
    if ch == '"':
        end = _quoted_end(text, i, '"')
        return TokenKind.QUOTED, text[i + 1 : end - 1].replace('""', '"'), end
    if ch == "$":
        tag = _DOLLAR_TAG.match(text, i)
        if tag is None:  # $1, a positional parameter
            digits = re.match(r"\$\d*", text[i:])
            end = i + (len(digits.group()) if digits else 1)
            return TokenKind.OTHER, text[i:end], end
        close = text.find(tag.group(), tag.end())
        end = len(text) if close < 0 else close + len(tag.group())
        return TokenKind.STRING, text[i:end], end
    if _WORD_START.match(ch):
        word_end = _WORD.match(text, i + 1)
        end = word_end.end() if word_end else i + 1
        word = text[i:end]
        lowered = fold(word)
        if end < len(text) and text[end] == "'":
            if lowered == "e":
                close = _string_end(text, end, backslashes=True)
                return TokenKind.STRING, text[i:close], close
            if lowered in _PLAIN_PREFIXES:
                close = _string_end(text, end, backslashes=False)
                return TokenKind.STRING, text[i:close], close
        if lowered == "u" and text.startswith("&'", end):
            close = _string_end(text, end + 1, backslashes=False)
            return TokenKind.STRING, text[i:close], close
        if lowered == "u" and text.startswith('&"', end):
            close = _quoted_end(text, end + 1, '"')
            return TokenKind.QUOTED, text[end + 2 : close - 1].replace('""', '"'), close
        return TokenKind.WORD, lowered, end
    if ch in _PUNCT and not (ch == "." and i + 1 < len(text) and text[i + 1].isdigit()):
        return TokenKind.PUNCT, ch, i + 1
    number = _NUMBER.match(text, i)
    if number:
        return TokenKind.OTHER, number.group(), number.end()
    operator = _OPERATOR.match(text, i)
    end = operator.end() if operator else i + 1
    # An operator never swallows the start of a comment (`*--` is `*` then a comment).
    for marker in ("--", "/*"):
        cut = text.find(marker, i + 1, end)
        if cut >= 0:
            end = cut
    return TokenKind.OTHER, text[i:end], end


def _string_end(text: str, start: int, *, backslashes: bool) -> int:
    """End of the '…' literal opening at ``start`` ('' stays inside; so does \\' when escapes apply)."""
    i = start + 1
    n = len(text)
    while i < n:
        ch = text[i]
        if backslashes and ch == "\\":
            i += 2
            continue
        if ch == "'":
            if i + 1 < n and text[i + 1] == "'":
                i += 2
                continue
            return i + 1
        i += 1
    return n


def _quoted_end(text: str, start: int, quote: str) -> int:
    """End of the "…" identifier opening at ``start`` (a doubled quote stays inside)."""
    i = start + 1
    n = len(text)
    while i < n:
        if text[i] == quote:
            if i + 1 < n and text[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return n


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
