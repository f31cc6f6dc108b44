"""``reconcile``: validate, inspect, plan and apply. Commands are thin; the work is elsewhere."""

from __future__ import annotations

from pathlib import Path

import click

from pgreconcile import __version__
from pgreconcile.catalog.connect import connect
from pgreconcile.catalog.reader import list_schemas, read_schema
from pgreconcile.cli.apply_cmd import apply
from pgreconcile.cli.errors import user_errors
from pgreconcile.cli.fleet_cmd import fleet
from pgreconcile.cli.lint import lint
from pgreconcile.cli.options import database_option, from_sqlalchemy_option, schema_dir_option, scratch_option
from pgreconcile.cli.pipeline import load_desired
from pgreconcile.cli.plan_cmd import plan
from pgreconcile.cli.settings import resolve
from pgreconcile.cli.wording import counted
from pgreconcile.declare.sql.scratch import ScratchMode
from pgreconcile.emit.formats import InspectFormat, emit
from pgreconcile.ignore import without_ignored
from pgreconcile.platform import PLATFORM_SCHEMAS


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="pgreconcile")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Configuration file. Default: reconcile.toml, else [tool.pgreconcile] in pyproject.toml, "
    "in the current directory.",
)
def cli(config_file: Path | None) -> None:
    """Declarative schema-as-code for PostgreSQL: declare the schema, plan, apply.

    \b
    Examples:
      reconcile validate                    # check schema/ without a database
      reconcile lint                        # check it against its conventions
      reconcile inspect > schema/app.yaml   # bring an existing database under management
      reconcile plan                        # what would change, Terraform-style
      reconcile apply                       # apply it, after you type 'yes'
      reconcile plan -out plans/next.plan.json && reconcile apply plans/next.plan.json
      reconcile plan --markdown             # for a pull-request comment
      reconcile --config ci/reconcile.toml plan --detailed-exitcode

    \b
    Settings come from flags, then the environment (DATABASE_URL), then reconcile.toml or
    [tool.pgreconcile] in pyproject.toml, then the defaults.
    """


@cli.command()
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
def validate(schema_dir: Path | None, database_url: str | None, scratch: ScratchMode) -> None:
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


@cli.command()
@database_option
@click.option("--schema", "schemas", multiple=True, help="Schema to include (repeatable). Default: all user schemas.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file, not stdout.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice([f.value for f in InspectFormat]),
    default=InspectFormat.YAML.value,
    show_default=True,
    help="yaml or python: declarations (docs/python.md); sql: CREATE statements, usable as an SQL desired state.",
)
@user_errors
def inspect(database_url: str | None, schemas: tuple[str, ...], output: Path | None, output_format: str) -> None:
    """Write the live database as declarations (YAML or Python) or as SQL.

    \b
    Schemas: --schema, else managed_schemas from the config file, else every user schema
    except platform ones (auth, storage, extensions, ...). Tables the config's ignore patterns
    name are left out.

    \b
    Examples:
      reconcile inspect > schema/app.yaml
      reconcile inspect --schema public --schema billing -o schema/app.yaml
      reconcile inspect --format python > schema/app.py
      reconcile inspect --format sql -o schema/app.sql
    """
    settings = resolve(database_url=database_url)
    url = settings.require_url()
    with connect(url) as conn:
        managed = (
            schemas
            or settings.config.managed_schemas
            or tuple(s for s in list_schemas(conn) if s not in PLATFORM_SCHEMAS)
        )
        # Objects the configuration says to leave alone are not written as declarations either.
        live = without_ignored(read_schema(conn, managed), settings.patterns)
    text = emit(live, InspectFormat(output_format))
    if output:
        output.write_text(text)
        tables_written, schemas_written = counted(len(live.tables), "table"), counted(len(live.managed), "schema")
        click.echo(f"Wrote {tables_written} from {schemas_written} to {output}.", err=True)
    else:
        click.echo(text, nl=False)


cli.add_command(plan)
cli.add_command(apply)


cli.add_command(lint)
cli.add_command(fleet)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="reconcile")
