"""Colour, decided in one place: on only for a terminal, off for NO_COLOR and --no-color."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TextIO

from pgreconcile.diff.changes import Action

_CODES = {
    Action.CREATE: "32",  # green
    Action.UPDATE: "33",  # yellow
    Action.DESTROY: "31",  # red
    Action.REPLACE: "35",  # magenta
    Action.RENAME: "36",  # cyan
}


@dataclass(frozen=True)
class Palette:
    """Wraps text in ANSI colour codes when enabled; the identity when not."""

    enabled: bool = False

    def action(self, action: Action, text: str) -> str:
        return self._wrap(_CODES[action], text)

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def warn(self, text: str) -> str:
        return self._wrap("1;31", text)

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text


def palette_for(stream: TextIO = sys.stdout, *, no_color: bool = False) -> Palette:
    """Colour only on a terminal, never when NO_COLOR is set (any value) or --no-color given."""
    enabled = not no_color and "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()
    return Palette(enabled)
