"""A table's declared ``exclusions:`` → exclusion constraints, each element and predicate
checked (a column that exists, SQL that parses, ``WITH <operator>`` present)."""

from __future__ import annotations

from typing import Protocol

from pgreconcile.declare.spec.language import TableSpec
from pgreconcile.model.objects import Origin
from pgreconcile.model.types import ExclusionConstraint
from pgreconcile.normalize.exclusions import split_exclusion_element
from pgreconcile.normalize.index_elements import element_column, split_index_element


class _Builder(Protocol):
    """What this needs of declare.build.tables.TableBuilder (which calls it with itself)."""

    spec: TableSpec
    inherited: frozenset[str]  # [inheritance] column names from the declared parents

    def at(self, *path: str | int) -> Origin: ...
    def error(self, origin: Origin, message: str, hint: str | None = None) -> None: ...
    def sql(self, text: str, what: str, *path: str | int) -> bool: ...
    def existing(self, names: list[str], what: str, *path: str | int) -> bool: ...
    def guess(self, column: str) -> str: ...
    def claim(self, name: str, what: str, origin: Origin) -> bool: ...
    def deferral(self, deferrable: bool | None, initially_deferred: bool) -> tuple[bool, bool] | None: ...


def build_exclusions(builder: _Builder) -> tuple[ExclusionConstraint, ...]:
    """The table's exclusion constraints by name; problems go to the builder's collection."""
    out: list[ExclusionConstraint] = []
    for name, spec in builder.spec.exclusions.items():
        origin = builder.at("exclusions", name)
        what = f"exclusion constraint {name}"
        good = bool(spec.elements)
        if not spec.elements:
            builder.error(origin, f"{what} lists no elements")
        for i, element in enumerate(spec.elements):
            parts = split_exclusion_element(element)
            if parts is None:
                builder.error(
                    builder.at("exclusions", name, "elements", i),
                    f"{what}: element {element!r} has no operator",
                    'write it as in SQL: "room_id WITH =" or "during WITH &&"',
                )
                good = False
                continue
            column = element_column(parts[0])
            if column is None:
                expression = split_index_element(parts[0])[0]
                good = builder.sql(expression, f"{what} element", "exclusions", name, "elements", i) and good
            elif column not in builder.spec.columns and column not in builder.inherited:
                builder.error(
                    builder.at("exclusions", name, "elements", i),
                    f"{what}: column {column!r} does not exist{builder.guess(column)}",
                )
                good = False
        if spec.include and not builder.existing(spec.include, f"{what} include", "exclusions", name, "include"):
            good = False
        if spec.where is not None and not builder.sql(spec.where, f"{what} where", "exclusions", name, "where"):
            good = False
        deferral = builder.deferral(spec.deferrable, spec.initially_deferred)
        if deferral is None:
            builder.error(origin, f"{what}: initially_deferred needs deferrable")
            good = False
        if good and deferral is not None and builder.claim(name, "exclusion constraint", origin):
            out.append(
                ExclusionConstraint(
                    name, tuple(spec.elements), spec.using, spec.where, tuple(spec.include), *deferral, origin=origin,
                    comment=spec.comment,
                    index_comment=spec.index_comment,
                )
            )
    return tuple(sorted(out, key=lambda c: c.name))
