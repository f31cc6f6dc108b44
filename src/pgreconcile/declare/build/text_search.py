"""Declared text search dictionaries and configurations → model objects.

Names of templates, parsers and dictionaries are written as the language writes names
(``schema.name``, :func:`split_dotted`); one written alone is pg_catalog's (``simple``,
``english_stem``, the ``default`` parser), except a dictionary of the configuration's own schema
that the declarations name that way.
"""

from __future__ import annotations

from collections.abc import Sequence

from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.names import catalog_name
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.model.origin import Origin
from pgreconcile.model.text_search import OptionValue, TextSearchConfiguration, TextSearchDictionary

Dictionaries = dict[tuple[str, str], TextSearchDictionary]
Configurations = dict[tuple[str, str], TextSearchConfiguration]


def _value(value: str | int | float | bool) -> OptionValue:
    # PostgreSQL reads `accept = false` as the word false, kept as text.
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def build_text_search(documents: Sequence[Document], problems: Problems) -> tuple[Dictionaries, Configurations]:
    """Every declared dictionary and configuration by (schema, name)."""
    dictionaries: Dictionaries = {}
    for doc in documents:
        for schema, spec in doc.spec.schemas.items():
            for name, d in spec.text_search_dictionaries.items():
                origin = Origin(doc.file, doc.line("schemas", schema, "text_search_dictionaries", name))
                if (schema, name) in dictionaries:
                    problems.at(origin, f"text search dictionary {schema}.{name} is declared twice: at "
                                f"{dictionaries[(schema, name)].origin} and at {origin}")
                    continue
                try:
                    template = catalog_name(d.template)
                except ValueError as error:
                    problems.at(origin, f"text search dictionary {schema}.{name}: template {error}")
                    continue
                # Option names are folded as SQL folds them when written without quotes.
                options = tuple(sorted((k.lower(), _value(v)) for k, v in d.options.items()))
                dictionaries[(schema, name)] = TextSearchDictionary(
                    schema, name, template, options, d.comment, d.owner, origin
                )
    own = set(dictionaries)
    configurations: Configurations = {}
    for doc in documents:
        for schema, spec in doc.spec.schemas.items():
            for name, c in spec.text_search_configurations.items():
                origin = Origin(doc.file, doc.line("schemas", schema, "text_search_configurations", name))
                what = f"text search configuration {schema}.{name}"
                if (schema, name) in configurations:
                    problems.at(origin, f"{what} is declared twice: at {configurations[(schema, name)].origin} "
                                f"and at {origin}")
                    continue
                try:
                    parser = catalog_name(c.parser)
                    mappings = tuple(sorted(
                        (token.lower(), tuple(catalog_name(d, own, schema) for d in ([dicts] if isinstance(dicts, str)
                                                                               else dicts)))
                        for token, dicts in c.mappings.items()
                    ))
                except ValueError as error:
                    problems.at(origin, f"{what}: {error}")
                    continue
                empty = [token for token, dicts in mappings if not dicts]
                if empty:
                    problems.at(origin, f"{what}: token type {empty[0]} is mapped to no dictionary",
                                "list at least one dictionary, or leave the token type out")
                    continue
                configurations[(schema, name)] = TextSearchConfiguration(
                    schema, name, parser, mappings, c.comment, c.owner, origin
                )
    return dict(sorted(dictionaries.items())), dict(sorted(configurations.items()))
