"""Partition keys and bounds: the catalog's spelling and the declaration's compare equal, and
different bounds never do."""

from __future__ import annotations

import pytest

from pgreconcile.normalize.partitions import canonical_bound, readable_bound, same_bound, same_key


@pytest.mark.parametrize(
    "declared, live",
    [
        ("FOR VALUES FROM ('2026-10-01') TO ('2026-11-01')",
         "FOR VALUES FROM ('2026-10-01 00:00:00+00') TO ('2026-11-01 00:00:00+00')"),
        ("FOR VALUES FROM (MINVALUE) TO (10)", "FOR VALUES FROM (MINVALUE) TO ('10')"),
        ("FOR VALUES IN ('uk', 'eu')", "FOR VALUES IN ('eu', 'uk')"),
        ("FOR VALUES IN (1, 2)", "FOR VALUES IN ('1', '2')"),
        ("FOR VALUES WITH (modulus 4, remainder 1)", "FOR VALUES WITH (MODULUS 4, REMAINDER 1)"),
        ("DEFAULT", "default"),
        ("FOR VALUES IN ('it''s')", "FOR VALUES IN ('it''s')"),
    ],
)
def test_same_bound(declared: str, live: str) -> None:
    assert same_bound(declared, live)


@pytest.mark.parametrize(
    "a, b",
    [
        ("FOR VALUES FROM ('2026-10-01') TO ('2026-11-01')", "FOR VALUES FROM ('2026-10-01') TO ('2026-11-15')"),
        ("FOR VALUES FROM ('2026-10-01 00:00:00+02') TO ('2026-11-01')",
         "FOR VALUES FROM ('2026-10-01') TO ('2026-11-01')"),
        ("FOR VALUES IN ('eu')", "FOR VALUES IN ('eu', 'uk')"),
        ("FOR VALUES WITH (modulus 4, remainder 1)", "FOR VALUES WITH (modulus 4, remainder 2)"),
        ("DEFAULT", "FOR VALUES IN ('eu')"),
        ("FOR VALUES IN ('1.0')", "FOR VALUES IN ('1')"),
    ],
)
def test_different_bounds(a: str, b: str) -> None:
    assert not same_bound(a, b)


def test_bound_kinds() -> None:
    assert canonical_bound("FOR VALUES FROM (1, MAXVALUE) TO (2, MAXVALUE)")[0] == "range"
    assert canonical_bound("FOR VALUES IN (NULL)") == ("list", ("k:NULL",))
    assert canonical_bound("nonsense")[0] == "text"


@pytest.mark.parametrize(
    "declared, live",
    [("range (at)", "RANGE (at)"), ("range (n, (m+1))", "RANGE (n, ((m + 1)))"), ("list(region)", "LIST (region)")],
)
def test_same_key(declared: str, live: str) -> None:
    assert same_key(declared, live)


def test_different_keys() -> None:
    assert not same_key("range (at)", "LIST (at)")
    assert not same_key("range (at)", "RANGE (created_at)")
    assert not same_key("range (at)", None)
    assert same_key(None, None)


def test_readable_bound_shortens_utc_midnights_only() -> None:
    live = "FOR VALUES FROM ('2026-10-01 00:00:00+00') TO ('2026-10-01 06:30:00+00')"
    assert readable_bound(live) == "FOR VALUES FROM ('2026-10-01') TO ('2026-10-01 06:30:00')"
    assert readable_bound("FOR VALUES IN ('2026-10-01 00:00:00')") == "FOR VALUES IN ('2026-10-01 00:00:00')"
