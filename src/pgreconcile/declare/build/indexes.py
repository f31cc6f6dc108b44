"""Indexes of a declared table: elements that are columns of it or parseable expressions,
methods that support what is asked (unique, include), and a name checked like every other."""

from __future__ import annotations

from typing import Protocol

from pgreconcile.declare.build.collect import check_name
from pgreconcile.declare.spec.language import TableSpec
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.model.objects import Index, IndexMethod, Origin
from pgreconcile.normalize.index_elements import element_column, split_index_element
from pgreconcile.normalize.storage_options import option_pairs, option_texts


class IndexedTable(Protocol):
    """What of declare/build/tables.py's TableBuilder the indexes need (a protocol: that module
    imports this one)."""

    spec: TableSpec
    problems: Problems
    column_names: list[str]
    inherited: frozenset[str]

    def at(self, *path: str | int) -> Origin: ...
    def error(self, origin: Origin, message: str, hint: str | None = None) -> None: ...
    def existing(self, names: list[str], what: str, *path: str | int) -> bool: ...
    def sql(self, text: str, what: str, *path: str | int) -> bool: ...
    def guess(self, column: str) -> str: ...

# Index methods that take INCLUDE columns.
_INCLUDE_METHODS = frozenset({IndexMethod.BTREE, IndexMethod.GIST, IndexMethod.SPGIST})


def build_indexes(builder: IndexedTable) -> list[Index]:
    """The declared indexes of the table ``builder`` builds; a bad one is reported and left out."""
    out = []
    for name, spec in builder.spec.indexes.items():
        origin = builder.at("indexes", name)
        check_name(name, "index", origin, builder.problems)
        what = f"index {name}"
        good = _elements(builder, name, spec.columns)
        if spec.include and not builder.existing(spec.include, f"{what} include", "indexes", name, "include"):
            good = False
        if spec.where is not None and not builder.sql(spec.where, f"{what} where", "indexes", name, "where"):
            good = False
        if spec.unique and spec.method != IndexMethod.BTREE:
            builder.error(builder.at("indexes", name, "method"), f"{what}: only btree indexes can be unique")
            good = False
        if spec.include and spec.method not in _INCLUDE_METHODS:
            builder.error(
                builder.at("indexes", name, "include"),
                f"{what}: {spec.method.value} indexes do not support include",
            )
            good = False
        if good:
            out.append(
                Index(
                    name,
                    tuple(spec.columns),
                    spec.unique,
                    spec.method,
                    spec.where,
                    tuple(spec.include),
                    origin,
                    spec.renamed_from,
                    spec.comment,
                    spec.nulls_not_distinct,
                    option_pairs(spec.options),
                    option_texts(spec.options),
                )
            )
    return out

def _elements(builder: IndexedTable, name: str, elements: list[str]) -> bool:
    """A plain column element must be a column; an expression element must parse. Elements
    are SQL, so an unquoted name folds to lower case (``Email`` means ``email``)."""
    if not elements:
        builder.error(builder.at("indexes", name), f"index {name} lists no columns")
        return False
    good = True
    for i, element in enumerate(elements):
        column = element_column(element)
        if column is None:
            expression = split_index_element(element)[0]
            good = builder.sql(expression, f"index {name} element", "indexes", name, "columns", i) and good
            continue
        if column not in builder.spec.columns and column not in builder.inherited:
            hint = None
            folded = {c.lower(): c for c in builder.column_names}  # only for the message
            if column in folded:
                hint = f"an unquoted name folds to lower case in SQL; write '\"{folded[column]}\"'"
            builder.error(
                builder.at("indexes", name, "columns", i),
                f"index {name}: column {column!r} does not exist{builder.guess(column)}",
                hint,
            )
            good = False
    return good
