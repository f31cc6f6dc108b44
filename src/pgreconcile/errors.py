"""Errors a user can act on. Each carries one message saying what, where and what to do.

The CLI turns every :class:`ReconcileError` into that message and exit code 1, never a traceback.
"""

from __future__ import annotations


class ReconcileError(Exception):
    """Base for every error that is the user's to fix (not a bug in pgreconcile)."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        """The one-paragraph message shown to the user."""
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class DeclarationError(ReconcileError):
    """The declarations are malformed or inconsistent (file:line in ``where``)."""


class DeclarationErrors(ReconcileError):
    """Several declaration errors found in one pass, reported together."""

    def __init__(self, errors: list[DeclarationError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.render() for e in errors))

    def render(self) -> str:
        return "\n".join(e.render() for e in self.errors)


class ConnectionFailed(ReconcileError):
    """The database could not be reached (the message never contains a password)."""


class PlanRefused(ReconcileError):
    """The plan cannot be applied as declared (destroys data without --allow-destroy, an
    unsupported change, ...)."""


class ApplyFailed(ReconcileError):
    """A statement failed during apply; the message says what the database holds now.

    ``sqlstate`` is the server's code for the failure (None when it was not the server's: an
    interrupt, a lost connection, the apply lock held by another apply); ``nothing_applied`` is
    true only when no statement of the plan took effect: the failure came before anything ran
    outside the one transaction, and that transaction rolled back. Apply retries only such a
    failure (:mod:`pgreconcile.apply.retry`)."""

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        hint: str | None = None,
        sqlstate: str | None = None,
        nothing_applied: bool = False,
    ) -> None:
        self.sqlstate = sqlstate
        self.nothing_applied = nothing_applied
        super().__init__(message, where=where, hint=hint)
