"""Where a plan's time goes: the phases of ``reconcile plan`` timed inside this process.

The subprocess figures say how long a user waits; these say which part to make faster. The
phases are the ones ``reconcile plan`` runs (see ``cli/pipeline.py``): load the declarations, read
the live catalog, then diff + order + render (``make_plan``, and ``render_text`` for the text
the user sees). The catalog read is split further into the server's part (each catalog query,
round trip and transfer included) and Python's part (building the model from the rows), by
running the same queries the reader runs, in the same kind of transaction.

pgreconcile is imported lazily, inside the functions, so that a half-finished package breaks
only this part of the benchmark, with its own error, and not the loading of the schema.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Phase:
    """One phase: its median and minimum seconds over the repetitions, the process's RSS (MB)
    right after it in the first repetition, and ``depth`` 1 for a part of the phase above."""

    name: str
    seconds_median: float
    seconds_min: float
    rss_after_mb: float | None = None
    depth: int = 0


@dataclass(slots=True)
class Breakdown:
    """All phases, in the order a plan runs them, plus facts about the inputs."""

    phases: list[Phase] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)

    def total(self) -> float:
        """Sum of the top-level phases' medians."""
        return sum(p.seconds_median for p in self.phases if p.depth == 0)


def _rss_mb() -> float | None:
    """This process's current resident set in MB, from /proc (None where there is no /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return None


class _Clock:
    """Collects the seconds of named steps over repetitions, and the RSS after each step once."""

    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = {}
        self.rss: dict[str, float | None] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the body of the ``with`` block as one run of step ``name``."""
        started = time.perf_counter()
        yield
        self.seconds.setdefault(name, []).append(time.perf_counter() - started)
        self.rss.setdefault(name, _rss_mb())

    def phase(self, name: str, label: str | None = None, depth: int = 0) -> Phase:
        runs = self.seconds[name]
        return Phase(label or name, statistics.median(runs), min(runs), self.rss.get(name), depth)


def _catalog_split(conn: Any, managed: frozenset[str], clock: _Clock) -> None:
    """Run the reader's queries one by one (timed each) and build the model from their rows.

    This repeats what ``catalog.reader.read_catalog`` does, through its module-level query
    list and the ``catalog.build.schema`` function, because the reader does not time its parts.
    """
    from psycopg.rows import tuple_row

    from pgreconcile.catalog import build, reader

    rows: dict[str, list[Any]] = {}
    was_autocommit = conn.autocommit
    conn.autocommit = True
    try:
        with conn.cursor(row_factory=tuple_row) as cur:
            cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cur.execute("SET LOCAL search_path = pg_catalog")
            version = conn.info.server_version
            for name in reader.QUERY_NAMES:
                text = reader.versioned_text(name, version)  # as the reader sends it to this major
                with clock.step(f"query:{name}"):
                    cur.execute(text, {"managed": sorted(managed)})
                    rows[name] = cur.fetchall()
            cur.execute("ROLLBACK")
    finally:
        conn.autocommit = was_autocommit
    with clock.step("build"):
        build.schema(managed, rows, [])


