"""Casts in the language (YAML and Python data): the inverse of declare/build/casts.py."""

from __future__ import annotations

from pgreconcile.emit.operators import function_name
from pgreconcile.emit.yaml_text import Block
from pgreconcile.model.casts import Cast, CastContext
from pgreconcile.model.operators import Name
from pgreconcile.model.schema import Schema


def cast_key(cast: Cast) -> str:
    """``public.mood AS text``: the declaration key."""
    return f"{cast.source} AS {cast.target}"


def cast_spec(cast: Cast, own: set[Name]) -> dict[str, object]:
    spec: dict[str, object] = {}
    if cast.function is not None:
        name = function_name(cast.function, cast.schema or "", own)
        # The argument types are written only when they are not the source type alone.
        spec["function"] = name if cast.function_args == (cast.source,) else f"{name}({', '.join(cast.function_args)})"
    elif cast.inout:
        spec["inout"] = True
    else:
        spec["binary"] = True
    if cast.context is not CastContext.EXPLICIT:
        spec["context"] = str(cast.context)
    if cast.comment is not None:
        spec["comment"] = cast.comment
    return spec


def _home(schema: Schema) -> str:
    """Where the database's casts (no schema of their own) are written: public when it is
    written, else the first schema written (any schema holds them: model/casts.py)."""
    names = set(schema.namespaces) | {s for s, _ in schema.tables}
    return "public" if "public" in names or not names else min(names)


def _written_under(cast: Cast, schema: Schema) -> str:
    return cast.schema if cast.schema is not None else _home(schema)


def casts_block(schema: Schema, name: str) -> dict[str, Block]:
    """``{"casts": …}`` of namespace ``name`` (when it has some)."""
    own = {(f.schema, f.name) for f in schema.functions.values()}
    found = Block((cast_key(c), cast_spec(c, own)) for c in schema.casts.values() if _written_under(c, schema) == name)
    return {"casts": found} if found else {}


def cast_schemas(schema: Schema) -> set[str]:
    """The schemas that hold a cast."""
    return {_written_under(c, schema) for c in schema.casts.values()}
