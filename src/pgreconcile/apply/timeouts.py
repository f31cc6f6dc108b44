"""The per-statement limits of an apply, in a module of their own so that the CLI's settings can
name them without importing the apply machinery (and psycopg) for every command."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Timeouts:
    """Per-statement limits, in milliseconds (0 disables one)."""

    lock_timeout_ms: int = 10_000
    statement_timeout_ms: int = 600_000
