"""The fleet file: which databases (or tenant schemas) one declaration is applied to.

``reconcile.fleet.toml`` (or ``--fleet FILE``) names targets in any of three ways, which may be
combined::

    [[database]]                       # one table per database
    name = "eu-1"
    url = "postgresql://app:${EU1_PASSWORD}@db-eu-1/app"

    [registry]                         # a query that returns (name, url) rows
    url = "${REGISTRY_URL}"
    query = "SELECT name, url FROM tenants WHERE active ORDER BY name"

    [schemas]                          # schema per tenant: every schema LIKE pattern
    url = "${DATABASE_URL}"
    template = "tenant"                # the schema name the declarations use
    pattern = "tenant\\_%"

``${NAME}`` is replaced by the environment variable NAME when the file is read; the expanded
URL lives only in memory — it is never written to a results file or printed (names are).
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from pgreconcile.catalog.connect import connect, redact, scrub
from pgreconcile.errors import ReconcileError

DEFAULT_FILE = Path("reconcile.fleet.toml")
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class FleetError(ReconcileError):
    """The fleet file is missing, malformed, or names something that cannot be resolved."""


@dataclass(frozen=True, slots=True)
class Target:
    """One member of the fleet: a database, or one tenant schema of a database (``schema``)."""

    name: str
    url: str
    schema: str | None = None

    def __repr__(self) -> str:  # never show the URL (it may carry a password)
        return f"Target({self.name!r})"


@dataclass(frozen=True, slots=True)
class Fleet:
    """The targets, and — for schema-per-tenant — the declared schema name they replace."""

    targets: tuple[Target, ...]
    template: str | None = None
    source: str = str(DEFAULT_FILE)


def expand(text: str, where: str) -> str:
    """``text`` with every ``${NAME}`` replaced by the environment variable NAME."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise FleetError(
                f"environment variable {name} is not set",
                where=where,
                hint=f"export {name}, or write the value in the fleet file (not recommended for secrets)",
            )
        return os.environ[name]

    return _ENV.sub(value, text)


def load_fleet(path: Path) -> Fleet:
    """Read the fleet file and resolve every target (the registry query and the schema listing
    run here, read-only)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise FleetError(
            "the fleet file does not exist",
            where=str(path),
            hint="create reconcile.fleet.toml (docs/fleet.md) or pass --fleet FILE",
        ) from None
    except tomllib.TOMLDecodeError as err:
        hint = _misplaced_plan(path, text)
        raise FleetError(f"cannot read the fleet file: {err}", where=str(path), hint=hint) from None
    except (OSError, UnicodeDecodeError) as err:
        raise FleetError(f"cannot read the fleet file: {err}", where=str(path)) from None
    unknown = sorted(set(data) - {"database", "registry", "schemas"})
    if unknown:
        raise FleetError(
            f"unknown section(s) {', '.join(unknown)}",
            where=str(path),
            hint="the sections are [[database]], [registry] and [schemas] (docs/fleet.md)",
        )
    targets: list[Target] = []
    for i, entry in enumerate(_tables(data.get("database", []), path, "database")):
        where = f"{path} [[database]] #{i + 1}"
        targets.append(Target(_string(entry, "name", where), expand(_string(entry, "url", where), where)))
    if "registry" in data:
        targets.extend(_from_registry(_table(data["registry"], path, "registry"), f"{path} [registry]"))
    template = None
    if "schemas" in data:
        section = _table(data["schemas"], path, "schemas")
        template = _string(section, "template", f"{path} [schemas]")
        targets.extend(_tenant_schemas(section, f"{path} [schemas]"))
    seen: dict[str, Target] = {}
    for target in targets:
        if target.name in seen:
            raise FleetError(
                f"target {target.name!r} is named twice", where=str(path), hint="target names must be unique"
            )
        seen[target.name] = target
    return Fleet(tuple(sorted(targets, key=lambda t: t.name)), template, str(path))


def _misplaced_plan(path: Path, text: str) -> str | None:
    """A hint when the "fleet file" (``text``) is a saved plan: ``--fleet`` takes an optional
    value, so ``reconcile apply --fleet PLAN`` reads the plan as the fleet file."""
    if not text.lstrip().startswith("{"):
        return None
    return (f"{path} looks like a saved plan (JSON), not a fleet file (TOML): --fleet takes the fleet file as its "
            f"value, so put the plan first: reconcile apply {path} --fleet [FLEET_FILE]")


def _tables(value: Any, path: Path, key: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise FleetError(f"[[{key}]] must be an array of tables", where=str(path))
    return value


def _table(value: Any, path: Path, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FleetError(f"[{key}] must be a table", where=str(path))
    return value


def _string(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        raise FleetError(f"{key} must be a non-empty string", where=where)
    return value


def _from_registry(section: dict[str, Any], where: str) -> list[Target]:
    url = expand(_string(section, "url", where), where)
    query = _string(section, "query", where)
    try:
        with connect(url) as conn:
            conn.read_only = True
            rows = conn.execute(query).fetchall()  # the user's own query, on their registry
    except psycopg.Error as err:
        raise FleetError(f"the registry query failed: {scrub(str(err).strip(), url)}", where=where) from None
    found = []
    for row in rows:
        if len(row) != 2 or not all(isinstance(v, str) for v in row):
            raise FleetError("the registry query must return rows of (name text, url text)", where=where)
        found.append(Target(row[0], expand(row[1], f"{where} (row {row[0]!r})")))
    return found


def _tenant_schemas(section: dict[str, Any], where: str) -> list[Target]:
    url = expand(_string(section, "url", where), where)
    pattern = _string(section, "pattern", where)
    try:
        with connect(url) as conn:
            rows = conn.execute(
                "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname LIKE %s ORDER BY 1", (pattern,)
            ).fetchall()
    except psycopg.Error as err:
        raise FleetError(f"cannot list the tenant schemas on {redact(url)}: {scrub(str(err).strip(), url)}",
                         where=where) from None
    return [Target(name, url, schema=name) for (name,) in rows]


def parse_shard(text: str) -> tuple[int, int]:
    """``I/N`` (1-based) → (I, N)."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise FleetError(f"--shard {text!r} is not I/N with 1 ≤ I ≤ N", hint="e.g. --shard 2/8")
    return int(match.group(1)), int(match.group(2))


def shard(targets: tuple[Target, ...], index: int, count: int) -> tuple[Target, ...]:
    """The targets of shard ``index`` of ``count``: by a hash of the name, so that a target stays
    in its shard when others are added or removed, and every runner agrees without talking."""
    return tuple(
        t for t in targets if int.from_bytes(hashlib.sha256(t.name.encode()).digest()[:8], "big") % count == index - 1
    )
