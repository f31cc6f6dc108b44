"""An index in the declaration language: what the YAML and Python writers write for a table's,
a view's or a partition's index."""

from __future__ import annotations

from collections.abc import Callable

from pgreconcile.model.objects import Index, IndexMethod, PrimaryKey, UniqueConstraint


def index_entry(index: Index) -> dict[str, object]:
    """An index in the declaration language."""
    spec: dict[str, object] = {"columns": list(index.elements)}
    if index.unique:
        spec["unique"] = True
    if index.method != IndexMethod.BTREE:
        spec["method"] = index.method.value
    if index.include:
        spec["include"] = list(index.include)
    if index.nulls_not_distinct:
        spec["nulls_not_distinct"] = True
    if index.options:
        spec["options"] = dict(index.options)
    if index.where is not None:
        spec["where"] = index.where
    if index.comment is not None:
        spec["comment"] = index.comment
    return spec


def index_keywords(index: Index, lit: Callable[[object], str]) -> list[str]:
    """The keyword arguments of ``index(...)`` in a Python declaration, beside its elements."""
    extra = ["unique=True"] if index.unique else []
    extra += [f"method={lit(index.method.value)}"] if index.method != IndexMethod.BTREE else []
    extra += [f"include={lit(list(index.include))}"] if index.include else []
    extra += ["nulls_not_distinct=True"] if index.nulls_not_distinct else []
    extra += [f"options={lit(dict(index.options))}"] if index.options else []
    extra += [f"where={lit(index.where)}"] if index.where is not None else []
    extra += [f"comment={lit(index.comment)}"] if index.comment is not None else []
    return extra


def index_parameters(con: PrimaryKey | UniqueConstraint) -> dict[str, object]:
    """``include`` and ``options`` of the index behind a primary key or unique, when it has them."""
    out: dict[str, object] = {}
    if con.include:
        out["include"] = list(con.include)
    if con.options:
        out["options"] = dict(con.options)
    return out
