"""The JSON Schema of the YAML declaration language, generated from its pydantic models.

Editors that speak the YAML language server protocol (VS Code, JetBrains, Neovim, ...) complete
and check a declaration file given one comment line::

    # yaml-language-server: $schema=<path or URL of declarations.schema.json>

pydantic describes the long form of each mapping. The language also has short forms, expanded
before validation (``nickname: text``, ``user_role: [a, b]``, ``references: users.id``,
``columns: email``, ``on_delete: SET_NULL``); this module adds them, so that every file the
tool accepts is valid for the editor too. Short forms that belong to a whole mapping are listed
in :data:`SHORT_FORMS` (a test checks that every spec with a short form has an entry); those
that belong to a field are found from the field's own validators.

The committed copy lives at ``src/pgreconcile/schemas/declarations.schema.json``; regenerate it
with ``make schema-json`` (``python -m pgreconcile.declare.spec.json_schema --write``) and a test
checks that it is current.
"""

from __future__ import annotations

import argparse
import enum
import json
import re
import sys
import types
import typing
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, BeforeValidator

from pgreconcile.declare.spec import base, language

SCHEMA_ID = "https://pgreconcile.dev/schemas/declarations.schema.json"
RESOURCE = "schemas/declarations.schema.json"

_NAMES = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}

#: The short forms of whole mappings: what a spec accepts besides its mapping (see each
#: spec's ``expand``).
SHORT_FORMS: dict[str, list[dict[str, Any]]] = {
    "ExtensionSpec": [{"type": "null"}],
    "EnumSpec": [{"type": "array", "items": {"type": "string"}, "description": "the labels, in order"}],
    "ConvertSpec": [{"const": "regenerate"}],
    "ReferenceSpec": [{"type": "string", "description": "'table.column' or 'schema.table.column'"}],
    "ColumnSpec": [{"type": "string", "description": "the column's type; the column is nullable"}],
    "PrimaryKeySpec": [_NAMES],
    "TargetSpec": [{"type": "string", "description": "'schema.table': references its primary key"}],
    "CheckSpec": [{"type": "string", "description": "the CHECK expression"}],
    "NotNullSpec": [{"type": "string", "description": "the NOT NULL constraint's name"}],
    "IndexSpec": [_NAMES],
    "RlsSpec": [{"type": "boolean"}],
    "TableSpec": [{"type": "null"}],
    "SchemaSpec": [{"type": "null"}],
    # [sequences]
    "SequenceSpec": [{"type": "null", "description": "a bigint sequence with every default"}],
    # [views]
    "ViewColumnSpec": [{"type": "string", "description": "the column's comment"}],
    "ViewSpec": [{"type": "string", "description": "the view's query"}],
    "MaterializedViewSpec": [{"type": "string", "description": "the materialized view's query"}],
    # [constraints-types]
    "ExclusionSpec": [_NAMES],
    "DomainCheckSpec": [{"type": "string", "description": "the CHECK expression (VALUE is the value)"}],
    "DomainSpec": [{"type": "string", "description": "the domain's base type"}],
    "FieldSpec": [{"type": "string", "description": "the attribute's type"}],
    "RangeSpec": [{"type": "string", "description": "the range's subtype"}],
    # [privileges]
    "GrantSpec": [_NAMES],
    "PublishedTableSpec": [{"type": "null"}],
    "PublicationSpec": [{"type": "null"}],
    "RoleSpec": [{"type": "null"}],
    # [foreign]
    "ForeignDataWrapperSpec": [{"type": "null"}],
    "UserMappingSpec": [{"type": "null"}],
    "ForeignTableSpec": [{"type": "string", "description": "the server's name"}],
    "StatisticsSpec": [_NAMES],
}


def language_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one YAML declaration file."""
    schema = language.DocumentSpec.model_json_schema(by_alias=True)
    defs: dict[str, Any] = schema.pop("$defs")
    models = _models(language.DocumentSpec)
    for name, model in models.items():
        target = schema if model is language.DocumentSpec else defs[name]
        _field_short_forms(model, target)
    for name, alternatives in SHORT_FORMS.items():
        long_form = defs[name]
        defs[name] = {
            "description": _text(long_form.pop("description", "")),
            "anyOf": [long_form, *alternatives],
        }
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "pgreconcile declarations",
        "description": "One YAML declaration file of pgreconcile (docs/declarations.md).",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
        "$defs": dict(sorted(defs.items())),
    }
    return _tidy(out)  # type: ignore[no-any-return]


def render() -> str:
    """The schema as the committed file's text."""
    return json.dumps(language_schema(), indent=2, ensure_ascii=False) + "\n"


def committed() -> str:
    """The schema file that ships with the package."""
    return resources.files("pgreconcile").joinpath(RESOURCE).read_text(encoding="utf-8")


