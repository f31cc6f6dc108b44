"""A column's NOT NULL as PostgreSQL 18 keeps it — a constraint with a name, which may be
``NO INHERIT`` and may be ``NOT VALID`` — written as DDL.

A column definition can say the name and ``NO INHERIT`` but not ``NOT VALID``: a column declared
so is created nullable and its NOT NULL added right after, ``NOT VALID`` (as pg_dump writes it).
On an existing column, a NOT NULL with anything to say is added as a constraint (``ADD
[CONSTRAINT name] NOT NULL col [NO INHERIT] [NOT VALID]``); a live ``NOT VALID`` one declared
validated is validated by ``SET NOT NULL`` (which needs no name), and ``NO INHERIT`` is switched
in place (``ALTER CONSTRAINT … [NO] INHERIT``).
"""

from __future__ import annotations

from pgreconcile.model import Column
from pgreconcile.model.objects import default_not_null_name
from pgreconcile.quoting import ident


def not_null_name(col: Column, table: str) -> str:
    """``CONSTRAINT name `` before a NOT NULL whose declared name is not the default one."""
    name = col.not_null_name
    if name is None or name == default_not_null_name(table, col.name):
        return ""
    return f"CONSTRAINT {ident(name)} "


def column_not_null(col: Column, table: str) -> str | None:
    """The NOT NULL of a column definition in ``table`` (unqualified name); None when there is
    none there — a nullable column, or one whose NOT NULL is added NOT VALID afterwards."""
    if col.nullable or not col.not_null_validated:
        return None
    return f"{not_null_name(col, table)}NOT NULL" + (" NO INHERIT" if col.not_null_no_inherit else "")


def added_not_null(target: str, col: Column, table: str) -> str:
    """``ALTER TABLE target ADD [CONSTRAINT name] NOT NULL col [NO INHERIT] [NOT VALID]``."""
    return (
        f"ALTER TABLE {target} ADD {not_null_name(col, table)}NOT NULL {ident(col.name)}"
        + (" NO INHERIT" if col.not_null_no_inherit else "")
        + ("" if col.not_null_validated else " NOT VALID")
    )


def not_valid_not_nulls(target: str, columns: tuple[Column, ...] | list[Column], table: str) -> list[str]:
    """The NOT VALID NOT NULLs of columns just created (a table's, or one added column)."""
    return [added_not_null(target, c, table) for c in columns if not c.nullable and not c.not_null_validated]


def altered_not_null(target: str, old: Column, new: Column, table: str) -> list[str]:
    """What makes the live column's NOT NULL (``old``) the declared one (``new``)."""
    alter = f"ALTER TABLE {target} ALTER COLUMN {ident(new.name)}"
    if old.nullable != new.nullable:
        if new.nullable:
            return [f"{alter} DROP NOT NULL"]
        if not_null_name(new, table) or not new.not_null_validated or new.not_null_no_inherit:
            # PostgreSQL 18 names the NOT NULL it adds, and only a constraint says the rest.
            return [added_not_null(target, new, table)]
        return [f"{alter} SET NOT NULL"]
    if new.nullable:
        return []
    out: list[str] = []
    if new.not_null_no_inherit != old.not_null_no_inherit and old.not_null_name is not None:
        flag = "NO INHERIT" if new.not_null_no_inherit else "INHERIT"
        # A declared name other than the live one was given by a rename before this step
        # (diff/not_null_names.py); an undeclared one leaves the live name.
        name = new.not_null_name or old.not_null_name
        out.append(f"ALTER TABLE {target} ALTER CONSTRAINT {ident(name)} {flag}")
    if new.not_null_validated and not old.not_null_validated:
        out.append(f"{alter} SET NOT NULL")  # validates the NOT VALID one (PostgreSQL 18)
    return out

