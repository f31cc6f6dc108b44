"""Compare text search dictionaries and configurations.

A dictionary's options and a configuration's token mappings are altered in place (``ALTER TEXT
SEARCH DICTIONARY … (option = value)``, ``ALTER TEXT SEARCH CONFIGURATION … ADD / ALTER / DROP
MAPPING``); a different template or parser cannot be altered, so the object is dropped and
created again. A configuration that maps a re-created dictionary is re-created with it (the
dictionary cannot be dropped while a configuration maps it). Comments and declared owners are
set in place.

Ordering: a configuration needs the dictionaries it maps (created first, and a live one that
maps a dictionary the plan drops is altered or dropped before it). Indexes, generated columns,
defaults, checks and functions that name a configuration (``to_tsvector('english_nostop',
body)``) need it by name (diff/deps.py text_search_needs): created after it, and dropped before
it. PostgreSQL refuses to drop a configuration an index or column still uses, so re-creating or
dropping one that live tables keep using refuses the plan, naming them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action
from pgreconcile.diff.changes import Change
from pgreconcile.diff.deps import text_search_needs
from pgreconcile.model import Schema
from pgreconcile.model.keys import extension_key, schema_key, ts_config_key, ts_config_name_key, ts_dictionary_key
from pgreconcile.model.privileges import owner_differs
from pgreconcile.model.text_search import TextSearchConfiguration, TextSearchDictionary, short_name


@dataclass(frozen=True)
class CreateTsDictionary(Change):
    dictionary: TextSearchDictionary

    ACTION = Action.CREATE
    KIND = "text search dictionary"
    ORDER_RANK = 4  # with the types: before the configurations, tables and functions

    @property
    def key(self) -> str:
        return self.dictionary.key


@dataclass(frozen=True)
class DropTsDictionary(Change):
    dictionary: TextSearchDictionary

    ACTION = Action.DESTROY
    KIND = "text search dictionary"
    ORDER_RANK = 31  # after the configurations that mapped it

    @property
    def key(self) -> str:
        return self.dictionary.key


@dataclass(frozen=True)
class AlterTsDictionary(Change):
    """Options, comment and owner of a dictionary that stays."""

    dictionary: TextSearchDictionary
    old: TextSearchDictionary

    ACTION = Action.UPDATE
    KIND = "text search dictionary"
    ORDER_RANK = 5

    @property
    def key(self) -> str:
        return self.dictionary.key


@dataclass(frozen=True)
class CreateTsConfiguration(Change):
    configuration: TextSearchConfiguration

    ACTION = Action.CREATE
    KIND = "text search configuration"
    ORDER_RANK = 5  # after its dictionaries, before the tables whose indexes use it

    @property
    def key(self) -> str:
        return self.configuration.key


@dataclass(frozen=True)
class DropTsConfiguration(Change):
    configuration: TextSearchConfiguration

    ACTION = Action.DESTROY
    KIND = "text search configuration"
    ORDER_RANK = 30  # after the indexes and columns that used it

    @property
    def key(self) -> str:
        return self.configuration.key


@dataclass(frozen=True)
class AlterTsConfiguration(Change):
    """Mappings, comment and owner of a configuration that stays."""

    configuration: TextSearchConfiguration
    old: TextSearchConfiguration

    ACTION = Action.UPDATE
    KIND = "text search configuration"
    ORDER_RANK = 6

    @property
    def key(self) -> str:
        return self.configuration.key


# Templates and dictionaries that come from an extension (contrib): a dictionary of such a
# template, or a configuration mapping such a dictionary, is created after CREATE EXTENSION.
# Matched by name alone, as FUNCTION_EXTENSIONS in diff/deps.py: a false match only adds an edge.
_EXTENSION_TEMPLATES = {"unaccent": "unaccent", "intdict_template": "dict_int", "xsyn_template": "dict_xsyn"}
_EXTENSION_DICTIONARIES = {"unaccent": "unaccent", "intdict": "dict_int", "xsyn": "dict_xsyn"}


def _dictionary_needs(d: TextSearchDictionary) -> frozenset[str]:
    needs = {schema_key(d.schema)}
    if d.template[1] in _EXTENSION_TEMPLATES:
        needs.add(extension_key(_EXTENSION_TEMPLATES[d.template[1]]))
    return frozenset(needs)


def _configuration_needs(c: TextSearchConfiguration) -> frozenset[str]:
    needs = {schema_key(c.schema)} | _dictionary_keys(c)
    needs |= {extension_key(_EXTENSION_DICTIONARIES[n]) for _, n in c.dictionaries() if n in _EXTENSION_DICTIONARIES}
    return frozenset(needs)


def _config_keys(config: TextSearchConfiguration) -> frozenset[str]:
    """What a configuration's creation makes exist: it, by its full name and by its name alone."""
    return frozenset({config.key, ts_config_name_key(config.name)})


def _dictionary_keys(config: TextSearchConfiguration) -> frozenset[str]:
    return frozenset(ts_dictionary_key(*d) for d in config.dictionaries())


