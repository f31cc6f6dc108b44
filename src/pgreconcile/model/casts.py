"""User-defined casts (``CREATE CAST``).

A cast belongs to no schema: it is named by its source and target types, as the catalog's
``format_type`` prints them with only ``pg_catalog`` on the search path (``public.mood``,
``integer``). The model keeps it under the schema that holds one of the objects it uses — the
first of its source type, target type and function that is in a managed schema — which is where
declarations write it (``schemas.<s>.casts``) and how a live one counts as managed. A live cast
that uses nothing of a managed schema (``json AS text``) has no schema (None): it is the
database's, managed when the declarations declare casts at all (``Schema.casts_managed``).

How it converts: ``function`` (``WITH FUNCTION``, with that function's argument types),
``inout`` (``WITH INOUT``: through the types' text forms) or neither (``WITHOUT FUNCTION``: the
types are binary coercible). When it applies: ``context`` explicit (only ``CAST``/``::``),
``assignment`` or ``implicit``. PostgreSQL has no ``ALTER CAST``: a different method, function
or context re-creates the cast; a comment is set in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pgreconcile.model.keys import cast_key
from pgreconcile.model.origin import Origin
from pgreconcile.model.text_search import Name


class CastContext(StrEnum):
    """When PostgreSQL applies the cast on its own (pg_cast.castcontext)."""

    EXPLICIT = "explicit"
    ASSIGNMENT = "assignment"
    IMPLICIT = "implicit"


@dataclass(frozen=True, slots=True)
class Cast:
    source: str  # canonical type text
    target: str
    function: Name | None = None  # (schema, name); None with inout or without a function
    function_args: tuple[str, ...] = ()  # the function's argument types
    inout: bool = False
    context: CastContext = CastContext.EXPLICIT
    comment: str | None = field(default=None, compare=False)
    schema: str | None = field(default=None, compare=False)  # where declared / counted; None: the database's
    origin: Origin | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return cast_key(self.source, self.target)

    @property
    def ident(self) -> tuple[str, str]:
        """The model's key: (source, target)."""
        return (self.source, self.target)

    @property
    def label(self) -> str:
        """``(public.mood AS text)``: how plans and messages name it."""
        return f"({self.source} AS {self.target})"

    @property
    def method(self) -> str:
        """``WITH FUNCTION public.f(public.mood)``, ``WITH INOUT`` or ``WITHOUT FUNCTION``."""
        if self.function is not None:
            return f"with function {self.function[0]}.{self.function[1]}({', '.join(self.function_args)})"
        return "with inout" if self.inout else "without function"


#: A cast's identity: (source type, target type).
CastId = tuple[str, str]

__all__ = ["Cast", "CastContext", "CastId"]
