"""The plan as Markdown, for a pull-request comment: summary, a table of changes with their
hazards and data facts, refusals, and the exact SQL in a collapsible block."""

from __future__ import annotations

import re

from pgreconcile.diff.actions import Action
from pgreconcile.plan.lines import single_line
from pgreconcile.plan.model import Phase, Plan, Step
from pgreconcile.render.sql import render_sql
from pgreconcile.render.text import NO_CHANGES

# Names and expressions are quoted into Markdown that GitHub also reads as HTML: a `|` would end
# a table cell, a backtick open code, `<` start a tag (`</details>`, the `<!-- pgreconcile plan -->`
# marker the CI workflow looks for) — so each is written as what it shows.
_CELL_ESCAPES = str.maketrans({"|": "\\|", "`": "'", "<": "&lt;", ">": "&gt;", "&": "&amp;"})


def _cell(text: str) -> str:
    """Text that stays inside one table cell (or one line of prose): no line break, no markup."""
    return single_line(text).translate(_CELL_ESCAPES)


def fence_for(text: str) -> str:
    """A code fence longer than any run of backticks in ``text``, so nothing in it ends the block."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _notes(step: Step) -> str:
    notes = [h.value for h in step.hazards]
    if step.reason:
        notes.insert(0, step.reason)
    if step.phase is not Phase.MAIN:
        notes.append(f"runs {step.phase.value} the transaction")
    return " · ".join([*notes, *(f.text for f in step.facts)])


def render_markdown(plan: Plan) -> str:
    """Markdown for a PR comment; like every renderer, it formats only what the plan holds."""
    s = plan.summary
    out = ["### pgreconcile plan", "", f"Compared {_cell(plan.source)} with {_cell(plan.target)}.", ""]
    if plan.unmanaged:
        out += [f"Not managed, left untouched: {_cell(', '.join(plan.unmanaged))}.", ""]
    if not plan.has_changes and not plan.refusals:
        out.append(f"**{NO_CHANGES}**")
        return "\n".join(out) + "\n"
    out.append(f"**Plan: {s.add} to add, {s.change} to change, {s.destroy} to destroy.**")
    if plan.destroys_data:
        out += ["", "> [!WARNING]", "> This plan destroys data: apply needs `--allow-destroy`."]
    for reason in plan.refusals:
        out += ["", "> [!CAUTION]", f"> Refused: {_cell(reason)}"]
    if plan.steps:
        out += ["", "| # | action | table | change | hazards and facts |", "|---:|:---:|---|---|---|"]
        for step in plan.steps:
            symbol = Action.REPLACE.symbol if step.replaces else step.action.symbol
            cells = [str(step.number), f"`{symbol}`", _cell(step.table or ""), _cell(step.label), _cell(_notes(step))]
            out.append("| " + " | ".join(cells) + " |")
        counts = plan.hazard_counts()
        if counts:
            out += ["", "Hazards: " + " · ".join(f"{h.value} ({n})" for h, n in counts.items())]
        sql = render_sql(plan).rstrip("\n")
        fence = fence_for(sql)
        out += ["", "<details><summary>SQL</summary>", "", fence + "sql", sql, fence, "", "</details>"]
    return "\n".join(out) + "\n"
