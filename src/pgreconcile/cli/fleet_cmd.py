"""``--fleet`` for ``reconcile plan`` and ``apply``, and ``reconcile fleet report``: the views
of what :mod:`pgreconcile.fleet` returns (docs/fleet.md)."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pgreconcile.apply.retry import RetryNotice
from pgreconcile.cli.desired import load_desired
from pgreconcile.cli.errors import user_errors
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.cli.pipeline import lazy_prober, no_probes, scoped
from pgreconcile.cli.settings import Settings
from pgreconcile.errors import ReconcileError
from pgreconcile.fleet.applying import ApplyOptions, apply_fleet
from pgreconcile.fleet.planning import Declared, ProberFactory, group_plans, plan_fleet
from pgreconcile.fleet.results import DONE, Outcome, ResultsWriter, Status, read_results, report
from pgreconcile.fleet.stopping import Stopper, stop_on_signals
from pgreconcile.fleet.targets import Fleet, FleetError, Target, load_fleet, parse_shard, shard
from pgreconcile.plan.model import Plan
from pgreconcile.plan.serialize import plan_document, plan_from_json, plan_to_json
from pgreconcile.render import render_text
from pgreconcile.render.colour import palette_for

if TYPE_CHECKING:
    from pgreconcile.declare.sql.scratch import ScratchMode

FLEET_PLAN_KIND = "pgreconcile fleet plan"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def load_targets(path: Path, shard_text: str | None) -> Fleet:
    """The fleet file's targets, narrowed to one shard when asked."""
    fleet = load_fleet(path)
    if shard_text:
        index, count = parse_shard(shard_text)
        fleet = Fleet(shard(fleet.targets, index, count), fleet.template, fleet.source)
    if not fleet.targets:
        raise FleetError("the fleet has no targets" + (f" in shard {shard_text}" if shard_text else ""),
                         where=str(path))
    return fleet


def declared_for(settings: Settings, fleet: Fleet, scratch: ScratchMode) -> Declared:
    """Load and scope the declarations once, for every target."""
    desired, source = load_desired(settings.schema_dir, check_sql=False, conventions=True, scratch=scratch)
    narrowed = scoped(desired, settings)
    if fleet.template is not None and fleet.template not in narrowed.desired.managed:
        raise FleetError(
            f"the fleet's [schemas] template {fleet.template!r} is not a schema the declarations declare",
            where=fleet.source,
            hint=f"declare schema {fleet.template!r}, or set template to one of {sorted(narrowed.desired.managed)}",
        )
    return Declared(narrowed.desired, narrowed.scope, settings.patterns, source, str(settings.schema_dir),
                    fleet.template)


def _prober(probe_timeout: int) -> ProberFactory:
    """Each target's prober; with probes off (0), one that measures nothing, so that a change
    only a measurement can prove safe is refused, as a single database's plan refuses it."""
    if probe_timeout:
        return lambda conn: lazy_prober(conn, probe_timeout)
    return lambda conn: no_probes


