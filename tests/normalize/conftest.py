"""A real PostgreSQL for the expression tests, and a helper that asks it how it prints things.

The ``expr_db`` fixture uses the suite's one server (``pg_server`` in tests/conftest.py:
``RECONCILE_TEST_DATABASE_URL``, else a throwaway local server), creates one scratch database
per test module with a small schema whose columns cover the types the cases need, and drops it
afterwards. Without a server the tests that need one are skipped with the reason.

:class:`Deparser` creates one object per call inside a transaction that is always rolled back,
and returns every text the catalog could read for it: pretty and non-pretty deparse, under the
default search_path and under ``search_path = pg_catalog`` (which the catalog reader uses, and
which makes PostgreSQL qualify everything outside pg_catalog: ``'user'::public.user_role``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from pgreconcile.localpg import LocalServer

# The session settings that decide how constants are printed; the catalog reader must use the
# same (UTC for timestamptz constants, ISO dates, postgres-style intervals).
SESSION_OPTIONS = "-c TimeZone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres"

SCHEMA = """
CREATE SCHEMA auth;
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS 'SELECT NULL::uuid';
CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS 'SELECT NULL::text';
CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS 'SELECT NULL::jsonb';
CREATE EXTENSION IF NOT EXISTS "uuid-ossp" SCHEMA public;
CREATE EXTENSION IF NOT EXISTS citext SCHEMA public;
CREATE TYPE public.user_role AS ENUM ('user', 'assistant', 'admin');
CREATE SEQUENCE public.subject_seq;
CREATE TABLE public.members (org_id integer, user_id uuid);
CREATE TABLE public.subject (
    id uuid,
    i integer,
    b bigint,
    si smallint,
    n numeric,
    price numeric(10,2),
    f double precision,
    t text,
    v varchar(20),
    role varchar(20),
    c char(3),
    email text,
    nickname text,
    "Email" text,
    ci citext,
    j jsonb,
    tags text[],
    bo boolean,
    ts timestamptz,
    tsn timestamp,
    created_at timestamptz,
    d date,
    iv interval,
    u uuid,
    session_id uuid,
    status public.user_role,
    org_id integer
);
"""


@pytest.fixture(scope="module")
def expr_db(pg_server: LocalServer) -> Iterator[psycopg.Connection[Any]]:
    """An autocommit connection to a scratch database holding :data:`SCHEMA`."""
    base = pg_server.url
    admin = psycopg.connect(base, autocommit=True, connect_timeout=5)
    name = f"h_normalize_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
        try:
            with psycopg.connect(
                make_conninfo(base, dbname=name), autocommit=True, options=SESSION_OPTIONS
            ) as conn:
                conn.execute(SCHEMA)
                yield conn
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def deparse(expr_db: psycopg.Connection[Any]) -> Deparser:
    """A :class:`Deparser` on the module's scratch database."""
    return Deparser(expr_db)


