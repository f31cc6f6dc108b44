"""Text search dictionaries and configurations (``CREATE TEXT SEARCH DICTIONARY / CONFIGURATION``).

A dictionary is a template (``simple``, ``snowball``, ``ispell``, ``synonym``, ``thesaurus`` or
one of an extension) with options; a configuration is a parser and, for each token type the
parser emits, the dictionaries that token is looked up in, in order. Both are named by
``(schema, name)``; a template, parser or dictionary of ``pg_catalog`` is that schema's like any
other (the YAML writes it alone: ``simple``, ``english_stem``).

``options`` are sorted by name (PostgreSQL keeps them in written order, which carries no
meaning) with the values PostgreSQL keeps: a number stays a number, anything else is text
(``language = english`` is stored as ``'english'``). ``mappings`` are sorted by token type.
``comment`` and ``owner`` are compared alone; an owner that is not declared (None) is not
compared at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgreconcile.model.keys import ts_config_key, ts_dictionary_key
from pgreconcile.model.origin import Origin

#: A dictionary option's value as PostgreSQL keeps it: a number, or text.
OptionValue = str | int | float

#: ``(schema, name)`` of a template, parser or dictionary.
Name = tuple[str, str]


@dataclass(frozen=True, slots=True)
class TextSearchDictionary:
    schema: str
    name: str
    template: Name
    options: tuple[tuple[str, OptionValue], ...] = ()
    comment: str | None = field(default=None, compare=False)
    owner: str | None = field(default=None, compare=False)
    origin: Origin | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return ts_dictionary_key(self.schema, self.name)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True, slots=True)
class TextSearchConfiguration:
    schema: str
    name: str
    parser: Name
    mappings: tuple[tuple[str, tuple[Name, ...]], ...] = ()  # token type → dictionaries, in order
    comment: str | None = field(default=None, compare=False)
    owner: str | None = field(default=None, compare=False)
    origin: Origin | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return ts_config_key(self.schema, self.name)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    def dictionaries(self) -> set[Name]:
        """Every dictionary some token type is mapped to."""
        return {d for _, dicts in self.mappings for d in dicts}


def short_name(name: Name) -> str:
    """``simple`` for pg_catalog's, ``schema.name`` for the others (the YAML and plan form)."""
    return name[1] if name[0] == "pg_catalog" else f"{name[0]}.{name[1]}"
