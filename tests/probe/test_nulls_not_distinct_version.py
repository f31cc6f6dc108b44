"""NULLS NOT DISTINCT (a UNIQUE constraint or a unique index) on a server older than PostgreSQL
15 is refused while planning, with the reason, instead of failing mid-apply (constraints-types,
issue 17); on 15 and later its duplicates are counted with NULLs equal, as the key will compare
them (the golden cases probe/nulls-not-distinct-* run those counts on a real server)."""

from __future__ import annotations

import pytest

from pgreconcile.diff.changes import AddConstraint, CreateIndex
from pgreconcile.model import Column, Index, Schema, Table, UniqueConstraint
from pgreconcile.probe.choose import choose


def _schemas(table: Table) -> tuple[Schema, Schema]:
    live = Schema(tables={("public", "t"): Table("public", "t", columns=table.columns)}, managed=frozenset({"public"}))
    desired = Schema(tables={("public", "t"): table}, managed=frozenset({"public"}))
    return desired, live


@pytest.mark.parametrize(("version", "blocks"), [(140011, True), (150004, False)])
def test_unique_constraint_refused_before_15(version: int, blocks: bool) -> None:
    key = UniqueConstraint("t_email_key", ("email",), nulls_not_distinct=True)
    desired, live = _schemas(Table("public", "t", columns=(Column("email", "text"),), uniques=(key,)))
    [probe] = choose([AddConstraint("public", "t", key)], desired, live, server_version=version)
    if blocks:
        [fact] = probe.read([0])
        assert fact.blocks and "needs PostgreSQL 15 or later (this server is 14)" in fact.text
    else:
        assert probe.unmeasurable is None
        # NULL groups are duplicates too: the filter does not exclude incomplete keys.
        assert (probe.query or "").startswith("SELECT count(*) FILTER (WHERE key_rows > 1), ")


@pytest.mark.parametrize(("version", "blocks"), [(140011, True), (150004, False)])
def test_unique_index_refused_before_15(version: int, blocks: bool) -> None:
    index = Index("t_email_idx", ("email",), unique=True, nulls_not_distinct=True)
    desired, live = _schemas(Table("public", "t", columns=(Column("email", "text"),), indexes=(index,)))
    [probe] = choose([CreateIndex("public", "t", index)], desired, live, server_version=version)
    if blocks:
        [fact] = probe.read([0])
        assert fact.blocks and "unique index NULLS NOT DISTINCT needs PostgreSQL 15" in fact.text
    else:
        [fact] = probe.read([1, 2, 1, 2])  # one group of two rows, both with a NULL key
        assert fact.blocks and "1 key value is held by more than one row (2 of 3 rows)" in fact.text
