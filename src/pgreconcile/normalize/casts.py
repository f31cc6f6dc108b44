"""Tree rules for constants and casts: the ``::type`` decorations PostgreSQL adds when it deparses.

PostgreSQL prints every constant with its resolved type (``'active'::text``, ``(0)::numeric``,
``'user'::public.user_role``) and every implicit coercion it inserted (``(role)::text`` when a
varchar column meets a text constant, ``(i)::numeric`` when an integer meets ``0.5``). None of this
is in what people write, so these rules remove what is implied and keep what is chosen:

* a cast of a constant is dropped after the constant is brought to the text the type's output
  function would print (so ``'t'::boolean`` is ``true`` and ``interval '1 hour'`` is ``'01:00:00'``);
* a cast of a plain column reference to a text type or a wider numeric type is dropped — these are
  the coercions PostgreSQL inserts on its own. The price, accepted and documented: an explicit
  ``col::text`` or ``col::bigint`` written by a user compares equal to plain ``col``;
* any other cast is kept, with its type in sqlglot's canonical spelling (``int4`` = ``integer``).
"""

from __future__ import annotations

from sqlglot import exp

from pgreconcile.normalize.literals import (
    boolean_value,
    canonical_datetime,
    canonical_interval,
    canonical_json,
    canonical_number,
    canonical_uuid,
    number_like_string,
)

T = exp.DataType.Type

# Casting a column to one of these is what PostgreSQL does implicitly: varchar/char/enum columns
# meet text as ``(col)::text``; an integer meets a fractional constant as ``(col)::numeric``, a
# float as ``(col)::double precision``, a bigint inside GREATEST/COALESCE as ``(col)::bigint``.
# ``integer`` is not here: int2/int4/int8 have cross-type operators, so PostgreSQL never inserts
# that cast, and dropping it would make ``code::integer = 5`` equal to ``code = '5'``.
_TEXT_LIKE = frozenset({T.TEXT, T.VARCHAR, T.CHAR, T.BPCHAR, T.NCHAR, T.NVARCHAR, T.NAME})
_WIDENING = frozenset({T.BIGINT, T.DECIMAL, T.DOUBLE, T.FLOAT})
_NUMERIC = frozenset({T.SMALLINT, T.INT, T.BIGINT, T.DECIMAL, T.DOUBLE, T.FLOAT})
_DATETIME = frozenset({T.DATE, T.TIMESTAMP, T.TIMESTAMPTZ, T.DATETIME})
_JSON = frozenset({T.JSON, T.JSONB})

# Schemas whose qualification PostgreSQL prints only when the catalog reader's search_path hides
# them; the desired side normally leaves them out, so they are never significant.
DEFAULT_SCHEMAS = frozenset({"public", "pg_catalog"})


def is_constant(node: exp.Expr) -> bool:
    """A literal, NULL or boolean: something a cast only labels."""
    return isinstance(node, (exp.Literal, exp.Null, exp.Boolean))


def string(text: str) -> exp.Literal:
    """A string constant node."""
    return exp.Literal.string(text)


def number(text: str) -> exp.Literal:
    """A numeric constant node for already-canonical numeric text (may start with ``-``)."""
    return exp.Literal(this=text, is_string=False)


def normalize_literal(node: exp.Literal) -> exp.Expr:
    """An untyped constant in canonical form: numbers as numeric prints them, a string that is
    exactly a number becomes that number (``'1'`` = ``1``), JSON objects/arrays as jsonb prints
    them, ISO dates and timestamps, UUIDs lowercased. Other strings are kept byte for byte."""
    text = str(node.this)
    if not node.is_string:
        canonical = canonical_number(text)
        return number(canonical) if canonical is not None and canonical != text else node
    as_number = number_like_string(text)
    if as_number is not None:
        return number(as_number)
    for normalizer in (canonical_json, canonical_datetime, _untyped_uuid):
        canonical = normalizer(text)
        if canonical is not None and canonical != text:
            return string(canonical)
    return node


def _untyped_uuid(text: str) -> str | None:
    return canonical_uuid(text, typed=False)


