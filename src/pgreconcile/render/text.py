"""The Terraform-style text a reviewer reads in a terminal or a CI log."""

from __future__ import annotations

from pgreconcile.diff.changes import Action, Hazard
from pgreconcile.plan.lines import single_line
from pgreconcile.plan.model import Phase, Plan, Step
from pgreconcile.render.colour import Palette

NO_CHANGES = "No changes. The database matches the declarations."
_LEGEND = {
    Action.CREATE: "create",
    Action.UPDATE: "update in place",
    Action.DESTROY: "destroy",
    Action.REPLACE: "destroy and re-create",
    Action.RENAME: "rename",
}
_NOTE_COLUMN = 56
# Hazards worth a word on the step's own line; the rest are in the summary and JSON.
_LINE_HAZARDS = (Hazard.DROPS_DATA, Hazard.REWRITES_TABLE, Hazard.NOT_TRANSACTIONAL, Hazard.MAY_FAIL_ON_DATA)


def _symbol(step: Step) -> Action:
    return Action.REPLACE if step.replaces else step.action


def _note_parts(step: Step) -> list[str]:
    # A measured fact says more than a hazard's bare word ("drops data: 1,204 rows", "no NULLs
    # in 5,000 rows"), so it takes the word's place; the Hazards line still counts the hazard.
    notes = [
        h.value for h in _LINE_HAZARDS if h in step.hazards and not any(f.answers(h) for f in step.facts)
    ]
    if step.reason:
        notes.insert(0, step.reason)
    return notes + [f.text for f in step.facts]


def _note(step: Step) -> str:
    return " · ".join(_note_parts(step))


def _line(indent: int, action: Action, label: str, note: str, palette: Palette) -> str:
    # A plan read from a file may hold anything; what reaches the terminal is one line per step.
    head = f"{' ' * indent}{action.symbol:>3} {single_line(label)}"
    note = single_line(note)
    if note:
        head = head.ljust(_NOTE_COLUMN) + "  " + note if len(head) < _NOTE_COLUMN else head + "  " + note
    return palette.action(action, head)


def _groups(steps: list[Step]) -> list[tuple[str | None, list[Step]]]:
    """Steps grouped under their table, groups in order of first appearance; steps that belong to
    no table (schemas, extensions, enums) each form their own group."""
    groups: list[tuple[str | None, list[Step]]] = []
    index: dict[str, int] = {}
    for step in steps:
        if step.table is None:
            groups.append((None, [step]))
            continue
        if step.table not in index:
            index[step.table] = len(groups)
            groups.append((step.table, []))
        groups[index[step.table]][1].append(step)
    return groups


def _replaced(first: Step, steps: list[Step], palette: Palette, indent: int = 4) -> list[str]:
    """One ``-/+`` line for a drop and re-create: the new definition, then what it was."""
    pair = [s for s in steps if s.key == first.key and s.replaces]
    created = next((s for s in pair if s.action is Action.CREATE), None)
    dropped = next((s for s in pair if s.action is Action.DESTROY), None)
    shown = created or first
    note = " · ".join(dict.fromkeys(part for s in pair for part in _note_parts(s)))
    lines = [_line(indent, Action.REPLACE, shown.label, note, palette)]
    if created and dropped and dropped.label != created.label:
        lines.append(palette.dim(f"{' ' * (indent + 6)}was: {single_line(dropped.label)}"))
    return lines


def render_changes(plan: Plan, palette: Palette) -> list[str]:
    """The change lines, grouped by table, without header or summary."""
    lines: list[str] = []
    replaced_alone: set[str] = set()
    for table, steps in _groups(plan.steps):
        if table is None:
            step = steps[0]
            if step.replaces:
                # A re-created object outside any table (a view): one -/+ line for the pair.
                if step.key not in replaced_alone:
                    replaced_alone.add(step.key)
                    lines += _replaced(step, [s for s in plan.steps if s.table is None], palette, indent=0)
                continue
            lines.append(_line(0, _symbol(step), step.label, _note(step), palette))
            continue
        head = next((s for s in steps if s.kind == "table"), None)
        if head is not None:
            lines.append(_line(0, _symbol(head), head.label, _note(head), palette))
            lines += [palette.action(head.action, f"      {head.action.symbol} {single_line(d)}") for d in head.details]
        else:
            lines.append(_line(0, Action.UPDATE, f"table {table}", "", palette))
        seen_replaced: set[str] = set()
        for step in steps:
            if step is head:
                continue
            if step.replaces:
                if step.key in seen_replaced:
                    continue
                seen_replaced.add(step.key)
                lines += _replaced(step, steps, palette)
                continue
            lines.append(_line(4, _symbol(step), step.label, _note(step), palette))
        lines.append("")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def render_text(plan: Plan, palette: Palette | None = None, *, allow_destroy: bool = False) -> str:
    """The full plan text: where from, legend, changes, summary, hazards, destroy warning.
    ``allow_destroy`` (apply was given --allow-destroy) turns the warning into a statement."""
    palette = palette or Palette()
    out = [f"Reconcile compared {single_line(plan.source)} with {single_line(plan.target)}.", ""]
    if not plan.has_changes and not plan.refusals:
        out.append(palette.bold(NO_CHANGES))
        out += _unmanaged(plan)
        return "\n".join(out) + "\n"
    if plan.has_changes:
        used = {_symbol(s) for s in plan.steps}
        legend = "   ".join(f"{a.symbol} {_LEGEND[a]}" for a in Action if a in used)
        out += ["Actions are shown with these symbols:", f"  {legend}", ""]
        out += render_changes(plan, palette)
        out.append("")
        s = plan.summary
        out.append(palette.bold(f"Plan: {s.add} to add, {s.change} to change, {s.destroy} to destroy."))
        counts = plan.hazard_counts()
        if counts:
            out.append("Hazards: " + " · ".join(f"{h.value} ({n})" for h, n in counts.items()))
        after = plan.in_phase(Phase.AFTER)
        if after:
            steps = ", ".join(str(s.number) for s in after)
            # [subscriptions] A CREATE SUBSCRIPTION that connects to its publisher cannot either.
            what = " and ".join(dict.fromkeys(
                "a CREATE SUBSCRIPTION that connects" if s.kind == "subscription" else "CREATE INDEX CONCURRENTLY"
                for s in after))
            out.append(
                f"Steps {steps} run after the transaction commits, one by one ({what} "
                "cannot run inside one): if one fails, everything before it stays applied."
                if len(after) > 1
                else f"Step {steps} runs after the transaction commits ({what} cannot run "
                "inside one): if it fails, everything before it stays applied."
            )
        if plan.destroys_data:
            out.append(
                palette.warn("This plan destroys data, as --allow-destroy permits.")
                if allow_destroy
                else palette.warn("This plan destroys data: apply needs --allow-destroy.")
            )
    for reason in plan.refusals:
        out.append(palette.warn(f"Refused: {single_line(reason)}"))
    if plan.refusals:
        blocked = any(fact.blocks for step in plan.steps for fact in step.facts)
        what = "the data or the declarations change" if blocked else "the declarations change"
        out.append(palette.warn(f"This plan cannot be applied until {what}."))
    out += _unmanaged(plan)
    return "\n".join(out) + "\n"


def _unmanaged(plan: Plan) -> list[str]:
    """One line naming what lives in the managed schemas but is not managed (never changed)."""
    if not plan.unmanaged:
        return []
    return [f"Not managed, left untouched: {single_line(', '.join(plan.unmanaged))}."]
