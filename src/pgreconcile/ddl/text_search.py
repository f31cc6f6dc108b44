"""SQL of text search dictionaries and configurations (see :mod:`pgreconcile.diff.text_search`)."""

from __future__ import annotations

from pgreconcile.ddl.statements import comment_on, statements
from pgreconcile.diff.text_search import (
    AlterTsConfiguration,
    AlterTsDictionary,
    CreateTsConfiguration,
    CreateTsDictionary,
    DropTsConfiguration,
    DropTsDictionary,
    mapping_changes,
)
from pgreconcile.model.text_search import Name, OptionValue, TextSearchConfiguration, TextSearchDictionary
from pgreconcile.quoting import ident, literal, qualified

_DICTIONARY = "TEXT SEARCH DICTIONARY"
_CONFIGURATION = "TEXT SEARCH CONFIGURATION"


def _option(name: str, value: OptionValue) -> str:
    # A number is written bare and text quoted, as PostgreSQL stores them (model/text_search.py).
    return f"{ident(name)} = {literal(value)}"


def _owner(kind: str, schema: str, name: str, owner: str) -> str:
    return f"ALTER {kind} {qualified(schema, name)} OWNER TO {ident(owner)}"


def _names(names: tuple[Name, ...]) -> str:
    return ", ".join(qualified(*n) for n in names)


def _mapping(config: TextSearchConfiguration, verb: str, mapped: dict[str, tuple[Name, ...]]) -> list[str]:
    """``ALTER … ADD|ALTER MAPPING FOR a, b WITH d1, d2``: one statement per dictionary list,
    token types that share one together (a configuration copied from english maps a dozen
    token types to the same stemmer)."""
    by_dicts: dict[tuple[Name, ...], list[str]] = {}
    for token, dicts in mapped.items():
        by_dicts.setdefault(dicts, []).append(token)
    head = f"ALTER {_CONFIGURATION} {qualified(config.schema, config.name)} {verb} MAPPING FOR"
    return [f"{head} {', '.join(ident(t) for t in tokens)} WITH {_names(dicts)}" for dicts, tokens in by_dicts.items()]


@statements.register
def _(change: CreateTsDictionary) -> list[str]:
    d = change.dictionary
    options = [f"TEMPLATE = {qualified(*d.template)}", *(_option(k, v) for k, v in d.options)]
    out = [f"CREATE {_DICTIONARY} {qualified(d.schema, d.name)} ({', '.join(options)})"]
    if d.comment is not None:
        out.append(comment_on(_DICTIONARY, qualified(d.schema, d.name), d.comment))
    if d.owner is not None:
        out.append(_owner(_DICTIONARY, d.schema, d.name, d.owner))
    return out


@statements.register
def _(change: DropTsDictionary) -> list[str]:
    return [f"DROP {_DICTIONARY} {qualified(change.dictionary.schema, change.dictionary.name)}"]


def _option_changes(new: TextSearchDictionary, old: TextSearchDictionary) -> list[str]:
    """New and changed options with their value; options to remove by name alone."""
    was = dict(old.options)
    wanted = dict(new.options)
    out = [_option(k, v) for k, v in new.options if k not in was or was[k] != v]
    return out + [ident(k) for k in was if k not in wanted]


@statements.register
def _(change: AlterTsDictionary) -> list[str]:
    d, old = change.dictionary, change.old
    out = []
    options = _option_changes(d, old)
    if options:
        out.append(f"ALTER {_DICTIONARY} {qualified(d.schema, d.name)} ({', '.join(options)})")
    if d.comment != old.comment:
        out.append(comment_on(_DICTIONARY, qualified(d.schema, d.name), d.comment))
    if d.owner is not None and d.owner != old.owner:
        out.append(_owner(_DICTIONARY, d.schema, d.name, d.owner))
    return out


@statements.register
def _(change: CreateTsConfiguration) -> list[str]:
    c = change.configuration
    out = [f"CREATE {_CONFIGURATION} {qualified(c.schema, c.name)} (PARSER = {qualified(*c.parser)})"]
    out += _mapping(c, "ADD", dict(c.mappings))
    if c.comment is not None:
        out.append(comment_on(_CONFIGURATION, qualified(c.schema, c.name), c.comment))
    if c.owner is not None:
        out.append(_owner(_CONFIGURATION, c.schema, c.name, c.owner))
    return out


@statements.register
def _(change: DropTsConfiguration) -> list[str]:
    return [f"DROP {_CONFIGURATION} {qualified(change.configuration.schema, change.configuration.name)}"]


@statements.register
def _(change: AlterTsConfiguration) -> list[str]:
    c, old = change.configuration, change.old
    added, altered, dropped = mapping_changes(c, old)
    out = []
    if dropped:
        tokens = ", ".join(ident(t) for t in dropped)
        out.append(f"ALTER {_CONFIGURATION} {qualified(c.schema, c.name)} DROP MAPPING FOR {tokens}")
    out += _mapping(c, "ALTER", altered) + _mapping(c, "ADD", added)
    if c.comment != old.comment:
        out.append(comment_on(_CONFIGURATION, qualified(c.schema, c.name), c.comment))
    if c.owner is not None and c.owner != old.owner:
        out.append(_owner(_CONFIGURATION, c.schema, c.name, c.owner))
    return out
