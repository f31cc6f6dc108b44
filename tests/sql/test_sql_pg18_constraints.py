"""PostgreSQL 18's new constraint forms in SQL files, on a real server (18+) through the CLI:
``NOT ENFORCED`` checks and foreign keys (kept, never checked — they were read as NOT VALID and
created so), and temporal keys: ``PRIMARY KEY``/``UNIQUE (…, r WITHOUT OVERLAPS)`` and
``FOREIGN KEY (…, PERIOD r)`` (read as plain keys, so the period was lost). Each converges: plan,
apply, the catalog says what the files say, and a second plan has nothing to do."""

from __future__ import annotations

from pathlib import Path

import psycopg

from conftest import run_sql, skip_below, sql_files_cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE EXTENSION btree_gist;
CREATE TABLE public.parent (id integer PRIMARY KEY);
CREATE TABLE public.child (parent_id integer, qty integer, CONSTRAINT qty_positive CHECK (qty > 0));
CREATE TABLE public.rooms (id integer, during tstzrange);
CREATE TABLE public.bookings (room_id integer, during tstzrange, slot daterange, code text);
"""

FILES = """
CREATE EXTENSION btree_gist;
CREATE TABLE public.parent (id integer PRIMARY KEY);
CREATE TABLE public.child (
    parent_id integer,
    qty integer,
    CONSTRAINT qty_positive CHECK (qty > 0) NOT ENFORCED,
    CONSTRAINT qty_small CHECK (qty < 1000) NOT ENFORCED,
    CONSTRAINT child_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.parent (id) NOT ENFORCED
);
CREATE TABLE public.rooms (
    id integer, during tstzrange, CONSTRAINT rooms_pkey PRIMARY KEY (id, during WITHOUT OVERLAPS)
);
CREATE TABLE public.bookings (
    room_id integer,
    during tstzrange,
    slot daterange,
    code text,
    CONSTRAINT bookings_slot_key UNIQUE (code, slot WITHOUT OVERLAPS),
    CONSTRAINT bookings_room_fkey FOREIGN KEY (room_id, PERIOD during) REFERENCES public.rooms (id, PERIOD during)
);
"""


def _definitions(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE connamespace = 'public'::regnamespace AND contype <> 'n'"
        ).fetchall()
    return dict(rows)



def test_not_enforced_and_temporal_constraints_converge(tmp_path: Path, db_url: str) -> None:
    skip_below(db_url, 180000, "NOT ENFORCED and WITHOUT OVERLAPS / PERIOD are PostgreSQL 18's")
    run_sql(db_url, LIVE)
    run = sql_files_cli(tmp_path, db_url, FILES)

    code, plan = run("plan", "--detailed-exitcode")
    assert code == Exit.CHANGES, plan
    assert "-/+ check qty_positive ((qty > 0)) NOT ENFORCED" in plan, plan
    code, output = run("apply", "--auto-approve", "--allow-destroy")
    assert code == Exit.OK, output

    got = _definitions(db_url)
    assert got["qty_positive"] == "CHECK ((qty > 0)) NOT ENFORCED"
    assert got["qty_small"] == "CHECK ((qty < 1000)) NOT ENFORCED"
    assert got["child_parent_fkey"] == "FOREIGN KEY (parent_id) REFERENCES parent(id) NOT ENFORCED"
    assert got["rooms_pkey"] == "PRIMARY KEY (id, during WITHOUT OVERLAPS)"
    assert got["bookings_slot_key"] == "UNIQUE (code, slot WITHOUT OVERLAPS)"
    assert got["bookings_room_fkey"] == "FOREIGN KEY (room_id, PERIOD during) REFERENCES rooms(id, PERIOD during)"
    code, again = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, again
