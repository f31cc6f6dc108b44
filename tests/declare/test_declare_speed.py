"""Loading stays fast on a big schema: 2,000 tables of 17 columns, indexes, checks and FKs.

Measured on the development machine (2 shared vCPUs): 1.2-1.4 s for one 2.5 MB file (of which
about 0.4 s is sqlglot checking 2,000 distinct CHECK expressions), 1.4 s for the same tables in
2,001 files, and up to 2.5 s while other work loads the machine. The bound below is loose on
purpose; it catches a slowdown of several times, such as the cyclic garbage collector rescanning
the growing tree, which once made the same load take more than 4 s.
"""

from __future__ import annotations

import time
from pathlib import Path

from pgreconcile.declare import load_files

TABLES = 2000


def big_schema() -> str:
    lines = ["version: 1", "schemas:", "  public:", "    enums:", "      user_role: [a, b, user]", "    tables:"]
    for t in range(TABLES):
        lines += [f"      table_{t}:", f"        comment: Table number {t}", "        columns:"]
        lines.append("          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid()}")
        for c in range(15):
            if c % 3 == 0:
                lines.append(f"          col_{c}: text")
            elif c % 3 == 1:
                lines.append(f"          col_{c}: {{type: integer, nullable: false, default: {c}}}")
            else:
                lines += [f"          col_{c}:", "            type: user_role", "            default: user"]
        if t:
            lines.append(f"          parent_id: {{type: uuid, references: table_{t - 1}.id}}")
        lines += [
            "        indexes:",
            f"          table_{t}_col_0_idx: {{columns: [col_0, col_1 DESC], where: col_0 IS NOT NULL}}",
            "        checks:",
            f"          table_{t}_positive: col_1 > {t}",
        ]
    return "\n".join(lines) + "\n"


def test_two_thousand_tables_load_quickly(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(big_schema(), encoding="utf-8")
    started = time.perf_counter()
    schema = load_files([path])
    elapsed = time.perf_counter() - started
    assert len(schema.tables) == TABLES
    assert sum(len(t.columns) for t in schema.tables.values()) == TABLES * 17 - 1
    assert elapsed < 8.0, f"loading {TABLES} tables took {elapsed:.2f} s"
