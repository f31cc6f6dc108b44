"""Where the expression parser respells PostgreSQL for sqlglot (normalize/dialect.py): names
PostgreSQL reads as columns, and arrays of object-identifier types. Checked against a real server's
keyword list and against the installed sqlglot, so the list of respelled names stays exact."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgreconcile.normalize.dialect import KEYWORD_COLUMNS
from pgreconcile.normalize.expressions import canonical, column_refs, parse_error
from pgreconcile.normalize.plain_expressions import NOT_COLUMNS

# Where a column may stand: first (where sqlglot looks for a statement), after an operator,
# inside a call.
TEMPLATES = ("{w} > 0", "x > 0 AND {w} + 1 > 0", "coalesce({w}, 0) = 1")


def _not_column_names(conn: psycopg.Connection[Any]) -> set[str]:
    """PostgreSQL's reserved and type/function-name keywords: never a bare column name."""
    return {word for (word,) in conn.execute("SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')")}


def test_every_name_postgres_reads_as_a_column_is_read_as_one(expr_db: psycopg.Connection[Any]) -> None:
    """Every word of sqlglot's own source (its keywords, the words its parser matches by text)
    that PostgreSQL would read as a column is read as that column."""
    import sqlglot

    words: set[str] = set()
    for path in Path(sqlglot.__file__).parent.rglob("*.py"):
        words.update(word.lower() for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", path.read_text()))
    assert len(words) > 5000
    misread = []
    for word in sorted(words - _not_column_names(expr_db) - NOT_COLUMNS):
        for template in TEMPLATES:
            text = template.format(w=word)
            if parse_error(text) is not None or word not in column_refs(text):
                misread.append(text)
    assert misread == []


@pytest.mark.parametrize("word", sorted(KEYWORD_COLUMNS))
def test_each_respelled_name_is_a_column_sqlglot_alone_misreads(word: str, expr_db: psycopg.Connection[Any]) -> None:
    import sqlglot
    from sqlglot import exp

    logging.getLogger("sqlglot").setLevel(logging.CRITICAL)
    assert word not in _not_column_names(expr_db)
    misread = False
    for template in (*TEMPLATES, "({w} > 0)", "{w} + 1 > 0"):
        text = template.format(w=word)
        with expr_db.transaction(force_rollback=True):
            expr_db.execute(f'CREATE TEMP TABLE t (x int, "{word}" int, CONSTRAINT c CHECK ({text}))')
            printed = expr_db.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'c'")
            printed_text = printed.fetchone()[0]  # type: ignore[index]
        assert printed_text.startswith("CHECK (") and printed_text.endswith(")")
        assert parse_error(text) is None and word in column_refs(text), text
        assert canonical(text) == canonical(printed_text[len("CHECK ("):-1]), text
        try:
            tree = sqlglot.parse_one(text, read="postgres")
            misread |= word not in {c.name.lower() for c in tree.find_all(exp.Column)}
        except sqlglot.errors.SqlglotError:
            misread = True
    assert misread, f"sqlglot reads {word!r} as a column unaided: drop it from KEYWORD_COLUMNS"


@pytest.mark.parametrize(
    "type_name",
    ["oid", "regclass", "regcollation", "regconfig", "regdictionary", "regnamespace", "regoper", "regoperator",
     "regproc", "regprocedure", "regrole", "regtype"],
)
def test_arrays_of_object_identifier_types(type_name: str, expr_db: psycopg.Connection[Any]) -> None:
    text = f"a <> '{{}}'::{type_name}[]"
    with expr_db.transaction(force_rollback=True):
        expr_db.execute(
            f"CREATE TEMP TABLE t (a {type_name}[] DEFAULT '{{}}'::{type_name}[], CONSTRAINT c CHECK ({text}))"
        )
        printed = expr_db.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'c'")
        printed_text = printed.fetchone()[0][len("CHECK ("):-1]  # type: ignore[index]
    assert parse_error(text) is None and column_refs(text) == {"a"}
    assert canonical(text) == canonical(printed_text)
    assert canonical(text) != canonical(f"a <> '{{x}}'::{type_name}[]")  # the constant still counts
    assert f"{type_name}[]" in canonical(f"a::{type_name}[] IS NULL").lower().replace('"', "")  # named back
