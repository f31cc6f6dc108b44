"""``cluster_on:`` (``__cluster_on__`` in Python) is checked where it is written: an index of the
same table, or the index of its primary key or a unique constraint; never a partitioned table."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors

TABLE = """version: 1
schemas:
  public:
    tables:
      events:
        columns:
          id: {{type: bigint, primary_key: true}}
          at: timestamptz
          code: {{type: text, unique: true}}
        indexes:
          events_at_idx: {{columns: [at]}}
        {extra}cluster_on: {value}
"""


def _load(tmp_path: Path, value: str, extra: str = ""):  # type: ignore[no-untyped-def]
    path = tmp_path / "app.yaml"
    path.write_text(TABLE.format(value=value, extra=extra))
    return load_files([path]).tables[("public", "events")]


@pytest.mark.parametrize("name", ["events_at_idx", "events_pkey", "events_code_key"])
def test_an_index_or_a_key_reaches_the_model(tmp_path: Path, name: str) -> None:
    assert _load(tmp_path, name).cluster_on == name


def test_an_unknown_index_is_an_error_at_its_line(tmp_path: Path) -> None:
    with pytest.raises(DeclarationErrors) as caught:
        _load(tmp_path, "events_nowhere_idx")
    text = str(caught.value)
    assert "app.yaml:12" in text  # the cluster_on line
    assert "cluster_on index 'events_nowhere_idx' is not an index, primary key or unique constraint" in text
    assert "events_at_idx, events_code_key, events_pkey" in text


def test_a_partitioned_table_is_refused(tmp_path: Path) -> None:
    extra = (
        "partition_by: range (at)\n        partitions:\n"
        "          p1: {from: '2020-01-01', to: '2021-01-01'}\n        "
    )
    with pytest.raises(DeclarationErrors) as caught:
        _load(tmp_path, "events_at_idx", extra)
    assert "a partitioned table cannot be clustered on an index" in str(caught.value)


def test_python_dunder(tmp_path: Path) -> None:
    path = tmp_path / "models.py"
    path.write_text(
        "import datetime\n"
        "from pgreconcile.declare import Table, column, index\n\n"
        "class Events(Table, name='events'):\n"
        "    id: int = column(type='bigint', primary_key=True)\n"
        "    at: datetime.datetime | None\n"
        "    __indexes__ = [index('events_at_idx', 'at')]\n"
        "    __cluster_on__ = 'events_at_idx'\n"
    )
    assert load_files([path]).tables[("public", "events")].cluster_on == "events_at_idx"
