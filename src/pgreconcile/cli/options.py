"""Options several commands share. Defaults are None so that a flag that was not given can
fall back to the environment and the configuration file (see :mod:`pgreconcile.cli.settings`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pgreconcile.config import parse_duration

#: The values of :class:`pgreconcile.declare.sql.scratch.ScratchMode` (a test keeps them equal),
#: written out so that parsing the flag does not import the scratch machinery and psycopg; the
#: flag's value stays the string, which equals the enum member (a StrEnum).
SCRATCH_MODES = ("target", "local")
#: :data:`pgreconcile.probe.run.DEFAULT_TIMEOUT_MS`, for the same reason (a test keeps them equal).
DEFAULT_PROBE_TIMEOUT_MS = 5_000


class Duration(click.ParamType[int]):
    """Milliseconds, written as ``200`` (ms), ``500ms``, ``10s`` or ``2min``. A plain number is
    milliseconds everywhere (flags and the config file alike), as PostgreSQL's own timeouts."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        ms = parse_duration(value)
        if ms is None:
            self.fail(f"{value!r} is not a duration: write 200 (ms), 500ms, 10s or 2min", param, ctx)
        return ms


schema_dir_option = click.option(
    "--schema-dir",
    "-s",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory holding the desired schema (*.yaml, *.yml, *.py, *.sql). Default: schema_dir from the "
    "config file, "
    "else schema/.",
)
database_option = click.option(
    "--database-url",
    "-d",
    default=None,
    help="PostgreSQL connection URL. Default: $DATABASE_URL (or the variable the config file's "
    "database_url_env names).",
)
no_color_option = click.option("--no-color", is_flag=True, help="Never colour the output (NO_COLOR is honoured too).")
concurrently_option = click.option(
    "--concurrently",
    is_flag=True,
    help="Build indexes on existing tables with CREATE INDEX CONCURRENTLY, after the transaction, one by one.",
)
lock_timeout_option = click.option(
    "--lock-timeout",
    type=Duration(),
    default=None,
    help="How long to wait for a lock (the apply lock, or a table's), e.g. 500ms, 10s. Default: 10s.",
)
statement_timeout_option = click.option(
    "--statement-timeout",
    type=Duration(),
    default=None,
    help="statement_timeout for every statement, e.g. 30s, 10min. Default: 10min.",
)

retries_option = click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="After a lock conflict, deadlock or serialization failure (SQLSTATE 55P03, 40P01, 40001) that "
    "applied nothing, try the whole apply again up to N more times, each with every check of the first. "
    "Never once a statement ran outside the transaction (enum labels committed first, CONCURRENTLY "
    "indexes). Default: 0: each attempt may keep others waiting up to --lock-timeout, so pair it with a "
    "short one.",
)
retry_delay_option = click.option(
    "--retry-delay",
    type=Duration(),
    default=None,
    help="With --retries: the wait before the first retry, doubling before each next one (at most 30s "
    "apart), e.g. 500ms, 2s. Default: 1s.",
)

scratch_option = click.option(
    "--scratch",
    type=click.Choice(SCRATCH_MODES),
    default="local",
    show_default=True,
    help="Where *.sql declarations run: a throwaway local PostgreSQL ($RECONCILE_SCRATCH_URL, else local "
    "binaries, the embedded wheel or Docker), or, opted into with 'target', a scratch database on the "
    "target server, run with the role's privileges (docs/sql-desired-state.md).",
)

probe_timeout_option = click.option(
    "--probe-timeout",
    type=Duration(),
    default=DEFAULT_PROBE_TIMEOUT_MS,
    show_default=True,
    help="statement_timeout of each read-only data probe, e.g. 500ms, 5s; a plain number is ms "
    "(docs/probes.md); 0 disables probes.",
)

show_values_option = click.option(
    "--show-values",
    is_flag=True,
    help="A refusal for values that do not convert quotes a few of them (never shown by default: "
    "plans are posted in pull requests; docs/probes.md).",
)

fleet_option = click.option(
    "--fleet",
    "fleet_file",
    is_flag=False,
    flag_value="reconcile.fleet.toml",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Every target of a fleet file (default reconcile.fleet.toml) instead of one database (docs/fleet.md).",
)
parallel_option = click.option(
    "--parallel", type=click.IntRange(min=1), default=4, show_default=True,
    help="With --fleet: how many targets at a time (one connection each).",
)
shard_option = click.option(
    "--shard", "shard_text", default=None, metavar="I/N",
    help="With --fleet: only shard I of N (targets split by a hash of their name), for CI matrices.",
)


def _remember_sqlalchemy(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().ensure_object(dict)
        ctx.find_root().obj["sqlalchemy"] = value


from_sqlalchemy_option = click.option(
    "--from-sqlalchemy",
    metavar="MODULE:ATTR",
    default=None,
    expose_value=False,
    callback=_remember_sqlalchemy,
    help="A SQLAlchemy MetaData declaring tables too, e.g. app.models:Base.metadata (docs/sqlalchemy.md). "
    "Default: sqlalchemy from the config file.",
)
