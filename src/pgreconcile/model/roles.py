"""Roles the declarations need to exist: created when the server lacks them, never altered or
dropped.

A role belongs to the whole server, not to one database: another database's owners and grants
may name it, so a project's declarations can ask for it to exist but can never own it. What is
declared is the least a new role needs to be usable by the objects that name it — whether it
can log in. Passwords and other attributes are the server administrator's, set by hand."""

from __future__ import annotations

from dataclasses import dataclass, field

from pgreconcile.model.origin import Origin


@dataclass(frozen=True, slots=True)
class Role:
    """A role to create when missing: ``CREATE ROLE name LOGIN`` or ``NOLOGIN``."""

    name: str
    login: bool = False
    origin: Origin | None = field(default=None, compare=False)
