"""Labels of text search dictionary and configuration changes."""

from __future__ import annotations

from pgreconcile.diff.text_search import (
    AlterTsConfiguration,
    AlterTsDictionary,
    CreateTsConfiguration,
    CreateTsDictionary,
    DropTsConfiguration,
    DropTsDictionary,
    mapping_changes,
)
from pgreconcile.model.text_search import Name, OptionValue, TextSearchConfiguration, TextSearchDictionary, short_name
from pgreconcile.plan.describe import describe
from pgreconcile.quoting import literal

Label = tuple[str, tuple[str, ...]]


def _value(value: OptionValue | None) -> str:
    return "none" if value is None else literal(value)


def _dictionary(d: TextSearchDictionary) -> str:
    options = "".join(f", {k} = {literal(v)}" for k, v in d.options)
    return f"text search dictionary {d.qualified} (template {short_name(d.template)}{options})"


def _configuration(c: TextSearchConfiguration) -> str:
    count = len(c.mappings)
    return (f"text search configuration {c.qualified} (parser {short_name(c.parser)}, "
            f"{count} token type{'' if count == 1 else 's'})")


def _dicts(names: tuple[Name, ...]) -> str:
    return "[" + ", ".join(short_name(n) for n in names) + "]"


def _common(old_comment: str | None, comment: str | None, old_owner: str | None, owner: str | None) -> list[str]:
    parts = []
    if comment != old_comment:
        parts.append(f"comment {_value(old_comment)} → {_value(comment)}")
    if owner is not None and owner != old_owner:
        parts.append(f"owner {old_owner} → {owner}")
    return parts


@describe.register
def _(c: CreateTsDictionary) -> Label:
    return _dictionary(c.dictionary), ()


@describe.register
def _(c: DropTsDictionary) -> Label:
    return _dictionary(c.dictionary), ()


@describe.register
def _(c: AlterTsDictionary) -> Label:
    d, old = c.dictionary, c.old
    was, now = dict(old.options), dict(d.options)
    parts = [
        f"option {name} {_value(was.get(name))} → {_value(now.get(name))}"
        for name in sorted(set(was) | set(now))
        if was.get(name) != now.get(name)
    ]
    parts += _common(old.comment, d.comment, old.owner, d.owner)
    return f"text search dictionary {d.qualified} " + ", ".join(parts), ()


@describe.register
def _(c: CreateTsConfiguration) -> Label:
    return _configuration(c.configuration), ()


@describe.register
def _(c: DropTsConfiguration) -> Label:
    return _configuration(c.configuration), ()


@describe.register
def _(c: AlterTsConfiguration) -> Label:
    cfg, old = c.configuration, c.old
    added, altered, dropped = mapping_changes(cfg, old)
    was = dict(old.mappings)
    parts = [f"mapping {t} {_dicts(was[t])} → {_dicts(d)}" for t, d in altered.items()]
    parts += [f"mapping {t} none → {_dicts(d)}" for t, d in added.items()]
    parts += [f"mapping {t} {_dicts(was[t])} → none" for t in dropped]
    parts += _common(old.comment, cfg.comment, old.owner, cfg.owner)
    return f"text search configuration {cfg.qualified} " + ", ".join(parts), ()
