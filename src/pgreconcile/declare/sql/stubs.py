"""Stand-ins for the target's platform objects, so SQL files can refer to them in a scratch database.

SQL written for Supabase refers to objects the platform owns: ``REFERENCES auth.users (id)``,
``DEFAULT auth.uid()``, ``CREATE EXTENSION … WITH SCHEMA extensions``. The scratch database is
empty, so before the files run, the platform schemas (:data:`pgreconcile.platform.PLATFORM_SCHEMAS`)
that exist on the target are copied into it as *stubs*: the schemas, the extensions installed
in them, their enum types, their tables with column names and types, primary keys and unique
keys (what a foreign key needs), and their functions with the same signatures and bodies that
only raise. Platform schemas are never managed, so nothing of a stub is read back as declared.

In ``--scratch local`` mode the target's role names are created too (NOLOGIN), because roles
belong to a server and ``GRANT … TO authenticated`` needs the role to exist.

Only platform schemas get stubs: copying a schema the files might manage would make its live
tables look declared. Names a file creates itself (``CREATE SCHEMA``, ``CREATE EXTENSION``)
are not stubbed either. A stub that cannot be created (an extension the local server lacks)
is noted and skipped; the files' own error says what was missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.rows import tuple_row

from pgreconcile.platform import PLATFORM_SCHEMAS
from pgreconcile.quoting import ident, literal, qualified

# Every name and type below is printed by the target server itself (format_type,
# pg_get_function_arguments, pg_get_constraintdef): with only pg_catalog on the search path,
# everything outside it comes back schema-qualified.
_SETUP = "SET LOCAL search_path = pg_catalog"

_NOT_EXTENSION_MEMBER = """NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend AS d
    WHERE d.classid = '{catalog}'::pg_catalog.regclass AND d.objid = {oid} AND d.deptype = 'e')"""

_SCHEMAS = """
SELECT n.nspname FROM pg_catalog.pg_namespace AS n
WHERE n.nspname = ANY (%(platform)s::pg_catalog.text[])
ORDER BY n.nspname
"""

_EXTENSIONS = """
SELECT e.extname, n.nspname
FROM pg_catalog.pg_extension AS e
JOIN pg_catalog.pg_namespace AS n ON n.oid = e.extnamespace
WHERE n.nspname = ANY (%(platform)s::pg_catalog.text[])
ORDER BY e.extname
"""

_ENUMS = f"""
SELECT n.nspname, t.typname, pg_catalog.array_agg(e.enumlabel::pg_catalog.text ORDER BY e.enumsortorder)
FROM pg_catalog.pg_type AS t
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_enum AS e ON e.enumtypid = t.oid
WHERE n.nspname = ANY (%(platform)s::pg_catalog.text[])
  AND {_NOT_EXTENSION_MEMBER.format(catalog="pg_catalog.pg_type", oid="t.oid")}
GROUP BY n.nspname, t.typname
ORDER BY n.nspname, t.typname
"""

# Views and foreign tables become plain tables: a stub only has to be referable.
_TABLES = f"""
SELECT n.nspname, c.relname,
       coalesce(pg_catalog.array_agg(a.attname::pg_catalog.text ORDER BY a.attnum)
                    FILTER (WHERE a.attname IS NOT NULL), '{{}}'),
       coalesce(pg_catalog.array_agg(pg_catalog.format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum)
                    FILTER (WHERE a.attname IS NOT NULL), '{{}}')
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND NOT c.relispartition
  AND n.nspname = ANY (%(platform)s::pg_catalog.text[])
  AND {_NOT_EXTENSION_MEMBER.format(catalog="pg_catalog.pg_class", oid="c.oid")}
GROUP BY n.nspname, c.relname
ORDER BY n.nspname, c.relname
"""

# Primary keys and unique keys: what a foreign key into a stub table needs.
_KEYS = f"""
SELECT n.nspname, c.relname, con.conname, pg_catalog.pg_get_constraintdef(con.oid)
FROM pg_catalog.pg_constraint AS con
JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE con.contype IN ('p', 'u')
  AND n.nspname = ANY (%(platform)s::pg_catalog.text[])
  AND {_NOT_EXTENSION_MEMBER.format(catalog="pg_catalog.pg_class", oid="c.oid")}
ORDER BY n.nspname, c.relname, con.contype, con.conname
"""

_FUNCTIONS = f"""
SELECT n.nspname, p.proname,
       pg_catalog.pg_get_function_arguments(p.oid),
       pg_catalog.pg_get_function_result(p.oid),
       p.provolatile
FROM pg_catalog.pg_proc AS p
JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
WHERE p.prokind = 'f'
  AND n.nspname = ANY (%(platform)s::pg_catalog.text[])
  AND {_NOT_EXTENSION_MEMBER.format(catalog="pg_catalog.pg_proc", oid="p.oid")}