def _users(live: Schema, config: TextSearchConfiguration) -> list[str]:
    """Indexes and columns of live tables whose expressions name ``config`` (by name: a name
    alone may be another schema's configuration of that name, which only over-refuses)."""
    wanted = ts_config_name_key(config.name)
    found: list[str] = []
    for table in live.tables.values():
        for index in table.indexes:
            if any(wanted in text_search_needs(text) for text in (*index.elements, index.where)):
                found.append(f"index {table.schema}.{index.name}")
        for col in table.columns:
            if any(wanted in text_search_needs(text) for text in (col.generated, col.default)):
                found.append(f"column {table.qualified}.{col.name}")
    return found


def compare_text_search(desired: Schema, live: Schema) -> tuple[list[Change], list[str]]:
    """The dictionary and configuration changes, and refusals for configurations in use that
    would be dropped."""
    changes: list[Change] = []
    refusals: list[str] = []
    recreated: set[tuple[str, str]] = set()
    for key, wanted in desired.ts_dictionaries.items():
        current = live.ts_dictionaries.get(key)
        needs = _dictionary_needs(wanted)
        creates = frozenset({wanted.key})
        if current is None:
            changes.append(CreateTsDictionary(wanted, needs=needs, creates=creates))
        elif wanted.template != current.template:
            why = "re-created: its template changed"
            recreated.add(key)
            changes.append(DropTsDictionary(current, removes=creates, replaces=True, reason=why))
            changes.append(CreateTsDictionary(wanted, needs=needs, creates=creates, replaces=True, reason=why))
        elif (wanted.options != current.options or wanted.comment != current.comment
              or owner_differs(wanted.owner, current.owner)):
            changes.append(AlterTsDictionary(wanted, current, needs=frozenset({wanted.key})))
    for key, current in live.ts_dictionaries.items():
        if key[0] in desired.managed and key not in desired.ts_dictionaries:
            changes.append(DropTsDictionary(current, removes=frozenset({current.key})))
    for key, cfg in desired.ts_configurations.items():
        have = live.ts_configurations.get(key)
        needs = _configuration_needs(cfg)
        creates = _config_keys(cfg)
        # A live dictionary the declarations leave out is dropped; one live nowhere may be an
        # extension's (unaccent), which the catalog read leaves out: PostgreSQL checks that one.
        undeclared = sorted(short_name(d) for d in cfg.dictionaries()
                            if d in live.ts_dictionaries and d not in desired.ts_dictionaries)
        if undeclared:
            refusals.append(f"text search configuration {cfg.qualified} maps {', '.join(undeclared)}, which "
                            "is not declared and would be dropped; declare the dictionary or map another one")
            continue
        if have is None:
            changes.append(CreateTsConfiguration(cfg, needs=needs, creates=creates))
            continue
        cause = None
        if cfg.parser != have.parser:
            cause = "its parser changed"
        elif have.dictionaries() & recreated:
            cause = "a dictionary it maps is re-created"
        if cause is not None:
            why = f"re-created: {cause}"
            users = _users(live, have)
            if users:
                refusals.append(f"text search configuration {have.qualified} must be re-created ({cause}), "
                                f"but {', '.join(users)} use it; drop or change them first")
                continue
            changes.append(DropTsConfiguration(have, removes=creates, replaces=True, reason=why,
                                               live_needs=_dictionary_keys(have)))
            changes.append(CreateTsConfiguration(cfg, needs=needs, creates=creates, replaces=True, reason=why))
        elif (cfg.mappings != have.mappings or cfg.comment != have.comment
              or owner_differs(cfg.owner, have.owner)):
            changes.append(AlterTsConfiguration(cfg, have, needs=needs | {cfg.key},
                                                live_needs=_dictionary_keys(have)))
    for key, have in live.ts_configurations.items():
        if key[0] in desired.managed and key not in desired.ts_configurations:
            users = _users(desired, have)
            if users:
                refusals.append(f"text search configuration {have.qualified} is not declared and would be "
                                f"dropped, but {', '.join(users)} use it; declare the configuration")
                continue
            changes.append(DropTsConfiguration(have, removes=_config_keys(have),
                                               live_needs=_dictionary_keys(have)))
    return changes, refusals


def mapping_changes(
    wanted: TextSearchConfiguration, old: TextSearchConfiguration
) -> tuple[dict[str, tuple[tuple[str, str], ...]], dict[str, tuple[tuple[str, str], ...]], list[str]]:
    """Token types to add (with their dictionaries), to alter, and to drop."""
    new, was = dict(wanted.mappings), dict(old.mappings)
    added = {t: d for t, d in new.items() if t not in was}
    altered = {t: d for t, d in new.items() if t in was and was[t] != d}
    dropped = [t for t in was if t not in new]
    return added, altered, dropped


__all__ = [
    "AlterTsConfiguration",
    "AlterTsDictionary",
    "CreateTsConfiguration",
    "CreateTsDictionary",
    "DropTsConfiguration",
    "DropTsDictionary",
    "compare_text_search",
    "mapping_changes",
    "ts_config_key",
]
