"""Merging desired schemas from different sources (declarations, SQL files) into one.

Within one source, files already merge (several YAML files may add tables to ``public``). Across
sources the rule is the same as across files: a schema may be shared, but each table, enum and
extension — and each schema's comment — is declared in exactly one place, and a second
declaration is an error that names both places.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

from pgreconcile.declare.spec.problems import Problems
from pgreconcile.model.objects import Namespace, Origin, Schema

K = TypeVar("K")
V = TypeVar("V")


def merge_schemas(first: Schema, second: Schema) -> Schema:
    """One schema declaring everything ``first`` and ``second`` declare; raises
    :class:`~pgreconcile.errors.DeclarationErrors` naming both places of every duplicate."""
    problems = Problems()
    merged = Schema(
        namespaces=_namespaces(first.namespaces, second.namespaces, problems),
        extensions=_union(first.extensions, second.extensions, "extension", problems),
        enums=_union(first.enums, second.enums, "enum", problems),
        tables=_union(first.tables, second.tables, "table", problems),
        managed=first.managed | second.managed,
        # [sequences]
        sequences=_union(first.sequences, second.sequences, "sequence", problems),
        external_tables={**second.external_tables, **first.external_tables},
    )
    problems.raise_if_any()
    return merged


def _label(key: Any) -> str:
    return ".".join(key) if isinstance(key, tuple) else str(key)


def _union(first: Mapping[K, V], second: Mapping[K, V], what: str, problems: Problems) -> dict[K, V]:
    out = dict(first)
    for key, value in second.items():
        if key in out:
            _twice(problems, f"{what} {_label(key)}", _origin(out[key]), _origin(value))
            continue
        out[key] = value
    return dict(sorted(out.items()))


def _namespaces(
    first: Mapping[str, Namespace], second: Mapping[str, Namespace], problems: Problems
) -> dict[str, Namespace]:
    out = dict(first)
    for name, ns in second.items():
        have = out.get(name)
        if have is None:
            out[name] = ns
        elif ns.comment is not None:
            if have.comment is not None:
                _twice(problems, f"the comment of schema {name}", have.origin, ns.origin)
            else:
                out[name] = dataclasses.replace(have, comment=ns.comment)
    return dict(sorted(out.items()))


def _origin(value: object) -> Origin | None:
    origin = getattr(value, "origin", None)
    return origin if isinstance(origin, Origin) else None


def _twice(problems: Problems, what: str, first: Origin | None, second: Origin | None) -> None:
    problems.at(
        second,
        f"{what} is declared twice: at {first or 'an unknown place'} and at {second or 'an unknown place'}",
        "declare each object in one place (one YAML, Python or SQL file); remove one of the two",
    )
