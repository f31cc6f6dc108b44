"""The language of a table's extended statistics and rules: ``tables.<t>.statistics.<name>``
and ``tables.<t>.rules.<name>`` (resolved in :mod:`pgreconcile.declare.build.table_extras`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from pgreconcile.declare.spec.base import Names, Spec, one_or_many, words


def _enabled(value: Any) -> Any:
    """``enabled: true`` is the default state, ``false`` is disabled."""
    if isinstance(value, bool):
        return "origin" if value else "disabled"
    return words(value)


class StatisticsSpec(Spec):
    """Extended statistics: ``{columns: [city, zip]}``, with ``expressions: [lower(city)]``,
    ``kinds: [ndistinct, dependencies, mcv]`` (omitted: all), ``target: 500``; a bare list is
    the columns."""

    empty_hint = "statistics cover columns or expressions: `{columns: [city, zip]}`"
    columns: Names = Field(default_factory=list)
    expressions: Names = Field(default_factory=list)
    kinds: Annotated[list[Literal["ndistinct", "dependencies", "mcv"]], BeforeValidator(one_or_many)] | None = None
    target: int = -1
    comment: str | None = None
    renamed_from: str | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"columns": data} if isinstance(data, list | str) else data


class RuleSpec(Spec):
    """A rewrite rule: ``{event: update, instead: false, where: "old.a <> new.a",
    actions: "INSERT INTO log (a) VALUES (new.a)"}``; ``actions`` is one statement or a list of
    them, omitted (or ``nothing``) for DO NOTHING."""

    empty_hint = "a rule needs its event: `{event: delete, instead: true}`"
    event: Annotated[Literal["insert", "update", "delete"], BeforeValidator(words)]
    instead: bool = False
    where: str | None = None
    actions: Names = Field(default_factory=list)
    enabled: Annotated[Literal["origin", "disabled", "replica", "always"], BeforeValidator(_enabled)] = "origin"
    comment: str | None = None
    renamed_from: str | None = None
