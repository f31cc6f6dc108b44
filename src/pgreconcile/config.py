"""The configuration file: ``reconcile.toml`` or ``[tool.pgreconcile]`` in ``pyproject.toml``.

Search rule: the current directory only (never its parents, so running in a subdirectory
cannot pick up a surprising file). ``reconcile.toml`` holds the keys at its top level; in
``pyproject.toml`` they sit under ``[tool.pgreconcile]``. When both files configure
pgreconcile, that is an error rather than a silent choice. ``reconcile --config FILE`` names the
file instead (a ``pyproject.toml`` there is read the same way). Relative paths in a file are
relative to the directory the file is in.

The file never holds a database URL, which would carry a password into the repository: it may
name the environment variable to read it from (``database_url_env``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pgreconcile.errors import ReconcileError
from pgreconcile.ignore import parse_patterns

CONFIG_NAME = "reconcile.toml"
PYPROJECT = "pyproject.toml"

KEYS: dict[str, str] = {
    "schema_dir": "directory of the declarations (default: schema)",
    "database_url_env": "name of the environment variable holding the database URL (default: DATABASE_URL)",
    "managed_schemas": "the schemas to manage (default: the schemas the declarations name)",
    "ignore": 'objects to leave alone: globs like "public.legacy_*" or "enum:public.old_*"',
    "lock_timeout": 'lock_timeout for apply: milliseconds, or "10s", "500ms", "2min" (default: 10s)',
    "statement_timeout": "statement_timeout for apply, same forms (default: 10min)",
    "retries": "how many times apply tries again after a lock conflict or deadlock that applied nothing (default: 0)",
    "retry_delay": 'the wait before the first retry, doubling before each next one: "1s", "500ms" (default: 1s)',
    "sqlalchemy": 'a SQLAlchemy MetaData declaring tables too, e.g. "app.models:Base.metadata" (docs/sqlalchemy.md)',
}

_DURATION = re.compile(r"\s*(\d+)\s*(ms|s|min)?\s*")
_UNIT_MS = {"ms": 1, "s": 1_000, "min": 60_000, None: 1}


class ConfigError(ReconcileError):
    """The configuration file cannot be used as written."""


@dataclass(frozen=True)
class Config:
    """What a configuration file says; None (or empty) where it says nothing."""

    path: Path | None = None
    schema_dir: Path | None = None
    database_url_env: str | None = None
    managed_schemas: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = field(default_factory=tuple)
    lock_timeout_ms: int | None = None
    statement_timeout_ms: int | None = None
    retries: int | None = None
    retry_delay_ms: int | None = None
    sqlalchemy: str | None = None

    @property
    def where(self) -> str | None:
        """The file's name for messages."""
        return str(self.path) if self.path else None


def parse_duration(value: object) -> int | None:
    """Milliseconds from an integer (already ms) or a text like ``10s``; None if malformed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and (match := _DURATION.fullmatch(value)):
        return int(match.group(1)) * _UNIT_MS[match.group(2)]
    return None


def _line_of(text: str, key: str) -> int | None:
    """The line where ``key`` is assigned, so a message can point at it (tomllib gives none)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _read(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read the configuration file: {err.strerror}", where=str(path)) from None
    import tomllib  # here: a directory without a configuration file never needs it

    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"not valid TOML: {err}", where=str(path)) from None


def _section(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The pgreconcile table of ``path`` (None when a pyproject.toml has none)."""
    data, text = _read(path)
    if path.name != PYPROJECT:
        return data, text
    tool = data.get("tool", {})
    section = tool.get("pgreconcile") if isinstance(tool, dict) else None
    if section is not None and not isinstance(section, dict):
        raise ConfigError("[tool.pgreconcile] must be a table", where=str(path))
    return section, text


def find_config(directory: Path) -> Path | None:
    """The configuration file that applies in ``directory``, or None."""
    own = directory / CONFIG_NAME
    pyproject = directory / PYPROJECT
    configured_pyproject = pyproject.is_file() and _section(pyproject)[0] is not None
    if own.is_file() and configured_pyproject:
        raise ConfigError(
            f"both {own} and [tool.pgreconcile] in {pyproject} configure pgreconcile",
            hint="keep one of them",
        )
    if own.is_file():
        return own
    return pyproject if configured_pyproject else None


def _beside(base: Path, value: str) -> Path:
    """``value`` relative to the file's directory, kept relative to the working directory when
    it can be (a plan records the schema directory, and a relative one travels to CI)."""
    path = Path(value)
    if path.is_absolute():
        return path
    try:
        return base.resolve().relative_to(Path.cwd().resolve()) / path
    except ValueError:
        return base / path


def _strings(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def load_config(path: Path | None = None, *, directory: Path | None = None) -> Config:
    """Read ``path``, or the file found in ``directory`` (default: the current directory).

    Unknown keys and values of the wrong type raise :class:`ConfigError` naming the file, the
    line and the key."""
    if path is None:
        path = find_config(directory or Path())
        if path is None:
            return Config()
    section, text = _section(path)
    if section is None:
        return Config(path=path)
    base = path.parent

    def fail(key: str, message: str, hint: str | None = None) -> ConfigError:
        line = _line_of(text, key)
        return ConfigError(f"{key}: {message}", where=f"{path}:{line}" if line else str(path), hint=hint)

    for key in section:
        if key not in KEYS:
            hint = (
                "the URL, with its password, does not belong in a file: set database_url_env to the name of "
                "the environment variable that holds it"
                if key == "database_url"
                else None
            )
            known = ", ".join(KEYS)
            raise fail(key, "unknown key", hint or f"the known keys are: {known}")
    values: dict[str, Any] = {}
    for key in ("schema_dir", "database_url_env", "sqlalchemy"):
        if key in section:
            if not isinstance(section[key], str) or not section[key].strip():
                raise fail(key, f"expected a non-empty string, got {section[key]!r}", KEYS[key])
            values[key] = section[key]
    for key in ("managed_schemas", "ignore"):
        if key in section:
            items = _strings(section[key])
            if items is None:
                raise fail(key, f"expected a list of strings, got {section[key]!r}", KEYS[key])
            values[key] = items
    if "ignore" in values:
        line = _line_of(text, "ignore")
        parse_patterns(values["ignore"], where=f"{path}:{line}" if line else str(path))
    timeouts: dict[str, int] = {}
    for key in ("lock_timeout", "statement_timeout", "retry_delay"):
        if key in section:
            ms = parse_duration(section[key])
            if ms is None:
                raise fail(key, f"not a duration: {section[key]!r}", KEYS[key])
            timeouts[key] = ms
    retries = section.get("retries")
    if retries is not None and (isinstance(retries, bool) or not isinstance(retries, int) or retries < 0):
        raise fail("retries", f"expected a whole number, 0 or more, got {retries!r}", KEYS["retries"])
    schema_dir = values.get("schema_dir")
    return Config(
        path=path,
        schema_dir=None if schema_dir is None else _beside(base, schema_dir),
        database_url_env=values.get("database_url_env"),
        managed_schemas=values.get("managed_schemas"),
        ignore=values.get("ignore", ()),
        lock_timeout_ms=timeouts.get("lock_timeout"),
        statement_timeout_ms=timeouts.get("statement_timeout"),
        retries=retries,
        retry_delay_ms=timeouts.get("retry_delay"),
        sqlalchemy=values.get("sqlalchemy"),
    )
