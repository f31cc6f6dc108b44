"""Twenty changes to inspected declarations, for the "plan with changes" measurement.

The edits are made on the text ``reconcile inspect`` wrote, a few lines at a time, so the rest of
the file stays byte for byte what was inspected. They cycle through four kinds, each on its own
table spread over the whole schema, and two of them call for a data probe (PostgreSQL checks
every row when a column becomes NOT NULL or gains a CHECK):

- a new nullable column (no probe);
- NOT NULL on a nullable column (probe: are there NULLs?);
- a new table comment (no probe);
- a CHECK on a counter column (probe: do existing rows pass it?).
"""

from __future__ import annotations

import re

_TABLE = re.compile(r"^      (\w+_\d{5}):$")
_PLAIN_NULLABLE = re.compile(r"^          (\w+): (integer|bigint|text|timestamptz|boolean)$")
_COUNTER = re.compile(r"^          (\w+): \{type: (?:integer|bigint), nullable: false, default: 0\}$")
_KINDS = ("add column", "set not null", "comment", "check")


def _blocks(lines: list[str]) -> list[tuple[str, int, int]]:
    """Each generated table's name and its line range [start, end) in the inspected YAML."""
    found: list[tuple[str, int, int]] = []
    for number, line in enumerate(lines):
        match = _TABLE.match(line)
        if match:
            end = number + 1
            while end < len(lines) and (lines[end].startswith("       ") or not lines[end].strip()):
                end += 1
            found.append((match[1], number, end))
    return found


def _edit(lines: list[str], start: int, end: int, kind: str) -> str | None:
    """Make one change of ``kind`` in the table at ``lines[start:end]``; what it did, or None."""
    if kind == "add column":
        for n in range(start, end):
            if lines[n] == "        columns:":
                # One list item holding two lines: no later line moves.
                lines[n] += "\n          bench_note: text"
                return "a new column bench_note"
    elif kind == "set not null":
        for n in range(start, end):
            match = _PLAIN_NULLABLE.match(lines[n])
            if match:
                lines[n] = f"          {match[1]}: {{type: {match[2]}, nullable: false}}"
                return f"{match[1]} NOT NULL"
    elif kind == "comment":
        for n in range(start, end):
            if lines[n].startswith("        comment: "):
                lines[n] = "        comment: Changed by the benchmark."
                return "a new comment"
    else:
        for n in range(start, end):
            match = _COUNTER.match(lines[n])
            if match:
                lines[n] = lines[n][:-1] + f", check: '({match[1]} >= 0)'}}"
                return f"CHECK ({match[1]} >= 0)"
    return None


def twenty_changes(text: str, count: int = 20) -> tuple[str, list[str]]:
    """``text`` (inspected YAML) with ``count`` changes, and one line per change made."""
    lines = text.split("\n")
    blocks = _blocks(lines)
    if not blocks:
        raise ValueError("no generated tables found in the inspected declarations")
    step = max(1, len(blocks) // count)
    made: list[str] = []
    # Spread over the schema first; where a table has nothing to change, others fill in.
    spread = blocks[::step]
    for name, start, end in spread + [b for b in blocks if b not in spread]:
        if len(made) == count:
            break
        kind = _KINDS[len(made) % len(_KINDS)]
        what = _edit(lines, start, end, kind)
        if what is not None:
            made.append(f"{name}: {what}")
    if len(made) < count:
        raise ValueError(f"only {len(made)} of {count} changes could be made")
    return "\n".join(lines), made
