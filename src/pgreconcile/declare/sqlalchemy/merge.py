"""A table the models declare, completed by a YAML (or Python) file naming the same table.

SQLAlchemy cannot say everything (row-level security, policies, JSONB groups, ...): a file may
declare the same table with those keys only. The file's keys are moved into the model's table;
a column, an enum, a named index/check/foreign key/policy or a single-valued key (``comment``,
``primary_key``, ``rls``) declared by both is an error naming both places.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from pgreconcile.declare.documents import Document, validate
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.yaml.source import YamlList, YamlMap
from pgreconcile.model.objects import Origin

_HINT = "declare it in one place: the model for what SQLAlchemy expresses, the YAML file for the rest"
Key = tuple[str, str]


def merge_documents(documents: Sequence[Document], models: Sequence[Document], problems: Problems) -> list[Document]:
    """``documents`` and the SQLAlchemy ``models`` as one list, each table in one document."""
    tables: dict[Key, Document] = {}
    enums: dict[Key, Document] = {}
    for model in models:
        for schema_name, schema in model.spec.schemas.items():
            tables.update(dict.fromkeys(((schema_name, t) for t in schema.tables), model))
            enums.update(dict.fromkeys(((schema_name, e) for e in schema.enums), model))
    data = {id(m): m.source for m in models}
    out: list[Document] = []
    for doc in documents:
        moved: list[tuple[str, str]] = []
        for schema_name, schema in doc.spec.schemas.items():
            for enum_name in schema.enums:
                owner = enums.get((schema_name, enum_name))
                if owner is not None:
                    path = ("schemas", schema_name, "enums", enum_name)
                    _both(problems, f"enum {schema_name}.{enum_name}", owner, doc, path, path)
            for table_name in schema.tables:
                owner = tables.get((schema_name, table_name))
                if owner is None:
                    continue
                path = ("schemas", schema_name, "tables", table_name)
                into = data[id(owner)]["schemas"][schema_name]["tables"][table_name]
                _merge_table(into, owner, doc, path, problems)
                moved.append((schema_name, table_name))
        if not moved:
            out.append(doc)
            continue
        rest = _without(doc.source, moved)
        document = validate(rest, doc.file, problems)
        if document is not None:
            out.append(document)
    for model in models:
        document = validate(data[id(model)], model.file, problems)
        if document is not None:
            out.append(document)
    return out


def _merge_table(into: YamlMap, model: Document, doc: Document, path: tuple[str, ...], problems: Problems) -> None:
    written = doc.source
    for part in path:
        written = written[part]
    if not isinstance(written, dict):
        return  # `users:` with nothing under it adds nothing
    what = f"table {path[1]}.{path[3]}"
    for key, value in written.items():
        if key == "unique" and isinstance(value, list):
            into.setdefault("unique", []).extend(_plain(value))
        elif key in ("columns", "foreign_keys", "checks", "indexes", "policies", "groups") and isinstance(value, dict):
            have = into.get(key)
            if have is None:
                into[key] = have = {}
            for name, body in value.items():
                if name in have:
                    noun = key.rstrip("s").replace("_", " ") if key != "indexes" else "index"
                    _both(problems, f"{noun} {name} of {what}", model, doc, (*path, key, name), (*path, key, name))
                else:
                    have[name] = _plain(body)
        elif key in into:
            _both(problems, f"`{key}` of {what}", model, doc, (*path, key), (*path, key))
        else:
            into[key] = _plain(value)


def _both(problems: Problems, what: str, model: Document, doc: Document, model_path: tuple[str, ...],
          doc_path: tuple[str, ...]) -> None:
    first = Origin(model.file, model.line(*model_path))
    second = Origin(doc.file, doc.line(*doc_path))
    problems.at(second, f"{what} is declared twice: by the SQLAlchemy models at {first} and at {second}", _HINT)


def _plain(value: Any) -> Any:
    """A copy without line marks: lines of another file would point into the wrong one."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return copy.copy(value)


def _without(data: Any, moved: list[tuple[str, str]]) -> Any:
    """``data`` (a document's source) without the tables ``moved``, sharing everything else."""
    root = _copy_map(data)
    root["schemas"] = schemas = _copy_map(data["schemas"])
    for schema_name, table_name in moved:
        schema = schemas[schema_name] = _copy_map(schemas[schema_name])
        tables = schema["tables"] = _copy_map(schema["tables"])
        del tables[table_name]
    return root


def _copy_map(value: Any) -> Any:
    if isinstance(value, YamlMap):
        out = YamlMap(value.line)
        out.update(value)
        out.key_lines = dict(value.key_lines)
        return out
    if isinstance(value, YamlList):
        return value
    return dict(value)
