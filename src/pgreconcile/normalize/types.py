"""Canonical type names: what people write → what ``format_type()`` prints.

The live side reads types with ``format_type(atttypid, atttypmod)`` under
``search_path = pg_catalog``, which spells built-in types in their long SQL form and qualifies
every other type with its schema. Declared types are brought to exactly that spelling here, so
that ``int4``, ``int`` and ``integer`` all compare equal to the live ``integer`` without a database.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from pgreconcile.quoting import ident

# Alias → canonical base name, as format_type spells it.
_BASE: dict[str, str] = {
    "int": "integer",
    "int4": "integer",
    "integer": "integer",
    "int8": "bigint",
    "bigint": "bigint",
    "int2": "smallint",
    "smallint": "smallint",
    "varchar": "character varying",
    "character varying": "character varying",
    "char": "character",
    "character": "character",
    "bpchar": "bpchar",
    "bool": "boolean",
    "boolean": "boolean",
    "float": "double precision",
    "float8": "double precision",
    "double precision": "double precision",
    "float4": "real",
    "real": "real",
    "decimal": "numeric",
    "numeric": "numeric",
    "timestamp": "timestamp without time zone",
    "timestamp without time zone": "timestamp without time zone",
    "timestamptz": "timestamp with time zone",
    "timestamp with time zone": "timestamp with time zone",
    "time": "time without time zone",
    "time without time zone": "time without time zone",
    "timetz": "time with time zone",
    "time with time zone": "time with time zone",
    "varbit": "bit varying",
    "bit varying": "bit varying",
    "bit": "bit",
    '"char"': '"char"',
}

# Built-in types that are spelled the same in every form.
_PLAIN = frozenset(
    """
    text uuid json jsonb bytea date interval inet cidr macaddr macaddr8 money xml tsvector tsquery
    oid point line lseg box path polygon circle regclass regtype regproc int4range int8range numrange
    tsrange tstzrange daterange int4multirange int8multirange nummultirange tsmultirange
    tstzmultirange datemultirange pg_lsn name
    """.split()
)

_SERIALS = {"serial": "integer", "serial4": "integer", "bigserial": "bigint", "serial8": "bigint",
            "smallserial": "smallint", "serial2": "smallint"}

# Types that come from well-known extensions: a declared `citext` resolves to the schema the
# extension is installed in. Maps type name → extension name.
EXTENSION_TYPES: dict[str, str] = {
    "citext": "citext",
    "vector": "vector",
    "halfvec": "vector",
    "sparsevec": "vector",
    "hstore": "hstore",
    "ltree": "ltree",
    "lquery": "ltree",
    "geometry": "postgis",
    "geography": "postgis",
    "cube": "cube",
    "isbn": "isn",
    "ean13": "isn",
}

# A quoted name may hold "" (one double quote), as format_type() prints `public."mood""; x"`.
_TYPE_RE = re.compile(
    r"""^\s*
    (?P<base>"(?:[^"]|"")+"(?:\s*\.\s*"(?:[^"]|"")+")?|"(?:[^"]|"")+"\s*\.\s*[A-Za-z_][\w$]*
       |[A-Za-z_][\w$]*\s*\.\s*"(?:[^"]|"")+"
       |[A-Za-z_][\w$]*(?:\s*\.\s*[A-Za-z_][\w$]*)?(?:\s+(?:varying|precision|with(?:out)?\s+time\s+zone))*)
    \s*(?:\((?P<mods>[^)]*)\))?
    \s*(?P<tz>(?:with|without)\s+time\s+zone)?
    \s*(?P<interval>(?:year|month|day|hour|minute|second)(?:\s+to\s+(?:month|hour|minute|second))?
        (?:\s*\(\s*\d+\s*\))?)?
    \s*(?P<array>(?:\[\s*\d*\s*\]\s*)+|\s+array)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


