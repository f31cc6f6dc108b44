"""Running the declared conventions over a desired schema."""

from __future__ import annotations

from collections.abc import Sequence

from pgreconcile.conventions.places import Places
from pgreconcile.conventions.report import ConventionViolations
from pgreconcile.conventions.rules import RULES, Subject
from pgreconcile.conventions.violation import Violation
from pgreconcile.declare.build.conventions import Conventions, read_conventions
from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.model.schema import Schema


def check_conventions(documents: Sequence[Document], schema: Schema) -> list[Violation]:
    """Every violation of the conventions ``documents`` declare, by ``schema`` (built from them
    and any other source), in file and line order.

    A convention that cannot be checked as written (``rls`` naming a schema nothing declares)
    raises :class:`~pgreconcile.errors.DeclarationErrors`: a typo there would otherwise pass
    every table silently.
    """
    problems = Problems()
    conventions = read_conventions(documents, problems)
    _check_rls_schemas(conventions, schema, problems)
    problems.raise_if_any()
    if not any(getattr(conventions.settings, key) for key in RULES):
        return []  # nothing declared: no need to index where every object was written
    subject = Subject(conventions.settings, schema, Places.of(documents))
    found = [
        violation
        for key, rule in RULES.items()
        if getattr(conventions.settings, key)  # null, false and `rls: []` switch a rule off
        for violation in rule(subject)
    ]
    return sorted(found, key=Violation.sort_key)


def require_conventions(documents: Sequence[Document], schema: Schema) -> None:
    """Raise :class:`ConventionViolations` (a refused plan) when ``schema`` breaks a convention."""
    violations = check_conventions(documents, schema)
    if violations:
        raise ConventionViolations(violations)


def _check_rls_schemas(conventions: Conventions, schema: Schema, problems: Problems) -> None:
    for name in conventions.settings.rls or ():
        if name not in schema.namespaces:
            declared = ", ".join(sorted(schema.namespaces)) or "none"
            problems.at(
                conventions.origin("rls"),
                f"convention 'rls' names schema {name!r}, which no declaration declares",
                f"list schemas declared under `schemas:` (declared: {declared})",
            )
