"""Row-level security policies: of tables, and of partitions (which hold their own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pgreconcile.model.origin import Origin


class PolicyCommand(StrEnum):
    """The command a row-level security policy applies to (``FOR ALL`` … ``FOR DELETE``)."""

    ALL = "all"
    SELECT = "select"
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class Policy:
    """A row-level security policy. ``roles`` are sorted (``("public",)`` means everyone);
    ``using`` and ``with_check`` are SQL expressions without their parentheses."""

    name: str
    command: PolicyCommand = PolicyCommand.ALL
    permissive: bool = True
    roles: tuple[str, ...] = ("public",)
    using: str | None = None
    with_check: str | None = None
    origin: Origin | None = field(default=None, compare=False)
    renamed_from: str | None = field(default=None, compare=False)
    comment: str | None = field(default=None, compare=False)  # compared in diff/sub_comments.py
