"""Where each setting comes from. Precedence, highest first:

1. a command-line flag (``--schema-dir``, ``--database-url``, ``--lock-timeout``, …);
2. the environment: the database URL from ``$DATABASE_URL`` — or, when the configuration file
   sets ``database_url_env``, from the variable it names instead;
3. the configuration file (:mod:`pgreconcile.config`);
4. the defaults: ``schema/``, lock_timeout 10 s, statement_timeout 10 min, no retries (1 s
   before the first when asked for).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import click

from pgreconcile.apply.timeouts import Retries, Timeouts
from pgreconcile.config import Config, load_config
from pgreconcile.errors import ConnectionFailed
from pgreconcile.ignore import Pattern, parse_patterns

DEFAULT_SCHEMA_DIR = Path("schema")
DEFAULT_URL_ENV = "DATABASE_URL"
DEFAULTS = Timeouts()
DEFAULT_RETRIES = Retries()


@dataclass(frozen=True)
class Settings:
    """The settings of one command run, resolved."""

    config: Config
    schema_dir: Path
    # Whether --schema-dir was given (it then wins over the directory a saved plan records).
    schema_dir_flag: bool
    database_url: str | None
    url_env: str
    timeouts: Timeouts
    patterns: tuple[Pattern, ...]
    #: A SQLAlchemy MetaData declaring tables too (``--from-sqlalchemy`` or the config file).
    sqlalchemy: str | None = None
    #: Apply's attempts after a transient failure that applied nothing (``--retries``).
    retries: Retries = DEFAULT_RETRIES

    def require_url(self) -> str:
        """The database URL, or :class:`ConnectionFailed` saying where it was looked for."""
        if self.database_url:
            return self.database_url
        named = f" (named by database_url_env in {self.config.where})" if self.config.database_url_env else ""
        raise ConnectionFailed(
            "no database given",
            hint=f"set {self.url_env}{named} or pass --database-url postgresql://user@host/db",
        )


def current_config() -> Config:
    """The configuration of this run: ``reconcile --config FILE``, else the file found in the
    current directory (loaded once per run)."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    root.ensure_object(dict)
    if "config" not in root.obj:
        explicit = root.params.get("config_file")
        root.obj["config"] = load_config(explicit)
    config: Config = root.obj["config"]
    return config


def resolve(
    *,
    schema_dir: Path | None = None,
    database_url: str | None = None,
    lock_timeout: int | None = None,
    statement_timeout: int | None = None,
    retries: int | None = None,
    retry_delay: int | None = None,
) -> Settings:
    """Combine the flags given with the environment, the configuration file and the defaults."""
    config = current_config()
    url_env = config.database_url_env or DEFAULT_URL_ENV
    timeouts = Timeouts(
        lock_timeout_ms=_first(lock_timeout, config.lock_timeout_ms, DEFAULTS.lock_timeout_ms),
        statement_timeout_ms=_first(statement_timeout, config.statement_timeout_ms, DEFAULTS.statement_timeout_ms),
    )
    return Settings(
        config=config,
        schema_dir=schema_dir or config.schema_dir or DEFAULT_SCHEMA_DIR,
        schema_dir_flag=schema_dir is not None,
        database_url=database_url or os.environ.get(url_env) or None,
        url_env=url_env,
        timeouts=timeouts,
        patterns=parse_patterns(config.ignore, where=config.where),
        sqlalchemy=sqlalchemy_target(),
        retries=Retries(
            retries=_first(retries, config.retries, DEFAULT_RETRIES.retries),
            first_delay_ms=_first(retry_delay, config.retry_delay_ms, DEFAULT_RETRIES.first_delay_ms),
        ),
    )


def sqlalchemy_target() -> str | None:
    """``--from-sqlalchemy`` when given, else the config file's ``sqlalchemy``."""
    root = click.get_current_context().find_root()
    flag = (root.obj or {}).get("sqlalchemy")
    return flag if isinstance(flag, str) else current_config().sqlalchemy


def _first(*values: int | None) -> int:
    for value in values:
        if value is not None:
            return value
    raise AssertionError("the last value is a default")
