"""What every declaration model shares: the strict base class, our error type, and the
before-validators of the short forms (one name for a list, an empty key for an empty mapping).

The kinds' models live beside this module (:mod:`.language` for tables and the document,
:mod:`.routines` for code objects, :mod:`.access` for grants); each imports from here, so none
needs another's module for the basics and no import circles arise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError


def problem(message: str, hint: str | None = None) -> PydanticCustomError:
    """A validation error whose text is ours (see :mod:`pgreconcile.declare.spec.errors`)."""
    return PydanticCustomError("declaration", "{message}", {"message": message, "hint": hint})


def words(value: Any) -> Any:
    """``SET_NULL``, ``set null`` and ``Set Null`` all mean ``set null``."""
    if isinstance(value, str):
        return " ".join(value.replace("_", " ").replace("-", " ").lower().split())
    return value


def one_or_many(value: Any) -> Any:
    """A single name where a list of names is expected: ``columns: user_id``."""
    return [value] if isinstance(value, str) else value


def none_is_empty(value: Any) -> Any:
    """``tables:`` with nothing under it is an empty mapping, not an error."""
    return {} if value is None else value


V = TypeVar("V")
Keyed = Annotated[dict[str, V], BeforeValidator(none_is_empty)]
Names = Annotated[list[str], BeforeValidator(one_or_many)]


class Spec(BaseModel):
    """Base of every declaration mapping: strict keys and a short-form hook."""

    # Keys are read by their YAML spelling only (`schema`, not the attribute name `schema_`).
    # defer_build: a model's validator is built when it is first used, not when its class is
    # defined. Validating a document builds the document's one validator, nested models
    # included; built at import, each of the ~60 models also had one of its own, which only a
    # few are ever used through (docs/how-it-works.md, "Where a command's time goes").
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    #: Shown when the mapping is left empty (``email:`` with nothing after it).
    empty_hint: ClassVar[str | None] = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        """Turn a short form into the long mapping; the default leaves the value as it is.

        Short forms are expanded by the field that holds the spec (one call per collection, not
        per entry: a 2,000-table file has 40,000 columns). A value that is neither form is left
        alone so that validation reports it at its own key.
        """
        return data


def each(expand: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A before-validator that expands every value of a keyed collection."""

    def expand_all(value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, dict):
            return {key: expand(item) for key, item in value.items()}
        return value

    return expand_all


def names_or_each(expand: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """:func:`each`, and a list of names is short for a mapping of empty bodies
    (``extensions: [pgcrypto, citext]``, ``roles: [anon]``)."""
    expand_all = each(expand)

    def names_or_expand(value: Any) -> Any:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = dict.fromkeys(value)
        return expand_all(value)

    return names_or_expand
