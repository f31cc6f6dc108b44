"""Names: the ones PostgreSQL invents for unnamed constraints, and dotted references.

A constraint declared without a name (``primary_key: true``, ``unique: true``, a column-level
``references`` or ``check``) gets the name PostgreSQL itself would choose, so that a database
built by hand with ``CREATE TABLE ... PRIMARY KEY`` and the declaration agree on every name.
PostgreSQL builds those names in ``makeObjectName`` (``src/backend/commands/indexcmds.c``):
``<table>_<columns>_<label>``, cut to fit in NAMEDATALEN-1 = 63 bytes by shortening the *longer*
of the two name parts one byte at a time, never the label, and never inside a multibyte
character. This module reimplements that rule; it does not add PostgreSQL's numeric suffix for
names that are already taken (that depends on creation order), the builder reports a clash instead.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

# An index key that is just a column, possibly with a collation: `email`, `"Email" COLLATE "C"`.

#: PostgreSQL's NAMEDATALEN - 1: the longest identifier, in bytes.
MAX_IDENTIFIER_BYTES = 63


def _clip(raw: bytes, limit: int) -> bytes:
    """The longest prefix of UTF-8 ``raw`` of at most ``limit`` bytes that ends on a character."""
    cut = raw[:limit]
    # Drop a trailing partial character: continuation bytes are 0b10xxxxxx.
    while cut and len(cut) < len(raw) and (raw[len(cut)] & 0xC0) == 0x80:
        cut = cut[:-1]
    return cut


def make_object_name(name1: str, name2: str | None, label: str | None) -> str:
    """PostgreSQL's ``makeObjectName``: ``name1_name2_label`` truncated to 63 bytes the same way."""
    raw1 = name1.encode()
    raw2 = name2.encode() if name2 is not None else b""
    overhead = (1 if name2 is not None else 0) + (len(label.encode()) + 1 if label else 0)
    available = MAX_IDENTIFIER_BYTES - overhead
    len1, len2 = len(raw1), len(raw2)
    # Shorten the longer part first, one byte at a time, exactly as the server's loop does.
    while len1 + len2 > available:
        if len1 > len2:
            len1 -= 1
        else:
            len2 -= 1
    out = _clip(raw1, len1)
    if name2 is not None:
        out += b"_" + _clip(raw2, len2)
    if label:
        out += b"_" + label.encode()
    return out.decode()


def column_names_addition(columns: tuple[str, ...] | list[str]) -> str:
    """PostgreSQL's ``ChooseIndexNameAddition``: column names joined by ``_``, stopping once the
    text reaches NAMEDATALEN bytes (the final cut happens in :func:`make_object_name`)."""
    out = b""
    for name in columns:
        if out:
            out += b"_"
        out += _clip(name.encode(), MAX_IDENTIFIER_BYTES)
        if len(out) >= MAX_IDENTIFIER_BYTES + 1:
            break
    return out.decode(errors="ignore")


def primary_key_name(table: str) -> str:
    """``<table>_pkey``."""
    return make_object_name(table, None, "pkey")


def unique_name(table: str, columns: tuple[str, ...] | list[str]) -> str:
    """``<table>_<col>_<col>_key``."""
    return make_object_name(table, column_names_addition(columns), "key")


def foreign_key_name(table: str, columns: tuple[str, ...] | list[str]) -> str:
    """``<table>_<col>_fkey``."""
    return make_object_name(table, column_names_addition(columns), "fkey")


def check_name(table: str, column: str | None) -> str:
    """``<table>_<col>_check``, or ``<table>_check`` when the expression does not read exactly
    one column (PostgreSQL decides by the columns the expression uses, not by where it was written)."""
    return make_object_name(table, column, "check")


def too_long(name: str) -> bool:
    """Whether PostgreSQL would silently truncate ``name`` (so the declared name never matches)."""
    # A character is at most 4 bytes in UTF-8: short names need no encoding.
    return len(name) * 4 > MAX_IDENTIFIER_BYTES and len(name.encode()) > MAX_IDENTIFIER_BYTES


def truncated(name: str) -> str:
    """What PostgreSQL stores for an over-long identifier."""
    return _clip(name.encode(), MAX_IDENTIFIER_BYTES).decode()


def split_dotted(text: str) -> list[str]:
    """Split ``schema.table`` / ``schema.table.column`` on dots outside double quotes.

    Unquoted parts are taken as written (names in declarations are case-sensitive, as stored);
    a double-quoted part may contain dots, with ``""`` standing for one quote. Raises ValueError
    on an unterminated quote or an empty part.
    """
    parts: list[str] = []
    current: list[str] = []
    quoted_part = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            end = i + 1
            piece: list[str] = []
            while True:
                if end >= len(text):
                    raise ValueError(f"unterminated double quote in {text!r}")
                if text[end] == '"':
                    if end + 1 < len(text) and text[end + 1] == '"':
                        piece.append('"')
                        end += 2
                        continue
                    break
                piece.append(text[end])
                end += 1
            current.extend(piece)
            quoted_part = True
            i = end + 1
            continue
        if ch == ".":
            parts.append(_finish(current, quoted_part, text))
            current, quoted_part = [], False
        else:
            current.append(ch)
        i += 1
    parts.append(_finish(current, quoted_part, text))
    return parts


def _finish(chars: list[str], quoted_part: bool, text: str) -> str:
    part = "".join(chars) if quoted_part else "".join(chars).strip()
    if not part:
        raise ValueError(f"empty name in {text!r}")
    return part


def dotted(*parts: str) -> str:
    """The inverse of :func:`split_dotted`: join names, quoting any that contain a dot or quote."""
    return ".".join(_dotted_part(p) for p in parts)


def catalog_name(text: str, own: Collection[tuple[str, str]] = (), schema: str = "") -> tuple[str, str]:
    """A name of a function, template, parser or dictionary as the language writes it:
    ``app.english_nostop`` → ``("app", "english_nostop")``; one written alone is pg_catalog's
    (``simple`` → ``("pg_catalog", "simple")``), or ``(schema, name)`` when ``own`` holds that.
    Raises ValueError."""
    parts = split_dotted(text)
    if len(parts) == 2:
        return parts[0], parts[1]
    if len(parts) != 1:
        raise ValueError(f"{text!r} is not a name (`name` or `schema.name`)")
    return (schema, parts[0]) if (schema, parts[0]) in own else ("pg_catalog", parts[0])


def written_catalog_name(name: tuple[str, str]) -> str:
    """The inverse of :func:`catalog_name` without ``own``: pg_catalog's alone, any other dotted."""
    return name[1] if name[0] == "pg_catalog" else dotted(*name)


def _dotted_part(name: str) -> str:
    if "." in name or '"' in name or name != name.strip():
        return '"' + name.replace('"', '""') + '"'
    return name


def check_column(read: Iterable[str], columns: Collection[str]) -> str | None:
    """The column a CHECK is named after: the only table column its expression reads, if exactly
    one (``read`` are the names the expression uses; unquoted ones may need folding to match)."""
    found = {name if name in columns else name.lower() for name in read}
    found &= set(columns)
    return next(iter(found)) if len(found) == 1 else None


