"""Partitioned tables through the CLI, with rows: a month-partitioned ``events`` table gains a
month, changes its index and loses its oldest month (counted first, gated by --allow-destroy),
and the rows of the other months stay exactly as they were; inspect writes partitions back in
every format; bad partition declarations are refused with the place and what to do."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

V1 = """
version: 1
schemas:
  public:
    tables:
      events:
        columns:
          id: bigint
          at: {type: timestamptz, nullable: false}
          kind: text
          payload: jsonb
        primary_key: [id, at]
        indexes:
          events_kind_idx: [kind]
        partition_by: range (at)
        partitions:
          events_2026_09: {from: 2026-09-01, to: 2026-10-01}
          events_2026_10: {from: 2026-10-01, to: 2026-11-01}
          events_2026_11: {from: 2026-11-01, to: 2026-12-01}
"""
# A month added, the index changed, the oldest month dropped.
V2 = """
version: 1
schemas:
  public:
    tables:
      events:
        columns:
          id: bigint
          at: {type: timestamptz, nullable: false}
          kind: text
          payload: jsonb
        primary_key: [id, at]
        indexes:
          events_kind_idx: [kind, at DESC]
        partition_by: range (at)
        partitions:
          events_2026_10: {from: 2026-10-01, to: 2026-11-01}
          events_2026_11: {from: 2026-11-01, to: 2026-12-01}
          events_2026_12: {from: 2026-12-01, to: 2027-01-01}
"""
ROWS = """
INSERT INTO public.events (id, at, kind, payload)
SELECT g, timestamptz '2026-09-01' + g * interval '3 hours', 'k' || g % 5, jsonb_build_object('n', g)
FROM generate_series(1, 600) AS g;
"""
# Per partition: its row count and a digest of every row, in key order.
PER_PARTITION = """
SELECT tableoid::regclass::text, count(*), md5(string_agg(e::text, '|' ORDER BY id))
FROM public.events AS e GROUP BY 1 ORDER BY 1
"""


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _schema(tmp_path: Path, name: str, text: str) -> Path:
    directory = tmp_path / name
    directory.mkdir()
    (directory / "app.yaml").write_text(text)
    return directory


def _partitions(url: str) -> dict[str, tuple[int, str]]:
    with psycopg.connect(url) as conn:
        return {name: (count, digest) for name, count, digest in conn.execute(PER_PARTITION).fetchall()}


def _index_definitions(url: str) -> list[tuple[str, str]]:
    """Every index of the partition tree (parent and partitions), with its definition."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid "
            "WHERE i.indrelid IN (SELECT relid FROM pg_partition_tree('public.events')) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint AS k WHERE k.conindid = i.indexrelid) ORDER BY 1"
        ).fetchall()
    return [(name, definition) for name, definition in rows]


def test_month_partitions_add_reindex_and_drop_the_oldest_keeping_other_rows(tmp_path: Path, db_url: str) -> None:
    v1 = _schema(tmp_path, "v1", V1)
    code, output = _invoke("apply", "--schema-dir", str(v1), "--database-url", db_url, "--auto-approve")
    assert code == 0, output
    run_sql(db_url, ROWS)
    before = _partitions(db_url)
    assert sum(count for count, _ in before.values()) == 600
    oldest = before["events_2026_09"][0]
    assert oldest > 0

    v2 = _schema(tmp_path, "v2", V2)
    common = ("--schema-dir", str(v2), "--database-url", db_url)
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.CHANGES, output
    # The plan counts the rows of the partition it drops before anything runs.
    dropped = "- partition events_2026_09 FOR VALUES FROM ('2026-09-01') TO ('2026-10-01')"
    assert f"{dropped}  drops data: {oldest} rows" in output
    assert "+ partition events_2026_12 FOR VALUES FROM ('2026-12-01') TO ('2027-01-01')" in output
    assert "-/+ index events_kind_idx (kind, at DESC)" in output
    # One step per index on the parent: PostgreSQL builds the partitions' own.
    assert output.count("index events_kind_idx") == 2  # the new definition and its "was:" line
    assert "Plan: 2 to add, 0 to change, 2 to destroy." in output

    code, output = _invoke("apply", *common, "--auto-approve")
    assert code != 0 and "--allow-destroy" in output, output
    assert _partitions(db_url) == before, "a refused apply changes nothing"

    code, output = _invoke("apply", *common, "--auto-approve", "--allow-destroy")
    assert code == 0, output
    after = _partitions(db_url)
    assert "events_2026_09" not in after
    assert after == {name: facts for name, facts in before.items() if name != "events_2026_09"}

    indexes = _index_definitions(db_url)
    kind_indexes = [(name, d) for name, d in indexes if "(kind, at DESC)" in d]
    # The parent's index and one attached to each of the three partitions, none of the old shape.
    assert len(kind_indexes) == 4, indexes
    assert not [d for _, d in indexes if d.endswith("(kind)")], indexes

    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output
    assert "No changes" in output


