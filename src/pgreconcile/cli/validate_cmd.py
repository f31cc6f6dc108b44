"""``reconcile validate``: check the declarations, without a database for YAML and Python.

A module of its own, imported only when the command runs: validating must not pay for the
catalog reader, the planner or psycopg (``*.sql`` files load the scratch machinery themselves).
"""

from __future__ import annotations

from pathlib import Path

import click

from pgreconcile.cli.desired import load_desired
from pgreconcile.cli.errors import user_errors
from pgreconcile.cli.options import from_sqlalchemy_option, schema_dir_option, scratch_option
from pgreconcile.cli.settings import resolve
from pgreconcile.cli.wording import counted


@click.command()
@schema_dir_option
@from_sqlalchemy_option
@click.option(
    "--database-url",
    "-d",
    envvar="DATABASE_URL",
    help="Only for *.sql files: the database whose platform schemas are copied as stubs, and with "
    "--scratch target the server their scratch database is created on (default: $DATABASE_URL).",
)
@scratch_option
@user_errors
def validate(schema_dir: Path | None, database_url: str | None, scratch: str) -> None:
    """Check the declarations. YAML and Python need no database; *.sql files are run in a
    scratch database in a throwaway local PostgreSQL (or, with --scratch target, on
    --database-url's server with the role's privileges).

    \b
    Example:
      reconcile validate --schema-dir schema/
    """
    settings = resolve(schema_dir=schema_dir, database_url=database_url)
    desired, source = load_desired(
        settings.schema_dir, url=settings.database_url, scratch=scratch, sqlalchemy=settings.sqlalchemy
    )
    click.echo(
        f"The declarations in {source} are valid: {counted(len(desired.tables), 'table')}, "
        f"{counted(len(desired.enums), 'enum')}, {counted(len(desired.extensions), 'extension')} in "
        f"{counted(len(desired.managed), 'schema')}."
    )
