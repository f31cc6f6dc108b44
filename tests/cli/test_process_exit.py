"""The ``reconcile`` process ends without tearing down its heap (cli/main.py, ``leave``): exit
codes, output and exit handlers must be exactly those of an ordinary exit. And the cyclic
garbage collector, paused for a plan, is left as it was found (gc_pause.py)."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.gc_pause import paused_gc

DECLARED = """version: 1
schemas:
  public:
    tables:
      notes:
        columns:
          id: {type: bigint, primary_key: true}
          body: {type: text, nullable: false}
"""


def _reconcile(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pgreconcile", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_exit_codes_and_output_survive_the_fast_exit(tmp_path: Path, db_url: str) -> None:
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(DECLARED)
    changes = _reconcile("plan", "--schema-dir", str(schema), "--database-url", db_url, "--detailed-exitcode",
                         "--no-color", cwd=tmp_path)
    assert changes.returncode == 2, changes.stderr
    assert changes.stdout.rstrip().splitlines()[-1].startswith("Note: this plan was not saved")
    assert "+ table public.notes" in changes.stdout
    applied = _reconcile("apply", "--schema-dir", str(schema), "--database-url", db_url, "--auto-approve",
                         cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    same = _reconcile("plan", "--schema-dir", str(schema), "--database-url", db_url, "--detailed-exitcode",
                      cwd=tmp_path)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "No changes." in same.stdout
    broken = _reconcile("validate", "--schema-dir", str(tmp_path / "missing"), cwd=tmp_path)
    assert broken.returncode == 1
    assert "does not exist" in broken.stderr and "Traceback" not in broken.stderr


def test_a_large_output_is_written_whole(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, "".join(f"CREATE TABLE public.t{n} (id bigint PRIMARY KEY, note text);" for n in range(300)))
    inspected = _reconcile("inspect", "--database-url", db_url, cwd=tmp_path)
    assert inspected.returncode == 0, inspected.stderr
    assert inspected.stdout.count("id: {type: bigint, primary_key: true}") == 300
    assert inspected.stdout.endswith("\n")


def test_exit_handlers_still_run(tmp_path: Path) -> None:
    # An exit handler registered by the command (as localpg registers one to stop a throwaway
    # server) runs before the process ends.
    marker = tmp_path / "ran"
    script = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('yes'))\n"
        "sys.argv = ['reconcile', '--version']\n"
        "from pgreconcile.cli.main import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "pgreconcile, version" in done.stdout
    assert marker.read_text() == "yes"


@pytest.mark.parametrize("enabled", [True, False], ids=["collector-on", "collector-off"])
def test_a_plan_leaves_the_collector_as_it_found_it(tmp_path: Path, db_url: str, enabled: bool) -> None:
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(DECLARED)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        result = CliRunner().invoke(cli, ["plan", "--schema-dir", str(schema), "--database-url", db_url])
        assert result.exit_code == 0, result.output
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_overlapping_pauses_in_two_threads_restore_the_collector_once_both_end() -> None:
    was = gc.isenabled()
    gc.enable()
    try:
        inside, release = threading.Event(), threading.Event()

        def other() -> None:
            with paused_gc():
                inside.set()
                release.wait(10)

        worker = threading.Thread(target=other)
        with paused_gc():
            worker.start()
            inside.wait(10)
        # This thread's pause ended, the other's has not: still paused.
        assert not gc.isenabled()
        release.set()
        worker.join(10)
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
