"""Views and materialized views read from a real catalog."""

from __future__ import annotations

import psycopg
import pytest

from conftest import run_sql
from pgreconcile.catalog.reader import read_catalog
from pgreconcile.model import CheckOption

SQL = """
CREATE TABLE public.notes (id integer PRIMARY KEY, title text, created_at timestamptz);
CREATE VIEW public.recent WITH (security_invoker = true, security_barrier = true) AS
    SELECT id, title FROM notes WHERE created_at > now() - interval '7 days'
    WITH LOCAL CHECK OPTION;
COMMENT ON VIEW public.recent IS 'last week';
COMMENT ON COLUMN public.recent.title IS 'the title';
CREATE VIEW public.recent_titles AS SELECT title FROM recent;
CREATE MATERIALIZED VIEW public.counts WITH (fillfactor = 70) AS SELECT title, count(*) AS n FROM notes GROUP BY title;
CREATE UNIQUE INDEX counts_title ON public.counts (title);
COMMENT ON MATERIALIZED VIEW public.counts IS 'per title';
"""


@pytest.fixture
def pg15(db_url: str) -> str:
    """``db_url``, or a skip naming the reason when the server predates security_invoker."""
    with psycopg.connect(db_url) as conn:
        major = conn.info.server_version // 10000
    if major < 15:
        pytest.skip(f"security_invoker needs PostgreSQL 15+ (this server is {major})")
    return db_url


def test_views_and_materialized_views_are_read(pg15: str) -> None:
    db_url = pg15
    run_sql(db_url, SQL)
    with psycopg.connect(db_url) as conn:
        read = read_catalog(conn, ["public"])
    live = read.schema
    recent = live.views[("public", "recent")]
    assert recent.security_invoker and recent.security_barrier
    assert recent.check_option is CheckOption.LOCAL
    assert recent.comment == "last week"
    assert recent.column_comments == (("title", "the title"),)
    assert "FROM public.notes" in recent.query and not recent.query.endswith(";")
    assert recent.columns == (("id", "integer"), ("title", "text"))
    assert {"column:public.notes.title", "column:public.notes.created_at"} <= recent.reads
    titles = live.views[("public", "recent_titles")]
    assert "view:public.recent" in titles.reads
    counts = live.materialized_views[("public", "counts")]
    assert counts.storage == (("fillfactor", "70"),)
    assert [i.name for i in counts.indexes] == ["counts_title"] and counts.indexes[0].unique
    assert counts.comment == "per title"
    assert not [u for u in live.unmanaged if u.kind in ("view", "materialized view")]
    assert "counts_title" not in {i.name for t in live.tables.values() for i in t.indexes}
