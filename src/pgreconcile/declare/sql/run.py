"""Running one SQL file in the scratch database.

The semantics are psql's in autocommit mode: each statement on its own, in order, stopping at
the first error. For speed, statements are sent a hundred at a time as one query (few round
trips, which matters when the scratch database is on a distant target server). The server runs
such a query as one implicit transaction, so when it fails nothing of it is left, and that
chunk is run again statement by statement (:mod:`.attempt`): that finds the failing statement
even when PostgreSQL reports no position, and a chunk that failed only *because* it was sent
whole (a statement that refuses to run in a transaction block) then succeeds as psql would run
it. Files that need this from the start (``BEGIN``/``COMMIT``, ``CONCURRENTLY``, ``ALTER TYPE …
ADD VALUE``) go statement by statement directly; long files of plain DDL run on two
connections at once where their statements allow it (:mod:`.lanes`). Unlike psql, a statement
that names what the file creates further down is run again after the rest of the file (see
:func:`run_script`), and tables whose foreign keys reference each other in a cycle are created
without them, added last.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import psycopg

from pgreconcile.declare.sql.attempt import attempt, failure, lost
from pgreconcile.declare.sql.foreign_cycles import split_foreign_keys
from pgreconcile.declare.sql.lanes import lane_order, run_lanes
from pgreconcile.declare.sql.script import Script, Statement

# Statements sent as one query. One query is one implicit transaction, and a transaction holds a
# lock on every relation it creates until it ends: thousands of CREATE TABLEs in one exhaust the
# server's lock table ("out of shared memory"). A hundred keep the round trips few and the locks
# well within the default max_locks_per_transaction.
CHUNK = 100


def run_script(
    conn: psycopg.Connection[Any], script: Script, *, one_by_one: bool,
    lanes: Callable[[], Sequence[psycopg.Connection[Any]]] | None = None,
) -> None:
    """Run ``script`` on ``conn`` (autocommit); raise :class:`DeclarationError` at the file:line
    of the first statement that fails. ``lanes``: the extra connections (opened when first
    called) that a file allowing it also runs on (:mod:`.lanes`).

    A declarative file need not be in dependency order: a statement that fails, outside a
    transaction block, because something it names does not exist yet (a table referenced
    before the file creates it) is set aside and run again after the rest of the file, as many
    rounds as make progress. When a round makes none, a set-aside ``CREATE TABLE`` is made
    without its foreign keys (tables referencing each other in a cycle wait for each other),
    which are added after everything else; only what still fails then is an error."""
    statements = script.statements
    waiting: list[Statement] = []
    order = None if one_by_one or lanes is None else lane_order(script)
    extra = lanes() if order is not None and lanes is not None else []
    if order is not None and extra:
        waiting = run_lanes([conn, *extra], script, order).aside
    elif one_by_one:
        waiting = _each(conn, script, statements)
    else:
        for first in range(0, len(statements), CHUNK):
            chunk = statements[first : first + CHUNK]
            try:
                conn.execute(script.text[chunk[0].start : chunk[-1].end])
            except psycopg.OperationalError as err:
                raise lost(err, script) from None
            except psycopg.Error:
                # Nothing of the chunk was kept: find the failing statement one at a time.
                waiting += _each(conn, script, chunk)
    added_last: list[tuple[str, Statement]] = []  # foreign keys cut out of a cycle, and their table
    while waiting:
        again = _each_failing(conn, script, waiting)
        if len(again) == len(waiting):
            cut = _cut_cycle(conn, script, again, added_last)
            if cut is None:
                stuck, error = again[0]  # no progress: the first one that still fails is the error
                raise failure(error, script, stuck)
            again.remove(cut)
        waiting = [statement for statement, _ in again]
    for sql, statement in added_last:
        try:
            conn.execute(sql)
        except psycopg.OperationalError as err:
            raise lost(err, script) from None
        except psycopg.Error as err:
            raise failure(err, script, statement) from None


def _cut_cycle(
    conn: psycopg.Connection[Any], script: Script, stuck: list[tuple[Statement, psycopg.Error]],
    added_last: list[tuple[str, Statement]],
) -> tuple[Statement, psycopg.Error] | None:
    """Create the first stuck table that waits for a missing table and can be made without its
    foreign keys; those go to ``added_last``. None when no such table is stuck."""
    for item in stuck:
        statement, error = item
        if error.sqlstate != "42P01":
            continue
        split = split_foreign_keys(statement, script.text)
        if split is None:
            continue
        create, alters = split
        try:
            conn.execute(create)
        except psycopg.OperationalError as err:
            raise lost(err, script) from None
        except psycopg.Error:
            continue
        added_last.extend((sql, statement) for sql in alters)
        return item
    return None


def _each(conn: psycopg.Connection[Any], script: Script, statements: Sequence[Statement]) -> list[Statement]:
    """Run ``statements`` one by one; return those that name what does not exist yet."""
    return [statement for statement, _ in _each_failing(conn, script, statements)]


def _each_failing(
    conn: psycopg.Connection[Any], script: Script, statements: Sequence[Statement],
) -> list[tuple[Statement, psycopg.Error]]:
    """Run ``statements`` one by one; those that name what does not exist yet, with the error."""
    failing = []
    for statement in statements:
        error = attempt(conn, script, statement)
        if error is not None:
            failing.append((statement, error))
    return failing
