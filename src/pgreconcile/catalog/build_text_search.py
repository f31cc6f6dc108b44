"""Rows of ``queries/text_search.sql`` → text search dictionaries and configurations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from pgreconcile.model.text_search import OptionValue, TextSearchConfiguration, TextSearchDictionary

# One `name = value` of pg_ts_dict.dictinitoption as PostgreSQL serializes it: the name as
# quote_identifier() prints it, the value a number (written without quotes) or a string literal
# (E'' when it holds a backslash), entries separated by ", ".
_OPTION = re.compile(
    r"""\s*(?P<name>"(?:[^"]|"")*"|[^\s=]+)\s*=\s*"""
    r"""(?:(?P<escaped>E)?'(?P<text>(?:[^'\\]|''|\\.)*)'|(?P<number>[-+0-9.eE]+))\s*(?:,|$)"""
)


def dictionary_options(text: str | None) -> tuple[tuple[str, OptionValue], ...]:
    """``language = 'english', maxlen = 10`` → ``(("language", "english"), ("maxlen", 10))``,
    sorted by name (see model/text_search.py)."""
    found: list[tuple[str, OptionValue]] = []
    position = 0
    text = text or ""
    while position < len(text.rstrip()):
        match = _OPTION.match(text, position)
        if match is None:
            raise ValueError(f"cannot read text search dictionary options {text!r}")
        name = match["name"]
        name = name[1:-1].replace('""', '"') if name.startswith('"') else name
        value: OptionValue
        if match["number"] is not None:
            number = match["number"]
            value = int(number) if re.fullmatch(r"[-+]?[0-9]+", number) else float(number)
        else:
            value = match["text"].replace("''", "'")
            if match["escaped"]:
                value = re.sub(r"\\(.)", r"\1", value)
        found.append((name, value))
        position = match.end()
    return tuple(sorted(found))


def text_search(
    rows: Iterable[Sequence[Any]],
) -> tuple[dict[tuple[str, str], TextSearchDictionary], dict[tuple[str, str], TextSearchConfiguration]]:
    """Dictionaries and configurations, each by (schema, name)."""
    dictionaries: dict[tuple[str, str], TextSearchDictionary] = {}
    configurations: dict[tuple[str, str], TextSearchConfiguration] = {}
    for kind, schema, name, owner, comment, ref_schema, ref_name, options, mappings in rows:
        if kind == "d":
            dictionaries[(schema, name)] = TextSearchDictionary(
                schema, name, (ref_schema, ref_name), dictionary_options(options), comment, owner
            )
        else:
            mapped = tuple(
                (alias, tuple((d_schema, d_name) for d_schema, d_name in dicts)) for alias, dicts in mappings or ()
            )
            configurations[(schema, name)] = TextSearchConfiguration(
                schema, name, (ref_schema, ref_name), mapped, comment, owner
            )
    return dictionaries, configurations
