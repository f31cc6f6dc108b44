"""UNIQUE NULLS NOT DISTINCT on a server older than PostgreSQL 15 is refused while planning, with
the reason, instead of failing mid-apply (constraints-types, issue 17)."""

from __future__ import annotations

import pytest

from pgreconcile.diff.changes import AddConstraint
from pgreconcile.model import Column, Schema, Table, UniqueConstraint
from pgreconcile.probe.choose import choose


@pytest.mark.parametrize(("version", "blocks"), [(140011, True), (150004, False)])
def test_refused_before_15(version: int, blocks: bool) -> None:
    key = UniqueConstraint("t_email_key", ("email",), nulls_not_distinct=True)
    table = Table("public", "t", columns=(Column("email", "text"),), uniques=(key,))
    live = Schema(tables={("public", "t"): Table("public", "t", columns=table.columns)}, managed=frozenset({"public"}))
    desired = Schema(tables={("public", "t"): table}, managed=frozenset({"public"}))
    [probe] = choose([AddConstraint("public", "t", key)], desired, live, server_version=version)
    if blocks:
        [fact] = probe.read([0])
        assert fact.blocks and "needs PostgreSQL 15 or later (this server is 14)" in fact.text
    else:
        assert probe.unmeasurable is not None and "NULLS NOT DISTINCT" in probe.unmeasurable
