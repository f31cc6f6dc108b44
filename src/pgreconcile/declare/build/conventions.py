"""The ``conventions:`` of every declaration file, merged into one set of rules.

Conventions may be declared in any file of the schema directory, and split over several: one
file may set ``timestamps`` and another ``rls``. A key set in two files to the same value is
harmless (the rule is unambiguous, and a team may repeat it where it matters to them); set to
different values it is an error naming both places, because either choice would silently
overrule the other. What the rules *mean* is checked in :mod:`pgreconcile.conventions`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.convention_specs import ConventionsSpec
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.model.objects import Origin


@dataclass(frozen=True, slots=True)
class Conventions:
    """The merged rules (``settings``; an unset key is None) and where each key was set."""

    settings: ConventionsSpec = field(default_factory=ConventionsSpec)
    origins: Mapping[str, Origin] = field(default_factory=dict)

    def origin(self, key: str) -> Origin | None:
        """Where convention ``key`` was set (the first place, when several agree)."""
        return self.origins.get(key)

    @property
    def declared(self) -> bool:
        """Whether any rule is switched on (null, false and an empty ``rls`` list are off)."""
        return any(bool(getattr(self.settings, key)) for key in ConventionsSpec.model_fields)


def read_conventions(documents: Sequence[Document], problems: Problems) -> Conventions:
    """Every file's conventions merged; a key set to two different values is recorded in ``problems``."""
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    for doc in documents:
        spec = doc.spec.conventions
        if spec is None:
            continue
        for key in ConventionsSpec.model_fields:  # declaration order: a stable report
            if key not in spec.model_fields_set:
                continue
            value = getattr(spec, key)
            origin = Origin(doc.file, doc.line("conventions", key))
            if key not in values:
                values[key], origins[key] = value, origin
            elif values[key] != value:
                problems.at(
                    origin,
                    f"convention {key!r} is declared twice, with different values: "
                    f"{_show(values[key])} at {origins[key]} and {_show(value)} at {origin}",
                    "set each convention in one place; remove or change one of the two",
                )
    return Conventions(ConventionsSpec.model_validate(values), origins)


def _show(value: Any) -> str:
    """A value as it would be written in YAML: ``[public, app]``, ``true``, ``uuid``."""
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)
