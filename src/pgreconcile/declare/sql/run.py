"""Running one SQL file in the scratch database, and turning a failure into file:line.

The semantics are psql's in autocommit mode: each statement on its own, in order, stopping at
the first error. For speed, statements are sent a hundred at a time as one query (few round
trips, which matters when the scratch database is on a distant target server). The server runs
such a query as one implicit transaction, so when it fails nothing of it is left, and that
chunk is run again statement by statement: that finds the failing statement even when
PostgreSQL reports no position, and a chunk that failed only *because* it was sent whole (a
statement that refuses to run in a transaction block) then succeeds as psql would run it.
Files that need this from the start (``BEGIN``/``COMMIT``, ``CONCURRENTLY``, ``ALTER TYPE …
ADD VALUE``) go statement by statement directly. Unlike psql, a statement that names what the
file creates further down is run again after the rest of the file (see :func:`run_script`), and
tables whose foreign keys reference each other in a cycle are created without them, added last.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from pgreconcile.declare.sql.foreign_cycles import split_foreign_keys
from pgreconcile.declare.sql.script import Script, Statement
from pgreconcile.errors import DeclarationError, ReconcileError
from pgreconcile.model.objects import Origin

# Statements sent as one query. One query is one implicit transaction, and a transaction holds a
# lock on every relation it creates until it ends: thousands of CREATE TABLEs in one exhaust the
# server's lock table ("out of shared memory"). A hundred keep the round trips few and the locks
# well within the default max_locks_per_transaction.
CHUNK = 100

# SQLSTATE classes of errors that name something that is not there: the usual cause, in a
# scratch database, is an object the file expects to exist already.
_DUPLICATE = "42710"  # duplicate_object: CREATE ROLE of a role the server has
_MISSING = frozenset({"42P01", "42883", "42704", "3F000", "42703"})
_MISSING_HINT = (
    "SQL files run in order in an empty scratch database: only what earlier files (in sorted order) "
    "created exists there, plus stubs of the platform schemas (auth, storage, extensions, …) copied "
    "from the target; objects declared in YAML or Python files do not. See docs/sql-desired-state.md"
)


def run_script(conn: psycopg.Connection[Any], script: Script, *, one_by_one: bool) -> None:
    """Run ``script`` on ``conn`` (autocommit); raise :class:`DeclarationError` at the file:line
    of the first statement that fails.

    A declarative file need not be in dependency order: a statement that fails, outside a
    transaction block, because something it names does not exist yet (a table referenced
    before the file creates it) is set aside and run again after the rest of the file, as many
    rounds as make progress. When a round makes none, a set-aside ``CREATE TABLE`` is made
    without its foreign keys (tables referencing each other in a cycle wait for each other),
    which are added after everything else; only what still fails then is an error."""
    statements = script.statements
    later: list[tuple[Statement, psycopg.Error]] = []
    if one_by_one:
        _each(conn, script, statements, later)
    else:
        for first in range(0, len(statements), CHUNK):
            chunk = statements[first : first + CHUNK]
            try:
                conn.execute(script.text[chunk[0].start : chunk[-1].end])
            except psycopg.OperationalError as err:
                raise _lost(err, script) from None
            except psycopg.Error:
                # Nothing of the chunk was kept: find the failing statement one at a time.
                _each(conn, script, chunk, later)
    added_last: list[tuple[str, Statement]] = []  # foreign keys cut out of a cycle, and their table
    while later:
        waiting = [statement for statement, _ in later]
        again: list[tuple[Statement, psycopg.Error]] = []
        _each(conn, script, waiting, again)
        if len(again) == len(later):
            cut = _cut_cycle(conn, script, again, added_last)
            if cut is None:
                stuck, error = again[0]  # no progress: the first one that still fails is the error
                raise failure(error, script, stuck)
            again.remove(cut)
        later = again
    for sql, statement in added_last:
        try:
            conn.execute(sql)
        except psycopg.OperationalError as err:
            raise _lost(err, script) from None
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
            raise _lost(err, script) from None
        except psycopg.Error:
            continue
        added_last.extend((sql, statement) for sql in alters)
        return item
    return None


def _each(
    conn: psycopg.Connection[Any], script: Script, statements: Sequence[Statement],
    later: list[tuple[Statement, psycopg.Error]],
) -> None:
    """Run ``statements`` one by one; those that name what does not exist yet go to ``later``."""
    for statement in statements:
        try:
            conn.execute(script.text_of(statement))
        except psycopg.OperationalError as err:
            raise _lost(err, script) from None
        except psycopg.Error as err:
            if err.sqlstate == _DUPLICATE and _creates_role(script.text_of(statement)):
                # Roles belong to the server: one a scratch server kept between runs (or the
                # target's own server) has already is there for the files' grants as it is.
                continue
            if (err.sqlstate in _MISSING and conn.info.transaction_status == TransactionStatus.IDLE
                    and not _drops(script.text_of(statement))):
                # Not inside a BEGIN block (whose failure would abort what follows), and not a
                # DROP (which, run later, would remove what the file goes on to create):
                # retried once the rest of the file has run.
                later.append((statement, err))
                continue
            raise failure(err, script, statement) from None


def _drops(text: str) -> bool:
    words = text.split(None, 1)
    return bool(words) and words[0].lower() == "drop"


def _creates_role(text: str) -> bool:
    words = text.split(None, 3)
    return len(words) > 2 and words[0].lower() == "create" and words[1].lower() in ("role", "user", "group") \
        and words[2].lower() != "mapping"


def failure(err: psycopg.Error, script: Script, statement: Statement) -> DeclarationError:
    """The error of ``statement`` in ``script`` as a user-facing error at its file:line."""
    diag = err.diag
    offset = statement.start
    position = _int(diag.statement_position)
    if position is not None:
        # PostgreSQL counts characters of the text it was sent, from 1.
        offset = statement.start + position - 1
    where = str(Origin(script.file, script.line_of(offset)))
    message = diag.message_primary or str(err).strip() or type(err).__name__
    text = f"the SQL failed: {message}"
    if diag.message_detail:
        text += f" ({diag.message_detail})"
    if err.sqlstate:
        text += f" [SQLSTATE {err.sqlstate}]"
    hint = diag.message_hint
    if err.sqlstate in _MISSING:
        hint = f"{hint}; {_MISSING_HINT}" if hint else _MISSING_HINT
    return DeclarationError(text, where=where, hint=hint)


def _lost(err: psycopg.Error, script: Script) -> ReconcileError:
    reason = err.diag.message_primary or " ".join(str(err).split()) or type(err).__name__
    return ReconcileError(
        f"the connection to the scratch database failed while running {script.file}: {reason}",
        hint="check that the server is up; the scratch database is dropped on the way out",
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
