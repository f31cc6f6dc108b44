"""Collecting declaration errors, so that one run reports as many as it can find."""

from __future__ import annotations

from pgreconcile.errors import DeclarationError, DeclarationErrors
from pgreconcile.model.objects import Origin


def where(file: str, line: int | None) -> str:
    """``schema/app.yaml:12`` (or just the file when the line is unknown)."""
    return str(Origin(file, line))


class Problems:
    """An ordered collection of :class:`DeclarationError`; raised together at the end of a stage."""

    def __init__(self) -> None:
        self.errors: list[DeclarationError] = []

    def add(self, message: str, file: str, line: int | None = None, hint: str | None = None) -> None:
        """Record one error at ``file:line``."""
        self.errors.append(DeclarationError(message, where=where(file, line), hint=hint))

    def at(self, origin: Origin | None, message: str, hint: str | None = None) -> None:
        """Record one error at a declared object's origin."""
        self.errors.append(DeclarationError(message, where=str(origin) if origin else None, hint=hint))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        """Raise every recorded error as one :class:`DeclarationErrors`, in file and line order."""
        if self.errors:
            raise DeclarationErrors(sorted(self.errors, key=_order))


def _order(error: DeclarationError) -> tuple[str, int]:
    file, _, line = (error.where or "").rpartition(":")
    if line.isdigit():
        return file, int(line)
    return error.where or "", 0