def test_concurrently_leaves_a_partitioned_tables_index_in_the_transaction(tmp_path: Path, db_url: str) -> None:
    v1 = _schema(tmp_path, "v1", V1)
    code, output = _invoke("apply", "--schema-dir", str(v1), "--database-url", db_url, "--auto-approve")
    assert code == 0, output
    v2 = _schema(tmp_path, "v2", V2)
    code, output = _invoke("plan", "--schema-dir", str(v2), "--database-url", db_url, "--concurrently", "--sql")
    assert code == 0, output
    assert "CREATE INDEX events_kind_idx ON public.events (kind, at DESC);" in output
    assert "CONCURRENTLY" not in output


LIVE_TREE = """
CREATE SCHEMA shop;
CREATE TABLE shop.orders (id bigint NOT NULL, placed date NOT NULL, region text NOT NULL, total numeric(10,2),
                          PRIMARY KEY (id, placed, region)) PARTITION BY RANGE (placed);
CREATE TABLE shop.orders_2025 PARTITION OF shop.orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE shop.orders_2026 PARTITION OF shop.orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
    PARTITION BY LIST (region);
CREATE TABLE shop.orders_2026_eu PARTITION OF shop.orders_2026 FOR VALUES IN ('eu', 'uk');
CREATE TABLE shop.orders_2026_rest PARTITION OF shop.orders_2026 DEFAULT;
COMMENT ON TABLE shop.orders_2026_eu IS 'Europe';
CREATE INDEX orders_total_idx ON shop.orders (total);
CREATE TABLE shop.buckets (n integer NOT NULL, label text) PARTITION BY HASH (n);
CREATE TABLE shop.buckets_0 PARTITION OF shop.buckets FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE shop.buckets_1 PARTITION OF shop.buckets FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE shop.scores (a integer, b integer) PARTITION BY RANGE (a, (b + 1));
CREATE TABLE shop.scores_low PARTITION OF shop.scores FOR VALUES FROM (MINVALUE, MINVALUE) TO (10, 0);
"""


@pytest.mark.parametrize("fmt, suffix", [("yaml", "yaml"), ("python", "py"), ("sql", "sql")])
def test_inspect_writes_partitions_and_plans_nothing(tmp_path: Path, db_url: str, fmt: str, suffix: str) -> None:
    run_sql(db_url, LIVE_TREE)
    schema = tmp_path / "schema"
    schema.mkdir()
    target = schema / f"app.{suffix}"
    code, output = _invoke("inspect", "--database-url", db_url, "--schema", "shop", "--format", fmt, "-o", str(target))
    assert code == 0, output
    written = target.read_text()
    assert "orders_2026_eu" in written and "buckets_1" in written and "scores_low" in written
    code, output = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--detailed-exitcode")
    assert code == Exit.OK, output
    assert "No changes" in output


