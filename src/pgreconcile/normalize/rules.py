"""The rewrite rules that bring a parsed expression to its canonical tree.

:func:`canonical_tree` rewrites bottom-up: the children of a node are canonical before the rules
look at the node, and a node a rule creates is itself rewritten again, so rules can be small and
local. Each rule answers one difference between what people write and what PostgreSQL's deparser
prints; the module docstring of :mod:`pgreconcile.normalize.expressions` lists them all.

Rules only ever replace a node by something PostgreSQL treats as the same expression (``x IN
('a','b')`` is stored as ``x = ANY (ARRAY['a','b'])``; ``NOT (a = b)`` means ``a <> b``). Where
the catalog cannot be matched exactly without knowing column types, the trade-off is named at
the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, reduce

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from pgreconcile.normalize.casts import (
    DEFAULT_SCHEMAS,
    cast_rule,
    interval_literal,
    negate_number,
    normalize_literal,
    string,
    strip_default_schema,
)
from pgreconcile.normalize.dialect import restored_function_name

Rule = Callable[[exp.Expr], exp.Expr]

# A rule that keeps producing new nodes would loop forever; real expressions settle in a few passes.
_MAX_PASSES = 50

# Comparison → the comparison that is true exactly when it is false (3-valued logic included:
# both are NULL together), and what NOT does to an ANY/ALL right-hand side.
_NEGATED: dict[type[exp.Expr], type[exp.Expr]] = {
    exp.EQ: exp.NEQ,
    exp.NEQ: exp.EQ,
    exp.LT: exp.GTE,
    exp.GTE: exp.LT,
    exp.GT: exp.LTE,
    exp.LTE: exp.GT,
    exp.NullSafeEQ: exp.NullSafeNEQ,
    exp.NullSafeNEQ: exp.NullSafeEQ,
}
_COMPARISONS = (exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE)

# Bare words sqlglot reads as column names but PostgreSQL reads as SQL value functions.
_VALUE_WORDS = {"user": exp.CurrentUser, "current_role": exp.CurrentUser}

# Function spellings PostgreSQL treats as the same function (it still prints each as written).
_SAME_FUNCTION: dict[str, Callable[[list[exp.Expr]], exp.Expr | None]] = {
    "transaction_timestamp": lambda args: exp.CurrentTimestamp() if not args else None,
    "timezone": lambda args: exp.AtTimeZone(this=args[1], zone=args[0]) if len(args) == 2 else None,
}

# Functions whose first argument names a sequence (a regclass written as a string).
_SEQUENCE_FUNCTIONS = frozenset({"nextval", "currval", "setval"})

# Predicates that sqlglot may mark with negate=True instead of wrapping them in NOT. IS is not
# among them: ``x IS NOT NULL`` and ``NOT x IS NULL`` differ for row values, and PostgreSQL keeps
# them apart.
_NEGATABLE = (exp.Like, exp.ILike, exp.In, exp.SimilarTo, exp.Between)


def canonical_tree(tree: exp.Expr) -> exp.Expr:
    """Rewrite ``tree`` (which it owns and may mutate) into its canonical form."""
    return _rewrite(tree, 0)


def _rewrite(node: exp.Expr, depth: int) -> exp.Expr:
    for key, value in list(node.args.items()):
        if isinstance(value, exp.Expr):
            new = _rewrite(value, depth)
            if new is not value:
                node.set(key, new)
        elif isinstance(value, list) and value and isinstance(value[0], exp.Expr):
            node.set(key, [_rewrite(v, depth) if isinstance(v, exp.Expr) else v for v in value])
    for rule in _rules_for(type(node)):
        new = rule(node)
        if new is not node:
            if depth >= _MAX_PASSES:
                raise RecursionError("expression rules did not settle")
            return _rewrite(new, depth + 1)
    return node


def _rules_for(node_type: type[exp.Expr]) -> tuple[Rule, ...]:
    """The rules that can change a node of this class, in order (most classes have none)."""
    rules = _RULES_BY_CLASS.get(node_type)
    if rules is None:
        rules = tuple(rule for types, rule in _RULES if issubclass(node_type, types))
        _RULES_BY_CLASS[node_type] = rules
    return rules


_RULES_BY_CLASS: dict[type[exp.Expr], tuple[Rule, ...]] = {}


# ---------------------------------------------------------------- syntax that carries no meaning

def drop_paren(node: exp.Expr) -> exp.Expr:
    """Parentheses only group, and the tree already records grouping; PostgreSQL adds them
    everywhere (non-pretty) or almost nowhere (pretty). Kept where they change the syntax:
    ``(x).field`` and ``(f(x))[1]``."""
    if isinstance(node, exp.Paren):
        parent = node.parent
        if isinstance(parent, (exp.Dot, exp.Bracket)) and node.arg_key == "this":
            return node
        inner: exp.Expr = node.this
        return inner
    return node


def fold_negate_flag(node: exp.Expr) -> exp.Expr:
    """``x NOT LIKE y`` is kept as NOT over the positive predicate, so there is one
    representation for ``NOT (x LIKE y)``, ``x NOT LIKE y`` and ``x !~~ y``."""
    if isinstance(node, _NEGATABLE) and node.args.get("negate"):
        node.set("negate", None)
        return exp.Not(this=node)
    return node


def lowercase_identifier(node: exp.Expr) -> exp.Expr:
    """Unquoted names fold to lower case, as PostgreSQL folds them; quoted names are exact.
    (Whether a name needs quotes when printed is decided at render time.)"""
    if isinstance(node, exp.Identifier) and not node.quoted:
        name = node.name
        if name != name.lower():
            node.set("this", name.lower())
    elif isinstance(node, exp.Var):
        # Vars are bare keywords such as EXTRACT fields: case does not matter.
        name = node.name
        if name != name.lower():
            node.set("this", name.lower())
    return node


def column_rule(node: exp.Expr) -> exp.Expr:
    """Drop the table qualifier of columns of the expression's own table (PostgreSQL prints
    ``id``, not ``profiles.id``); inside subqueries qualifiers are kept because they choose
    between tables. Bare ``user``/``current_role`` are value functions, not columns."""
    if not isinstance(node, exp.Column):
        return node
    ident = node.this
    if (
        isinstance(ident, exp.Identifier)
        and not ident.quoted
        and not node.args.get("table")
        and ident.name.lower() in _VALUE_WORDS
    ):
        return _VALUE_WORDS[ident.name.lower()]()
    if node.args.get("table") and node.find_ancestor(exp.Select) is None:
        return exp.Column(this=node.this)
    return node


# ---------------------------------------------------------------- functions

def function_rule(node: exp.Expr) -> exp.Expr:
    """Unquoted function names are case-insensitive; ``public.f()``/``pg_catalog.f()`` are
    ``f()``; ``ALL (…)`` becomes a real ALL node; ``transaction_timestamp()`` is ``now()``;
    ``timezone(z, t)`` is ``t AT TIME ZONE z``; ``nextval('public.s')`` is ``nextval('s')``."""
    if isinstance(node, exp.Anonymous):
        name = node.this
        if isinstance(name, str):
            lowered = restored_function_name(name) or name.lower()
            args = list(node.expressions)
            if lowered == "all" and len(args) == 1:
                return exp.All(this=args[0])
            same = _SAME_FUNCTION.get(lowered)
            if same is not None:
                replacement = same(args)
                if replacement is not None:
                    return replacement
            if lowered != name:
                node.set("this", lowered)
            if lowered in _SEQUENCE_FUNCTIONS and args and isinstance(args[0], exp.Literal):
                # nextval('public.s') = nextval('s'): the catalog prints the regclass constant
                # relative to its search_path, the user writes it either way.
                unqualified = strip_default_schema(str(args[0].this))
                if unqualified != args[0].this:
                    args[0].replace(string(unqualified))
        return node
    if isinstance(node, exp.Dot):
        schema, call = node.this, node.expression
        if (
            isinstance(schema, exp.Identifier)
            and schema.name.lower() in DEFAULT_SCHEMAS
            and isinstance(call, exp.Anonymous)
            and isinstance(call.this, str)
        ):
            # Rebuilt by name so that pg_catalog.now() meets now() as the same known function.
            try:
                rebuilt: exp.Expr = exp.func(call.this, *call.expressions, dialect="postgres")
            except (SqlglotError, ValueError, TypeError):
                # sqlglot knows the name but not this argument list: keep the plain call.
                return call
            return rebuilt
    return node


def operator_rule(node: exp.Expr) -> exp.Expr:
    """``a OPERATOR(public.=) b`` is ``a = b``: PostgreSQL spells an operator that way when its
    schema is not on the search_path, which is every extension operator (citext's ``=``) once
    the catalog reader sets ``search_path = pg_catalog``."""
    if not isinstance(node, exp.Operator):
        return node
    schema, dot, symbol = str(node.args.get("operator") or "").partition(".")
    if not dot or schema.strip('"').lower() not in DEFAULT_SCHEMAS:
        return node
    template = _operator_template(symbol.strip())
    if template is None:
        return node
    rebuilt = template.copy()
    rebuilt.set("this", node.this)
    rebuilt.set("expression", node.expression)
    return rebuilt


@lru_cache(maxsize=256)
def _operator_template(symbol: str) -> exp.Expr | None:
    """The node sqlglot builds for ``a <symbol> b``, if it reads that as a binary operator."""
    try:
        tree = sqlglot.parse_one(f"a {symbol} b", read="postgres")
    except SqlglotError:
        return None
    operands = (tree.args.get("this"), tree.args.get("expression"))
    if all(isinstance(o, exp.Column) and o.name in ("a", "b") for o in operands):
        return tree
    return None


# ---------------------------------------------------------------- constants

def literal_rule(node: exp.Expr) -> exp.Expr:
    """Constants in the form PostgreSQL prints them (see :mod:`pgreconcile.normalize.casts`)."""
    if isinstance(node, exp.Literal):
        if node.is_string and _is_json_key(node):
            # j -> '1' reads the key "1", j -> 1 the array element 1: the string must stay one.
            return node
        return normalize_literal(node)
    if isinstance(node, exp.Neg):
        return negate_number(node)
    if isinstance(node, exp.Interval):
        return interval_literal(node)
    if isinstance(node, (exp.RawString, exp.ByteString)) and isinstance(node.this, str):
        # $$…$$ and E'…' are other spellings of a string constant; PostgreSQL prints '…'.
        return string(node.this)
    if isinstance(node, exp.Cast):
        return cast_rule(node)
    return node


_JSON_ACCESS = (exp.JSONExtract, exp.JSONExtractScalar, exp.JSONBExtract, exp.JSONBExtractScalar)


def _is_json_key(node: exp.Expr) -> bool:
    """Whether ``node`` is the key operand of ``->``/``->>``/``#>``/``#>>`` (perhaps under casts)."""
    child, parent = node, node.parent
    while isinstance(parent, exp.Cast):
        child, parent = parent, parent.parent
    return isinstance(parent, _JSON_ACCESS) and child.arg_key == "expression"


# ---------------------------------------------------------------- operators PostgreSQL rewrites

def in_rule(node: exp.Expr) -> exp.Expr:
    """``x IN (…)`` the way PostgreSQL's parser stores it (transformAExprIn): the elements without
    column references, when there are at least two, become ``x = ANY (ARRAY[…])``; every other
    element becomes its own ``x = e``; all of it OR-ed. So ``role IN ('a')`` is ``role = 'a'``."""
    if not isinstance(node, exp.In) or node.args.get("query") or node.args.get("unnest"):
        return node
    items = list(node.expressions)
    if not items:
        return node
    lhs = node.this
    constants = [e for e in items if e.find(exp.Column) is None]
    comparisons: list[exp.Expr] = []
    rest = items
    if len(constants) > 1:
        comparisons.append(exp.EQ(this=lhs.copy(), expression=exp.Any(this=exp.Array(expressions=constants))))
        rest = [e for e in items if e.find(exp.Column) is not None]
    comparisons.extend(exp.EQ(this=lhs.copy(), expression=e) for e in rest)
    return reduce(lambda a, b: exp.Or(this=a, expression=b), comparisons)


def any_single_rule(node: exp.Expr) -> exp.Expr:
    """``x = ANY (ARRAY[e])`` is ``x = e`` (and the same for ALL and every comparison)."""
    if isinstance(node, _COMPARISONS):
        rhs = node.expression
        if (
            isinstance(rhs, (exp.Any, exp.All))
            and isinstance(rhs.this, exp.Array)
            and len(rhs.this.expressions) == 1
        ):
            return type(node)(this=node.this, expression=rhs.this.expressions[0])
    return node


def between_rule(node: exp.Expr) -> exp.Expr:
    """PostgreSQL stores ``x BETWEEN a AND b`` as ``x >= a AND x <= b``."""
    if isinstance(node, exp.Between) and not node.args.get("symmetric"):
        low = exp.GTE(this=node.this.copy(), expression=node.args["low"])
        high = exp.LTE(this=node.this.copy(), expression=node.args["high"])
        return exp.And(this=low, expression=high)
    return node


def pattern_rule(node: exp.Expr) -> exp.Expr:
    """``LIKE p ESCAPE e`` is stored as ``~~ like_escape(p, e)``; ``SIMILAR TO p [ESCAPE e]`` as
    ``~ similar_to_escape(p[, e])`` (a regular expression match)."""
    if isinstance(node, exp.Escape):
        inner, escape = node.this, node.expression
        if isinstance(inner, exp.Not):
            # x NOT LIKE p ESCAPE e: the negation was already lifted above the LIKE.
            return exp.Not(this=pattern_rule(exp.Escape(this=inner.this, expression=escape)))
        if isinstance(inner, (exp.Like, exp.ILike)):
            pattern = exp.Anonymous(this="like_escape", expressions=[inner.expression, escape])
            return type(inner)(this=inner.this, expression=pattern)
        if isinstance(inner, exp.SimilarTo):
            pattern = exp.Anonymous(this="similar_to_escape", expressions=[inner.expression, escape])
            return exp.RegexpLike(this=inner.this, expression=pattern)
        return node
    if isinstance(node, exp.SimilarTo) and not isinstance(node.parent, exp.Escape):
        pattern = exp.Anonymous(this="similar_to_escape", expressions=[node.expression])
        return exp.RegexpLike(this=node.this, expression=pattern)
    return node


# ---------------------------------------------------------------- boolean structure

def not_rule(node: exp.Expr) -> exp.Expr:
    """Push NOT inward (exact in SQL's three-valued logic): NOT NOT a = a; De Morgan over AND/OR;
    NOT (a = b) = a <> b and the other comparisons likewise; NOT (x = ANY …) = x <> ALL ….

    PostgreSQL keeps NOT where the user put it, but ``x NOT IN (…)`` arrives as ``x <> ALL (…)``
    and ``NOT BETWEEN`` as ``x < a OR x > b`` while sqlglot reads both the same way as the
    explicit ``NOT (…)`` forms — pushing NOT down gives all spellings one form."""
    if not isinstance(node, exp.Not):
        return node
    inner = node.this
    if isinstance(inner, exp.Not):
        twice_negated: exp.Expr = inner.this
        return twice_negated
    if isinstance(inner, exp.And):
        return exp.Or(this=exp.Not(this=inner.this), expression=exp.Not(this=inner.expression))
    if isinstance(inner, exp.Or):
        return exp.And(this=exp.Not(this=inner.this), expression=exp.Not(this=inner.expression))
    negated = _NEGATED.get(type(inner))
    if negated is not None:
        rhs = inner.expression
        if isinstance(rhs, exp.Any):
            rhs = exp.All(this=rhs.this)
        elif isinstance(rhs, exp.All):
            rhs = exp.Any(this=rhs.this)
        return negated(this=inner.this, expression=rhs)
    return node


def connector_rule(node: exp.Expr) -> exp.Expr:
    """AND/OR chains as one left-deep chain in written order: ``a AND (b AND c)`` and
    ``(a AND b) AND c`` are one list. PostgreSQL flattens only sometimes, and its pretty
    printer drops the parentheses either way."""
    if not isinstance(node, exp.Connector):
        return node
    kind = type(node)
    if _is_left_deep(node, kind):
        return node
    return reduce(lambda a, b: kind(this=a, expression=b), _flatten(node, kind))


def _flatten(node: exp.Expr, kind: type[exp.Expr]) -> list[exp.Expr]:
    if isinstance(node, kind):
        return _flatten(node.this, kind) + _flatten(node.expression, kind)
    return [node]


def _is_left_deep(node: exp.Expr, kind: type[exp.Expr]) -> bool:
    while isinstance(node, kind):
        if isinstance(node.expression, kind):
            return False
        node = node.this
    return True


# ---------------------------------------------------------------- subqueries

def subquery_rule(node: exp.Expr) -> exp.Expr:
    """In a subquery used as a value (``(SELECT auth.uid())``, EXISTS, IN, ANY), output column
    names mean nothing, and PostgreSQL adds them (``SELECT auth.uid() AS uid``): drop them.
    Tables in the default schema lose their qualifier, like types and functions do."""
    if isinstance(node, exp.Subquery) and isinstance(node.this, exp.Subquery) and not node.args.get("alias"):
        # ((SELECT …)): the extra parentheses PostgreSQL's pretty printer adds.
        return node.this
    if isinstance(node, exp.Select) and _is_value_subquery(node):
        items = node.expressions
        if any(isinstance(item, exp.Alias) for item in items):
            node.set("expressions", [item.this if isinstance(item, exp.Alias) else item for item in items])
    elif isinstance(node, exp.Table):
        db = node.args.get("db")
        in_default_schema = isinstance(db, exp.Identifier) and db.name.lower() in DEFAULT_SCHEMAS
        if in_default_schema and not node.args.get("catalog"):
            node.set("db", None)
    return node


def _is_value_subquery(select: exp.Select) -> bool:
    parent = select.parent
    if isinstance(parent, exp.Subquery):
        return not isinstance(parent.parent, (exp.From, exp.Join))
    return isinstance(parent, (exp.Exists, exp.In, exp.Any, exp.All))


# Each rule with the node classes it can change; order matters where two rules see one node.
_RULES: tuple[tuple[tuple[type[exp.Expr], ...], Rule], ...] = (
    ((exp.Paren,), drop_paren),
    (_NEGATABLE, fold_negate_flag),
    ((exp.Identifier, exp.Var), lowercase_identifier),
    ((exp.Column,), column_rule),
    ((exp.Anonymous, exp.Dot), function_rule),
    ((exp.Operator,), operator_rule),
    ((exp.Literal, exp.Neg, exp.Interval, exp.RawString, exp.ByteString, exp.Cast), literal_rule),
    ((exp.In,), in_rule),
    (_COMPARISONS, any_single_rule),
    ((exp.Between,), between_rule),
    ((exp.Escape, exp.SimilarTo), pattern_rule),
    ((exp.Not,), not_rule),
    ((exp.Connector,), connector_rule),
    ((exp.Subquery, exp.Select, exp.Table), subquery_rule),
)
