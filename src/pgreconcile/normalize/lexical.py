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

# A complete '…' literal or "…" identifier (a doubled quote stays inside).
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")

# What PostgreSQL's scanner treats as blank space; other Unicode spaces (a no-break space) are
# characters of an identifier to it, so folding them would merge distinct texts.
_BLANK_RUN = re.compile(r"[ \t\n\r\f\v]+")
_BLANKS = " \t\n\r\f\v"


def _segments(sql: str) -> list[tuple[bool, str]] | None:
    """``sql`` cut into (quoted, text) runs, or None when it is not lexically simple."""
    parts: list[tuple[bool, str]] = []
    position = 0
    for match in _QUOTED.finditer(sql):
        parts.append((False, sql[position : match.start()]))
        parts.append((True, match.group()))
        position = match.end()
    parts.append((False, sql[position:]))
    skeleton = "''".join(text for quoted, text in parts if not quoted)
    if "'" in skeleton.replace("''", "") or '"' in skeleton or _UNSAFE.search(skeleton):
        # An unterminated quote, a comment, a dollar quote or an escape string.
        return None
    return parts


def quoted_runs(sql: str) -> list[tuple[bool, str]] | None:
    """``sql`` cut into (quoted, text) runs — a ``'…'`` literal or ``"…"`` identifier is one
    quoted run — or None when it is not lexically simple."""
    return _segments(sql)


def is_lexically_simple(sql: str) -> bool:
    """Whether ``sql`` has no comments, dollar quotes or escape-string literals and its quotes
    are closed, so that knowing only ``'…'`` and ``"…"`` finds every literal's true end."""
    return _segments(sql) is not None


def same_apart_from_blanks(a: str, b: str) -> bool:
    """Cheap necessary condition for two texts to differ only in whitespace (C-speed)."""
    return _BLANK_RUN.sub("", a) == _BLANK_RUN.sub("", b)


def collapse_whitespace(sql: str) -> str | None:
    """Whitespace runs outside quotes folded to one blank and the ends trimmed, or None when
    ``sql`` is not lexically simple (see :func:`is_lexically_simple`)."""
    parts = _segments(sql)
    if parts is None:
        return None
    return _fold(parts, lower=False)


def fold_case_and_space(sql: str) -> str:
    """Last-resort canonical text for SQL nothing could parse: whitespace folded and letters
    lowered outside quotes. Never raises; unsafe texts are only trimmed."""
    parts = _segments(sql)
    if parts is None:
        return sql.strip(_BLANKS)
    return _fold(parts, lower=True)


def _fold(parts: list[tuple[bool, str]], *, lower: bool) -> str:
    out = []
    for quoted, text in parts:
        if quoted:
            out.append(text)
        else:
            folded = _BLANK_RUN.sub(" ", text)
            out.append(folded.lower() if lower else folded)
    return "".join(out).strip(_BLANKS)


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


_NAME_OR_STRING = re.compile(r"'(?:[^']|'')*'|\"((?:[^\"]|\"\")+)\"|([A-Za-z_][\w$]*)(?![\w$]*\s*\()")


def identifier_words(sql: str) -> frozenset[str]:
    """Every name an expression mentions outside string literals and function calls, without
    parsing it: quoted names as written, unquoted ones folded to lower case. A superset of the
    columns it reads (keywords are included); callers intersect it with the table's columns."""
    words: set[str] = set()
    for match in _NAME_OR_STRING.finditer(sql):
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            words.add(quoted.replace('""', '"'))
        elif bare is not None:
            words.add(bare.lower())
    return frozenset(words)


_CALL_OR_STRING = re.compile(r"'(?:[^']|'')*'|([A-Za-z_][\w$]*)\s*\(")


def called_functions(sql: str) -> list[str]:
    """Lower-cased names of the functions an expression calls, found without parsing it and
    never inside string literals (``'gen_random_uuid()'`` is text, not a call)."""
    return [name.lower() for name in _CALL_OR_STRING.findall(sql) if name]


_ANY_NAME_OR_STRING = re.compile(r"'(?:[^']|'')*'|\"((?:[^\"]|\"\")+)\"|([A-Za-z_][\w$]*)")


def mentioned_names(sql: str) -> frozenset[str]:
    """Every name a body mentions outside string literals, lower-cased, whether it names a
    relation, a column or a called function: ``"increment func"(a)`` gives ``increment func``.
    A superset (keywords included) that callers intersect with the names of declared objects."""
    words: set[str] = set()
    for match in _ANY_NAME_OR_STRING.finditer(sql):
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            words.add(quoted.replace('""', '"').lower())
        elif bare is not None:
            words.add(bare.lower())
    return frozenset(words)
