"""A domain check or NOT NULL added over stored values is measured in every column of the domain,
and values that would fail it refuse the plan (constraints-types, issue 17)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from conftest import run_sql
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.plan import make_plan
from pgreconcile.probe import DataProber

LIVE = """
CREATE DOMAIN public.score AS integer;
CREATE TABLE public.results (id bigint PRIMARY KEY, score public.score);
CREATE TABLE public.archive (id bigint PRIMARY KEY, old_score public.score);
INSERT INTO public.results VALUES (1, 3), (2, 150), (3, NULL);
INSERT INTO public.archive VALUES (1, 7);
"""

TABLES = """
    tables:
      results:
        columns:
          id: {type: bigint, primary_key: true}
          score: score
      archive:
        columns:
          id: {type: bigint, primary_key: true}
          old_score: score
"""


@pytest.mark.parametrize(
    ("domain", "facts", "refused"),
    [
        ("score: {type: integer, checks: {score_range: VALUE BETWEEN 0 AND 100}}",
         ["archive.old_score: the 1 row passes", "results.score: 1 of 3 rows fails the check"], True),
        ("score: {type: integer, checks: {score_range: VALUE BETWEEN 0 AND 200}}",
         ["archive.old_score: the 1 row passes", "results.score: all 3 rows pass"], False),
        ("score: {type: integer, checks: {score_range: {expression: VALUE < 100, validated: false}}}", [], False),
        ("score: {type: integer, nullable: false}",
         ["archive.old_score: no NULLs in 1 row", "results.score: 1 of 3 rows is NULL"], True),
    ],
    ids=["check-fails", "check-passes", "not-valid-unprobed", "not-null-fails"],
)
def test_domain_change_is_probed(domain: str, facts: list[str], refused: bool, db_url: str, tmp_path: Path) -> None:
    run_sql(db_url, LIVE)
    path = tmp_path / "desired.yaml"
    path.write_text(f"version: 1\nschemas:\n  public:\n    domains:\n      {domain}\n{TABLES}", encoding="utf-8")
    desired = load_files([path])
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, desired.managed)
        plan = make_plan(desired, live, source="desired.yaml", target="test", probe=DataProber(conn))
    [step] = plan.steps
    texts = sorted(f.text for f in step.facts)
    assert [t for t in texts if not any(t.startswith(w) for w in facts)] == []
    assert all(any(t.startswith(w) for t in texts) for w in facts), texts
    assert any(f.blocks for f in step.facts) is refused
