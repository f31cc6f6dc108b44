"""``reconcile plan``: compare, print one view of the plan, optionally save it for apply."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pgreconcile.cli import noop_memo
from pgreconcile.cli.errors import user_errors
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.cli.options import (
    concurrently_option,
    database_option,
    fleet_option,
    from_sqlalchemy_option,
    lock_timeout_option,
    no_color_option,
    parallel_option,
    probe_timeout_option,
    schema_dir_option,
    scratch_option,
    shard_option,
    show_values_option,
    statement_timeout_option,
)
from pgreconcile.cli.pipeline import plan_against
from pgreconcile.cli.settings import resolve
from pgreconcile.declare.sql.scratch import drops_in_background

if TYPE_CHECKING:
    from pgreconcile.declare.sql.scratch import ScratchMode

UNSAVED_NOTE = (
    "Note: this plan was not saved (-out FILE), so `reconcile apply` will plan again and may do "
    "something different if the database or the declarations change meanwhile."
)


@click.command()
@schema_dir_option
@from_sqlalchemy_option
@database_option
@click.option(
    "-out",
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the plan (JSON) to this file, for `reconcile apply FILE` to apply exactly it.",
)
@click.option("--sql", "as_sql", is_flag=True, help="Print the exact SQL statements instead of the summary.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as versioned JSON (docs/plan-json.md).")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the plan as Markdown for a PR comment.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["alembic"]),
    default=None,
    help="Write the plan as an Alembic revision into --output-dir (docs/sqlalchemy.md).",
)
@click.option(
    "--output-dir",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --format alembic: the Alembic versions directory (down_revision is its head).",
)
@concurrently_option
@click.option("--detailed-exitcode", is_flag=True, help="Exit 0 when there are no changes, 2 when there are.")
@scratch_option
@probe_timeout_option
@show_values_option
@lock_timeout_option
@statement_timeout_option
@fleet_option
@parallel_option
@shard_option
@no_color_option
@user_errors
def plan(
    schema_dir: Path | None,
    database_url: str | None,
    out: Path | None,
    as_sql: bool,
    as_json: bool,
    as_markdown: bool,
    output_format: str | None,
    output_dir: Path | None,
    concurrently: bool,
    detailed_exitcode: bool,
    scratch: ScratchMode,
    probe_timeout: int,
    show_values: bool,
    lock_timeout: int | None,
    statement_timeout: int | None,
    fleet_file: Path | None,
    parallel: int,
    shard_text: str | None,
    no_color: bool,
) -> None:
    """Compare the declarations with the live database and show what apply would do.

    \b
    Examples:
      reconcile plan
      reconcile plan -out plans/add-notes.plan.json   # then: reconcile apply plans/add-notes.plan.json
      reconcile plan --sql > review.sql
      reconcile plan --json | jq .summary
      reconcile plan --markdown > plan.md   # for a pull-request comment
      reconcile plan --concurrently         # indexes on existing tables built CONCURRENTLY
      reconcile plan --detailed-exitcode    # 0 no changes, 1 error, 2 changes
      reconcile plan --fleet --parallel 8   # every target of reconcile.fleet.toml, grouped by plan
    """
    if as_sql + as_json + as_markdown + (output_format is not None) > 1:
        raise click.UsageError("--sql, --json, --markdown and --format are views of the same plan: choose one")
    if (output_format is None) != (output_dir is None):
        raise click.UsageError("--format alembic and --output-dir go together: reconcile plan --format alembic "
                               "-o migrations/versions/")
    settings = resolve(
        schema_dir=schema_dir, database_url=database_url, lock_timeout=lock_timeout, statement_timeout=statement_timeout
    )
    if fleet_file is not None:
        if as_sql or as_markdown or database_url:
            raise click.UsageError("--fleet plans every target of the fleet file: --sql, --markdown and "
                                   "--database-url are for one database")
        from pgreconcile.cli.fleet_cmd import fleet_plan

        fleet_plan(settings, fleet_file, shard_text=shard_text, parallel=parallel, as_json=as_json, out=out,
                   detailed_exitcode=detailed_exitcode, no_color=no_color, probe_timeout=probe_timeout,
                   concurrently=concurrently, scratch=scratch)
        return
    if shard_text is not None:
        raise click.UsageError("--shard splits a fleet: use it with --fleet")
    needs_digest = as_json or out is not None  # only a plan that is kept carries it
    # SQL files' scratch database is dropped while the plan is made (declare/sql/scratch.py).
    with drops_in_background():
        the_plan = plan_against(
            settings, settings.require_url(), concurrently=concurrently, digest=needs_digest, scratch=scratch,
            probe_timeout=probe_timeout, show_values=show_values,
            # A plan that is kept (saved, JSON) is always made in full; one that is only read may
            # be a remembered no-op (cli/noop_memo.py).
            remember=not needs_digest and noop_memo.enabled(),
        ).plan
    # Each view's writer is imported only for that view (plan_against loaded the planner while
    # the catalog was read).
    from pgreconcile.plan.lines import single_line

    text_view = not (as_sql or as_json or as_markdown or output_format)
    if output_format is not None and output_dir is not None and not the_plan.refusals:
        from pgreconcile.cli.alembic_out import write_revision

        write_revision(the_plan, output_dir)
    elif as_markdown:
        from pgreconcile.render.markdown import render_markdown

        click.echo(render_markdown(the_plan), nl=False)
    elif as_json:
        from pgreconcile.plan.serialize import plan_to_json

        click.echo(plan_to_json(the_plan))
    elif as_sql:
        from pgreconcile.render import render_sql

        timeouts = settings.timeouts
        session = (timeouts.lock_timeout_ms, timeouts.statement_timeout_ms)
        click.echo(render_sql(the_plan, session=session), nl=False)
    else:
        from pgreconcile.render import render_text
        from pgreconcile.render.colour import palette_for

        click.echo(render_text(the_plan, palette_for(sys.stdout, no_color=no_color)), nl=False)
    if out is not None:
        from pgreconcile.plan.saved import write_saved_plan

        write_saved_plan(the_plan, out)
        # On stderr for the machine views, so that stdout stays exactly the JSON/SQL/Markdown.
        click.echo(f"\nSaved the plan to {out}. To apply exactly this plan: reconcile apply {out}", err=not text_view)
    elif text_view and the_plan.has_changes and not the_plan.refusals:
        click.echo(f"\n{UNSAVED_NOTE}")
    if the_plan.refusals:
        # On stderr too, whatever view stdout holds: a pipeline reading only the SQL or JSON still
        # learns that this plan is refused, and why.
        for reason in the_plan.refusals:
            click.echo(f"Error: the plan is refused: {single_line(reason)}", err=True)
        sys.exit(Exit.ERROR)
    if detailed_exitcode and the_plan.has_changes:
        sys.exit(Exit.CHANGES)
