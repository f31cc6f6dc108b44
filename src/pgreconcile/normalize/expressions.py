"""One canonical form for SQL expressions, so declared and live expressions can be compared.

The desired side is what people write (``position('@' in email) > 1``, ``role IN ('a','b')``,
``now()``); the live side is what PostgreSQL deparses (``(POSITION(('@'::text) IN (email)) > 1)``,
``((role)::text = ANY ((ARRAY['a'::character varying, …])::text[]))``, ``CURRENT_TIMESTAMP``).
Both go through :func:`canonical` — parse with sqlglot (postgres dialect), rewrite to a canonical
tree (:mod:`.rules`, :mod:`.casts`), print (:mod:`.render`) — and the texts are compared. There is
no shadow database: convergence (apply, plan again, see nothing) is the proof, so a false
"different" is a bug (a change planned forever) and a false "equal" hides a change.

What is considered the same (each rule is tested against a real server's deparse):

* grouping: parentheses, including PostgreSQL's doubled ones, and AND/OR nesting;
* spelling: keyword and unquoted-name case (``"Email"`` stays distinct), whitespace, comments,
  ``<>``/``!=``, ``~~``/LIKE, ``~~*``/ILIKE, ``!~~``/NOT LIKE, ``strpos(a, b)``/``position(b in a)``,
  ``now()``/``CURRENT_TIMESTAMP``/``transaction_timestamp()``, ``timezone(z, t)``/``t AT TIME ZONE
  z`` (not in defaults: see :func:`equivalent_default`), ``length``/``char_length``,
  ``btrim``/``trim``, ``$$s$$``/``'s'``, ``user``/``current_user``;
* PostgreSQL's stored forms: ``IN`` → ``= ANY (ARRAY[…])`` (one element: ``=``), ``NOT IN`` →
  ``<> ALL``, ``BETWEEN`` → ``>= AND <=``, ``SIMILAR TO`` → ``~ similar_to_escape(…)``, ``LIKE …
  ESCAPE`` → ``~~ like_escape(…)``, NOT pushed into comparisons (``NOT (a = b)`` = ``a <> b``);
* decorations: casts of constants (after bringing the constant to its printed form:
  ``'t'::boolean`` = ``true``, ``interval '1 hour'`` = ``'01:00:00'``, jsonb key order and spacing,
  ``1.5e3`` = ``1500``, ``'2020-01-01 00:00:00'`` = ``'2020-01-01'``), casts of columns to text
  types and to bigint/numeric/double precision/real (the coercions PostgreSQL inserts), casts of
  constant arrays, ``AS`` names in value subqueries, the ``public``/``pg_catalog`` qualifier on
  functions, types, tables and ``regclass`` constants, and table qualifiers on columns outside
  subqueries;
* type names in kept casts: ``int4`` = ``int`` = ``integer``, ``varchar`` = ``character varying``,
  ``timestamptz`` = ``timestamp with time zone``.

Deliberately *not* the same: different columns, operators, constants or functions; ``0`` and
``0.0`` (numeric keeps the scale); ``'007'`` and ``7``; ``EXTRACT(epoch FROM t)`` and
``date_part('epoch', t)`` (numeric vs double precision); operand order (``a = b`` vs ``b = a``).

Known limits (each a spurious difference, never a hidden one): an untyped constant whose type
PostgreSQL infers from context is not reformatted (``ts > now() - '24 hours'`` keeps
``'24 hours'`` while the catalog prints ``'24:00:00'::interval``: write ``interval '24 hours'``;
for column defaults :func:`equivalent_default` knows the type); inside subqueries PostgreSQL
qualifies every column (``members.org_id``), so declarations must too; ``x = ANY ('{a,b}')``
is not the same as ``x IN ('a', 'b')``; an IN list mixing types PostgreSQL cannot unify is stored
as OR-ed equalities. Accepted false "equal"s (no valid change hides behind them in practice): an
explicit ``col::text``/``col::numeric`` equals ``col``; a string that is exactly a number equals
the number (``'5'`` = ``5``); a text constant that happens to be JSON or an ISO timestamp is
compared normalized; the ``public.`` qualifier is insignificant (the apply runs with ``public`` on
its search_path).

For the catalog reader: constants are printed by their type's output function in the reading
session, so read with ``TimeZone = 'UTC'``, ``DateStyle = 'ISO'`` and ``IntervalStyle =
'postgres'`` (and apply with ``TimeZone = 'UTC'``, since a timestamptz constant is stored as an
instant). Pretty (``pg_get_expr(…, true)``) and plain deparse, under the default search_path or
``search_path = pg_catalog``, are all understood.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pgreconcile.normalize.index_elements import split_index_element
from pgreconcile.normalize.lexical import collapse_whitespace, fold_case_and_space, same_apart_from_blanks
from pgreconcile.normalize.plain_expressions import NOT_COLUMNS, plain_columns

if TYPE_CHECKING:
    from pgreconcile.normalize.parse import ExpressionSyntaxError, parse_expression

# sqlglot and the rewrite rules are imported on first use (see _parser): a plan in which every
# expression is identical to what the server printed never parses one, and should not pay the
# ~0.2 s their import costs. parse_error, column_refs and reads_subquery answer a plain
# expression (plain_expressions.py) without it: validating a small schema imports no sqlglot.


def _parser() -> Any:
    from pgreconcile.normalize import parse

    return parse


def __getattr__(name: str) -> Any:
    if name in ("ExpressionSyntaxError", "parse_expression"):
        return getattr(_parser(), name)
    raise AttributeError(name)

__all__ = [
    "ExpressionSyntaxError",
    "canonical",
    "canonical_index_element",
    "column_refs",
    "equivalent",
    "equivalent_default",
    "parse_error",
    "parse_expression",
    "split_index_element",
]



@lru_cache(maxsize=65536)
def parse_error(sql: str) -> str | None:
    """None when ``sql`` is a valid SQL expression, else a short message saying what is wrong.

    Statements are errors (``1; DROP TABLE x``, ``SELECT 1``): declarations hold expressions.
    """
    if plain_columns(sql) is not None:
        return None
    return _parsed_error(sql)


def _parsed_error(sql: str) -> str | None:
    """:func:`parse_error` by sqlglot, whatever the text."""
    parse = _parser()
    try:
        parse.parse_expression(sql)
    except parse.ExpressionSyntaxError as err:
        return str(err)
    except Exception as err:  # sqlglot bugs reach the user as a message
        return f"cannot parse the expression ({type(err).__name__})"
    return None


@lru_cache(maxsize=65536)
def canonical(sql: str) -> str:
    """A canonical text for ``sql`` such that equivalent spellings compare equal.

    Meant for comparison, not for rendering DDL (it is valid SQL, but fully parenthesised).
    Text that cannot be parsed falls back to whitespace- and case-folded text (outside quotes),
    so the caller never sees an exception.
    """
    try:
        from pgreconcile.normalize.render import render
        from pgreconcile.normalize.rules import canonical_tree

        tree = _parser().parse_expression(sql)
        return render(canonical_tree(tree))
    except Exception:  # any failure degrades to text comparison
        return fold_case_and_space(sql)


def equivalent(a: str | None, b: str | None) -> bool:
    """Whether two expressions (or two absent expressions) mean the same."""
    if a is None or b is None:
        return a is b
    if a == b:
        return True
    # Fast path: texts that differ only in blanks outside quotes are equal without parsing.
    if same_apart_from_blanks(a, b):
        folded_a = collapse_whitespace(a)
        if folded_a is not None and folded_a == collapse_whitespace(b):
            return True
    return canonical(a) == canonical(b)


def equivalent_default(a: str | None, b: str | None, column_type: str) -> bool:
    """Whether two column defaults mean the same for a column of ``column_type``.

    PostgreSQL types a default's constant by the column (``'1 hour'`` on an interval column is
    stored and printed as ``'01:00:00'::interval``; ``'yes'`` on a boolean as ``true``), which
    :func:`equivalent` cannot know. Both sides are compared as if cast to the column type, which
    brings their constants to the type's printed form; other expressions are unaffected, because
    the same cast is applied to both. ``column_type`` is SQL type text (``format_type`` output).
    Spellings of one function that the catalog keeps apart (``now()``/``CURRENT_TIMESTAMP``)
    count as a difference here (see ``_ALIASES``).
    """
    if a is None or b is None:
        return a is b
    if _alias_spelling(a) != _alias_spelling(b):
        return False
    if equivalent(a, b):
        return True
    # If a wrapped text does not parse, canonical() falls back to folded text, which can only
    # make the comparison stricter, never looser.
    return canonical(f"({a})::{column_type}") == canonical(f"({b})::{column_type}")


# Spellings of one function that the catalog keeps as written (pg_dump prints each as it was
# written): ``now()``, ``CURRENT_TIMESTAMP`` and ``transaction_timestamp()``; ``timezone(z, t)``
# and ``t AT TIME ZONE z``. canonical() makes them equal, which is right where a difference
# would rebuild something (an index, a generated column, a view). A default costs nothing to
# set again, so there the spelling counts too: a default written the other way is re-set, and
# the catalog then says what the declaration says.
_ALIASES = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|\b(timezone|transaction_timestamp|now)\s*\(|\b(current_timestamp)\b"""
    r"""|\bat\s+time\s+zone\b""",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def _alias_spelling(sql: str) -> tuple[str, ...]:
    """The alias spellings ``sql`` uses, sorted (quoted text and names are skipped)."""
    found = []
    for match in _ALIASES.finditer(sql):
        word = match.group(1) or match.group(2)
        if word is not None:
            found.append(word.lower())
        elif match.group(0)[0] not in "'\"":
            found.append("at time zone")
    return tuple(sorted(found))