class Deparser:
    """Creates an object from a user-written expression and returns PostgreSQL's texts for it,
    keyed by how they were read (e.g. ``"pg_get_expr pretty, search_path=pg_catalog"``)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def _read_both_paths(self, ddl: sql.Composable, query: str, labels: tuple[str, ...]) -> dict[str, str]:
        texts: dict[str, str] = {}
        with self.conn.transaction(force_rollback=True):
            self.conn.execute(ddl)
            for path in ("default", "pg_catalog"):
                if path == "pg_catalog":
                    self.conn.execute("SET LOCAL search_path = pg_catalog")
                row = self.conn.execute(query).fetchone()
                assert row is not None, "the object was not created"
                for label, value in zip(labels, row, strict=True):
                    texts[f"{label}, search_path={path}"] = value
        return texts

    def check(self, expression: str) -> dict[str, str]:
        """CHECK (expression) on public.subject: pg_get_constraintdef and pg_get_expr."""
        ddl = sql.SQL("ALTER TABLE public.subject ADD CONSTRAINT case_check CHECK ({})").format(
            sql.SQL(expression)  # the expression under test is SQL by definition
        )
        query = """
            SELECT pg_get_constraintdef(oid), pg_get_constraintdef(oid, true),
                   pg_get_expr(conbin, conrelid), pg_get_expr(conbin, conrelid, true)
            FROM pg_constraint
            WHERE conname = 'case_check' AND conrelid = 'public.subject'::regclass"""
        labels = ("constraintdef", "constraintdef pretty", "pg_get_expr", "pg_get_expr pretty")
        texts = self._read_both_paths(ddl, query, labels)
        return {label: _check_body(text) if label.startswith("constraintdef") else text
                for label, text in texts.items()}

    def default(self, expression: str, column_type: str) -> dict[str, str]:
        """A column of ``column_type`` with DEFAULT expression: pg_get_expr of pg_attrdef."""
        ddl = sql.SQL("ALTER TABLE public.subject ADD COLUMN case_column {} DEFAULT {}").format(
            sql.SQL(column_type), sql.SQL(expression)
        )
        query = """
            SELECT pg_get_expr(d.adbin, d.adrelid), pg_get_expr(d.adbin, d.adrelid, true)
            FROM pg_attrdef AS d
            JOIN pg_attribute AS a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            WHERE d.adrelid = 'public.subject'::regclass AND a.attname = 'case_column'"""
        return self._read_both_paths(ddl, query, ("pg_get_expr", "pg_get_expr pretty"))

    def predicate(self, expression: str) -> dict[str, str]:
        """A partial index WHERE expression: pg_get_expr of pg_index.indpred."""
        ddl = sql.SQL("CREATE INDEX case_index ON public.subject (i) WHERE {}").format(sql.SQL(expression))
        query = """
            SELECT pg_get_expr(indpred, indrelid), pg_get_expr(indpred, indrelid, true)
            FROM pg_index WHERE indexrelid = 'public.case_index'::regclass"""
        return self._read_both_paths(ddl, query, ("pg_get_expr", "pg_get_expr pretty"))

    def policy(self, expression: str) -> dict[str, str]:
        """A row-level security policy's USING expression: pg_get_expr of pg_policy.polqual."""
        ddl = sql.SQL("CREATE POLICY case_policy ON public.subject USING ({})").format(sql.SQL(expression))
        query = """
            SELECT pg_get_expr(polqual, polrelid), pg_get_expr(polqual, polrelid, true)
            FROM pg_policy
            WHERE polname = 'case_policy' AND polrelid = 'public.subject'::regclass"""
        return self._read_both_paths(ddl, query, ("pg_get_expr", "pg_get_expr pretty"))

    def element(self, element: str, method: str) -> dict[str, str]:
        """A one-key index: the element as cut from the full pg_get_indexdef, and as assembled
        from pg_get_indexdef(oid, 1, true) plus indcollation/indclass/indoption."""
        ddl = sql.SQL("CREATE INDEX case_index ON public.subject USING {} ({})").format(
            sql.Identifier(method), sql.SQL(element)
        )
        query = """
            SELECT pg_get_indexdef(i.indexrelid),
                   pg_get_indexdef(i.indexrelid, 1, true),
                   i.indkey[0] = 0,
                   CASE WHEN i.indcollation[0] = 0 OR i.indcollation[0] = coalesce(a.attcollation, 100)
                        THEN '' ELSE 'COLLATE ' || quote_ident(coll.collname) END,
                   CASE WHEN oc.opcdefault THEN ''
                        ELSE quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) END,
                   i.indoption[0]::integer
            FROM pg_index AS i
            JOIN pg_opclass AS oc ON oc.oid = i.indclass[0]
            JOIN pg_namespace AS ocn ON ocn.oid = oc.opcnamespace
            LEFT JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            LEFT JOIN pg_collation AS coll ON coll.oid = i.indcollation[0]
            WHERE i.indexrelid = 'public.case_index'::regclass"""
        texts: dict[str, str] = {}
        with self.conn.transaction(force_rollback=True):
            self.conn.execute(ddl)
            for path in ("default", "pg_catalog"):
                if path == "pg_catalog":
                    self.conn.execute("SET LOCAL search_path = pg_catalog")
                row = self.conn.execute(query).fetchone()
                assert row is not None
                full, key, is_expression, collation, opclass, option = row
                texts[f"indexdef, search_path={path}"] = _only_element(full)
                texts[f"assembled, search_path={path}"] = _assemble(
                    key, is_expression, collation, opclass, option
                )
        return texts


def _check_body(definition: str) -> str:
    """``CHECK (expr)`` → ``expr``."""
    assert definition.startswith("CHECK (") and definition.endswith(")"), definition
    return definition[len("CHECK (") : -1]


def _only_element(indexdef: str) -> str:
    """The key list of ``CREATE INDEX … USING method (key)`` for a one-key index."""
    match = re.search(r" USING \w+ \(", indexdef)
    assert match, indexdef
    depth, start = 1, match.end()
    for pos in range(start, len(indexdef)):
        ch = indexdef[pos]
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return indexdef[start:pos]
    raise AssertionError(f"unbalanced index definition: {indexdef}")


def _assemble(key: str, is_expression: bool, collation: str, opclass: str, option: int) -> str:
    """An element the way a catalog reader builds it from the per-column catalog fields."""
    text = key if not is_expression or key.startswith("(") else f"({key})"
    for part in (collation, opclass):
        if part:
            text += f" {part}"
    descending, nulls_first = bool(option & 1), bool(option & 2)
    if descending:
        text += " DESC"
    if nulls_first != descending:
        text += " NULLS FIRST" if nulls_first else " NULLS LAST"
    return text
