"""Which foreign keys an index can serve: the ``foreign_keys_indexed`` convention's question.

Deleting or updating a referenced row makes PostgreSQL look up the referencing rows with
``WHERE fk_col1 = $1 AND fk_col2 = $2 …``. Without an index that lookup scans the whole table,
under a lock, for every such row. An index serves it when its leading key columns are exactly
the foreign key's columns, in any order (equality on each leading column narrows a B-tree scan
whatever their order); trailing columns do no harm. The primary key and unique constraints are
B-tree indexes over their columns, so they count too.

Counted: B-tree and hash indexes (hash has one key column, so it serves one-column keys only),
unique or not, ascending or descending, with any operator class; a partial index whose predicate
only says that foreign key columns are not NULL, which the lookup's own equality implies (the
planner proves that, so the index is used). Not counted: expression keys (``lower(x)``), INCLUDE
columns (not searchable), other predicates, and GIN, GiST, BRIN and SP-GiST indexes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pgreconcile.declare.names import element_column
from pgreconcile.model.objects import ForeignKey, Index, IndexMethod, Table

_EQUALITY_METHODS = frozenset({IndexMethod.BTREE, IndexMethod.HASH})


def is_covered(table: Table, foreign_key: ForeignKey) -> bool:
    """Whether some index of ``table`` serves lookups by ``foreign_key``'s columns."""
    wanted = set(foreign_key.columns)
    size = len(foreign_key.columns)
    return any(
        len(columns) >= size and set(columns[:size]) == wanted
        for columns in _searchable_prefixes(table, wanted)
    )


def _searchable_prefixes(table: Table, fk_columns: set[str]) -> Iterator[tuple[str, ...]]:
    """The leading plain columns of every index that an equality lookup on ``fk_columns`` may use."""
    if table.primary_key is not None:
        yield table.primary_key.columns
    for unique in table.uniques:
        yield unique.columns
    for index in table.indexes:
        if index.method in _EQUALITY_METHODS and _usable_predicate(index, fk_columns):
            yield _leading_columns(index)


def _leading_columns(index: Index) -> tuple[str, ...]:
    """The key columns up to the first expression (after one, the rest cannot narrow a lookup
    that does not also constrain the expression)."""
    columns: list[str] = []
    for element in index.elements:
        column = element_column(element)
        if column is None:
            break
        columns.append(column)
    return tuple(columns)


def _usable_predicate(index: Index, fk_columns: set[str]) -> bool:
    """True for a full index, or a partial one whose predicate is ``col IS NOT NULL [AND …]``
    over foreign key columns only."""
    if index.where is None:
        return True
    not_null = _not_null_columns(index.where)
    return not_null is not None and not_null <= fk_columns


def _not_null_columns(predicate: str) -> set[str] | None:
    """The columns of a predicate made only of ``col IS NOT NULL`` conjuncts, else None."""
    from sqlglot import exp  # sqlglot loads on first use (see pgreconcile.normalize.expressions)

    from pgreconcile.normalize.parse import ExpressionSyntaxError, parse_expression

    try:
        tree = parse_expression(predicate)
    except ExpressionSyntaxError:
        return None  # building the schema reports the syntax; here it simply does not count
    columns: set[str] = set()
    pending = [tree]
    while pending:
        node = pending.pop().unnest()
        if isinstance(node, exp.And):
            pending += [node.this, node.expression]
            continue
        column = _not_null_column(node)
        if column is None:
            return None
        columns.add(column)
    return columns


def _not_null_column(node: Any) -> str | None:
    """``col IS NOT NULL`` or ``NOT (col IS NULL)`` → the column as PostgreSQL stores its name."""
    from sqlglot import exp

    negated = isinstance(node, exp.Not)
    if negated:
        node = node.this.unnest()
    if not isinstance(node, exp.Is) or bool(node.args.get("negate")) == negated:
        return None
    if not isinstance(node.expression, exp.Null) or not isinstance(node.this, exp.Column):
        return None
    identifier = node.this.this
    if node.this.args.get("table") is not None or not isinstance(identifier, exp.Identifier):
        return None
    return str(identifier.name) if identifier.quoted else str(identifier.name).lower()
