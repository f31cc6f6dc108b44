"""Counting words the way people read them: ``1 table``, ``2 tables``."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` and ``noun``, in the plural unless ``number`` is 1 (``plural`` when not +s)."""
    return f"{number} {noun if number == 1 else (plural or noun + 's')}"
