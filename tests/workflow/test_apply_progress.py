"""Apply's progress: one line per step with its duration in logs; a spinner only on a terminal."""

from __future__ import annotations

import io
import time

from pgreconcile.cli.progress import LineProgress, TerminalProgress, progress_for
from pgreconcile.diff.actions import Action
from pgreconcile.plan.model import Step

STEP = Step(
    number=2,
    action=Action.CREATE,
    kind="index",
    key="index:public.notes_idx",
    label="index notes_idx (body)",
    statements=("CREATE INDEX notes_idx ON public.notes (body)",),
    table="public.notes",
)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_spinner_only_on_a_terminal() -> None:
    assert type(progress_for(3, io.StringIO())) is LineProgress
    assert type(progress_for(3, _Terminal())) is TerminalProgress


def test_in_a_log_each_step_is_one_line_with_its_duration() -> None:
    out = io.StringIO()
    progress = LineProgress(3, out, intro="Applying 3 steps.")
    assert out.getvalue() == ""  # nothing is announced before a step starts
    progress.started(STEP)
    assert out.getvalue() == "Applying 3 steps.\n  [2/3] + public.notes: index notes_idx (body) ..."  # while it runs
    progress.finished(STEP, 1.234)
    progress.started(STEP)
    progress.failed(STEP, 0.5)
    assert out.getvalue().splitlines() == [
        "Applying 3 steps.",
        "  [2/3] + public.notes: index notes_idx (body) ... done in 1.23s",
        "  [2/3] + public.notes: index notes_idx (body) ... failed after 0.50s",
    ]
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()


def test_on_a_terminal_a_running_clock_then_the_same_final_line() -> None:
    out = _Terminal()
    progress = TerminalProgress(3, out)
    progress.started(STEP)
    time.sleep(0.35)
    progress.finished(STEP, 0.35)
    text = out.getvalue()
    assert "\r\x1b[K  [2/3] + public.notes: index notes_idx (body) |" in text  # spinner frames
    assert text.endswith("\r\x1b[K  [2/3] + public.notes: index notes_idx (body) ... done in 0.35s\n")
