"""The compiled dataclass methods kept between runs (pgreconcile/class_code.py).

In-process: classes made from stored code are the classes Python would have compiled (same
signature, annotations, equality, hash, repr, frozenness); a damaged entry and a cache that is
off fall back to compiling. Across processes: the second ``reconcile`` run compiles none of the
methods the first one compiled.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgreconcile import cache, class_code


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(directory))
    class_code.uninstall()
    yield directory
    class_code.uninstall()
    assert "exec" not in vars(dataclasses)


def _make() -> type:
    """The same class each call (a new class object, from the same generated texts)."""

    @dataclasses.dataclass(frozen=True)
    class Point:
        x: int
        y: int = 0
        tags: tuple[str, ...] = ()
        notes: list[str] = dataclasses.field(default_factory=list, hash=False)

    return Point


def _describe(cls: type) -> dict[str, object]:
    a, b, c = cls(1, 2), cls(1, 2), cls(1, 3)
    try:
        a.x = 5
        frozen = False
    except dataclasses.FrozenInstanceError:
        frozen = True
    return {
        "signature": str(inspect.signature(cls)),
        "init annotations": {k: str(v) for k, v in cls.__init__.__annotations__.items()},  # type: ignore[misc]
        "repr": repr(a),
        "equal": (a == b, a == c),
        "hash": hash(a) == hash(b),
        "frozen": frozen,
        "default list is fresh": cls(1).notes is not cls(1).notes,
    }


def test_stored_code_makes_the_class_python_would_compile(private_cache: Path) -> None:
    compiled_by_python = _describe(_make())
    assert class_code.install()
    first = _describe(_make())
    used, compiled = class_code.statistics()
    assert compiled > 0 and used == compiled
    again = _describe(_make())
    assert class_code.statistics() == (used, compiled)  # the second class compiled nothing
    assert first == again == compiled_by_python
    # The generated __init__ sees the field types, not the names of the locals holding them
    # (which a `from __future__ import annotations` inherited by compile() would give).
    assert "_type_x" not in str(compiled_by_python["init annotations"])


def test_stored_codes_survive_the_process_and_a_damaged_entry_is_ignored(private_cache: Path) -> None:
    assert class_code.install()
    expected = _describe(_make())
    class_code.store_later()
    cache.flush(background=False)
    class_code.uninstall()

    assert class_code.install()
    assert _describe(_make()) == expected
    assert class_code.statistics()[1] == 0  # every text was found in the stored entry
    class_code.uninstall()

    cache.store_later(class_code.entry_key(), b"not a marshal stream")
    cache.flush(background=False)
    assert class_code.install()
    assert _describe(_make()) == expected
    assert class_code.statistics()[1] > 0  # compiled again, as without an entry


def test_off_with_the_cache(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert not class_code.install()
    assert "exec" not in vars(dataclasses)
    _make()
    assert class_code.statistics() == (0, 0)


_PROBE = """
import atexit, json, sys
from pgreconcile import class_code
atexit.register(lambda: print("CODES " + json.dumps(class_code.statistics())))
from pgreconcile.cli import main
sys.argv = ["reconcile", "validate", "--schema-dir", {schema!r}]
main()
"""


def _run(schema: Path, cache_dir: Path) -> tuple[int, int]:
    env = {**os.environ, cache.CACHE_ENV: str(cache_dir)}
    done = subprocess.run([sys.executable, "-c", _PROBE.format(schema=str(schema))],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("CODES "))
    used, compiled = json.loads(line.removeprefix("CODES "))
    return used, compiled


def test_the_second_run_of_the_command_compiles_none_of_them(tmp_path: Path) -> None:
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(
        "version: 1\nschemas:\n  app:\n    tables:\n      notes:\n        columns:\n"
        "          id: {type: bigint, primary_key: true}\n"
    )
    cache_dir = tmp_path / "cache"
    used, compiled = _run(schema, cache_dir)
    assert used > 100 and compiled == used
    # The entry is written by a background child after the command: wait for it.
    entry = cache_dir / f"{class_code.entry_key()}.pickle"
    deadline = time.monotonic() + 30
    while not entry.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert entry.exists()
    used_again, compiled_again = _run(schema, cache_dir)
    assert compiled_again == 0
    assert used_again > 50  # fewer than the first time: the warm declaration cache imports less