# A partition's own objects: an index and keys of its own, RLS, a replica identity, a partition in
# another schema, an index attached to the table's under a name of its own, a foreign key, a
# CHECK and a NOT NULL of its own, policies, comments of its own index, key and policy.
LIVE_OWN = """
CREATE SCHEMA shop;
CREATE SCHEMA vault;
CREATE TABLE shop.crates (id bigint NOT NULL, site text NOT NULL, tag text) PARTITION BY LIST (site);
CREATE TABLE shop.crates_x PARTITION OF shop.crates FOR VALUES IN ('x');
CREATE TABLE vault.crates_y PARTITION OF shop.crates FOR VALUES IN ('y');
CREATE INDEX crates_x_tag ON shop.crates_x (tag);
ALTER TABLE shop.crates_x ADD CONSTRAINT crates_x_own_pk PRIMARY KEY (id);
ALTER TABLE vault.crates_y ADD CONSTRAINT crates_y_tag_key UNIQUE (tag);
ALTER TABLE vault.crates_y ENABLE ROW LEVEL SECURITY;
ALTER TABLE shop.crates_x REPLICA IDENTITY FULL;
CREATE INDEX crates_y_ids ON vault.crates_y (id);
CREATE INDEX crates_ids ON shop.crates (id);
CREATE TABLE shop.sites (code text PRIMARY KEY);
ALTER TABLE shop.crates_x ADD CONSTRAINT crates_x_site_fk FOREIGN KEY (site) REFERENCES shop.sites (code);
ALTER TABLE vault.crates_y ADD CONSTRAINT crates_y_tag_check CHECK (tag <> '');
ALTER TABLE vault.crates_y ALTER COLUMN tag SET NOT NULL;
ALTER TABLE vault.crates_y ALTER COLUMN tag SET DEFAULT 'y-tag';
CREATE POLICY crates_y_tagged ON vault.crates_y FOR SELECT USING (tag IS NOT NULL);
COMMENT ON POLICY crates_y_tagged ON vault.crates_y IS 'only tagged crates';
CREATE POLICY crates_x_insert ON shop.crates_x FOR INSERT WITH CHECK (id > 0);
COMMENT ON INDEX shop.crates_x_tag IS 'x tags';
COMMENT ON CONSTRAINT crates_y_tag_key ON vault.crates_y IS 'one crate a tag';
COMMENT ON INDEX vault.crates_y_tag_key IS 'the tag index';
"""


@pytest.mark.parametrize("fmt, suffix", [("yaml", "yaml"), ("python", "py"), ("sql", "sql")])
def test_inspect_writes_what_a_partition_holds_of_its_own(tmp_path: Path, db_url: str, fmt: str, suffix: str) -> None:
    run_sql(db_url, LIVE_OWN)
    schema = tmp_path / "schema"
    schema.mkdir()
    target = schema / f"app.{suffix}"
    code, output = _invoke("inspect", "--database-url", db_url, "--schema", "shop", "--schema", "vault",
                           "--format", fmt, "-o", str(target))
    assert code == 0, output
    written = target.read_text()
    for name in ("crates_x_tag", "crates_x_own_pk", "crates_y_tag_key", "crates_y_ids", "vault", "crates_x_site_fk",
                 "crates_y_tag_check", "y-tag", "crates_y_tagged", "only tagged crates", "crates_x_insert", "x tags",
                 "one crate a tag", "the tag index"):
        assert name in written, (name, written)
    code, output = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--detailed-exitcode")
    assert code == Exit.OK, output
    assert "No changes" in output and "not managed" not in output


@pytest.mark.parametrize(
    "table, message",
    [
        ("partition_by: range (at)\n        partitions:\n          p1: {in: [a]}",
         "partition p1: a list bound under a range key"),
        ("partition_by: range (missing)", "partition_by: column 'missing' does not exist"),
        ("partitions:\n          p1: {from: 1, to: 2}", "declares `partitions` but no `partition_by`"),
        ("partition_by: hash (id)\n        partitions:\n          p1: {default: true}",
         "a hash-partitioned table has no DEFAULT partition"),
        ("partition_by: range (id)\n        partitions:\n          p1: {from: 1}",
         "a range partition needs both `from` and `to`"),
        ("partition_by: range (id)\n        partitions:\n          t: {from: 1, to: 2}",
         "the name 't' is already used"),
        ("primary_key: [id]\n        partition_by: range (at)",
         "primary key t_pkey must hold the partition key column(s) at"),
        ("primary_key: [id]\n        partition_by: range ((id + 1))",
         "the partition key has an expression"),
        ("partition_by: range (id)\n        partitions:\n          p1: {from: 1, to: 2,\n"
         "              column_defaults: {nope: {default: 1}}}",
         "partition p1: column_defaults: column 'nope' does not exist"),
        ("partition_by: range (id)\n        partitions:\n          p1: {from: 1, to: 2,\n"
         "              column_defaults: {id: {default: 1, default_sql: '2'}}}",
         "partition p1 column id: default and default_sql cannot be combined"),
    ],
)
def test_bad_partition_declarations_name_the_place(tmp_path: Path, table: str, message: str) -> None:
    text = f"""
version: 1
schemas:
  public:
    tables:
      t:
        columns:
          id: bigint
          at: timestamptz
        {table}
"""
    schema = _schema(tmp_path, "schema", text)
    code, output = _invoke("validate", "--schema-dir", str(schema))
    assert code == Exit.ERROR, output
    assert message in output, output
    assert "app.yaml:" in output and "Traceback" not in output


