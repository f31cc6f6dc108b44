"""Issue 18: the project's docs and demo pointed at ../shared/seeds/, which a clone does not
have. Nothing tracked may refer to a path outside the repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_no_tracked_file_points_outside_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    offenders = []
    for name in tracked:
        if Path(name).suffix not in {".md", ".py", ".sql", ".yaml", ".yml", ".toml", ".txt"}:
            continue
        text = (ROOT / name).read_text(encoding="utf-8", errors="replace")
        if "../shared/" in text or "shared/seeds" in text:
            offenders.append(name)
    assert offenders == [name for name in offenders if name == "tests/layout/test_no_outside_paths.py"]
