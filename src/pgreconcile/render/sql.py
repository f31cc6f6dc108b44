"""The exact statements of a plan, in order, with the transaction boundaries apply uses."""

from __future__ import annotations

from pgreconcile.plan.lines import single_line
from pgreconcile.plan.model import Phase, Plan, Step

REFUSED = "-- REFUSED: this plan cannot be applied, so no statements are printed."


def _comment(text: str) -> str:
    """A ``--`` comment that ends where the line ends, whatever ``text`` holds."""
    return "-- " + single_line(text)


def _step_block(step: Step) -> list[str]:
    lines = [_comment(f"step {step.number}: {step.action.symbol} {step.label}")]
    lines += [f"{sql};" for sql in step.statements]
    return lines


def session_settings(lock_timeout_ms: int, statement_timeout_ms: int) -> list[str]:
    """The settings apply gives its session before the first step (apply/runner.py), as SQL."""
    return [
        "-- The session apply runs in (it also takes pgreconcile's advisory lock):",
        "SET TimeZone = 'UTC';",
        f"SET lock_timeout = {int(lock_timeout_ms)};",
        f"SET statement_timeout = {int(statement_timeout_ms)};",
    ]


def render_sql(plan: Plan, *, session: tuple[int, int] | None = None) -> str:
    """SQL text in the order apply runs it: labels committed first, then one BEGIN/COMMIT, then
    the steps that cannot run in a transaction, one by one. With ``session`` (lock and statement
    timeouts, ms), first the session settings apply uses, so that the script is exactly what runs."""
    s = plan.summary
    out = [f"-- Plan: {s.add} to add, {s.change} to change, {s.destroy} to destroy."]
    if plan.refusals:
        # A script piped to psql must not look like "no changes", nor run half of a refused plan.
        out.append(REFUSED)
        out += [_comment(f"Refused: {reason}") for reason in plan.refusals]
        return "\n".join(out) + "\n"
    if not plan.has_changes:
        out.append("-- No changes. The database matches the declarations.")
        return "\n".join(out) + "\n"
    if session is not None:
        out += session_settings(*session)
    before = plan.in_phase(Phase.BEFORE)
    inside = plan.in_phase(Phase.MAIN)
    outside = plan.in_phase(Phase.AFTER)
    if before:
        out.append("-- New enum labels used below: each is committed on its own before the transaction.")
        for step in before:
            out += _step_block(step)
    if inside:
        out.append("BEGIN;")
        for step in inside:
            out += _step_block(step)
        out.append("COMMIT;")
    if outside:
        out.append("-- These steps cannot run inside a transaction; apply runs each on its own.")
        for step in outside:
            out += _step_block(step)
    return "\n".join(out) + "\n"
