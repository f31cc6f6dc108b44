"""Declared column types → canonical type text, knowing the declared enums and extensions.

Lookup order for an unqualified name, chosen to match what a search_path of
``<table's schema>, public`` would find, plus one convenience:

1. an enum in the table's own schema, then in ``public``;
2. an enum of that name in any other declared schema, if there is exactly one;
3. a type of a declared extension (``citext``, ``vector``, ...), in the schema the extension is
   declared in (``public`` when none is given, where ``CREATE EXTENSION`` puts it).

Names in declarations are written as PostgreSQL stores them, so ``type: UserRole`` finds the
enum declared as ``UserRole`` even though SQL would fold the unquoted name to lower case; an exact
match always wins over that case-insensitive one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from pgreconcile.model.objects import Enum, Extension
from pgreconcile.normalize.types import (
    EXTENSION_TYPES,
    SerialType,
    UnknownType,
    canonical_type,
    qualified_type,
)

_BUILTIN_NAMES = sorted(
    {
        "bigint",
        "boolean",
        "bytea",
        "character varying",
        "date",
        "double precision",
        "inet",
        "integer",
        "interval",
        "json",
        "jsonb",
        "numeric",
        "real",
        "smallint",
        "text",
        "timestamp",
        "timestamptz",
        "time",
        "uuid",
        "varchar",
    }
)


class TypeProblem(ValueError):
    """A declared type that cannot be resolved; ``message`` and ``hint`` are for the user."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class TypeResolver:
    """Resolves declared type text for tables of one declaration set."""

    def __init__(
        self,
        enums: dict[tuple[str, str], Enum],
        extensions: dict[str, Extension],
        others: Iterable[tuple[str, str]] = (),
    ) -> None:
        # `others`: the (schema, name) of declared domains, composite and range types, found
        # by name exactly as enums are (they share pg_type with them).
        self._enums: set[tuple[str, str]] = set(enums) | set(others)
        self._extensions = extensions
        self._labels = {qualified_type(e.schema, e.name): e.values for e in enums.values()}
        self._cache: dict[tuple[str, str], str | TypeProblem] = {}
        self._by_lower: dict[str, list[tuple[str, str]]] = {}
        for schema, name in sorted(self._enums):
            self._by_lower.setdefault(name.lower(), []).append((schema, name))

    def enum_labels(self, column_type: str) -> tuple[str, ...] | None:
        """The labels when ``column_type`` (canonical) is a declared enum or an array of one."""
        return self._labels.get(column_type.removesuffix("[]"))

    def canonical(self, text: str, table_schema: str) -> str:
        """The canonical spelling of ``text`` for a column of a table in ``table_schema``.

        Raises :class:`TypeProblem` with a hint (declare the extension, use identity, ...).
        """
        # A big schema spells the same dozen types tens of thousands of times.
        known = self._cache.get((text, table_schema))
        if known is None:
            known = self._cache[(text, table_schema)] = self._canonical(text, table_schema)
        if isinstance(known, TypeProblem):
            raise known
        return known

    def _canonical(self, text: str, table_schema: str) -> str | TypeProblem:
        ambiguous: list[str] = []

        def resolve(schema: str | None, name: str) -> str | None:
            found = self._find(schema, name, table_schema, ambiguous)
            return qualified_type(*found) if found else None

        try:
            return canonical_type(text, resolve)
        except SerialType as err:
            return TypeProblem(
                str(err), "identity columns are the SQL-standard form of serial; their sequence is owned"
            )
        except UnknownType as err:
            return self._unknown(text, err, ambiguous, table_schema)

    def _find(self, schema: str | None, name: str, table_schema: str, ambiguous: list[str]) -> tuple[str, str] | None:
        if schema is not None:
            hit = self._enum_in(schema, name)
            if hit:
                return hit
            extension = self._extension_schema(name)
            return (schema, name) if extension == schema else None
        for candidate in dict.fromkeys((table_schema, "public")):
            hit = self._enum_in(candidate, name)
            if hit:
                return hit
        matches = self._by_lower.get(name.lower(), [])
        pool = [key for key in matches if key[1] == name] or matches
        if len(pool) == 1:
            return pool[0]
        if len(pool) > 1:
            ambiguous.extend(f"{s}.{n}" for s, n in sorted(pool))
            return None
        extension = self._extension_schema(name)
        return (extension, name) if extension else None

    def _enum_in(self, schema: str, name: str) -> tuple[str, str] | None:
        """``name`` arrives lower-cased unless it was quoted; prefer the exact spelling."""
        if (schema, name) in self._enums:
            return schema, name
        matches = [key for key in self._by_lower.get(name.lower(), []) if key[0] == schema]
        return matches[0] if len(matches) == 1 else None

    def _extension_schema(self, name: str) -> str | None:
        """The schema holding extension type ``name`` when its extension is declared."""
        extension = self._extensions.get(EXTENSION_TYPES.get(name, ""))
        if extension is None:
            return None
        return extension.schema or "public"

    def _unknown(self, text: str, err: UnknownType, ambiguous: list[str], table_schema: str) -> TypeProblem:
        if ambiguous:
            return TypeProblem(
                f"type {text!r} is ambiguous: enums {', '.join(ambiguous)} are all declared",
                f"qualify it, e.g. `type: {ambiguous[0]}`",
            )
        name = _bare_name(text)
        extension = EXTENSION_TYPES.get(name)
        if extension is not None:
            declared = self._extensions.get(extension)
            if declared is None:
                return TypeProblem(
                    f"unknown type {text!r}: it comes from the {extension} extension, which is not declared",
                    f"declare it: `extensions: {{{extension}: {{}}}}`",
                )
            return TypeProblem(
                f"unknown type {text!r}: extension {extension} is declared in schema {declared.schema or 'public'}",
                f"write `type: {declared.schema or 'public'}.{name}` or leave the type unqualified",
            )
        foreign = difflib.get_close_matches(name, _OTHER_LANGUAGES, n=1, cutoff=0.75)
        if foreign:
            # `string`, `strnig`, `datetime`: a type name from another language, maybe misspelt.
            said = foreign[0]
            like = f"{said!r}" if said == name else f"{said!r} misspelt"
            return TypeProblem(
                f"unknown type {text!r}: it looks like {like}, which PostgreSQL calls "
                f"{_OTHER_LANGUAGES[said]!r}; did you mean {_OTHER_LANGUAGES[said]!r}?",
                f"write `type: {_OTHER_LANGUAGES[said]}`",
            )
        known = [*_BUILTIN_NAMES, *(n if s == table_schema else f"{s}.{n}" for s, n in self._enums)]
        suggestions = list(dict.fromkeys([*difflib.get_close_matches(name, known, n=3, cutoff=0.6), *err.suggestions]))[
            :3
        ]
        return TypeProblem(
            f"unknown type {text!r}"
            + (f"; did you mean {' or '.join(map(repr, suggestions))}?" if suggestions else ""),
            "a type is built in, declared (an enum, a domain, a composite or range type, a table for its row "
            "type), or a type of a declared extension",
        )


# Type names people bring from other languages and ORMs → the PostgreSQL type they mean.
_OTHER_LANGUAGES = {
    "string": "text",
    "str": "text",
    "long": "bigint",
    "datetime": "timestamptz",
    "number": "numeric",
    "dict": "jsonb",
    "object": "jsonb",
}


def _bare_name(text: str) -> str:
    """``public.CiText(3)[]`` → ``citext``: the last name, for hints."""
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text).strip()
    last = text.split(".")[-1].strip()
    return last.strip('"') if last.startswith('"') else last.lower()
