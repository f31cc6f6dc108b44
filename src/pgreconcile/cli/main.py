"""``reconcile``: validate, inspect, plan and apply. Commands are thin; the work is elsewhere."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click

from pgreconcile import __version__
from pgreconcile.apply.runner import Timeouts, apply_plan, check_applicable
from pgreconcile.catalog.connect import connect, redact
from pgreconcile.catalog.reader import list_schemas, read_schema
from pgreconcile.catalog.scope import restrict
from pgreconcile.cli.errors import user_errors
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare import load_schema, yaml_files
from pgreconcile.declare.emit_yaml import emit_yaml
from pgreconcile.errors import ConnectionFailed, DeclarationError, ReconcileError
from pgreconcile.model import Schema
from pgreconcile.plan import Plan, Step, make_plan
from pgreconcile.plan.serialize import plan_to_json
from pgreconcile.probe import DEFAULT_TIMEOUT_MS, DataProber
from pgreconcile.render import render_sql, render_text
from pgreconcile.render.colour import palette_for
from pgreconcile.render.markdown import render_markdown
from pgreconcile.render.text import NO_CHANGES

# Schemas that belong to a platform (Supabase, PostGIS, pg_cron …), never inspected by default.
PLATFORM_SCHEMAS = frozenset(
    """auth storage extensions graphql graphql_public realtime supabase_functions supabase_migrations
    vault pgsodium pgsodium_masks net cron pgbouncer topology tiger tiger_data""".split()
)

schema_dir_option = click.option(
    "--schema-dir",
    "-s",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schema"),
    show_default=True,
    help="Directory holding the desired schema (*.yaml, *.yml).",
)
database_option = click.option(
    "--database-url",
    "-d",
    envvar="DATABASE_URL",
    help="PostgreSQL connection URL (default: $DATABASE_URL).",
)
no_color_option = click.option("--no-color", is_flag=True, help="Never colour the output (NO_COLOR is honoured too).")
probe_timeout_option = click.option(
    "--probe-timeout",
    type=click.IntRange(min=0),
    default=DEFAULT_TIMEOUT_MS,
    show_default=True,
    help="statement_timeout of each read-only data probe, in ms (docs/probes.md); 0 disables probes.",
)


def _require_url(url: str | None) -> str:
    if not url:
        raise ConnectionFailed(
            "no database given", hint="set DATABASE_URL or pass --database-url postgresql://user@host/db"
        )
    return url


def _load_desired(schema_dir: Path, *, check_sql: bool = True) -> tuple[Schema, str]:
    if not schema_dir.is_dir():
        raise DeclarationError(
            f"schema directory {schema_dir} does not exist",
            hint="pass --schema-dir, or create it with `reconcile inspect > schema/app.yaml`",
        )
    files = yaml_files(schema_dir)
    if not files:
        raise DeclarationError(f"no *.yaml or *.yml files in {schema_dir}", where=str(schema_dir))
    desired = load_schema(schema_dir, check_sql=check_sql)
    noun = "file" if len(files) == 1 else "files"
    return desired, f"{schema_dir}/ ({len(files)} {noun})"


def _plan(schema_dir: Path, url: str, probe_timeout: int = 0) -> tuple[Plan, Schema]:
    with connect(url) as conn, ThreadPoolExecutor(max_workers=1) as pool:
        # The catalog read is mostly waiting on the server, the declarations' load is mostly
        # Python: run them side by side. The managed schemas are not known until the load ends,
        # so read every user schema and narrow the result afterwards.
        existing = set(list_schemas(conn))
        readable = tuple(sorted(s for s in existing if s not in PLATFORM_SCHEMAS))
        reading = pool.submit(read_schema, conn, readable)
        try:
            # The planner parses every expression it sends; parsing the unchanged ones too would
            # only repeat what the server already proved (see plan.build.check_expressions).
            desired, source = _load_desired(schema_dir, check_sql=False)
        finally:
            everything = reading.result()
        if (desired.managed & existing) - set(readable):
            everything = read_schema(conn, desired.managed)  # a platform schema declared as managed
        live = restrict(everything, desired.managed)
        target = f"{redact(url)} (password hidden)" if "***" in redact(url) else redact(url)
        probe = DataProber(conn, timeout_ms=probe_timeout) if probe_timeout else None
        return make_plan(desired, live, source=source, target=target, probe=probe), desired


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="pgreconcile")
def cli() -> None:
    """Declarative schema-as-code for PostgreSQL: declare the schema, plan, apply.

    \b
    Examples:
      reconcile validate                    # check schema/ without a database
      reconcile inspect > schema/app.yaml   # bring an existing database under management
      reconcile plan                        # what would change, Terraform-style
      reconcile apply                       # apply it, after you type 'yes'
    """


@cli.command()
@schema_dir_option
@user_errors
def validate(schema_dir: Path) -> None:
    """Check the declarations without a database.

    \b
    Example:
      reconcile validate --schema-dir schema/
    """
    desired, source = _load_desired(schema_dir)
    click.echo(
        f"The declarations in {source} are valid: {len(desired.tables)} tables, "
        f"{len(desired.enums)} enums, {len(desired.extensions)} extensions in "
        f"{len(desired.managed)} schemas."
    )


@cli.command()
@database_option
@click.option("--schema", "schemas", multiple=True, help="Schema to include (repeatable). Default: all user schemas.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file, not stdout.")
@user_errors
def inspect(database_url: str | None, schemas: tuple[str, ...], output: Path | None) -> None:
    """Write the live database as declarations (YAML).

    \b
    Example:
      reconcile inspect --schema public > schema/app.yaml
    """
    url = _require_url(database_url)
    with connect(url) as conn:
        managed = schemas or tuple(s for s in list_schemas(conn) if s not in PLATFORM_SCHEMAS)
        live = read_schema(conn, managed)
    text = emit_yaml(live)
    if output:
        output.write_text(text)
        click.echo(f"Wrote {len(live.tables)} tables from {len(live.managed)} schemas to {output}.", err=True)
    else:
        click.echo(text, nl=False)


@cli.command()
@schema_dir_option
@database_option
@click.option("--sql", "as_sql", is_flag=True, help="Print the exact SQL statements instead of the summary.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the plan as versioned JSON (docs/plan-json.md)."
)
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the plan as Markdown for a PR comment.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 0 when there are no changes, 2 when there are.")
@probe_timeout_option
@no_color_option
@user_errors
def plan(
    schema_dir: Path,
    database_url: str | None,
    as_sql: bool,
    as_json: bool,
    as_markdown: bool,
    detailed_exitcode: bool,
    probe_timeout: int,
    no_color: bool,
) -> None:
    """Compare the declarations with the live database and show what apply would do.

    \b
    Examples:
      reconcile plan
      reconcile plan --sql > review.sql
      reconcile plan --json | jq .summary
      reconcile plan --markdown > plan.md   # for a pull-request comment
      reconcile plan --detailed-exitcode   # 0 no changes, 1 error, 2 changes
    """
    the_plan, _ = _plan(schema_dir, _require_url(database_url), probe_timeout)
    if as_sql + as_json + as_markdown > 1:
        raise click.UsageError("--sql, --json and --markdown are views of the same plan: choose one")
    if as_markdown:
        click.echo(render_markdown(the_plan), nl=False)
    elif as_json:
        click.echo(plan_to_json(the_plan))
    elif as_sql:
        click.echo(render_sql(the_plan), nl=False)
    else:
        click.echo(render_text(the_plan, palette_for(sys.stdout, no_color=no_color)), nl=False)
    if the_plan.refusals:
        sys.exit(Exit.ERROR)
    if detailed_exitcode and the_plan.has_changes:
        sys.exit(Exit.CHANGES)


def _progress(step: Step, seconds: float) -> None:
    where = f"{step.table}: " if step.table and step.kind != "table" else ""
    click.echo(f"  {step.action.symbol:>3} {where}{step.label} ... done in {seconds:.2f}s")


@cli.command()
@schema_dir_option
@database_option
@click.option("--allow-destroy", is_flag=True, help="Permit steps that drop tables or columns holding data.")
@click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation.")
@click.option("--lock-timeout", default=10_000, show_default=True, help="lock_timeout for each statement, in ms.")
@click.option("--statement-timeout", default=600_000, show_default=True, help="statement_timeout, in ms.")
@probe_timeout_option
@no_color_option
@user_errors
def apply(
    schema_dir: Path,
    database_url: str | None,
    allow_destroy: bool,
    auto_approve: bool,
    lock_timeout: int,
    statement_timeout: int,
    probe_timeout: int,
    no_color: bool,
) -> None:
    """Plan, ask for approval, apply in one transaction, then verify.

    \b
    Examples:
      reconcile apply
      reconcile apply --auto-approve --allow-destroy
    """
    url = _require_url(database_url)
    the_plan, desired = _plan(schema_dir, url, probe_timeout)
    click.echo(render_text(the_plan, palette_for(sys.stdout, no_color=no_color)), nl=False)
    # Refusals first: a refused change is not a step, so a refused plan can look empty.
    check_applicable(the_plan, allow_destroy=allow_destroy)
    if not the_plan.has_changes:
        return
    if not auto_approve:
        click.echo("\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n")
        answer = click.prompt("  Enter a value", default="", show_default=False)
        if answer.strip() != "yes":
            click.echo("\nApply cancelled. Nothing was changed.")
            sys.exit(Exit.ERROR)
    click.echo("")
    with connect(url, autocommit=True) as conn:
        summary = apply_plan(
            conn,
            the_plan,
            allow_destroy=allow_destroy,
            timeouts=Timeouts(lock_timeout, statement_timeout),
            on_step=_progress,
        )
        after = read_schema(conn, desired.managed)
    leftover = make_plan(desired, after, source=the_plan.source, target=the_plan.target)
    if leftover.has_changes:
        raise ReconcileError(
            "verification failed: the database still differs from the declarations after apply:\n"
            + render_text(leftover),
            hint="this is a bug in pgreconcile's normalization; please report it with both plans",
        )
    click.echo(
        f"\nApply complete! {summary.add} added, {summary.change} changed, {summary.destroy} destroyed."
    )
    click.echo(NO_CHANGES.replace("No changes. ", "Verified: "))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="reconcile")