ORDER BY n.nspname, p.proname, p.oid
"""

_ROLES = "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname"

_VOLATILITY = {"i": "IMMUTABLE", "s": "STABLE", "v": "VOLATILE"}

# plpgsql accepts any signature and never checks a body that only raises.
_STUB_BODY = "BEGIN RAISE EXCEPTION 'pgreconcile: stub of a platform function, not callable here'; END"


@dataclass(frozen=True, slots=True)
class Stub:
    """One statement that recreates one platform object, and what it is (for notes)."""

    what: str
    sql: str


@dataclass(frozen=True)
class Stubs:
    """What the target's platform schemas hold, as statements for the scratch database."""

    schemas: frozenset[str] = frozenset()
    extensions: frozenset[str] = frozenset()
    statements: tuple[Stub, ...] = ()
    roles: tuple[str, ...] = field(default=())


def read_stubs(
    target: psycopg.Connection[Any],
    *,
    own_schemas: Iterable[str] = (),
    own_extensions: Iterable[str] = (),
    own_roles: Iterable[str] = (),
    roles: bool = False,
) -> Stubs:
    """Stubs of the target's platform schemas, leaving out the schemas and extensions the SQL
    files create themselves; with ``roles``, the target's role names too, but for those the
    files create (their CREATE ROLE would fail on a stub of the same name)."""
    skip_schemas = frozenset(own_schemas)
    skip_roles = frozenset(own_roles)
    skip_extensions = frozenset(own_extensions)
    params = {"platform": sorted(PLATFORM_SCHEMAS - skip_schemas)}
    out: list[Stub] = []
    with target.transaction(), target.cursor(row_factory=tuple_row) as cur:
        cur.execute(_SETUP)

        def rows(query: str) -> list[tuple[Any, ...]]:
            cur.execute(query, params)
            return cur.fetchall()

        schemas = [name for (name,) in rows(_SCHEMAS)]
        out += [Stub(f"schema {name}", f"CREATE SCHEMA {ident(name)}") for name in schemas]
        extensions = [(name, schema) for name, schema in rows(_EXTENSIONS) if name not in skip_extensions]
        out += [
            Stub(f"extension {name}", f"CREATE EXTENSION IF NOT EXISTS {ident(name)} SCHEMA {ident(schema)}")
            for name, schema in extensions
        ]
        for schema, name, labels in rows(_ENUMS):
            values = ", ".join(literal(label) for label in labels)
            out.append(Stub(f"type {schema}.{name}", f"CREATE TYPE {qualified(schema, name)} AS ENUM ({values})"))
        for schema, name, columns, types in rows(_TABLES):
            listed = ", ".join(f"{ident(c)} {t}" for c, t in zip(columns, types, strict=True))
            out.append(Stub(f"table {schema}.{name}", f"CREATE TABLE {qualified(schema, name)} ({listed})"))
        for schema, table, name, definition in rows(_KEYS):
            out.append(
                Stub(
                    f"key {name} of {schema}.{table}",
                    f"ALTER TABLE {qualified(schema, table)} ADD CONSTRAINT {ident(name)} {definition}",
                )
            )
        for schema, name, arguments, result, volatility in rows(_FUNCTIONS):
            out.append(
                Stub(
                    f"function {schema}.{name}({arguments})",
                    f"CREATE FUNCTION {qualified(schema, name)}({arguments}) RETURNS {result} LANGUAGE plpgsql "
                    f"{_VOLATILITY.get(volatility, 'VOLATILE')} AS {literal(_STUB_BODY)}",
                )
            )
        role_names: tuple[str, ...] = ()
        if roles:
            cur.execute(_ROLES)
            role_names = tuple(name for (name,) in cur.fetchall() if name not in skip_roles)
    return Stubs(frozenset(schemas), frozenset(name for name, _ in extensions), tuple(out), role_names)


def create_stubs(scratch: psycopg.Connection[Any], stubs: Stubs) -> list[str]:
    """Create ``stubs`` in the scratch database (autocommit connection); returns a note for each
    stub that could not be created."""
    notes: list[str] = []
    if stubs.roles:
        existing = {name for (name,) in scratch.execute(_ROLES).fetchall()}
        for role in stubs.roles:
            if role not in existing:
                # Roles exist once per server: only ever created on a throwaway local one.
                _try(scratch, Stub(f"role {role}", f"CREATE ROLE {ident(role)} NOLOGIN"), notes)
    if not stubs.statements:
        return notes
    try:
        # All at once first (one round trip); it runs as one implicit transaction.
        scratch.execute(";\n".join(stub.sql for stub in stubs.statements))
        return notes
    except psycopg.OperationalError:
        raise
    except psycopg.Error:
        pass
    for stub in stubs.statements:
        _try(scratch, stub, notes)
    return notes


def _try(scratch: psycopg.Connection[Any], stub: Stub, notes: list[str]) -> None:
    try:
        scratch.execute(stub.sql)
    except psycopg.OperationalError:
        raise
    except psycopg.Error as err:
        reason = err.diag.message_primary or str(err).strip()
        notes.append(f"the stub of {stub.what} could not be created: {reason}")
