"""The declaration cache (pgreconcile/cache.py): a hit gives the same model without parsing, and
nothing but the same bytes, files, flags and code ever hits.

Each test loads through :func:`pgreconcile.cli.desired.load_desired`, the one caller, with the
cache in a directory of its own and entries written in-process (``flush(background=False)``).
A hit is told apart from a load by making the loader fail: a test that expects a hit would
see that failure, one that expects a miss would not get past it otherwise.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pgreconcile import cache
from pgreconcile.cli import desired
from pgreconcile.declare import directory as declare_directory
from pgreconcile.declare.files import SUFFIXES
from pgreconcile.declare.sql.scratch import ScratchMode
from pgreconcile.errors import ReconcileError
from pgreconcile.model import Schema

YAML = """\
version: 1
schemas:
  app:
    tables:
      notes:
        columns:
          id: {type: bigint, primary_key: true}
          title: {type: text, nullable: false}
"""


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(root))
    return root


@pytest.fixture
def schema_dir(tmp_path: Path) -> Path:
    path = tmp_path / "schema"
    path.mkdir()
    (path / "app.yaml").write_text(YAML)
    return path


def _load(schema_dir: Path, **flags: bool) -> tuple[Schema, str]:
    result = desired.load_desired(schema_dir, **flags)
    cache.flush(background=False)
    return result


def _entries(root: Path) -> list[Path]:
    return sorted(root.glob("*.pickle")) if root.exists() else []


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the declarations were parsed, not read from the cache")

    monkeypatch.setattr(declare_directory, "load_directory", refuse)


def test_a_second_load_of_the_same_files_is_a_hit_with_an_equal_model(
    schema_dir: Path, cache_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_schema, first_source = _load(schema_dir, check_sql=False)
    assert len(_entries(cache_root)) == 1
    _no_parsing(monkeypatch)
    schema, source = _load(schema_dir, check_sql=False)
    assert schema == first_schema
    assert source == first_source == f"{schema_dir}/ (1 file)"
    assert stat.S_IMODE(cache_root.stat().st_mode) == 0o700


def test_a_changed_file_is_never_read_from_the_cache(
    schema_dir: Path, cache_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(schema_dir, check_sql=False)
    file = schema_dir / "app.yaml"
    before = file.stat()
    # Same length and the same modification time: only the bytes differ.
    file.write_text(YAML.replace("title", "label"))
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    schema, _ = _load(schema_dir, check_sql=False)
    assert {column.name for column in schema.tables[("app", "notes")].columns} == {"id", "label"}
    assert len(_entries(cache_root)) == 2
    _no_parsing(monkeypatch)
    again, _ = _load(schema_dir, check_sql=False)
    assert again == schema


def test_a_new_file_or_other_flags_make_another_key(
    schema_dir: Path, cache_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(schema_dir, check_sql=False)
    _load(schema_dir, check_sql=True)
    _load(schema_dir, check_sql=False, conventions=True)
    assert len(_entries(cache_root)) == 3
    (schema_dir / "more.yml").write_text("version: 1\nschemas:\n  other: {}\n")
    schema, source = _load(schema_dir, check_sql=False)
    assert "other" in schema.managed
    assert source.endswith("(2 files)")
    assert len(_entries(cache_root)) == 4


def test_errors_are_not_cached(schema_dir: Path, cache_root: Path) -> None:
    (schema_dir / "app.yaml").write_text(YAML.replace("bigint", "no_such_type_at_all(("))
    for _ in range(2):
        with pytest.raises(ReconcileError):
            _load(schema_dir, check_sql=True)
    assert _entries(cache_root) == []


def test_a_damaged_entry_is_a_miss_and_is_replaced(schema_dir: Path, cache_root: Path) -> None:
    first, _ = _load(schema_dir, check_sql=False)
    [entry] = _entries(cache_root)
    entry.write_bytes(b"not a pickle")
    schema, _ = _load(schema_dir, check_sql=False)
    assert schema == first
    [replaced] = _entries(cache_root)
    assert replaced.read_bytes() != b"not a pickle"


def test_off_writes_nothing(schema_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _load(schema_dir, check_sql=False)
    _load(schema_dir, check_sql=False)
    assert not (tmp_path / "xdg").exists()


def test_python_files_are_never_cached(schema_dir: Path, cache_root: Path) -> None:
    (schema_dir / "extra.py").write_text("from pgreconcile.declare import Table\n")
    assert cache.cacheable_files(schema_dir) is None
    _load(schema_dir, check_sql=False)
    _load(schema_dir, check_sql=False)
    assert _entries(cache_root) == []


def test_a_directory_others_may_write_is_not_used(schema_dir: Path, cache_root: Path) -> None:
    cache_root.mkdir(mode=0o700)
    cache_root.chmod(0o777)
    _load(schema_dir, check_sql=False)
    assert _entries(cache_root) == []


def test_at_most_max_entries_are_kept(tmp_path: Path, cache_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for number in range(5):
        path = tmp_path / f"schema{number}"
        path.mkdir()
        (path / "app.yaml").write_text(YAML.replace("notes", f"notes_{number}"))
        _load(path, check_sql=False)
    assert len(_entries(cache_root)) == 3


def test_the_cli_copies_of_declare_constants_stay_equal() -> None:
    from pgreconcile.cli.options import DEFAULT_PROBE_TIMEOUT_MS, SCRATCH_MODES
    from pgreconcile.probe.run import DEFAULT_TIMEOUT_MS

    assert set(SCRATCH_MODES) == {mode.value for mode in ScratchMode}
    assert DEFAULT_PROBE_TIMEOUT_MS == DEFAULT_TIMEOUT_MS
    assert set(SUFFIXES) == cache.DECLARATION_SUFFIXES
    assert {s for s, kind in SUFFIXES.items() if kind.value == "yaml"} == cache.CACHED_SUFFIXES
