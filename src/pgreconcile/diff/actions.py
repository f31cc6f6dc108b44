"""Closed sets every change and plan step is described with: actions and hazards."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """What happens to an object. The action *is* its plan symbol (:attr:`symbol`)."""

    CREATE = "create"
    UPDATE = "update"
    DESTROY = "destroy"
    REPLACE = "replace"
    RENAME = "rename"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]


_SYMBOLS = {
    Action.CREATE: "+",
    Action.UPDATE: "~",
    Action.DESTROY: "-",
    Action.REPLACE: "-/+",
    Action.RENAME: "»",
}


class Hazard(StrEnum):
    """The closed set of risks a step can carry; shown in plans and carried in plan JSON."""

    DROPS_DATA = "drops data"
    REWRITES_TABLE = "rewrites the table"
    ACCESS_EXCLUSIVE_LOCK = "ACCESS EXCLUSIVE lock"
    BLOCKS_WRITES = "blocks writes"
    SCANS_TABLE = "scans every row to validate"
    NOT_TRANSACTIONAL = "cannot run in a transaction"
    MAY_FAIL_ON_DATA = "may fail on existing data"
    # Row-level security turned off, or a restrictive policy removed: rows become visible or
    # writable to roles that could not reach them before.
    OPENS_ROW_ACCESS = "opens row access"
    # [privileges] A grant, a grant option or a default privilege taken away: roles that could
    # read, write or run something no longer can (applications fail with "permission denied").
    REVOKES_ACCESS = "revokes access"
