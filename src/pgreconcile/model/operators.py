"""User-defined operators (``CREATE OPERATOR``).

An operator is named by its schema, its symbol and its operand types: ``public.||++(text,
text)``; a prefix operator has no left operand (``left`` None, written ``NONE``). Its function,
commutator, negator and selectivity estimators are names: a function or estimator as
``(schema, name)`` (pg_catalog's written alone in the language: ``eqsel``), a commutator or
negator as the ``(schema, symbol)`` of the operator with the operand types PostgreSQL implies
(swapped for a commutator, the same for a negator).

Naming a commutator or negator that does not exist makes PostgreSQL create a *shell* operator
(no function) to be filled in later. Shells are not objects of the model: the catalog read
leaves them out, the plan never drops them, and ``CREATE OPERATOR`` of a declared one fills the
shell in.

``users``: live only, what depends on the operator (views, indexes, constraints, as
``pg_describe_object`` names them), so that a re-creation or a drop that PostgreSQL would refuse
is refused by the plan, naming them. ``comment`` and ``owner`` are compared alone; an owner that
is not declared (None) is not compared at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgreconcile.model.keys import operator_key
from pgreconcile.model.origin import Origin
from pgreconcile.model.text_search import Name, short_name

# ``Name`` (schema, name) and ``short_name`` (pg_catalog's alone) are the text search kind's:
# the same naming convention, for functions and operators too.


@dataclass(frozen=True, slots=True)
class Operator:
    schema: str
    name: str  # the symbol: ``||++``
    left: str | None  # canonical type text (format_type), None for a prefix operator
    right: str
    function: Name
    commutator: Name | None = None
    negator: Name | None = None
    restrict: Name | None = None
    join: Name | None = None
    hashes: bool = False
    merges: bool = False
    comment: str | None = field(default=None, compare=False)
    owner: str | None = field(default=None, compare=False)
    users: tuple[str, ...] = field(default=(), compare=False)
    origin: Origin | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return operator_key(self.schema, self.name, self.left, self.right)

    @property
    def signature(self) -> str:
        """``public.||++(text, text)``: how plans and messages name it."""
        return f"{self.schema}.{self.name}({self.left or 'NONE'}, {self.right})"

    @property
    def arg_types(self) -> tuple[str, ...]:
        """The function's argument types: both operands, or the right one alone."""
        return (self.right,) if self.left is None else (self.left, self.right)

    def recreated_for(self, other: Operator) -> str | None:
        """What makes ``other`` (live) impossible to alter into ``self``: the function, the
        commutator, the negator, HASHES or MERGES (PostgreSQL 17 can set some of them once, never
        change them; the plan re-creates on every major), or None."""
        changed = [label for label, mine, theirs in (
            ("function", self.function, other.function),
            ("commutator", self.commutator, other.commutator),
            ("negator", self.negator, other.negator),
            ("HASHES", self.hashes, other.hashes),
            ("MERGES", self.merges, other.merges),
        ) if mine != theirs]
        if not changed:
            return None
        listed = changed[0] if len(changed) == 1 else ", ".join(changed[:-1]) + " and " + changed[-1]
        return f"its {listed} changed"


#: An operator's identity in the declarations and the model: (schema, symbol, left, right).
OperatorId = tuple[str, str, str | None, str]

__all__ = ["Name", "Operator", "OperatorId", "short_name"]
