"""The language of text search objects: ``schemas.<s>.text_search_dictionaries.<name>`` and
``schemas.<s>.text_search_configurations.<name>`` (resolved in
:mod:`pgreconcile.declare.build.text_search`)."""

from __future__ import annotations

from pydantic import Field

from pgreconcile.declare.spec.base import Keyed, Spec


class TextSearchDictionarySpec(Spec):
    """``english_nostop: {template: snowball, options: {language: english}}``: a template
    (``simple``, ``snowball``, ``ispell``, ``synonym``, ``thesaurus``, or ``schema.name``) and
    the options it takes."""

    empty_hint = "a dictionary needs a template: `{template: simple, options: {stopwords: english}}`"
    template: str
    options: Keyed[str | int | float | bool] = Field(default_factory=dict)
    comment: str | None = None
    owner: str | None = None  # compared only when written


class TextSearchConfigurationSpec(Spec):
    """``english_plain: {parser: default, mappings: {asciiword: [english_stem], word: simple}}``:
    a parser and, for each token type, the dictionaries to consult in order (a dictionary
    alone is pg_catalog's, or this schema's when it declares one of that name)."""

    empty_hint = "a configuration maps token types: `{mappings: {asciiword: [english_stem]}}`"
    parser: str = "default"
    mappings: Keyed[list[str] | str] = Field(default_factory=dict)  # a dictionary alone, or the list
    comment: str | None = None
    owner: str | None = None  # compared only when written
