"""One broken convention: which rule, which object, where it was declared, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.model.objects import Origin


@dataclass(frozen=True, slots=True)
class Violation:
    """An object of the desired schema that breaks a declared convention.

    ``rule`` is the convention's key (``timestamps``); ``object`` names the object the way plans
    do (``column public.messages.created_at``); ``where`` is the file:line it was declared at
    (None only for a source that records no place); ``fix`` says what to write instead.
    """

    rule: str
    object: str
    where: Origin | None
    message: str
    fix: str

    def sort_key(self) -> tuple[str, int, str, str]:
        """File, line, then rule and object: the order a reader walks the files in. Violations
        of one object at one line (two labels of a flow list) keep the order the rule found
        them in, which is the declared order (the sort is stable)."""
        if self.where is None:
            return "", 0, self.rule, self.object
        return self.where.file, self.where.line or 0, self.rule, self.object
