"""A partition the plan creates holds no rows: probes of its keys and unique indexes are not run
(they would read a table that does not exist yet: "the probe failed (undefined table)"), also
when it lives in another schema than its table, and below another partition."""

from __future__ import annotations

from pgreconcile.diff.partition_changes import CreatePartition
from pgreconcile.model import Partition, Schema
from pgreconcile.probe.context import Context


def test_new_partitions_count_as_created_in_their_own_schema() -> None:
    inner = Partition("events_2026_11_eu", bound="IN ('eu')")
    outer = Partition("events_2026_11", bound="FROM ('2026-11-01') TO ('2026-12-01')", schema="archive",
                      partition_by="list (region)", partitions=(inner,))
    change = CreatePartition("public", "events", parent="events", partition=outer, parent_schema="public")
    context = Context([change], Schema(), Schema(), 150000)
    assert context.created == {("archive", "events_2026_11"), ("archive", "events_2026_11_eu")}
