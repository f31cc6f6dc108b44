"""Quote-aware text helpers for SQL fragments, used where parsing is not needed or not possible.

Everything here treats ``'…'`` string literals and ``"…"`` quoted identifiers as opaque, because a
blank or a capital inside them is data. Texts whose lexing is subtle (comments, dollar quotes,
``E'…'`` strings with backslash escapes) are reported as *unsafe* rather than guessed at: a wrong
guess here would make two different expressions compare equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Backslash escapes (E'it\'s') and dollar quotes change where a literal ends; comments swallow
# text up to the end of the line. Seeing any of them, the cheap text paths step aside.
_UNSAFE = re.compile(r"--|/\*|\$|(?<![\w$])[eE]'|(?<![\w$])[uU]&")


def is_lexically_simple(sql: str) -> bool:
    """Whether ``sql`` has no comments, dollar quotes or escape-string literals, so that a
    character scan that only knows ``'…'`` and ``"…"`` finds every literal's true end."""
    return _UNSAFE.search(_without_quoted(sql)) is None and _balanced_quotes(sql)


def _without_quoted(sql: str) -> str:
    """``sql`` with the inside of every quoted run removed (so ``'--'`` is not a comment)."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":
            end = _quoted_end(sql, i)
            out.append(ch + ch)
            i = end
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _quoted_end(sql: str, start: int) -> int:
    """Index just past the quoted run that opens at ``start`` (doubled quotes stay inside);
    ``len(sql) + 1`` when the run is never closed."""
    quote = sql[start]
    i, n = start + 1, len(sql)
    while i < n:
        if sql[i] == quote:
            if i + 1 < n and sql[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return n + 1


def _balanced_quotes(sql: str) -> bool:
    i, n = 0, len(sql)
    while i < n:
        if sql[i] in "'\"":
            i = _quoted_end(sql, i)
            if i > n:
                return False
        else:
            i += 1
    return True


def collapse_whitespace(sql: str) -> str | None:
    """Whitespace runs outside quotes folded to one blank and the ends trimmed, or None when
    ``sql`` is not lexically simple (see :func:`is_lexically_simple`)."""
    if not is_lexically_simple(sql):
        return None
    return _fold(sql, lower=False)


def fold_case_and_space(sql: str) -> str:
    """Last-resort canonical text for SQL nothing could parse: whitespace folded and letters
    lowered outside quotes. Never raises; unsafe texts are only trimmed."""
    if not is_lexically_simple(sql):
        return sql.strip()
    return _fold(sql, lower=True)


def _fold(sql: str, *, lower: bool) -> str:
    out: list[str] = []
    i, n = 0, len(sql)
    pending_space = False
    while i < n:
        ch = sql[i]
        if ch.isspace():
            pending_space = True
            i += 1
            continue
        if pending_space and out:
            out.append(" ")
        pending_space = False
        if ch in "'\"":
            end = _quoted_end(sql, i)
            out.append(sql[i:end])
            i = end
        else:
            out.append(ch.lower() if lower else ch)
            i += 1
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Token:
    """A top-level lexical unit of an index element: ``kind`` is one of ``word`` (a bare or
    dotted name, possibly with quoted parts), ``group`` (a balanced ``(…)`` or ``[…]``),
    ``string`` (a ``'…'`` literal), ``number`` or ``op`` (any run of other symbols).
    ``start``/``end`` locate it in the scanned text."""

    kind: str
    text: str
    start: int
    end: int


_WORD_CHARS = re.compile(r"[A-Za-z0-9_$]")


def top_level_tokens(text: str) -> list[Token] | None:
    """Split ``text`` into top-level tokens, keeping parenthesised groups whole.

    Returns None when the text is not lexically simple or its brackets do not balance, so callers
    can fall back to treating the whole text as one expression.
    """
    if not is_lexically_simple(text):
        return None
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "([":
            end = _group_end(text, i)
            if end is None:
                return None
            tokens.append(Token("group", text[i:end], i, end))
            i = end
        elif ch in ")]":
            return None
        elif ch == "'":
            end = _quoted_end(text, i)
            tokens.append(Token("string", text[i:end], i, end))
            i = end
        elif ch == '"' or _WORD_CHARS.match(ch):
            end = _word_end(text, i)
            word = text[i:end]
            kind = "number" if re.fullmatch(r"[0-9.]+", word) else "word"
            tokens.append(Token(kind, word, i, end))
            i = end
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in "()[]'\"" and not _WORD_CHARS.match(
                text[j]
            ):
                j += 1
            tokens.append(Token("op", text[i:j], i, j))
            i = j
    return tokens


def _word_end(text: str, start: int) -> int:
    """End of a name that may be dotted and may have quoted parts: ``public."My Func"``."""
    i, n = start, len(text)
    while i < n:
        ch = text[i]
        dotted = ch == "." and i + 1 < n and (text[i + 1] == '"' or _WORD_CHARS.match(text[i + 1]))
        if ch == '"':
            i = _quoted_end(text, i)
        elif _WORD_CHARS.match(ch) or dotted:
            i += 1
        else:
            break
    return i


def _group_end(text: str, start: int) -> int | None:
    """Index just past the bracket group opening at ``start``, or None if unbalanced."""
    closing = {"(": ")", "[": "]"}
    stack: list[str] = []
    i, n = start, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":
            i = _quoted_end(text, i)
            continue
        if ch in closing:
            stack.append(closing[ch])
        elif ch in ")]":
            if not stack or stack.pop() != ch:
                return None
            if not stack:
                return i + 1
        i += 1
    return None