def _models(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every spec model reachable from ``root``, by class name (pydantic's ``$defs`` keys)."""
    found: dict[str, type[BaseModel]] = {}
    pending: list[Any] = [root]
    while pending:
        item = pending.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item.__name__ in found:
                continue
            found[item.__name__] = item
            pending += [f.annotation for f in item.model_fields.values()]
        else:
            pending += list(typing.get_args(item))
    return found


def _validators(annotation: Any) -> list[Any]:
    """The before-validator functions anywhere in an annotation (``Names | None`` included)."""
    out: list[Any] = []
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        out += [m.func for m in metadata if isinstance(m, BeforeValidator)]
        return out + _validators(inner)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            out += _validators(arg)
    return out


def _field_short_forms(model: type[BaseModel], target: dict[str, Any]) -> None:
    """Add the short forms that a field's own validators accept to its property schema."""
    properties: dict[str, Any] = target.get("properties", {})
    for name, info in model.model_fields.items():
        key = info.alias or name
        if info.default_factory in (dict, list) and key in properties:
            # An empty default is a factory (pydantic copied a literal {} for every object):
            # the schema still says it.
            properties[key].setdefault("default", info.default_factory())
        functions = [*(m.func for m in info.metadata if isinstance(m, BeforeValidator)), *_validators(info.annotation)]
        for function in functions:
            kind = getattr(function, "__name__", "")
            if function is base.one_or_many:
                _also(properties, key, {"type": "string"})
            elif function is base.none_is_empty or kind == "expand_all":
                _also(properties, key, {"type": "null"})
            elif kind == "names_or_expand":  # a list of names (extensions, published tables, roles)
                _also(properties, key, {"type": "array", "items": {"type": "string"}})
            elif function is base.words:
                _also(properties, key, _spellings(info.annotation))
            elif kind == "unique_list":
                properties[key] = _unique_property()
            # [routines]
            elif kind == "_events":
                _also(properties, key, {"type": "string", "description": "'insert or update'"})
            elif kind == "_number_text":
                _also(properties, key, {"type": "number"})
            elif kind == "_enabled":
                _also(properties, key, {"type": "boolean"})
                _also(properties, key, _spellings(info.annotation))
            elif kind == "_setting":
                scalars = {"type": ["string", "number", "boolean"]}
                _also(properties, key, {"type": "object", "additionalProperties": scalars})


def _also(properties: dict[str, Any], key: str, alternative: dict[str, Any]) -> None:
    """Let ``properties[key]`` also accept ``alternative``."""
    prop = properties[key]
    keep = {k: prop.pop(k) for k in ("default", "description") if k in prop}
    options = prop["anyOf"] if set(prop) == {"anyOf"} else [prop]
    if alternative not in options:
        options.append(alternative)
    properties[key] = {"anyOf": options, **keep}


def _spellings(annotation: Any) -> dict[str, Any]:
    """Any case, with ``_`` or ``-`` for spaces: ``SET_NULL`` means ``set null``."""
    values: list[str] = []
    pending = [annotation]
    while pending:
        item = pending.pop()
        if isinstance(item, type) and issubclass(item, enum.Enum):
            values += [str(m.value) for m in item]
        elif typing.get_origin(item) is typing.Literal:
            values += [str(a) for a in typing.get_args(item)]
        else:
            pending += list(typing.get_args(item))
    words = "|".join(
        "[ _-]+".join("".join(f"[{c.upper()}{c}]" if c.isalpha() else re.escape(c) for c in w) for w in v.split())
        for v in sorted(values)
    )
    return {"type": "string", "pattern": f"^\\s*(?:{words})\\s*$", "description": "any case; _ or - for spaces"}


def _unique_property() -> dict[str, Any]:
    """``unique:`` as ``{name: [columns] | {columns: ...}}`` or ``[[columns] | column | {...}]``."""
    body = {"$ref": "#/$defs/UniqueSpec"}
    return {
        "description": "unique constraints: a mapping from name to columns, or a list of column lists",
        "anyOf": [
            {"type": "object", "additionalProperties": {"anyOf": [_NAMES, body]}},
            {"type": "array", "items": {"anyOf": [_NAMES, body]}},
            {"type": "null"},
        ],
    }


def _text(docstring: str) -> str:
    """A docstring as a description an editor shows (reST ``code`` as Markdown `code`)."""
    return " ".join(docstring.replace("``", "`").split())


def _tidy(node: Any) -> Any:
    """Drop pydantic's generated titles and make descriptions plain."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "title" and isinstance(value, str) and "$schema" not in node:
                continue
            out[key] = _text(value) if key == "description" and isinstance(value, str) else _tidy(value)
        return out
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    return node


def main(argv: list[str] | None = None) -> int:
    """Print the schema, or ``--write`` it to the package's copy, or ``--check`` that copy."""
    parser = argparse.ArgumentParser(prog="python -m pgreconcile.declare.spec.json_schema", description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite src/pgreconcile/schemas/declarations.schema.json")
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed copy is out of date")
    args = parser.parse_args(argv)
    text = render()
    target = Path(str(resources.files("pgreconcile").joinpath(RESOURCE)))
    if args.write:
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    elif args.check:
        if committed() != text:
            print(f"{target} is out of date: run `make schema-json`", file=sys.stderr)
            return 1
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
