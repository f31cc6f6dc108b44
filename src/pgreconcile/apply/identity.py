"""Which database a connection reaches, as plans record it, and the refusal of any other.

A URL names a database only as the client sees it (a host alias, a port forward, a default
from the environment); the server's system identifier (``pg_control_system()``, fixed when the
cluster was ``initdb``-ed), the database's name and its oid name it as the server does. A plan
saved against one database is refused on any other before anything is written there.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row

from pgreconcile.errors import PlanRefused
from pgreconcile.plan.model import Database, Plan

_IDENTITY = """
SELECT (SELECT system_identifier FROM pg_catalog.pg_control_system())::pg_catalog.text,
       d.datname::pg_catalog.text,
       d.oid::pg_catalog.int8
FROM pg_catalog.pg_database AS d
WHERE d.datname = pg_catalog.current_database()
"""


_WITHOUT_SYSTEM_ID = """
SELECT 'unknown', d.datname::pg_catalog.text, d.oid::pg_catalog.int8
FROM pg_catalog.pg_database AS d
WHERE d.datname = pg_catalog.current_database()
"""


def read_database(conn: psycopg.Connection[Any]) -> Database:
    """The database ``conn`` is connected to. Leaves no transaction open."""
    opened = conn.info.transaction_status == TransactionStatus.IDLE and not conn.autocommit
    try:
        with conn.cursor(row_factory=tuple_row) as cur:
            row = cur.execute(_IDENTITY).fetchone()
    except psycopg.errors.InsufficientPrivilege:
        # A server that keeps pg_control_system() from this role: name and oid still decide.
        if opened or conn.info.transaction_status == TransactionStatus.INERROR:
            conn.rollback()
        with conn.cursor(row_factory=tuple_row) as cur:
            row = cur.execute(_WITHOUT_SYSTEM_ID).fetchone()
    if opened:
        conn.rollback()
    assert row is not None, "current_database() is always in pg_database"
    system_identifier, name, oid = row
    return Database(system_identifier=str(system_identifier), name=str(name), oid=int(oid))


def check_database(plan: Plan, actual: Database, *, where: str | None = None) -> None:
    """Raise :class:`PlanRefused` unless ``plan`` was made for the ``actual`` database."""
    if plan.database is None:
        raise PlanRefused(
            "the plan does not record which database it was made for, so it cannot be checked that this "
            f"is that database ({actual.describe()})",
            where=where,
            hint="make the plan again with this pgreconcile: `reconcile plan -out FILE`",
        )
    if plan.database != actual:
        raise PlanRefused(
            f"the plan was made for {plan.database.describe()}, but this connection reaches "
            f"{actual.describe()}; nothing was applied",
            where=where,
            hint="apply it with the DATABASE_URL it was planned against, or make a plan for this database",
        )
