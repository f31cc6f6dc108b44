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
from functools import lru_cache

from pgreconcile.model.objects import ForeignKey, Index, IndexMethod, Table
from pgreconcile.normalize.index_elements import element_column
from pgreconcile.normalize.lexical import Token, top_level_tokens

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


@lru_cache(maxsize=4096)
def _not_null_columns(predicate: str) -> frozenset[str] | None:
    """The columns of a predicate made only of ``col IS NOT NULL`` conjuncts, else None.

    Read from the tokens rather than parsed with sqlglot: the shape is narrow, and importing and
    running the parser would cost a no-op plan of a large schema about a second.
    """
    tokens = top_level_tokens(predicate)
    if not tokens:
        return None
    columns: set[str] = set()
    conjunct: list[Token] = []
    for token in [*tokens, None]:
        if token is not None and not _is_word(token, "and"):
            conjunct.append(token)
            continue
        found = _conjunct_columns(conjunct)
        if found is None:
            return None
        columns |= found
        conjunct = []
    return frozenset(columns)


def _conjunct_columns(tokens: list[Token]) -> frozenset[str] | None:
    """``col IS NOT NULL``, ``NOT col IS NULL``, ``NOT (col IS NULL)`` or a parenthesised
    conjunction of those → its columns; anything else → None."""
    words = [token.text.lower() if token.kind == "word" else None for token in tokens]
    if len(tokens) == 1 and tokens[0].kind == "group" and tokens[0].text.startswith("("):
        return _not_null_columns(tokens[0].text[1:-1])
    if len(tokens) == 4 and words[1:] == ["is", "not", "null"]:
        column = _column(tokens[0])
    elif len(tokens) == 4 and words[0] == "not" and words[2:] == ["is", "null"]:
        column = _column(tokens[1])
    elif len(tokens) == 2 and words[0] == "not" and tokens[1].kind == "group" and tokens[1].text.startswith("("):
        inner = top_level_tokens(tokens[1].text[1:-1]) or []
        inner_words = [token.text.lower() if token.kind == "word" else None for token in inner]
        column = _column(inner[0]) if len(inner) == 3 and inner_words[1:] == ["is", "null"] else None
    else:
        column = None
    return None if column is None else frozenset({column})


def _column(token: Token) -> str | None:
    """An unqualified column name as PostgreSQL stores it (unquoted names fold to lower case)."""
    if token.kind != "word":
        return None
    text = token.text
    if len(text) > 1 and text.startswith('"') and text.endswith('"') and '"."' not in text:
        return text[1:-1].replace('""', '"')
    if "." in text or '"' in text:
        return None  # qualified: a predicate about another table's column is not ours to judge
    return text.lower()


def _is_word(token: Token, word: str) -> bool:
    return token.kind == "word" and token.text.lower() == word
