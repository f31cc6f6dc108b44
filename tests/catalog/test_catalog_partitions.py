"""Partitioned tables in the catalog: partitions hang under their table (sub-levels under their
partition); what PostgreSQL cloned from the parent onto each partition (indexes, keys, CHECKs) is
not read twice; what a partition holds of its own (its schema, an index of its own, the names of its
indexes attached to the table's) is read onto the partition."""

from __future__ import annotations

import dataclasses

import psycopg

from conftest import run_sql
from pgreconcile.catalog.reader import read_catalog
from pgreconcile.model import Index, Partition

LIVE = """
CREATE SCHEMA other;
CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL, region text NOT NULL, kind text,
                            PRIMARY KEY (id, at, region), CONSTRAINT kind_set CHECK (kind <> ''))
    PARTITION BY RANGE (at);
CREATE TABLE public.events_2026_10 PARTITION OF public.events FOR VALUES FROM ('2026-10-01') TO ('2026-11-01');
CREATE TABLE public.events_2026_11 PARTITION OF public.events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')
    PARTITION BY LIST (region);
CREATE TABLE public.events_2026_11_eu PARTITION OF public.events_2026_11 FOR VALUES IN ('eu');
CREATE TABLE other.events_default PARTITION OF public.events DEFAULT;
CREATE INDEX events_kind_idx ON public.events (kind);
CREATE INDEX events_2026_10_by_hand ON public.events_2026_10 (id);
COMMENT ON TABLE public.events_2026_10 IS 'October';
"""


def test_partitions_hang_under_their_table_and_inherited_objects_are_read_once(db_url: str) -> None:
    run_sql(db_url, LIVE)
    with psycopg.connect(db_url) as conn:
        read = read_catalog(conn, ["public", "other"])
        version = conn.info.server_version
    assert sorted(read.schema.tables) == [("public", "events")]
    events = read.schema.tables[("public", "events")]
    assert events.partition_by == "range (at)"
    assert [i.name for i in events.indexes] == ["events_kind_idx"]
    assert [c.name for c in events.checks] == ["kind_set"]
    assert events.primary_key is not None and events.primary_key.name == "events_pkey"
    inherited = (("at", "events_at_not_null"), ("id", "events_id_not_null"), ("region", "events_region_not_null"))
    if version >= 180000:  # a plain PARTITION OF: the parent's NOT NULL names, at every level
        assert [p.not_null_names for p in events.partitions] == [inherited] * 3
        assert events.partitions[1].partitions[0].not_null_names == inherited
    else:
        assert [p.not_null_names for p in events.partitions] == [None] * 3
    assert tuple(_unnamed(p) for p in events.partitions) == (
        Partition(
            "events_2026_10",
            "FOR VALUES FROM ('2026-10-01 00:00:00+00') TO ('2026-11-01 00:00:00+00')",
            comment="October",
            indexes=(Index("events_2026_10_by_hand", ("id",)),),
            attached=(("events_2026_10_kind_idx", "events_kind_idx"), ("events_2026_10_pkey", "events_pkey")),
        ),
        Partition(
            "events_2026_11",
            "FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00')",
            partition_by="list (region)",
            partitions=(
                Partition(
                    "events_2026_11_eu", "FOR VALUES IN ('eu')",
                    attached=(("events_2026_11_eu_kind_idx", "events_2026_11_kind_idx"),
                              ("events_2026_11_eu_pkey", "events_2026_11_pkey")),
                ),
            ),
            attached=(("events_2026_11_kind_idx", "events_kind_idx"), ("events_2026_11_pkey", "events_pkey")),
        ),
        Partition(
            "events_default", "DEFAULT", schema="other",
            attached=(("events_default_kind_idx", "events_kind_idx"), ("events_default_pkey", "events_pkey")),
        ),
    )
    assert not any("not managed" in note for note in read.notes), read.notes


def _unnamed(part: Partition) -> Partition:
    return dataclasses.replace(part, not_null_names=None, partitions=tuple(_unnamed(p) for p in part.partitions))


def test_a_trigger_on_a_partitioned_table_is_listed_once(db_url: str) -> None:
    run_sql(
        db_url,
        LIVE
        + """
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER events_touch BEFORE INSERT ON public.events FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TRIGGER by_hand BEFORE INSERT ON public.events_2026_10 FOR EACH ROW EXECUTE FUNCTION public.touch();
""",
    )
    with psycopg.connect(db_url) as conn:
        read = read_catalog(conn, ["public"])
    # Triggers are managed: the clones PostgreSQL made on each partition are the parent's (not
    # read again); one made by hand on a partition is its own.
    triggers = sorted(f"{s}.{t}.{n}" for s, t, n in read.schema.triggers)
    assert triggers == ["public.events.events_touch", "public.events_2026_10.by_hand"]