PYTHON = '''
import datetime

from pgreconcile.declare import Table, primary_key


class Events(Table):
    id: int
    at: datetime.datetime
    kind: str | None
    __primary_key__ = primary_key("id", "at")
    __partition_by__ = "range (at)"
    __partitions__ = {
        "events_2026_10": {"from": datetime.date(2026, 10, 1), "to": datetime.date(2026, 11, 1)},
        "events_later": {"from": "2026-11-01", "to": "MAXVALUE"},
    }
'''


def test_python_declares_partitions_and_converges(tmp_path: Path, db_url: str) -> None:
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.py").write_text(PYTHON)
    common = ("--schema-dir", str(schema), "--database-url", db_url)
    code, output = _invoke("plan", *common, "--sql")
    assert code == 0, output
    assert (
        "CREATE TABLE public.events_later PARTITION OF public.events FOR VALUES FROM ('2026-11-01') TO (MAXVALUE);"
        in output
    )
    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == 0, output
    with psycopg.connect(db_url) as conn:
        bounds = conn.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits AS i "
            "JOIN pg_class AS c ON c.oid = i.inhrelid WHERE i.inhparent = 'public.events'::regclass ORDER BY 1"
        ).fetchall()
    assert [name for name, _ in bounds] == ["events_2026_10", "events_later"]
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_a_partition_key_column_cannot_be_dropped_and_prevent_destroy_keeps_partitions(
    tmp_path: Path, db_url: str
) -> None:
    v1 = _schema(tmp_path, "v1", V1)
    code, output = _invoke("apply", "--schema-dir", str(v1), "--database-url", db_url, "--auto-approve")
    assert code == 0, output
    guarded = V2.replace("      events:\n", "      events:\n        prevent_destroy: true\n")
    code, output = _invoke("plan", "--schema-dir", str(_schema(tmp_path, "guarded", guarded)), "--database-url", db_url)
    assert code == Exit.ERROR, output
    assert "partition public.events_2026_09 of public.events would be dropped with its rows" in output
    run_sql(db_url, "CREATE TABLE public.logs (id bigint, region varchar(20)) PARTITION BY LIST (region);"
                    "CREATE TABLE public.logs_eu PARTITION OF public.logs FOR VALUES IN ('eu');")
    retyped = V1 + """      logs:
        columns: {id: bigint, region: text}
        partition_by: list (region)
        partitions:
          logs_eu: {in: [eu]}
"""
    code, output = _invoke("plan", "--schema-dir", str(_schema(tmp_path, "retyped", retyped)), "--database-url", db_url)
    assert code == Exit.ERROR, output
    assert "column public.logs.region would be retyped, but the table's partitions are keyed on it" in output


