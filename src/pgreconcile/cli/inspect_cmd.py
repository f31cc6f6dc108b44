"""``reconcile inspect``: write the live database as declarations or SQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click

from pgreconcile.catalog.connect import connect
from pgreconcile.catalog.reader import list_schemas, read_schema
from pgreconcile.cli.errors import user_errors
from pgreconcile.cli.options import database_option
from pgreconcile.cli.settings import resolve
from pgreconcile.cli.wording import counted
from pgreconcile.emit.formats import InspectFormat, emit, load_emitter
from pgreconcile.errors import ReconcileError
from pgreconcile.gc_pause import paused_gc
from pgreconcile.ignore import without_ignored
from pgreconcile.platform import PLATFORM_SCHEMAS


@click.command()
@database_option
@click.option("--schema", "schemas", multiple=True, help="Schema to include (repeatable). Default: all user schemas.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to a file, not stdout (missing directories are created).")
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
    except platform ones (auth, storage, extensions, ...). Objects the config's ignore patterns
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
    language = InspectFormat(output_format)
    # The collector paused: the model and the text written from it are large and acyclic
    # (gc_pause.py).
    with paused_gc(), connect(url) as conn, ThreadPoolExecutor(max_workers=1) as pool:
        managed = (
            schemas
            or settings.config.managed_schemas
            or tuple(s for s in list_schemas(conn) if s not in PLATFORM_SCHEMAS)
        )
        reading = pool.submit(read_schema, conn, managed)
        try:
            load_emitter(language)  # while the server answers
        finally:
            live = reading.result()
        # Objects the configuration says to leave alone are not written as declarations either.
        live = without_ignored(live, settings.patterns)
        text = emit(live, language)
    if output:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)  # as `plan -out` does
            output.write_text(text, encoding="utf-8")
        except OSError as err:
            raise ReconcileError(f"cannot write the declarations: {err.strerror}", where=str(output)) from None
        tables_written, schemas_written = counted(len(live.tables), "table"), counted(len(live.managed), "schema")
        click.echo(f"Wrote {tables_written} from {schemas_written} to {output}.", err=True)
    else:
        click.echo(text, nl=False)
