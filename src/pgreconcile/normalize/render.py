"""Canonical tree → canonical text.

The rules dropped every parenthesis, so grouping lives only in the tree; sqlglot's generator
does not put it back (it would print ``(a + b) * c`` as ``a + b * c``, merging two different
expressions). This module adds exactly one pair of parentheses around every operator-shaped
operand of an operator, so the text is a re-parseable image of the tree and different groupings
print differently. The one exception is an AND/OR chain, which the rules keep left-deep, so
``a AND b AND c`` is unambiguous. Identifiers are quoted exactly when they need to be.

Whether a node is "operator-shaped" is asked of sqlglot itself rather than kept in a list: the
node is printed once with placeholder operands, and if anything but a name, a literal or a
``name(…)``-style call remains at the top level, it is an operator. The answer is cached per
node class and argument shape.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres
from sqlglot.generator import Generator

from pgreconcile.normalize.dialect import DIALECT
from pgreconcile.quoting import needs_quotes as postgres_needs_quotes

# PostgreSQL's own rule lives in pgreconcile.quoting; sqlglot's keywords are quoted on top of
# it so that the canonical text always parses back the same.
_SQLGLOT_KEYWORDS = frozenset(k.lower() for k in Postgres.Tokenizer.KEYWORDS)

# Nodes that print as one self-delimited term (a name, a constant, ``f(…)``, ``CASE … END``,
# ``ANY (…)``): never wrapped, and their parts never need wrapping either.
_ATOMS = (exp.Column, exp.Identifier, exp.Literal, exp.Null, exp.Boolean, exp.Var, exp.Star,
          exp.Anonymous, exp.Cast, exp.Array, exp.Paren, exp.Subquery, exp.Tuple, exp.DataType,
          exp.Case, exp.If, exp.Any, exp.All, exp.Exists)


def needs_quotes(name: str) -> bool:
    """Whether ``name`` must be printed as a quoted identifier to mean itself."""
    return postgres_needs_quotes(name) or name in _SQLGLOT_KEYWORDS


def render(tree: exp.Expr) -> str:
    """The canonical text of a canonical tree (mutates the tree)."""
    for node in list(tree.walk()):
        if isinstance(node, exp.Identifier):
            quoted = needs_quotes(node.name)
            if bool(node.quoted) != quoted:
                node.set("quoted", quoted)
        elif isinstance(node, exp.Not) and isinstance(node.this, (exp.Like, exp.ILike)):
            # NOT over LIKE prints as NOT LIKE: readable, and still one form, because the rules
            # never leave a negate flag on LIKE/ILIKE.
            inner = node.this
            inner.set("negate", True)
            if node is tree:
                tree = inner
            else:
                node.replace(inner)
        elif isinstance(node, (exp.Any, exp.All)) and not isinstance(node.this, (exp.Paren, exp.Subquery)):
            # ANY/ALL print their operand bare unless it is parenthesised: ANY (ARRAY[…]).
            node.set("this", exp.Paren(this=node.this))
    _parenthesize(tree)
    return str(_generator().generate(tree, copy=False))


_local = threading.local()


def _generator() -> Generator:
    """One sqlglot generator per thread (it keeps state while it prints)."""
    generator: Generator | None = getattr(_local, "generator", None)
    if generator is None:
        generator = DIALECT.generator(comments=False, normalize_functions=False)
        _local.generator = generator
    return generator


def _parenthesize(tree: exp.Expr) -> None:
    for node in list(tree.walk()):
        if not _is_operator(node):
            continue
        for key, value in list(node.args.items()):
            if isinstance(value, exp.Expr):
                if _needs_wrap(node, key, value):
                    node.set(key, exp.Paren(this=value))
            elif isinstance(value, list) and any(
                isinstance(v, exp.Expr) and _needs_wrap(node, key, v) for v in value
            ):
                node.set(key, [
                    exp.Paren(this=v) if isinstance(v, exp.Expr) and _needs_wrap(node, key, v) else v
                    for v in value
                ])


def _needs_wrap(parent: exp.Expr, key: str, child: exp.Expr) -> bool:
    if not isinstance(child, exp.Condition) or not _is_operator(child):
        return False
    # AND/OR chains are left-deep by construction: the left operand of the same connector is the
    # rest of the chain and needs no parentheses.
    return not (isinstance(parent, exp.Connector) and key == "this" and type(child) is type(parent))


def _is_operator(node: exp.Expr) -> bool:
    # Only value expressions: clauses (WHERE, FROM) and statements are laid out by keywords.
    if isinstance(node, _ATOMS) or not isinstance(node, exp.Condition):
        return False
    return _shape_is_operator(_shape_key(node))


_Shape = tuple[type[exp.Expr], tuple[tuple[str, str, object], ...]]


def _shape_key(node: exp.Expr) -> _Shape:
    """The node's class and the shape of its arguments (operands as placeholders, flags and
    keywords by value): everything that decides how the generator lays the node out."""
    shape: list[tuple[str, str, object]] = []
    for key, value in sorted(node.args.items()):
        if value is None or value == []:
            continue
        if isinstance(value, exp.Expr):
            shape.append((key, "operand", None))
        elif isinstance(value, list):
            shape.append((key, "operands", len(value)))
        elif isinstance(value, (bool, int)) or (isinstance(value, str) and len(value) <= 40):
            shape.append((key, "flag", value))
    return type(node), tuple(shape)


@lru_cache(maxsize=4096)
def _shape_is_operator(key: _Shape) -> bool:
    node_type, shape = key
    args: dict[str, object] = {}
    for name, kind, value in shape:
        if kind == "operand":
            args[name] = exp.column("x")
        elif kind == "operands":
            assert isinstance(value, int)
            args[name] = [exp.column("x") for _ in range(value)]
        else:
            args[name] = value
    try:
        text = node_type(**args).sql(dialect="postgres", normalize_functions=False)
    except Exception:  # an unprintable probe counts as an operator: parentheses are the safe side
        return True
    return not _is_single_term(text)


def _is_single_term(text: str) -> bool:
    """True for ``x``, ``'s'``, ``f(x, x)``, ``CAST(x AS T)``, ``ARRAY[x]``, ``x.y``, ``x[x]``:
    nothing at bracket depth 0 but names, quoted runs, dots and ``::``."""
    depth = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":
            end = text.find(ch, i + 1)
            while end != -1 and end + 1 < n and text[end + 1] == ch:
                end = text.find(ch, end + 2)
            if end == -1:
                return False
            i = end + 1
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and not (ch.isalnum() or ch in "_$.:"):
            return False
        i += 1
    return True
