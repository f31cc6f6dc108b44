"""Declared casts → model objects.

The key names the cast: ``source AS target``. Both types resolve as a function's argument types
do, relative to the schema the cast is declared under (model/casts.py: the schema of an object
it uses). The function resolves as CastSpec says (declare/spec/casts.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pgreconcile.declare.build.collect import schema_entries
from pgreconcile.declare.build.operators import operand_texts
from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.casts import CastSpec
from pgreconcile.declare.spec.names import catalog_name
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.spec.types import TypeProblem, TypeResolver
from pgreconcile.model.casts import Cast, CastContext, CastId
from pgreconcile.model.origin import Origin
from pgreconcile.model.routines import Function

Casts = dict[CastId, Cast]

_AS = re.compile(r"\s+as\s+", re.IGNORECASE)


def split_cast_key(key: str) -> tuple[str, str]:
    """``mood AS text`` → ``("mood", "text")`` (types as written; parentheses optional).
    Raises ValueError."""
    text = key.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    parts = _AS.split(text)
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise ValueError(f"{key!r} must be `source type AS target type`, e.g. `mood AS text`")
    return parts[0].strip(), parts[1].strip()


def _function(text: str, source: str, resolver: TypeResolver, schema: str, own: set[tuple[str, str]]
              ) -> tuple[tuple[str, str], tuple[str, ...]]:
    name, paren, rest = text.strip().partition("(")
    function = catalog_name(name.strip(), own, schema)
    if not paren:
        return function, (source,)
    if not rest.endswith(")"):
        raise ValueError(f"function {text!r} must be `name` or `name(argument types)`")
    args = tuple(resolver.canonical(a, schema) for a in operand_texts(rest[:-1]) if a)
    return function, args


def _build_one(schema: str, key: str, spec: CastSpec, resolver: TypeResolver, own: set[tuple[str, str]],
               origin: Origin) -> Cast:
    source_text, target_text = split_cast_key(key)
    source = resolver.canonical(source_text, schema)
    target = resolver.canonical(target_text, schema)
    ways = [w for w, on in (("function", spec.function is not None), ("inout", spec.inout),
                            ("binary", spec.binary)) if on]
    if len(ways) != 1:
        raise ValueError("say how it converts, once: `function: name`, `inout: true` or `binary: true`"
                         + (f" (not {' and '.join(ways)})" if ways else ""))
    function, args = (None, ()) if spec.function is None else _function(spec.function, source, resolver,
                                                                         schema, own)
    return Cast(source, target, function=function, function_args=args, inout=spec.inout,
                context=CastContext(spec.context), comment=spec.comment, schema=schema, origin=origin)


def build_casts(
    documents: Sequence[Document], resolver: TypeResolver, functions: Mapping[str, Function], problems: Problems
) -> Casts:
    """Every declared cast by (source, target)."""
    own = {(f.schema, f.name) for f in functions.values()}
    found: Casts = {}
    for schema, key, cast_spec, origin in schema_entries(documents, "casts"):
        try:
            cast = _build_one(schema, key, cast_spec, resolver, own, origin)
        except (ValueError, TypeProblem) as error:
            problems.at(origin, f"cast ({key}): {error}")
            continue
        if cast.ident in found:
            problems.at(origin, f"cast {cast.label} is declared twice: at {found[cast.ident].origin} and at {origin}")
            continue
        found[cast.ident] = cast
    return dict(sorted(found.items()))