@lru_cache(maxsize=65536)
def column_refs(sql: str) -> frozenset[str]:
    """Names of the columns an expression reads, unqualified, as PostgreSQL stores them.

    ``t.col`` counts as ``col``; function names (``auth.uid()``) and SQL value functions
    (``current_user``) are not columns. Columns inside subqueries are included, which may name
    columns of other tables — harmless for ordering, which only asks about a table's own columns.
    An unparseable text reads nothing (:func:`parse_error` reports it).
    """
    plain = plain_columns(sql)
    if plain is not None:
        return plain
    return _parsed_column_refs(sql)


def _parsed_column_refs(sql: str) -> frozenset[str]:
    """:func:`column_refs` by sqlglot, whatever the text."""
    try:
        tree = _parser().parse_expression(sql)
    except Exception:  # an unparseable text reads nothing
        return frozenset()
    names: set[str] = set()
    from sqlglot import exp

    for column in tree.find_all(exp.Column):
        ident = column.this
        if not isinstance(ident, exp.Identifier):
            continue
        name = ident.name if ident.quoted else ident.name.lower()
        if not ident.quoted and not column.args.get("table") and name in NOT_COLUMNS:
            continue
        names.add(name)
    return frozenset(names)


def rename_column_refs(sql: str, renames: dict[str, str], table: str) -> str:
    """``sql`` with the columns of ``table`` renamed (``{old: new}``), for comparing a live
    expression, as it will read after a declared rename, with its declaration.

    Unqualified columns and columns qualified by ``table`` are renamed; columns of other tables
    (inside subqueries PostgreSQL qualifies them) are left alone. Text that cannot be parsed is
    returned unchanged — a comparison then shows a difference, never hides one.
    """
    try:
        tree = _parser().parse_expression(sql)
    except Exception:  # compare as written: at worst a spurious re-create
        return sql
    from sqlglot import exp

    changed = False
    for column in tree.find_all(exp.Column):
        ident = column.this
        qualifier = column.args.get("table")
        if not isinstance(ident, exp.Identifier):
            continue
        if qualifier is not None and qualifier.name != table:
            continue
        name = ident.name if ident.quoted else ident.name.lower()
        if name in renames:
            column.set("this", exp.to_identifier(renames[name], quoted=True))
            changed = True
    return tree.sql(dialect="postgres") if changed else sql


def canonical_index_element(text: str) -> str:
    """Canonical text of an index element: the canonical key expression followed by the
    non-default options, so ``created_at DESC NULLS FIRST`` = ``(created_at) desc``."""
    expression, opclass, descending, nulls = split_index_element(text)
    parts = [canonical(expression)]
    if opclass:
        parts.append(opclass)
    if descending:
        parts.append("DESC")
    if nulls:
        parts.append(f"NULLS {nulls}")
    return " ".join(parts)


def reads_subquery(sql: str) -> bool:
    """Whether an expression holds a subquery (``(SELECT …)``, ``EXISTS (…)``, ``IN (SELECT …)``),
    which PostgreSQL refuses in a DEFAULT and in a CHECK. An unparseable text holds none."""
    if plain_columns(sql) is not None:
        return False
    return _parsed_reads_subquery(sql)


def _parsed_reads_subquery(sql: str) -> bool:
    """:func:`reads_subquery` by sqlglot, whatever the text."""
    try:
        tree = _parser().parse_expression(sql)
    except Exception:  # parse_error reports it
        return False
    from sqlglot import exp

    return tree is not None and tree.find(exp.Select) is not None
