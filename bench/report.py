"""The benchmark's results, the targets of the performance issue (PASS/FAIL) and how both print.

Every figure is a :class:`~measure.Stats` (median and minimum over alternating runs) stored
under a key such as ``plan@2000``; a target is a ratio of two medians measured in the same run
(or a median against an absolute limit), so machine drift cancels out as far as it can.

Targets (issue 13, "Speed"):

- no-op plan at the base size (2,000 tables) ≤ 1.0 × ``pg_dump --schema-only``, peak RSS ≤ 250 MB;
- the same with the coverage kinds (views, functions, triggers, grants, partitions, sequences)
  ≤ 1.2 × ``pg_dump --schema-only`` of that database;
- 10,000 tables ≤ 5.5 × the 2,000-table plan time, peak RSS ≤ 1 GB;
- a plan of 20 changes (probes on) ≤ 1.2 × the no-op plan;
- ``reconcile inspect`` ≤ 1.0 × ``pg_dump --schema-only``;
- SQL files as the desired state ≤ 1.0 × ``psql -1 -f`` of the same files into an empty database;
- ``reconcile --version`` and ``reconcile validate`` of a 5-table schema ≤ 0.3 s.

MB and GB are 10^6 and 10^9 bytes (``ru_maxrss`` KiB × 1024): the stricter readings.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field

from measure import Stats
from phases import Breakdown

PLAN_VS_DUMP_MAX = 1.0
PLAN_RSS_MAX_MB = 250.0
COVERAGE_VS_DUMP_MAX = 1.2
SCALE_MAX = 5.5  # 10,000-table plan time over the 2,000-table one
SCALE_RSS_MAX_MB = 1000.0
CHANGES_VS_NOOP_MAX = 1.2
INSPECT_VS_DUMP_MAX = 1.0
SQL_VS_PSQL_MAX = 1.0
STARTUP_MAX_SECONDS = 0.3


@dataclass(frozen=True, slots=True)
class Target:
    """One target: what it says, what was measured, and PASS / FAIL (None: not measured)."""

    text: str
    measured: str
    passed: bool | None

    @property
    def verdict(self) -> str:
        """PASS, FAIL or n/a."""
        return {True: "PASS", False: "FAIL", None: "n/a"}[self.passed]


@dataclass(slots=True)
class Report:
    """A whole run: every measured command by key, labels for them, failures, the phase
    breakdown and where it ran."""

    repeat: int
    base: int
    scale: int | None
    stats: dict[str, Stats] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # key → why it was not measured
    failures: list[str] = field(default_factory=list)
    machine: dict[str, str] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    breakdown: Breakdown | None = None
    phase_error: str | None = None

    def add(self, key: str, label: str, stats: Stats | None) -> None:
        """Record the figures of ``key`` (None: nothing measured, e.g. after a failure)."""
        self.labels[key] = label
        if stats is not None:
            self.stats[key] = stats


def _n(tables: int) -> str:
    return f"{tables:,}"


def _ratio_target(report: Report, text: str, top: str, bottom: str, limit: float) -> Target:
    """``top``'s median over ``bottom``'s median against ``limit``."""
    a, b = report.stats.get(top), report.stats.get(bottom)
    if a is None or b is None or b.seconds_median <= 0:
        why = report.skipped.get(top) or report.skipped.get(bottom)
        return Target(text, f"not measured ({why})" if why else "—", None)
    ratio = a.seconds_median / b.seconds_median
    measured = f"{ratio:.2f}× ({a.seconds_median:.2f} s vs {b.seconds_median:.2f} s)"
    return Target(text, measured, ratio <= limit)


def _rss_target(report: Report, text: str, key: str, limit_mb: float) -> Target:
    stats = report.stats.get(key)
    if stats is None:
        why = report.skipped.get(key)
        return Target(text, f"not measured ({why})" if why else "—", None)
    return Target(text, f"{stats.rss_median_mb:.0f} MB", stats.rss_median_mb <= limit_mb)


def _seconds_target(report: Report, text: str, key: str, limit: float) -> Target:
    stats = report.stats.get(key)
    if stats is None:
        why = report.skipped.get(key)
        return Target(text, f"not measured ({why})" if why else "—", None)
    return Target(text, f"{stats.seconds_median:.2f} s", stats.seconds_median <= limit)


def targets(report: Report) -> list[Target]:
    """Every target of the issue, judged on what was measured (n/a for what was not). Plans are
    judged three times: with the declaration cache warm (a repeated plan: a no-op is then the
    remembered one, cli/noop_memo.py), warm with the no-op memo off (a no-op plan made in
    full), and with the cache off (the first plan of new declarations, or a machine without
    the cache). The plan of 20 changes is set against the no-op plan both ways."""
    base = _n(report.base)
    scale = _n(report.scale) if report.scale else "10,000"
    out: list[Target] = []
    for suffix, how in (("", "cache warm"), ("-full", "cache warm, no-op memo off"), ("-cold", "cache off")):
        out += [
            _ratio_target(report, f"no-op plan ({how}) ≤ {PLAN_VS_DUMP_MAX:g}× pg_dump --schema-only, {base} tables",
                          f"plan{suffix}", "dump", PLAN_VS_DUMP_MAX),
            _rss_target(report, f"no-op plan ({how}) peak RSS ≤ {PLAN_RSS_MAX_MB:g} MB, {base} tables",
                        f"plan{suffix}", PLAN_RSS_MAX_MB),
            _ratio_target(report, f"with the coverage kinds: no-op plan ({how}) ≤ {COVERAGE_VS_DUMP_MAX:g}× its "
                                  "pg_dump", f"coverage-plan{suffix}", "coverage-dump", COVERAGE_VS_DUMP_MAX),
            _ratio_target(report, f"{scale}-table no-op plan ({how}) ≤ {SCALE_MAX:g}× the {base}-table one",
                          f"scale-plan{suffix}", f"plan{suffix}", SCALE_MAX),
            _rss_target(report, f"{scale}-table no-op plan ({how}) peak RSS ≤ {SCALE_RSS_MAX_MB / 1000:g} GB",
                        f"scale-plan{suffix}", SCALE_RSS_MAX_MB),
        ]
    out += [
        _ratio_target(report, f"plan of 20 changes (probes on) ≤ {CHANGES_VS_NOOP_MAX:g}× the no-op plan "
                              "(both cache warm)", "changes-plan", "plan", CHANGES_VS_NOOP_MAX),
        _ratio_target(report, f"plan of 20 changes (probes on) ≤ {CHANGES_VS_NOOP_MAX:g}× the no-op plan made in "
                              "full (cache warm, no-op memo off)", "changes-plan", "plan-full", CHANGES_VS_NOOP_MAX),
        _ratio_target(report, f"reconcile inspect ≤ {INSPECT_VS_DUMP_MAX:g}× pg_dump --schema-only, {base} tables",
                      "inspect", "dump", INSPECT_VS_DUMP_MAX),
        _ratio_target(report, f"SQL files as desired state: plan (cache warm) ≤ {SQL_VS_PSQL_MAX:g}× psql -1 -f, "
                              f"{base} tables", "sql-plan", "psql", SQL_VS_PSQL_MAX),
        _ratio_target(report, f"SQL files as desired state: plan (cache off) ≤ {SQL_VS_PSQL_MAX:g}× psql -1 -f, "
                              f"{base} tables", "sql-plan-cold", "psql", SQL_VS_PSQL_MAX),
        _seconds_target(report, f"reconcile --version ≤ {STARTUP_MAX_SECONDS:g} s", "version", STARTUP_MAX_SECONDS),
        _seconds_target(report, f"reconcile validate of 5 tables (cache warm) ≤ {STARTUP_MAX_SECONDS:g} s",
                        "validate-5", STARTUP_MAX_SECONDS),
        _seconds_target(report, f"reconcile validate of 5 tables (cache off) ≤ {STARTUP_MAX_SECONDS:g} s",
                        "validate-5-cold", STARTUP_MAX_SECONDS),
    ]
    return out


def machine_facts(server_version: str, server_kind: str, pg_dump: str) -> dict[str, str]:
    """Where the benchmark ran, for the report: CPUs, memory, CPU model, OS, versions, load."""
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


def load_average() -> str:
    """The 1/5/15-minute load averages: how busy the machine was (other work skews timings)."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _seconds(stats: Stats | None) -> str:
    return "—" if stats is None else f"{stats.seconds_median:.2f} s (min {stats.seconds_min:.2f})"


