"""Conventions: rules a team declares about its own schema, checked before anything is planned.

``conventions:`` in any declaration file (or ``__conventions__`` in a Python one) switches rules
on: uuid primary keys, timestamps with a time zone, lower-case enum labels, row-level security
in named schemas, indexed foreign keys. :func:`check_conventions` runs them over the parsed
documents and the model built from them and returns :class:`Violation` objects; ``reconcile
lint`` prints them, and ``reconcile plan`` / ``apply`` refuse to plan while any remain
(:func:`require_conventions`). See docs/conventions.md.

May import: ``declare`` (the documents it checks), ``model``, ``normalize``, ``quoting``. Never
``diff``, ``plan`` or anything above.
"""

from pgreconcile.conventions.check import check_conventions, require_conventions
from pgreconcile.conventions.report import NO_VIOLATIONS, ConventionViolations, render_violations, summary
from pgreconcile.conventions.violation import Violation

__all__ = [
    "NO_VIOLATIONS",
    "ConventionViolations",
    "Violation",
    "check_conventions",
    "render_violations",
    "require_conventions",
    "summary",
]
