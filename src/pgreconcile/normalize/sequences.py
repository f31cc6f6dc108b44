"""The sequence a column default draws from: ``nextval('public.users_id_seq'::regclass)``.

The catalog prints a serial's default with the sequence schema-qualified (the reader's
search_path is pg_catalog alone) and quoted where needed. A declaration may write the short
``nextval('users_id_seq')``; :func:`qualified_nextval` brings it to the printed form, so the
two compare equal and the ordering graph knows which sequence the column needs.
"""

from __future__ import annotations

import re

from pgreconcile.quoting import literal, qualified

_NEXTVAL = re.compile(r"^\s*nextval\s*\(\s*'((?:[^']|'')+)'(?:\s*::\s*regclass)?\s*\)\s*$", re.IGNORECASE)
_PART = re.compile(r'"((?:[^"]|"")*)"|([^."]+)')


def regclass_parts(text: str) -> tuple[str, ...] | None:
    """``schema.name`` or ``name`` as a regclass literal spells it → its names (unquoted, an
    unquoted part folded to lower case as PostgreSQL does); None when it is not a name."""
    parts: list[str] = []
    position = 0
    while True:
        match = _PART.match(text, position)
        if match is None:
            return None
        quoted, bare = match.group(1), match.group(2)
        parts.append(quoted.replace('""', '"') if quoted is not None else bare.strip().lower())
        position = match.end()
        if position == len(text):
            break
        if text[position] != ".":
            return None
        position += 1
    return tuple(parts) if len(parts) in (1, 2) else None


def nextval_target(default: str | None) -> tuple[str | None, str] | None:
    """``(schema or None, sequence)`` when ``default`` is exactly a ``nextval('…')`` call."""
    if not default or "nextval" not in default:
        return None  # most defaults: asked for every column of every table, several times a plan
    match = _NEXTVAL.match(default)
    if match is None:
        return None
    parts = regclass_parts(match.group(1).replace("''", "'"))
    if parts is None:
        return None
    return (None, parts[0]) if len(parts) == 1 else (parts[0], parts[1])


def nextval_sql(schema: str, name: str) -> str:
    """The default of a column drawing from ``schema.name``, as the catalog prints it."""
    return f"nextval({literal(qualified(schema, name))}::regclass)"


def qualified_nextval(default: str | None, schema: str) -> str | None:
    """``default`` with a ``nextval('name')`` call qualified by ``schema`` (the table's) and
    spelled as PostgreSQL prints it; any other default unchanged."""
    target = nextval_target(default)
    if target is None:
        return default
    return nextval_sql(target[0] or schema, target[1])