class UnknownType(ValueError):
    """A declared type is neither built in, nor declared, nor from a known extension."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        self.text = text
        self.suggestions = suggestions
        hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"unknown type {text!r}{hint}")


class SerialType(ValueError):
    """``serial`` is not a type; an identity column is the declared equivalent."""


#: Resolves a user-defined type name: (schema or None, name) → canonical qualified text, or None.
Resolver = Callable[[str | None, str], str | None]


def _no_user_types(schema: str | None, name: str) -> str | None:
    return None


def _unquote(part: str) -> str:
    part = part.strip()
    if part.startswith('"') and part.endswith('"'):
        return part[1:-1].replace('""', '"')
    return part.lower()


def _mods(mods: str | None) -> list[str]:
    if mods is None:
        return []
    return [m.strip() for m in mods.split(",") if m.strip()]


def canonical_type(text: str, resolve: Resolver = _no_user_types) -> str:
    """Return the canonical spelling of a declared type, as ``format_type()`` prints it.

    Raises :class:`UnknownType` for a name that is not built in and that ``resolve`` does not
    know, and :class:`SerialType` for ``serial``-family pseudo-types.
    """
    match = _TYPE_RE.match(text)
    if not match:
        raise UnknownType(text, [])
    raw_base = match["base"]
    array = "[]" if match["array"] else ""
    mods = _mods(match["mods"])
    tz = (match["tz"] or "").lower()
    interval_fields = " ".join((match["interval"] or "").lower().split())
    interval_fields = re.sub(r"\s*\(\s*", "(", interval_fields).replace(" )", ")")

    if '"' not in raw_base:
        base_words = " ".join(raw_base.lower().split())
        base_words = re.sub(r"\s*\.\s*", ".", base_words)
    else:
        base_words = raw_base.strip()
    if base_words in _SERIALS:
        raise SerialType(
            f"{text!r} is not a type: declare `type: {_SERIALS[base_words]}` with "
            "`identity: by default` (or `always`) instead"
        )
    if tz and base_words in ("timestamp", "time"):
        base_words = f"{base_words} {tz}"
    canonical = _BASE.get(base_words)
    if canonical is not None:
        return _with_modifiers(canonical, mods, text) + (
            f" {interval_fields}" if interval_fields else ""
        ) + array
    if base_words in _PLAIN:
        if base_words == "interval" and interval_fields:
            return "interval " + interval_fields + array
        if mods and base_words != "interval":
            # `text(3)`, `uuid(16)`: PostgreSQL rejects modifiers on these types at apply time.
            raise UnknownType(text, [f"{base_words} (without a modifier)"])
        return base_words + (f"({','.join(mods)})" if mods else "") + array

    # A user-defined or extension type, possibly schema-qualified.
    parts = [p for p in re.split(r'\.(?=(?:[^"]*"[^"]*")*[^"]*$)', raw_base.strip())]
    schema = _unquote(parts[0]) if len(parts) == 2 else None
    name = _unquote(parts[-1])
    resolved = resolve(schema, name)
    if resolved is None:
        known = sorted(set(_BASE) | _PLAIN | set(EXTENSION_TYPES))
        raise UnknownType(text, difflib.get_close_matches(name, known, n=3, cutoff=0.6))
    return resolved + (f"({','.join(mods)})" if mods else "") + array


def _with_modifiers(base: str, mods: list[str], text: str) -> str:
    """Attach type modifiers the way format_type does for each base type."""
    if base in ("character varying", "bit varying"):
        return f"{base}({mods[0]})" if mods else base
    if base == "character":
        return f"character({mods[0] if mods else 1})"
    if base == "bit":
        return f"bit({mods[0] if mods else 1})"
    if base == "numeric":
        if not mods:
            return "numeric"
        return f"numeric({mods[0]},{mods[1] if len(mods) > 1 else 0})"
    if base.startswith(("timestamp", "time")):
        if mods:
            head, _, zone = base.partition(" ")
            return f"{head}({mods[0]}) {zone}"
        return base
    if base == "double precision" and mods:
        # float(p): 1..24 is real, 25..53 is double precision.
        return "real" if int(mods[0]) <= 24 else "double precision"
    if mods:
        raise UnknownType(text, [])
    return base


def float_precision_type(precision: int) -> str:
    """``float(p)`` resolves to real or double precision depending on p."""
    return "real" if precision <= 24 else "double precision"


def qualified_type(schema: str, name: str) -> str:
    """How format_type spells a type outside pg_catalog: schema-qualified, quoted as needed."""
    return f"{ident(schema)}.{ident(name)}"


def base_of(type_text: str) -> str:
    """The canonical type without array brackets and modifiers (``character varying(20)[]`` →
    ``character varying``), for rules that depend on the kind of type."""
    text = type_text.removesuffix("[]")
    return re.sub(r"\(\s*[\d, ]*\)", "", text).strip()


def is_array(type_text: str) -> bool:
    """Whether a canonical type is an array type."""
    return type_text.endswith("[]")


def user_type_ref(type_text: str) -> tuple[str, str] | None:
    """The (schema, name) of a canonical type that lives outside pg_catalog, else None.

    Canonical spelling qualifies exactly those types (``public.user_role``, ``public."Mood"[]``,
    ``public.vector(3)``), so a dot outside quotes is the signal.
    """
    text = type_text.removesuffix("[]")
    text = re.sub(r"\([\d, ]*\)$", "", text)
    parts = re.split(r'\.(?=(?:[^"]*"[^"]*")*[^"]*$)', text)
    if len(parts) != 2:
        return None
    return _unquote_exact(parts[0]), _unquote_exact(parts[1])


def _unquote_exact(part: str) -> str:
    part = part.strip()
    if part.startswith('"') and part.endswith('"'):
        return part[1:-1].replace('""', '"')
    return part
