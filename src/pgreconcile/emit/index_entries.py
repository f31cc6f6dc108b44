"""An index in the declaration language: what the YAML and Python writers write for a table's,
a view's or a partition's index."""

from __future__ import annotations

from pgreconcile.model.objects import Index, IndexMethod


def index_entry(index: Index) -> dict[str, object]:
    """An index in the declaration language."""
    spec: dict[str, object] = {"columns": list(index.elements)}
    if index.unique:
        spec["unique"] = True
    if index.method != IndexMethod.BTREE:
        spec["method"] = index.method.value
    if index.include:
        spec["include"] = list(index.include)
    if index.where is not None:
        spec["where"] = index.where
    if index.comment is not None:
        spec["comment"] = index.comment
    return spec
