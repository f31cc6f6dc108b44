"""Cutting the foreign keys out of a ``CREATE TABLE`` whose referenced tables do not exist yet.

A statement that names what its file creates further down is run again after the rest of the
file (:mod:`.run`); tables whose foreign keys reference each other in a cycle never get there:
each waits for the other. When the rounds stop making progress, such a table is created without
its foreign keys, which are added with ``ALTER TABLE … ADD`` once everything else ran. The
database ends the same: a named constraint keeps its name, and an unnamed one gets the name
``CREATE TABLE`` would give it (``<table>_<columns>_fkey``).
"""

from __future__ import annotations

from collections.abc import Sequence

from pgreconcile.declare.sql.script import Statement, Token, TokenKind

#: Referential actions after ``ON DELETE`` / ``ON UPDATE``, by their first word: how many words.
_ACTIONS = {"cascade": 1, "restrict": 1, "no": 2, "set": 2}


def split_foreign_keys(statement: Statement, text: str) -> tuple[str, list[str]] | None:
    """``(CREATE TABLE without its foreign keys, the ALTER TABLE … ADD of each)`` for a
    ``CREATE TABLE name (…)`` that declares foreign keys (as table constraints or on its
    columns); None for any other statement."""
    tokens = statement.tokens
    words = [t.text if t.kind is TokenKind.WORD else "" for t in tokens[:6]]
    if not words or words[0] != "create" or "table" not in words:
        return None
    opening = next((i for i, t in enumerate(tokens) if t.kind is TokenKind.PUNCT and t.text == "("), None)
    if opening is None:
        return None
    at = words.index("table") + 1
    if tokens[at].is_word("if"):
        at += 3  # IF NOT EXISTS
    name = text[tokens[at].start : tokens[opening - 1].end]
    if any(t.kind is TokenKind.WORD and t.text in ("of", "partition") for t in tokens[at:opening]):
        return None
    closing = _closing(tokens, opening)
    if closing is None:
        return None
    kept: list[str] = []
    alters: list[str] = []
    for element in _elements(tokens, opening + 1, closing):
        whole = text[element[0].start : element[-1].end]
        first = element[0].text if element[0].kind is TokenKind.WORD else ""
        second = element[2].text if len(element) > 2 and element[2].kind is TokenKind.WORD else ""
        if first == "foreign" or (first == "constraint" and second == "foreign"):
            alters.append(f"ALTER TABLE {name} ADD {whole}")
            continue
        cut = _column_reference(element, text) if first not in ("constraint", "primary", "unique", "check",
                                                                 "exclude", "like") else None
        if cut is None:
            kept.append(whole)
            continue
        column_text, clause = cut
        kept.append(column_text)
        alters.append(f"ALTER TABLE {name} ADD {clause}")
    if not alters:
        return None
    create = text[statement.start : tokens[opening].end] + ", ".join(kept) + text[tokens[closing].start : statement.end]
    return create, alters


def _closing(tokens: Sequence[Token], opening: int) -> int | None:
    """The index of the ``)`` that closes the ``(`` at ``opening``."""
    depth = 0
    for i in range(opening, len(tokens)):
        token = tokens[i]
        if token.kind is TokenKind.PUNCT and token.text == "(":
            depth += 1
        elif token.kind is TokenKind.PUNCT and token.text == ")":
            depth -= 1
            if depth == 0:
                return i
    return None


def _elements(tokens: Sequence[Token], start: int, stop: int) -> list[list[Token]]:
    """The table elements between ``start`` and ``stop``, cut at the commas outside parentheses."""
    out: list[list[Token]] = [[]]
    depth = 0
    for token in tokens[start:stop]:
        if token.kind is TokenKind.PUNCT and token.text == "(":
            depth += 1
        elif token.kind is TokenKind.PUNCT and token.text == ")":
            depth -= 1
        elif depth == 0 and token.kind is TokenKind.PUNCT and token.text == ",":
            out.append([])
            continue
        out[-1].append(token)
    return [element for element in out if element]


def _column_reference(element: list[Token], text: str) -> tuple[str, str] | None:
    """``(the column without its REFERENCES clause, FOREIGN KEY (column) REFERENCES …)`` for a
    column definition that references another table; None when it references none."""
    depth = 0
    found = None
    for i, token in enumerate(element):
        if token.kind is TokenKind.PUNCT:
            depth += {"(": 1, ")": -1}.get(token.text, 0)
        elif depth == 0 and token.is_word("references"):
            found = i
            break
    if found is None or found == 0:
        return None
    start = found - 2 if found >= 2 and element[found - 2].is_word("constraint") else found
    end = _clause_end(element, found + 1)
    named = text[element[start].start : element[found].start] if start < found else ""
    column = text[element[0].start : element[0].end]
    clause = f"{named}FOREIGN KEY ({column}) {text[element[found].start : element[end - 1].end]}"
    rest = text[element[end].start : element[-1].end] if end < len(element) else ""
    kept = text[element[0].start : element[start - 1].end] + (" " + rest if rest else "")
    return kept, clause


def _clause_end(element: list[Token], at: int) -> int:
    """The index just past a REFERENCES clause whose table name starts at ``at``: the name, its
    columns, then MATCH, ON DELETE / ON UPDATE and deferrability, whatever their order."""
    i = at + 1 if at < len(element) and element[at].is_name else at
    while i + 1 < len(element) and element[i].kind is TokenKind.PUNCT and element[i].text == "." \
            and element[i + 1].is_name:
        i += 2
    i = _skip_parentheses(element, i)
    while i < len(element):
        token = element[i]
        if token.is_word("match"):
            i += 2
        elif token.is_word("on") and i + 2 < len(element):
            i += 2 + _ACTIONS.get(element[i + 2].text, 1)
            i = _skip_parentheses(element, i)  # ON DELETE SET NULL (columns), PostgreSQL 15+
        elif token.is_word("deferrable"):
            i += 1
        elif token.is_word("initially") or (
                token.is_word("not") and i + 1 < len(element) and element[i + 1].is_word("deferrable")):
            i += 2
        else:
            break
    return min(i, len(element))


def _skip_parentheses(element: list[Token], i: int) -> int:
    """Past a parenthesized list starting at ``i``, if one does."""
    if i < len(element) and element[i].kind is TokenKind.PUNCT and element[i].text == "(":
        closing = _closing(element, i)
        return len(element) if closing is None else closing + 1
    return i
