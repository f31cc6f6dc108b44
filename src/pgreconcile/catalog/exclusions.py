"""An exclusion constraint's definition (``pg_get_constraintdef``) → the model.

PostgreSQL prints ``EXCLUDE USING gist (room_id WITH =, during WITH &&) INCLUDE (note)
WHERE ((NOT cancelled)) DEFERRABLE INITIALLY DEFERRED``; the pieces are cut at the top level
(quotes and brackets respected) rather than parsed, since each piece is SQL the model keeps
as text and compares through normalize.
"""

from __future__ import annotations

from pgreconcile.model.objects import IndexMethod
from pgreconcile.model.types import ExclusionConstraint
from pgreconcile.normalize.lexical import top_level_tokens


def split_top_level(text: str) -> list[str]:
    """``text`` cut at the commas outside brackets and quotes, each part stripped."""
    parts: list[str] = []
    depth, start, quote = 0, 0, ""
    for pos, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:pos].strip())
            start = pos + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _inner(group: str) -> str:
    return group[1:-1].strip()


def parse_exclusion(name: str, definition: str | None) -> ExclusionConstraint | None:
    """The exclusion constraint ``definition`` describes, or None when it cannot be read."""
    tokens = top_level_tokens(definition or "")
    if not tokens or len(tokens) < 4 or [t.text.upper() for t in tokens[:2]] != ["EXCLUDE", "USING"]:
        return None
    try:
        method = IndexMethod(tokens[2].text.lower())
    except ValueError:
        return None
    if tokens[3].kind != "group":
        return None
    elements = tuple(split_top_level(_inner(tokens[3].text)))
    include: tuple[str, ...] = ()
    where: str | None = None
    words = [t.text.upper() for t in tokens]
    rest = tokens[4:]
    i = 0
    while i < len(rest):
        word = words[4 + i]
        if word == "INCLUDE" and i + 1 < len(rest) and rest[i + 1].kind == "group":
            include = tuple(p.strip('"') for p in split_top_level(_inner(rest[i + 1].text)))
            i += 2
        elif word == "WHERE" and i + 1 < len(rest) and rest[i + 1].kind == "group":
            where = _inner(rest[i + 1].text)
            i += 2
        elif word in {"DEFERRABLE", "INITIALLY", "DEFERRED", "IMMEDIATE", "NOT"}:
            i += 1
        else:
            return None
    # PostgreSQL prints the deferral only when it is not the default (never NOT DEFERRABLE).
    deferrable = "DEFERRABLE" in words[4:]
    return ExclusionConstraint(
        name=name,
        elements=elements,
        method=method,
        where=where,
        include=include,
        deferrable=deferrable,
        initially_deferred="DEFERRED" in words,
    )