def _rss(stats: Stats | None) -> str:
    return "—" if stats is None else f"{stats.rss_median_mb:.0f} MB"


def _rows(report: Report) -> list[tuple[str, str, str, str]]:
    rows = []
    for key, label in report.labels.items():
        stats = report.stats.get(key)
        runs = "—" if stats is None else str(stats.runs)
        rows.append((label, _seconds(stats), _rss(stats), runs))
    return rows


def text_table(report: Report) -> str:
    """Every measured command with its median time and peak RSS, as aligned text."""
    head = ("command", "wall time: median (min)", "peak RSS", "runs")
    rows = [head, *_rows(report)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in
                       enumerate(zip(row, widths, strict=True))) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def targets_text(report: Report) -> str:
    """One line per target: verdict, target, measured value."""
    return "\n".join(f"  [{t.verdict}] {t.text}: {t.measured}" for t in targets(report))


def breakdown_text(report: Report) -> str:
    """The phase breakdown as an indented list with seconds, share of the total and RSS."""
    if report.breakdown is None:
        return f"  (failed: {report.phase_error})" if report.phase_error else "  (not measured)"
    total = report.breakdown.total()
    lines = []
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
    lines = ["| command | wall time, median (min) | peak RSS |", "|---|---:|---:|"]
    lines += [f"| {label} | {seconds} | {rss} |" for label, seconds, rss, _ in _rows(report)]
    lines += ["", "| target | measured | result |", "|---|---|---|"]
    lines += [f"| {t.text} | {t.measured} | **{t.verdict}** |" for t in targets(report)]
    if report.breakdown is not None:
        lines += ["", f"Where a {_n(report.base)}-table no-op plan spends its time, one phase after another "
                      "(in-process, median; the CLI overlaps the catalog read with the load):", "",
                  "| phase | seconds |", "|---|---:|"]
        lines += [
            f"| {'&nbsp;&nbsp;&nbsp;' * p.depth}{'↳ ' if p.depth else ''}{p.name} | {p.seconds_median:.2f} |"
            for p in report.breakdown.phases
        ]
    machine = ", ".join(f"{k} {v}" for k, v in report.machine.items())
    runs = "1 run" if report.repeat == 1 else f"{report.repeat} alternating runs"
    facts = "; ".join(f"{k}: {v}" for k, v in report.facts.items())
    lines += ["", f"Median (and min) of {runs}; peak RSS is `ru_maxrss` from `wait4`, MB = 10^6 bytes. "
                  f"{facts}. Machine: {machine}."]
    return "\n".join(lines)
