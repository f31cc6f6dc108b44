"""``reconcile apply``: plan and ask, or apply a saved plan as written; then verify."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pgreconcile.apply.identity import check_database, read_database
from pgreconcile.apply.interrupts import interruptible
from pgreconcile.apply.retry import RetryNotice, apply_with_retries
from pgreconcile.apply.runner import check_applicable
from pgreconcile.catalog.connect import connect
from pgreconcile.cli.desired import load_desired
from pgreconcile.cli.errors import user_errors
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.cli.fleet_cmd import fleet_apply
from pgreconcile.cli.options import (
    concurrently_option,
    database_option,
    fleet_option,
    from_sqlalchemy_option,
    lock_timeout_option,
    no_color_option,
    parallel_option,
    probe_timeout_option,
    retries_option,
    retry_delay_option,
    schema_dir_option,
    scratch_option,
    shard_option,
    show_values_option,
    statement_timeout_option,
)
from pgreconcile.cli.pipeline import Planned, plan_against, scoped, verify
from pgreconcile.cli.progress import progress_for
from pgreconcile.cli.settings import Settings, resolve
from pgreconcile.errors import PlanRefused, ReconcileError
from pgreconcile.fleet.applying import ApplyOptions
from pgreconcile.plan.fingerprint import declarations_digest
from pgreconcile.plan.model import Phase, Plan
from pgreconcile.plan.saved import read_saved_plan
from pgreconcile.render import render_text
from pgreconcile.render.colour import palette_for

if TYPE_CHECKING:
    from pgreconcile.declare.sql.scratch import ScratchMode


@click.command()
@click.argument("plan_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@schema_dir_option
@from_sqlalchemy_option
@database_option
@click.option("--allow-destroy", is_flag=True, help="Permit steps that drop tables or columns holding data.")
@click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation (a saved plan never asks).")
@concurrently_option
@lock_timeout_option
@statement_timeout_option
@retries_option
@retry_delay_option
@scratch_option
@probe_timeout_option
@show_values_option
@fleet_option
@parallel_option
@shard_option
@click.option("--canary", type=click.IntRange(min=0), default=1, show_default=True,
              help="With --fleet: apply this many targets first, one by one; if one fails, nothing else starts.")
@click.option("--max-failures", type=click.IntRange(min=0), default=1, show_default=True,
              help="With --fleet: start no new target after this many failed (0: never stop).")
@click.option("--results", "results_file", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("fleet-results.jsonl"), show_default=True,
              help="With --fleet: the results file, one JSON line per target, appended as targets finish.")
@click.option("--resume", "resume_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="With --fleet: skip the targets this results file records as done; retry the others.")
@no_color_option
@user_errors
def apply(
    plan_file: Path | None,
    schema_dir: Path | None,
    database_url: str | None,
    allow_destroy: bool,
    auto_approve: bool,
    concurrently: bool,
    lock_timeout: int | None,
    statement_timeout: int | None,
    retries: int | None,
    retry_delay: int | None,
    scratch: ScratchMode,
    probe_timeout: int,
    show_values: bool,
    fleet_file: Path | None,
    parallel: int,
    shard_text: str | None,
    canary: int,
    max_failures: int,
    results_file: Path,
    resume_file: Path | None,
    no_color: bool,
) -> None:
    """Apply the declarations: plan, ask, apply in one transaction, verify.

    With PLAN_FILE (written by `reconcile plan -out`), apply exactly that plan, without a prompt.
    It is refused if it was made for another database, if any object it touches changed since it
    was made, if the declarations changed, if another pgreconcile version made it, or if its
    steps are not exactly what planning those declarations gives now (an edited file).

    With --retries N, a lock conflict, deadlock or serialization failure that applied nothing
    is retried up to N times, waiting --retry-delay (doubling) in between; each attempt checks
    all of the above again and runs the same plan. One line on stderr says each retry.

    \b
    Examples:
      reconcile apply
      reconcile apply --auto-approve --allow-destroy
      reconcile apply plans/add-notes.plan.json
      reconcile apply --concurrently --lock-timeout 3s --statement-timeout 30min
      reconcile apply --auto-approve --lock-timeout 2s --retries 3
      reconcile apply --fleet --parallel 8 --canary 2 --max-failures 3 --auto-approve
      reconcile apply --fleet --resume fleet-results.jsonl --auto-approve
    """
    settings = resolve(
        schema_dir=schema_dir, database_url=database_url, lock_timeout=lock_timeout,
        statement_timeout=statement_timeout, retries=retries, retry_delay=retry_delay,
    )
    if fleet_file is not None:
        if database_url:
            raise click.UsageError("--fleet applies to every target of the fleet file: drop --database-url")
        options = ApplyOptions(parallel=parallel, canary=canary, max_failures=max_failures,
                               allow_destroy=allow_destroy, timeouts=settings.timeouts, concurrently=concurrently,
                               retries=settings.retries)
        fleet_apply(settings, fleet_file, plan_file, shard_text=shard_text, options=options, results=results_file,
                    resume=resume_file, auto_approve=auto_approve, probe_timeout=probe_timeout, scratch=scratch)
        return
    if shard_text is not None or resume_file is not None:
        raise click.UsageError("--shard and --resume are for a fleet: use them with --fleet")
    url = settings.require_url()
    if plan_file is not None:
        if concurrently:
            raise click.UsageError("--concurrently is decided when planning: pass it to `reconcile plan -out`")
        saved = read_saved_plan(plan_file)
        check_applicable(saved, allow_destroy=allow_destroy)
        # Which database this URL reaches, checked before anything else runs (declaration SQL in
        # a scratch database included) and before any connection that writes.
        with connect(url) as reading:
            check_database(saved, read_database(reading), where=str(plan_file))
        planned = _with_declarations(saved, plan_file, settings, url, scratch)
        click.echo(f"Applying the saved plan {plan_file} (made against {saved.target}).")
    else:
        planned = plan_against(
            settings, url, concurrently=concurrently, digest=False, scratch=scratch, probe_timeout=probe_timeout,
            show_values=show_values,
        )
        palette = palette_for(sys.stdout, no_color=no_color)
        click.echo(render_text(planned.plan, palette, allow_destroy=allow_destroy), nl=False)
        # Refusals first: a refused change is not a step, so a refused plan can look empty.
        check_applicable(planned.plan, allow_destroy=allow_destroy)
        if planned.plan.has_changes and not auto_approve:
            _ask()
    if not planned.plan.has_changes:
        if plan_file is not None:
            click.echo("The saved plan has no changes: nothing to apply.")
        return
    _run(planned, url, settings, allow_destroy, saved=plan_file is not None)


def _ask() -> None:
    click.echo("\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n")
    try:
        answer = click.prompt("  Enter a value", default="", show_default=False)
    except click.Abort:
        # End of input: stdin is not a terminal (CI, a pipe, </dev/null) and held no answer.
        click.echo("")
        raise ReconcileError(
            "apply asks for confirmation, and its input is not a terminal (it ended without an answer); "
            "nothing was changed",
            hint="review the plan above and run again with --auto-approve, or save it with "
            "`reconcile plan -out FILE` and apply exactly that with `reconcile apply FILE`",
        ) from None
    if answer.strip() != "yes":
        click.echo("\nApply cancelled. Nothing was changed.")
        sys.exit(Exit.ERROR)


def _with_declarations(
    plan: Plan, plan_file: Path, settings: Settings, url: str, scratch: ScratchMode
) -> Planned:
    """The saved plan, and the declarations to verify it against — which must be the ones it
    was made from: verifying against other declarations would report the difference between
    two versions of the declarations as a failure of this apply."""
    recorded = plan.declarations.schema_dir if plan.declarations else None
    schema_dir = settings.schema_dir if settings.schema_dir_flag or recorded is None else Path(recorded)
    desired, _ = load_desired(schema_dir, check_sql=False, url=url, scratch=scratch, sqlalchemy=settings.sqlalchemy)
    narrowed = scoped(desired, settings)
    if plan.scope is not None and narrowed.desired.whole_database and settings.config.managed_schemas is None:
        from pgreconcile.scope import widen

        # SQL files alone: the plan also managed the live schemas no file creates (to drop
        # them); which ones is a fact of the live database when the plan was made, recorded in
        # its (tamper-evident) scope. The fingerprints re-read through that scope catch a change.
        narrowed = widen(narrowed, sorted(set(plan.scope.managed) - set(narrowed.scope.managed)))
    if plan.scope is not None and narrowed.scope != plan.scope:
        raise PlanRefused(
            f"the plan was made for managed schemas {list(plan.scope.managed)} ignoring {list(plan.scope.ignore)}; "
            f"the configuration now says {list(narrowed.scope.managed)} ignoring {list(narrowed.scope.ignore)}",
            where=str(plan_file),
            hint="make the plan again with the current configuration",
        )
    now = declarations_digest(narrowed.desired, narrowed.scope)
    if plan.declarations is not None and now != plan.declarations.digest:
        raise PlanRefused(
            f"the declarations in {schema_dir} changed since the plan was made, so the plan no longer "
            "describes them (and apply could not verify its result against them)",
            where=str(plan_file),
            hint="make the plan again from these declarations (`reconcile plan -out FILE`), review it, and apply that",
        )
    return Planned(plan, narrowed.desired, narrowed.scope)


_PHASE_WORDS = ((Phase.BEFORE, "committed first"), (Phase.MAIN, "in one transaction"), (Phase.AFTER, "after it"))


def _intro(plan: Plan) -> str:
    parts = []
    for phase, words in _PHASE_WORDS:
        count = len(plan.in_phase(phase))
        if count:
            parts.append(f"{count} {words}")
    noun = "step" if len(plan.steps) == 1 else "steps"
    return f"\nApplying {len(plan.steps)} {noun}: {', '.join(parts)}."


def _run(planned: Planned, url: str, settings: Settings, allow_destroy: bool, *, saved: bool) -> None:
    plan = planned.plan
    with interruptible(), connect(url, autocommit=True) as conn:
        summary = apply_with_retries(
            conn,
            plan,
            retries=settings.retries,
            on_retry=_say_retry,
            allow_destroy=allow_destroy,
            timeouts=settings.timeouts,
            observer=progress_for(len(plan.steps), intro=_intro(plan)),
            # A saved plan is planned again under the lock and must come out step for step the same.
            desired=planned.desired if saved else None,
        )
        click.echo(f"\nApply complete! {summary.add} added, {summary.change} changed, {summary.destroy} destroyed.")
        # A session that ended after every step had run (apply/runner.py): verify on a new one.
        lost = conn.broken or conn.closed
        with connect(url, autocommit=True) if lost else nullcontext(conn) as session:
            verify(session, planned, lock_timeout_ms=settings.timeouts.lock_timeout_ms)
            read_back = read_database(session)
    click.echo("Verified: the database matches the declarations.")
    click.echo(f"  (read back from {read_back.describe()})")


def _say_retry(notice: RetryNotice) -> None:
    click.echo(notice.line(), err=True)
