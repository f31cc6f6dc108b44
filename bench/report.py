"""The benchmark's results, its targets (PASS/FAIL) and how both are printed.

Targets, from the issue: at 2,000 tables a no-op plan takes at most twice as long as
``pg_dump --schema-only`` and peaks at 300 MB RSS or less; doubling the tables to 4,000 at most
multiplies the plan time by 2.2. The first two are checked at the smallest size measured and
the growth between the smallest and the largest (allowed: 1.1 x the size ratio, which is 2.2
for 2,000 → 4,000), so that quick runs with other sizes still say something.

MB here is 10^6 bytes (``ru_maxrss`` KiB x 1024 / 10^6): the stricter reading of "300 MB".
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field

from measure import Stats
from phases import Breakdown

PLAN_VS_DUMP_MAX = 2.0
PLAN_RSS_MAX_MB = 300.0
GROWTH_SLACK = 1.1  # allowed plan-time growth = 1.1 x the growth in tables


@dataclass(slots=True)
class SizeResult:
    """Everything measured at one schema size. ``failure`` says why measuring stopped early."""

    tables: int
    load_seconds: float = 0.0
    inspect_seconds: float | None = None
    plan: Stats | None = None
    dump: Stats | None = None
    failure: str | None = None

    def plan_vs_dump(self) -> float | None:
        """Median plan time over median pg_dump time."""
        if self.plan is None or self.dump is None or self.dump.seconds_median <= 0:
            return None
        return self.plan.seconds_median / self.dump.seconds_median


@dataclass(frozen=True, slots=True)
class Target:
    """One target: what it says, what was measured, and PASS / FAIL (None: not measured)."""

    text: str
    measured: str
    passed: bool | None

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: "n/a"}[self.passed]


@dataclass(slots=True)
class Report:
    """A whole run: the sizes, the phase breakdown and where it ran."""

    sizes: list[SizeResult]
    repeat: int
    machine: dict[str, str] = field(default_factory=dict)
    startup: Stats | None = None
    breakdown: Breakdown | None = None
    breakdown_tables: int | None = None
    phase_error: str | None = None


def _n(tables: int) -> str:
    return f"{tables:,}"


def targets(sizes: list[SizeResult]) -> list[Target]:
    """The three targets, judged on the measured sizes."""
    if not sizes:
        return []
    # A size where measuring failed judges nothing: its few figures may come from before the failure.
    base, top = sizes[0], sizes[-1]
    base_plan = base.plan if base.failure is None else None
    top_plan = top.plan if top.failure is None else None
    vs_dump = f"no-op plan ≤ {PLAN_VS_DUMP_MAX:g}× pg_dump time at {_n(base.tables)} tables"
    if base_plan is not None and base.dump is not None:
        ratio = base_plan.seconds_median / base.dump.seconds_median
        measured = f"{ratio:.2f}× ({base_plan.seconds_median:.2f} s vs {base.dump.seconds_median:.2f} s)"
        first = Target(vs_dump, measured, ratio <= PLAN_VS_DUMP_MAX)
    else:
        first = Target(vs_dump, "—", None)
    out = [
        first,
        Target(
            f"plan peak RSS ≤ {PLAN_RSS_MAX_MB:g} MB at {_n(base.tables)} tables",
            "—" if base_plan is None else f"{base_plan.rss_median_mb:.0f} MB",
            None if base_plan is None else base_plan.rss_median_mb <= PLAN_RSS_MAX_MB,
        ),
    ]
    if top is not base:
        allowed = GROWTH_SLACK * top.tables / base.tables
        growth = top_plan.seconds_median / base_plan.seconds_median if top_plan and base_plan else None
        out.append(
            Target(
                f"{_n(top.tables)}-table plan time ≤ {allowed:.1f}× the {_n(base.tables)}-table time",
                "—" if growth is None else f"{growth:.2f}×",
                None if growth is None else growth <= allowed,
            )
        )
    return out


def machine_facts(server_version: str, server_kind: str, pg_dump: str) -> dict[str, str]:
    """Where the benchmark ran, for the report: CPUs, memory, CPU model, OS, versions."""
    facts = {"CPUs (nproc)": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                                 else os.cpu_count())}
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            kib = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
        facts["memory"] = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
        facts["CPU"] = model
    except (OSError, StopIteration):
        pass
    facts["OS"] = platform.platform(terse=True)
    facts["Python"] = platform.python_version()
    facts["PostgreSQL"] = f"{server_version} ({server_kind})"
    facts["pg_dump"] = pg_dump
    return facts


def _seconds(stats: Stats | None) -> str:
    return "—" if stats is None else f"{stats.seconds_median:.2f} s (min {stats.seconds_min:.2f})"


def _rss(stats: Stats | None) -> str:
    return "—" if stats is None else f"{stats.rss_median_mb:.0f} MB (min {stats.rss_min_mb:.0f})"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def text_table(report: Report) -> str:
    """The figures side by side, as aligned text for the terminal."""
    head = ("tables", "load", "inspect", "no-op plan", "plan peak RSS", "pg_dump --schema-only",
            "pg_dump peak RSS", "plan ÷ pg_dump")
    rows = [head]
    for size in report.sizes:
        rows.append((
            _n(size.tables),
            f"{size.load_seconds:.1f} s",
            "—" if size.inspect_seconds is None else f"{size.inspect_seconds:.1f} s",
            _seconds(size.plan),
            _rss(size.plan),
            _seconds(size.dump),
            _rss(size.dump),
            _ratio(size.plan_vs_dump()),
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def targets_text(report: Report) -> str:
    """One line per target: verdict, target, measured value."""
    return "\n".join(f"  [{t.verdict}] {t.text}: {t.measured}" for t in targets(report.sizes))


def breakdown_text(report: Report) -> str:
    """The phase breakdown as an indented list with seconds, share of the total and RSS."""
    if report.breakdown is None:
        return f"  (failed: {report.phase_error})" if report.phase_error else "  (not measured)"
    total = report.breakdown.total()
    lines = []
    if report.startup is not None:
        lines.append(f"  {'interpreter start + imports (reconcile --version, subprocess)':<58}"
                     f"{report.startup.seconds_median:7.2f} s")
    for phase in report.breakdown.phases:
        share = f"{100 * phase.seconds_median / total:5.1f}%" if total > 0 else ""
        rss = "" if phase.rss_after_mb is None else f"   RSS after: {phase.rss_after_mb:.0f} MB"
        name = ("  " * phase.depth + ("└ " if phase.depth else "") + phase.name)[:58]
        lines.append(f"  {name:<58}{phase.seconds_median:7.2f} s  {share if phase.depth == 0 else '':>6}"
                     f"  (min {phase.seconds_min:.2f}){rss}")
    lines.append(f"  {'total in-process (top-level phases)':<58}{total:7.2f} s")
    lines.extend(f"  {key}: {value}" for key, value in report.breakdown.facts.items())
    return "\n".join(lines)


def markdown(report: Report) -> str:
    """A Markdown section to paste into the README: figures, targets, machine."""
    lines = [
        "| tables | no-op `reconcile plan` | plan peak RSS | `pg_dump --schema-only` | pg_dump peak RSS "
        "| plan ÷ pg_dump |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for size in report.sizes:
        lines.append(
            f"| {_n(size.tables)} | {_seconds(size.plan)} | {_rss(size.plan)} | {_seconds(size.dump)} "
            f"| {_rss(size.dump)} | {_ratio(size.plan_vs_dump())} |"
        )
    lines += ["", "| target | measured | result |", "|---|---|---|"]
    lines += [f"| {t.text} | {t.measured} | **{t.verdict}** |" for t in targets(report.sizes)]
    if report.breakdown is not None and report.breakdown_tables is not None:
        lines += ["", f"Where a {_n(report.breakdown_tables)}-table no-op plan spends its time "
                      "(in-process, median):", "", "| phase | seconds |", "|---|---:|"]
        if report.startup is not None:
            lines.append(f"| interpreter start + imports | {report.startup.seconds_median:.2f} |")
        lines += [
            f"| {'&nbsp;&nbsp;&nbsp;' * p.depth}{'↳ ' if p.depth else ''}{p.name} | {p.seconds_median:.2f} |"
            for p in report.breakdown.phases
        ]
    machine = ", ".join(f"{k} {v}" for k, v in report.machine.items())
    runs = "1 run" if report.repeat == 1 else f"{report.repeat} runs"
    lines += ["", f"Median (and min) of {runs}; peak RSS is `ru_maxrss` from `wait4`, "
                  f"MB = 10^6 bytes. Machine: {machine}."]
    return "\n".join(lines)
