"""Start-up stays light: what ``reconcile --version`` and ``reconcile validate`` import.

Each command runs in a fresh interpreter (imports are per process) and reports, at exit, which
of the heavy libraries it loaded. ``--version`` needs click only; ``validate`` of YAML files
needs no database machinery nor, for the plain block style, PyYAML; with the declaration
cache warm not even the language (pydantic).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("psycopg", "pydantic", "sqlglot", "networkx", "yaml")

_PROBE = """
import atexit, json, sys
heavy = {heavy!r}
atexit.register(lambda: print("IMPORTED " + json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set(heavy)))))
from pgreconcile.cli import main
sys.argv = ["reconcile", *{args!r}]
main()
"""

YAML = """\
version: 1
schemas:
  app:
    tables:
      notes:
        columns:
          id: {type: bigint, primary_key: true}
"""


def _imported(args: list[str], tmp_path: Path) -> set[str]:
    env = {**os.environ, "RECONCILE_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY, args=args)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("IMPORTED "))
    return set(json.loads(line.removeprefix("IMPORTED ")))


def test_version_imports_none_of_the_heavy_libraries(tmp_path: Path) -> None:
    assert _imported(["--version"], tmp_path) == set()


def test_validate_imports_no_database_machinery_and_less_with_the_cache_warm(tmp_path: Path) -> None:
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(YAML)
    cold = _imported(["validate", "--schema-dir", str(schema)], tmp_path)
    assert "psycopg" not in cold
    assert "pydantic" in cold  # the control: a cold validate does parse and validate
    assert "yaml" not in cold  # plain block YAML is read without PyYAML (declare/yaml/fast.py)
    # The entry is written by a detached child once the command is done: wait for it.
    cache = tmp_path / "cache"
    for _ in range(100):
        if list(cache.glob("*.pickle")):
            break
        subprocess.run(["sleep", "0.1"], check=True)
    warm = _imported(["validate", "--schema-dir", str(schema)], tmp_path)
    assert warm.isdisjoint({"psycopg", "pydantic", "yaml", "networkx", "sqlglot"})


def test_inspect_writers_import_neither_the_language_nor_sqlglot() -> None:
    """What `reconcile inspect` loads to write YAML or SQL while the catalog is read: not
    pydantic (the language's models) nor sqlglot (docs/how-it-works.md, "Inspect parses nothing")."""
    probe = (
        "import sys, json\n"
        "from pgreconcile.emit.formats import InspectFormat, load_emitter\n"
        "load_emitter(InspectFormat.YAML)\n"
        "load_emitter(InspectFormat.SQL)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'sqlglot'})))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