# Tables moving in and out: events_2026_09 is an ordinary table today, declared a partition (it
# is attached with its rows); events_2026_10 is a partition today, declared a table (it is
# detached with its rows, keeping its copy of the table's key). Declared three ways.
LIVE_MOVES = """
CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL, kind text, PRIMARY KEY (id, at))
    PARTITION BY RANGE (at);
CREATE TABLE public.events_2026_10 PARTITION OF public.events FOR VALUES FROM ('2026-10-01') TO ('2026-11-01');
CREATE TABLE public.events_2026_11 PARTITION OF public.events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
CREATE TABLE public.events_2026_09 (id bigint NOT NULL, at timestamptz NOT NULL, kind text);
INSERT INTO public.events_2026_09 SELECT g, timestamptz '2026-09-01 00:00+00' + g * interval '1 hour', 'a'
FROM generate_series(1, 200) AS g;
INSERT INTO public.events SELECT g, timestamptz '2026-10-01 00:00+00' + g * interval '1 hour', 'b'
FROM generate_series(1, 1000) AS g;
"""
MOVES = {
    "yaml": """
version: 1
schemas:
  public:
    tables:
      events:
        columns:
          id: bigint
          at: {type: timestamptz, nullable: false}
          kind: text
        primary_key: [id, at]
        partition_by: range (at)
        partitions:
          events_2026_09: {from: 2026-09-01, to: 2026-10-01}
          events_2026_11: {from: 2026-11-01, to: 2026-12-01}
      events_2026_10:
        columns:
          id: bigint
          at: {type: timestamptz, nullable: false}
          kind: text
        primary_key: [id, at]
""",
    "py": '''
import datetime

from pgreconcile.declare import Table, primary_key


class Events(Table):
    id: int
    at: datetime.datetime
    kind: str | None
    __primary_key__ = primary_key("id", "at")
    __partition_by__ = "range (at)"
    __partitions__ = {
        "events_2026_09": {"from": "2026-09-01", "to": "2026-10-01"},
        "events_2026_11": {"from": "2026-11-01", "to": "2026-12-01"},
    }


class October(Table, name="events_2026_10"):
    id: int
    at: datetime.datetime
    kind: str | None
    __primary_key__ = primary_key("id", "at")
''',
    "sql": """
CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL, kind text, PRIMARY KEY (id, at))
    PARTITION BY RANGE (at);
CREATE TABLE public.events_2026_09 PARTITION OF public.events FOR VALUES FROM ('2026-09-01') TO ('2026-10-01');
CREATE TABLE public.events_2026_11 PARTITION OF public.events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
CREATE TABLE public.events_2026_10 (id bigint NOT NULL, at timestamptz NOT NULL, kind text, PRIMARY KEY (id, at));
""",
}
ROW_COUNTS = """
SELECT c.relname, c.relispartition, (xpath('/row/n/text()',
       query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass), false, true, '')))[1]::text
FROM pg_class AS c WHERE c.relname IN ('events_2026_09', 'events_2026_10', 'events_2026_11') ORDER BY 1
"""


@pytest.mark.parametrize("suffix", ["yaml", "py", "sql"])
def test_tables_are_attached_and_detached_with_their_rows(tmp_path: Path, db_url: str, suffix: str) -> None:
    run_sql(db_url, LIVE_MOVES)
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / f"app.{suffix}").write_text(MOVES[suffix])
    common = ("--schema-dir", str(schema), "--database-url", db_url)
    code, output = _invoke("plan", *common, "--sql")
    assert code == 0, output
    assert "ALTER TABLE public.events DETACH PARTITION public.events_2026_10;" in output
    assert "ALTER TABLE public.events ATTACH PARTITION public.events_2026_09 FOR VALUES FROM ('2026-09-01" in output
    assert "DROP TABLE" not in output
    code, output = _invoke("plan", *common)
    assert code == 0, output
    assert "every row of events_2026_09 fits the bound" in output and "drops data" not in output
    # The SQL file's partition names its copy of the primary key (events_2026_09_pkey): made
    # first under that name, then adopted by the attach. On PostgreSQL 18 the file also names the
    # detached table's NOT NULLs after it (events_2026_10_id_not_null), while the detach keeps its
    # parent's names (events_id_not_null): two renames more.
    with psycopg.connect(db_url) as conn:
        renamed = suffix == "sql" and conn.info.server_version >= 180000
    if renamed:
        assert "» not-null constraint events_id_not_null → events_2026_10_id_not_null" in output, output
    assert f"{4 if renamed else 2} to change, 0 to destroy." in output, output
    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == 0, output
    with psycopg.connect(db_url) as conn:
        counts = [tuple(r) for r in conn.execute(ROW_COUNTS).fetchall()]
    assert counts == [("events_2026_09", True, "200"), ("events_2026_10", False, "743"),
                      ("events_2026_11", True, "257")]
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_a_saved_plan_that_attaches_and_detaches_applies_as_planned(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE_MOVES)
    schema = _schema(tmp_path, "schema", MOVES["yaml"])
    saved = tmp_path / "plan.json"
    common = ("--schema-dir", str(schema), "--database-url", db_url)
    code, output = _invoke("plan", *common, "-out", str(saved))
    assert code == Exit.OK, output
    code, output = _invoke("apply", *common, str(saved))
    assert code == Exit.OK and "Apply complete!" in output, output
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK and "No changes" in output, output
