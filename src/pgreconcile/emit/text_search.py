"""Text search dictionaries and configurations in the language (YAML and Python data)."""

from __future__ import annotations

from pgreconcile.declare.spec.names import dotted, written_catalog_name
from pgreconcile.emit.yaml_text import Block
from pgreconcile.model.schema import Schema
from pgreconcile.model.text_search import Name, TextSearchConfiguration, TextSearchDictionary


def _mapped(name: Name, schema: str, own: set[tuple[str, str]]) -> str:
    # A name alone in a mapping means this schema's dictionary when it declares one of that
    # name (declare/build/text_search.py), so pg_catalog's is then written in full.
    if name[0] == "pg_catalog" and (schema, name[1]) in own:
        return dotted(*name)
    return written_catalog_name(name)


def dictionary_spec(d: TextSearchDictionary) -> dict[str, object]:
    spec: dict[str, object] = {"template": written_catalog_name(d.template)}
    if d.options:
        spec["options"] = dict(d.options)
    if d.comment is not None:
        spec["comment"] = d.comment
    if d.owner is not None:
        spec["owner"] = d.owner
    return spec


def configuration_spec(c: TextSearchConfiguration, own: set[tuple[str, str]]) -> dict[str, object]:
    spec: dict[str, object] = {"parser": written_catalog_name(c.parser)}
    if c.mappings:
        spec["mappings"] = Block((token, [_mapped(d, c.schema, own) for d in dicts]) for token, dicts in c.mappings)
    if c.comment is not None:
        spec["comment"] = c.comment
    if c.owner is not None:
        spec["owner"] = c.owner
    return spec


def text_search_block(schema: Schema, name: str) -> dict[str, Block]:
    """``{"text_search_dictionaries": …, "text_search_configurations": …}`` of namespace
    ``name`` (keys only when it has some)."""
    out: dict[str, Block] = {}
    own = set(schema.ts_dictionaries)
    dictionaries = Block((n, dictionary_spec(d)) for (s, n), d in sorted(schema.ts_dictionaries.items()) if s == name)
    if dictionaries:
        out["text_search_dictionaries"] = dictionaries
    configurations = Block(
        (n, configuration_spec(c, own)) for (s, n), c in sorted(schema.ts_configurations.items()) if s == name
    )
    if configurations:
        out["text_search_configurations"] = configurations
    return out


def text_search_schemas(schema: Schema) -> set[str]:
    """The schemas that hold a dictionary or a configuration."""
    return {s for s, _ in [*schema.ts_dictionaries, *schema.ts_configurations]}