def fleet_plan(
    settings: Settings, fleet_file: Path, *, shard_text: str | None, parallel: int, as_json: bool,
    out: Path | None, detailed_exitcode: bool, no_color: bool, probe_timeout: int, concurrently: bool,
    scratch: ScratchMode,
) -> None:
    """``reconcile plan --fleet``: plan every target, print each distinct plan once."""
    fleet = load_targets(fleet_file, shard_text)
    declared = declared_for(settings, fleet, scratch)
    started = time.perf_counter()
    results = plan_fleet(fleet, declared, parallel=parallel, concurrently=concurrently,
                         digest=out is not None or as_json, prober=_prober(probe_timeout))
    seconds = time.perf_counter() - started
    unchanged, groups = group_plans(results, fleet.template)
    errors = [r for r in results if r.plan is None]
    letter_of = {t.name: g.letter for g in groups for t in g.targets}
    if as_json:
        document = {
            "format_version": "1.0",
            "targets": [
                {
                    "name": r.target.name,
                    "status": "error" if r.plan is None else "refused" if r.plan.refusals
                    else "changes" if r.plan.has_changes else "no changes",
                    "plan": letter_of.get(r.target.name),
                    "error": r.error,
                    "seconds": round(r.seconds, 3),
                }
                for r in results
            ],
            "plans": {g.letter: plan_document(g.plan) for g in groups},
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        palette = palette_for(sys.stdout, no_color=no_color)
        click.echo(f"Fleet: {_plural(len(fleet.targets), 'target')} from {fleet.source}, planned in "
                   f"{seconds:.1f} s (parallel {parallel}).\n")
        if unchanged:
            click.echo(f"  {_plural(len(unchanged), 'target')}: no changes")
        for group in groups:
            s = group.plan.summary
            state = (
                "refused" if group.plan.refusals else f"{s.add} to add, {s.change} to change, {s.destroy} to destroy"
            )
            touches = ", ".join(group.touches[:3]) + (", …" if len(group.touches) > 3 else "")
            click.echo(f"  {_plural(len(group.targets), 'target')}: plan {group.letter} ({state}) — changes {touches}")
        for r in errors:
            click.echo(f"  error: {r.target.name}: {(r.error or '').splitlines()[0]}")
        for group in groups:
            names = ", ".join(t.name for t in group.targets[:10]) + (", …" if len(group.targets) > 10 else "")
            click.echo(f"\n── plan {group.letter}: {_plural(len(group.targets), 'target')} ({names}); "
                       f"shown as planned for {group.targets[0].name} ──\n")
            click.echo(render_text(group.plan, palette), nl=False)
    if out is not None:
        _write_fleet_plan(out, fleet, results)
        click.echo(f"\nSaved the fleet plan to {out}. To apply exactly it: reconcile apply --fleet {fleet_file} {out}",
                   err=as_json)
    if errors or any(g.plan.refusals for g in groups):
        sys.exit(Exit.ERROR)
    if detailed_exitcode and groups:
        sys.exit(Exit.CHANGES)


def _write_fleet_plan(out: Path, fleet: Fleet, results: list[Any]) -> None:
    failed = [r.target.name for r in results if r.plan is None]
    if failed:
        raise FleetError(f"not saved: {_plural(len(failed), 'target')} could not be planned ({', '.join(failed[:5])})",
                         hint="fix or leave them out of the fleet, then plan again")
    document = {
        "kind": FLEET_PLAN_KIND,
        "version": 1,
        "fleet": fleet.source,
        "targets": {r.target.name: json.loads(plan_to_json(r.plan)) for r in results},
    }
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as err:
        raise ReconcileError(f"cannot write the fleet's plans: {err.strerror}", where=str(out)) from None


def _read_fleet_plan(path: Path) -> dict[str, Plan]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise FleetError(f"cannot read the fleet plan: {err}", where=str(path)) from None
    if not isinstance(document, dict) or document.get("kind") != FLEET_PLAN_KIND:
        raise FleetError("not a fleet plan", where=str(path),
                         hint="write one with `reconcile plan --fleet -out FILE`")
    return {name: plan_from_json(json.dumps(text), where=f"{path} (target {name})")
            for name, text in document["targets"].items()}


class _Progress:
    """Plain lines as targets finish; on a terminal, also a running status line."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.failed, self.running = total, 0, 0, 0
        self.started = time.monotonic()
        self.tty = sys.stdout.isatty()
        self.lock = threading.Lock()

    def __call__(self, event: str, target: Target, outcome: Outcome | None) -> None:
        with self.lock:
            if event == "started":
                self.running += 1
            elif outcome is not None:
                self.running -= 1
                self.done += 1
                self.failed += outcome.status not in DONE
                detail = outcome.summary if outcome.status is Status.APPLIED else (outcome.error or "").split("\n")[0]
                line = f"[{self.done}/{self.total}] {target.name}: {outcome.status.value}"
                line += f" ({detail})" if detail else ""
                click.echo(("\r\x1b[K" if self.tty else "") + f"{line} in {outcome.seconds:.2f} s")
            if self.tty:
                click.echo(self.status(), nl=False)

    def retrying(self, target: Target, notice: RetryNotice) -> None:
        """A target's attempt failed transiently and applied nothing: one line on stderr."""
        self.say(f"{target.name}: {notice.line()}", err=True)

    def say(self, message: str, *, err: bool = False) -> None:
        """A message between the progress lines (the stop notices; on stderr, the retries)."""
        with self.lock:
            if self.tty:
                click.echo("\r\x1b[K", nl=False)  # the status line, on stdout
            click.echo(message, err=err)
            if self.tty:
                click.echo(self.status(), nl=False)

    def status(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        left = self.total - self.done - self.running
        eta = f"{(left + self.running) / rate:.0f} s" if rate else "?"
        return (f"\r\x1b[Kdone {self.done} · running {self.running} · failed {self.failed} · left {left} · "
                f"{rate:.1f}/s · ETA {eta}")


def fleet_apply(
    settings: Settings, fleet_file: Path, plan_file: Path | None, *, shard_text: str | None,
    options: ApplyOptions, results: Path, resume: Path | None, auto_approve: bool, probe_timeout: int,
    scratch: ScratchMode,
) -> None:
    """``reconcile apply --fleet``: canaries, then the rest; results as they finish."""
    fleet = load_targets(fleet_file, shard_text)
    declared = declared_for(settings, fleet, scratch)
    saved = _read_fleet_plan(plan_file) if plan_file is not None else None
    skip: frozenset[str] = frozenset()
    if resume is not None:
        previous = read_results([resume])
        skip = frozenset(name for name, o in previous.items() if o.status in DONE)
        click.echo(f"Resuming from {resume}: {_plural(len(skip), 'target')} already done are skipped.")
    left = [t for t in fleet.targets if t.name not in skip]
    if not left:
        click.echo("Every target is already done.")
        return
    if saved is None and not auto_approve:
        click.echo(f"This plans and applies the declarations to {_plural(len(left), 'target')} "
                   f"(canary {options.canary}, parallel {options.parallel}, stop after "
                   f"{_plural(options.max_failures, 'failure')}).")
        if not sys.stdin.isatty():
            raise FleetError("standard input is not a terminal, so apply cannot ask for approval",
                             hint="review `reconcile plan --fleet` and pass --auto-approve")
        if click.prompt("  Only 'yes' will be accepted to approve.\n  Enter a value", default="",
                        show_default=False).strip() != "yes":
            click.echo("Apply cancelled. Nothing was changed.")
            sys.exit(Exit.ERROR)
    writer = ResultsWriter(results)
    progress = _Progress(len(left))
    stopper = Stopper(notify=progress.say)
    try:
        with stop_on_signals(stopper):
            outcomes, not_started = apply_fleet(fleet, declared, options, writer=writer, skip=skip,
                                                stopper=stopper, listener=progress,
                                                prober=_prober(probe_timeout), saved=saved,
                                                on_retry=progress.retrying)
    finally:
        writer.close()
    if progress.tty:
        click.echo("\r\x1b[K", nl=False)
    counts: dict[Status, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    parts = [f"{n} {s.value}" for s, n in sorted(counts.items(), key=lambda kv: kv[0].value)]
    click.echo(f"\nFleet apply: {' · '.join(parts) or 'nothing ran'}"
               + (f" · {len(not_started)} not started" if not_started else "") + f". Results: {results}")
    if stopper.stop.is_set():
        click.echo(_stopped_text(stopper, outcomes, len(not_started)))
    if stopper.stop.is_set() or not_started or any(o.status not in DONE for o in outcomes):
        if not_started and not stopper.stop.is_set():
            click.echo(f"Stopped starting targets after {_plural(options.max_failures, 'failure')} "
                       "(--max-failures) or a failed canary.")
        click.echo(f"To finish the job{'' if stopper.stop.is_set() else ' after fixing the failures'}: "
                   f"reconcile apply --fleet {fleet_file} --resume {results}")
        sys.exit(Exit.ERROR)


def _stopped_text(stopper: Stopper, outcomes: list[Outcome], not_started: int) -> str:
    """Which targets were running when the stop came, and how each ended."""
    ended = {o.target: o for o in outcomes if o.target in stopper.running_at_stop}
    finished = sorted(n for n, o in ended.items() if o.status in DONE)
    rolled_back = sorted(n for n, o in ended.items() if o.status is Status.INTERRUPTED)
    failed = sorted(n for n, o in ended.items() if o.status in (Status.FAILED, Status.REFUSED))
    how = "Cancelled by a second Ctrl-C (or SIGTERM)" if stopper.cancel.is_set() else "Stopped by Ctrl-C"
    lines = [f"{how}: no target was started after it ({_plural(not_started, 'target')} not started)."]
    if stopper.running_at_stop:
        lines.append(f"Running when it came: {len(stopper.running_at_stop)}.")
    for label, names in (("finished (committed)", finished), ("rolled back", rolled_back),
                         ("failed (rolled back)", failed)):
        if names:
            lines.append(f"  {label}: {', '.join(names)}")
    return "\n".join(lines)


@click.group()
def fleet() -> None:
    """Fleet results: merge and summarize the results files of `reconcile apply --fleet`."""


@fleet.command("report")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@user_errors
def fleet_report(files: tuple[Path, ...]) -> None:
    """Merge results files (one per shard) and summarize; exit 1 unless every target is done.

    \b
    Examples:
      reconcile fleet report results/*.jsonl
    """
    text, complete = report(read_results(files))
    click.echo(text, nl=False)
    if not complete:
        sys.exit(Exit.ERROR)
