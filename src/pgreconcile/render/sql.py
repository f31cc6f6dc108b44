"""The exact statements of a plan, in order, with the transaction boundaries apply uses."""

from __future__ import annotations

from pgreconcile.plan.model import Plan, Step


def _step_block(step: Step) -> list[str]:
    lines = [f"-- step {step.number}: {step.action.symbol} {step.label}"]
    lines += [f"{sql};" for sql in step.statements]
    return lines


def render_sql(plan: Plan) -> str:
    """SQL text: transactional steps inside one BEGIN/COMMIT, the others after it, one by one."""
    s = plan.summary
    out = [f"-- Plan: {s.add} to add, {s.change} to change, {s.destroy} to destroy."]
    if not plan.has_changes:
        out.append("-- No changes. The database matches the declarations.")
        return "\n".join(out) + "\n"
    inside = [step for step in plan.steps if step.transactional]
    outside = [step for step in plan.steps if not step.transactional]
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
