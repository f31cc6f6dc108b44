"""The limits of an apply (per-statement timeouts, retries after a transient failure), in a
module of their own so that the CLI's settings can name them without importing the apply
machinery (and psycopg) for every command."""

from __future__ import annotations

from dataclasses import dataclass

#: The longest wait between two attempts, however many retries were asked for.
MAX_RETRY_DELAY_MS = 30_000


@dataclass(frozen=True)
class Timeouts:
    """Per-statement limits, in milliseconds (0 disables one)."""

    lock_timeout_ms: int = 10_000
    statement_timeout_ms: int = 600_000


@dataclass(frozen=True)
class Retries:
    """How many more attempts apply makes after a transient failure that applied nothing
    (:mod:`pgreconcile.apply.retry`), and how long it waits before each.

    The default is none: every attempt may queue the application's queries behind the plan's
    lock requests for up to ``lock_timeout``, so repeating that is for the user to choose."""

    retries: int = 0
    #: The wait before the first retry; it doubles before each next one, up to
    #: :data:`MAX_RETRY_DELAY_MS`.
    first_delay_ms: int = 1_000

    @property
    def attempts(self) -> int:
        """How many attempts at most: the first and the retries."""
        return 1 + self.retries

    def delay_ms(self, retry: int) -> int:
        """The wait before retry number ``retry`` (1 for the first retry)."""
        grown: int = self.first_delay_ms << (retry - 1)
        return min(grown, max(self.first_delay_ms, MAX_RETRY_DELAY_MS))
