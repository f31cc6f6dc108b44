"""bench/corpus.py on a two-case corpus: a new.sql that uses a table before creating it.

pgreconcile's SQL loader runs such a file (a statement that fails on a missing object is set
aside and run again), psql does not, so the harness cannot build the reference database from it
and calls the case bad. With ``reference.sql`` (the same statements in an order psql can run) it
builds the reference from that file and measures the case; pgreconcile still plans from new.sql.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pgreconcile.localpg import LocalServer

HARNESS = Path(__file__).resolve().parents[2] / "bench" / "corpus.py"

OLD = "CREATE TABLE public.kept (id integer PRIMARY KEY);\n"
# accounts refers to owners, created further down the file.
NEW = OLD + """
CREATE TABLE public.accounts (
    id integer PRIMARY KEY,
    owner_id integer REFERENCES public.owners (id)
);
CREATE TABLE public.owners (id integer PRIMARY KEY, name text NOT NULL);
"""
REFERENCE = OLD + """
CREATE TABLE public.owners (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE public.accounts (
    id integer PRIMARY KEY,
    owner_id integer REFERENCES public.owners (id)
);
"""


def test_reference_sql_builds_the_reference_of_a_forward_reference(tmp_path: Path, pg_server: LocalServer) -> None:
    corpus = tmp_path / "corpus"
    for case, reference in (("with_reference", REFERENCE), ("without_reference", None)):
        folder = corpus / case
        folder.mkdir(parents=True)
        (folder / "old.sql").write_text(OLD)
        (folder / "new.sql").write_text(NEW)
        if reference is not None:
            (folder / "reference.sql").write_text(reference)
    outcomes = tmp_path / "outcomes.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HARNESS.parents[1] / "src"),
                                                                     os.environ.get("PYTHONPATH")]))}
    run = subprocess.run(
        [sys.executable, str(HARNESS), str(corpus), "--jobs", "1", "--json", str(outcomes)],
        env=env, capture_output=True, text=True, timeout=600,
    )
    assert outcomes.exists(), run.stdout + run.stderr
    status = {o["case"]: (o["status"], o["detail"]) for o in json.loads(outcomes.read_text())}
    assert status["with_reference"] == ("converged", ""), run.stdout
    # Without reference.sql psql stops at the foreign key to the table not created yet.
    assert status["without_reference"][0] == "bad-case", run.stdout
    assert "owners" in status["without_reference"][1]


def test_cases_behind_symbolic_links_are_found(tmp_path: Path) -> None:
    """A sample of a corpus made of links to its cases finds them (a loop is walked once)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus_harness", HARNESS)
    assert spec is not None and spec.loader is not None
    harness = importlib.util.module_from_spec(spec)
    sys.modules["corpus_harness"] = harness
    spec.loader.exec_module(harness)
    full = tmp_path / "full"
    for name in ("a", "b", "c"):
        (full / name).mkdir(parents=True)
        (full / name / "old.sql").write_text(OLD)
        (full / name / "new.sql").write_text(OLD)
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "a").symlink_to(full / "a", target_is_directory=True)
    (sample / "c").symlink_to(full / "c", target_is_directory=True)
    (sample / "loop").symlink_to(sample, target_is_directory=True)
    assert harness.find_cases(sample, None) == [sample / "a", sample / "c"]
    assert harness.find_cases(sample, ["c"]) == [sample / "c"]