def time_phases(schema_dir: Path, url: str, repeat: int) -> Breakdown:
    """Time each phase of a no-op plan of ``schema_dir`` against ``url``, ``repeat`` times."""
    import yaml

    from pgreconcile import cache
    from pgreconcile.catalog.connect import connect
    from pgreconcile.catalog.reader import QUERY_NAMES, read_schema
    from pgreconcile.declare import load_schema
    from pgreconcile.declare.yaml.source import load_yaml
    from pgreconcile.plan import make_plan
    from pgreconcile.render import render_text

    files = sorted(p for p in schema_dir.rglob("*") if p.suffix in (".yaml", ".yml"))
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    clock = _Clock()
    split_ok = True
    breakdown = Breakdown()
    for _ in range(repeat):
        with clock.step("load"):
            desired = load_schema(schema_dir)
        with clock.step("cache"):
            # What a repeated `reconcile plan` does instead of loading (the CLI's flags).
            listed = cache.cacheable_files(schema_dir)
            cached = cache.lookup(cache.cache_key(listed, check_sql=False, conventions=True) if listed else None)
        if cached is None:
            breakdown.facts["declaration cache"] = "no entry (warm it with one `reconcile plan` first)"
        with clock.step("read-yaml"):
            # The YAML reader alone (declare/yaml/fast.py for the block style, else libyaml).
            for file in files:
                load_yaml(file.read_text())
        with clock.step("yaml"):
            # Only libyaml's event stream, nothing built from it: for comparison with the above.
            for file in files:
                for _event in yaml.parse(file.read_text(), Loader=loader):
                    pass
        with clock.step("connect"):
            conn = connect(url)
        with conn:
            with clock.step("read"):
                live = read_schema(conn, desired.managed)
            if split_ok:
                try:
                    _catalog_split(conn, desired.managed, clock)
                except (ImportError, AttributeError, TypeError, KeyError) as why:
                    # The reader's internals moved: keep the total, drop the split, say so.
                    split_ok = False
                    breakdown.facts["catalog split"] = f"unavailable ({type(why).__name__}: {why})"
        with clock.step("plan"):
            plan = make_plan(desired, live, source="bench", target="bench", digest=False)  # as `reconcile plan` (text)
        with clock.step("render"):
            text = render_text(plan)
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    breakdown.facts["declaration files"] = f"{len(files)} ({size_mb:.1f} MB)"
    breakdown.facts["tables declared / live"] = f"{len(desired.tables)} / {len(live.tables)}"
    breakdown.facts["plan steps"] = str(len(plan.steps))
    breakdown.facts["plan text"] = text.strip().splitlines()[-1] if text.strip() else "(empty)"

    phases = breakdown.phases
    phases.append(clock.phase("load", "load declarations (declare.load_schema)"))
    phases.append(clock.phase("read-yaml", "read the YAML (declare.yaml.source.load_yaml)", depth=1))
    phases.append(clock.phase("yaml", "for comparison: libyaml's events alone (yaml.parse)", depth=1))
    phases.append(clock.phase("cache", "instead: read the declaration cache (pgreconcile.cache)", depth=1))
    phases.append(clock.phase("connect", "connect"))
    phases.append(clock.phase("read", "read catalog (catalog.reader.read_schema)"))
    if split_ok:
        queries = [clock.phase(f"query:{n}", f"query {n}.sql", depth=1) for n in QUERY_NAMES]
        phases.append(Phase("catalog queries (server + transfer)", sum(q.seconds_median for q in queries),
                            sum(q.seconds_min for q in queries), None, 1))
        phases.extend(
            Phase(q.name, q.seconds_median, q.seconds_min, None, 2)
            for q in sorted(queries, key=lambda q: -q.seconds_median)[:4]
        )
        phases.append(clock.phase("build", "build model from rows (catalog.build.schema)", depth=1))
    phases.append(clock.phase("plan", "diff + order + DDL (plan.make_plan)"))
    phases.append(clock.phase("render", "render text (render.render_text)"))
    return breakdown


def profile_plan(schema_dir: Path, url: str, top: int = 25) -> str:
    """cProfile of one whole in-process plan: the ``top`` functions by own time and by
    cumulative time, for whoever optimises a phase."""
    from pgreconcile.catalog.connect import connect
    from pgreconcile.catalog.reader import read_schema
    from pgreconcile.declare import load_schema
    from pgreconcile.plan import make_plan
    from pgreconcile.render import render_text

    def one_plan() -> None:
        desired = load_schema(schema_dir)
        with connect(url) as conn:
            live = read_schema(conn, desired.managed)
        render_text(make_plan(desired, live, source="bench", target="bench", digest=False))

    profiler = cProfile.Profile()
    profiler.runcall(one_plan)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(pstats.SortKey.TIME).print_stats(top)
    stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(top)
    return out.getvalue()