def negate_number(node: exp.Neg) -> exp.Expr:
    """``-1`` parses as minus applied to ``1``; PostgreSQL folds it into the constant ``'-1'``."""
    inner = node.this
    if isinstance(inner, exp.Literal) and not inner.is_string:
        text = str(inner.this)
        negated = text[1:] if text.startswith("-") else "-" + text
        return number(canonical_number(negated) or negated)
    return node


def interval_literal(node: exp.Interval) -> exp.Expr:
    """``interval '1 day'`` → the constant text interval_out would print."""
    this = node.this
    if not isinstance(this, exp.Literal):
        return node
    text = str(this.this)
    unit = node.args.get("unit")
    if unit is not None:
        text = f"{text} {unit.name}"
    canonical = canonical_interval(text)
    return string(canonical) if canonical is not None else string(text.lower())


def cast_rule(node: exp.Cast) -> exp.Expr:
    """Drop implied casts (see module docstring) and canonicalize the type of the others."""
    inner = node.this
    target = node.args.get("to")
    if is_constant(inner):
        return _typed_constant(inner, target)
    if isinstance(inner, exp.Array) and isinstance(target, exp.DataType) and target.is_type(T.ARRAY):
        if not inner.expressions:
            # ARRAY[]::text[] and '{}'::text[] are the same empty array.
            return string("{}")
        if all(is_constant(e) for e in inner.expressions):
            return inner
    if (
        isinstance(inner, exp.Column)
        and isinstance(target, exp.DataType)
        and (target.this in _TEXT_LIKE or (target.this in _WIDENING and not target.expressions))
    ):
        return inner
    if isinstance(target, exp.DataType):
        node.set("to", canonical_datatype(target))
    return node


def canonical_datatype(dtype: exp.DataType) -> exp.DataType:
    """A user-defined type without a default-schema qualifier, so ``public.user_role`` (as the
    catalog prints it under ``search_path = pg_catalog``) equals ``user_role``."""
    kind = dtype.args.get("kind")
    if (
        isinstance(kind, exp.Dot)
        and isinstance(kind.this, exp.Identifier)
        and kind.this.name.lower() in DEFAULT_SCHEMAS
        and isinstance(kind.expression, exp.Identifier)
    ):
        dtype.set("kind", kind.expression)
    return dtype


def _typed_constant(constant: exp.Expr, target: exp.Expr | None) -> exp.Expr:
    """The constant ``constant::target`` in the form the type's output function prints."""
    if isinstance(constant, (exp.Null, exp.Boolean)) or target is None:
        return constant
    assert isinstance(constant, exp.Literal)
    text = str(constant.this)
    if isinstance(target, exp.ObjectIdentifier):
        # 'public.t_id_seq'::regclass is what the catalog prints for nextval('t_id_seq').
        if target.name.lower() == "regclass":
            return string(strip_default_schema(text))
        return constant
    if not isinstance(target, exp.DataType):
        return constant
    kind = target.this
    if kind == T.BOOLEAN:
        value = boolean_value(text)
        return exp.Boolean(this=value) if value is not None else constant
    if kind == T.INTERVAL:
        canonical = canonical_interval(text)
        return string(canonical) if canonical is not None else constant
    if kind in _NUMERIC:
        canonical = canonical_number(text)
        return number(canonical) if canonical is not None else constant
    if kind in _DATETIME:
        canonical = canonical_datetime(text)
        return string(canonical) if canonical is not None else constant
    if kind == T.UUID:
        canonical = canonical_uuid(text, typed=True)
        return string(canonical) if canonical is not None else constant
    if kind in _JSON:
        canonical = canonical_json(text)
        return string(canonical) if canonical is not None else constant
    return constant


def strip_default_schema(name: str) -> str:
    """``public.t_id_seq`` → ``t_id_seq``; other qualifications are kept."""
    head, dot, tail = name.partition(".")
    if dot and head.strip('"').lower() in DEFAULT_SCHEMAS and tail:
        return tail
    return name
