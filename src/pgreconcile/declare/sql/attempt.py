"""Running one statement of an SQL file in the scratch database, and turning its error into
file:line.

Used by :mod:`.run` (a file statement by statement, or a chunk that failed) and by :mod:`.lanes`
(the same on a second connection). A statement that fails because something it names does not
exist yet is not an error here: it is handed back to be run again after the rest of the file.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from pgreconcile.declare.sql.script import Script, Statement
from pgreconcile.errors import DeclarationError, ReconcileError
from pgreconcile.model.objects import Origin

# SQLSTATE classes of errors that name something that is not there: the usual cause, in a
# scratch database, is an object the file expects to exist already.
_DUPLICATE = "42710"  # duplicate_object: CREATE ROLE of a role the server has
MISSING = frozenset({"42P01", "42883", "42704", "3F000", "42703"})
_MISSING_HINT = (
    "SQL files run in order in an empty scratch database: only what earlier files (in sorted order) "
    "created exists there, plus stubs of the platform schemas (auth, storage, extensions, …) copied "
    "from the target; objects declared in YAML or Python files do not. See docs/sql-desired-state.md"
)


def attempt(
    conn: psycopg.Connection[Any], script: Script, statement: Statement, *, passing: Collection[str] = (),
) -> psycopg.Error | None:
    """Run ``statement`` on ``conn`` (autocommit). None when it ran, or needs not (a role the
    server has already); the error when it names something that does not exist yet, or its
    SQLSTATE is one of ``passing`` (the caller retries it); :class:`DeclarationError` at its
    file:line for any other error, :class:`ReconcileError` when the connection is lost."""
    text = script.text_of(statement)
    try:
        conn.execute(text)
    except psycopg.OperationalError as err:
        if err.sqlstate in passing:
            return err
        raise lost(err, script) from None
    except psycopg.Error as err:
        if err.sqlstate in passing:
            return err
        if err.sqlstate == _DUPLICATE and _creates_role(text):
            # Roles belong to the server: one a scratch server kept between runs (or the
            # target's own server) has already is there for the files' grants as it is.
            return None
        if (err.sqlstate in MISSING and conn.info.transaction_status == TransactionStatus.IDLE
                and not _drops(text)):
            # Not inside a BEGIN block (whose failure would abort what follows), and not a
            # DROP (which, run later, would remove what the file goes on to create):
            # retried once the rest of the file has run.
            return err
        raise failure(err, script, statement) from None
    return None


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
    if err.sqlstate in MISSING:
        hint = f"{hint}; {_MISSING_HINT}" if hint else _MISSING_HINT
    return DeclarationError(text, where=where, hint=hint)


def lost(err: psycopg.Error, script: Script) -> ReconcileError:
    """The connection to the scratch database broke while ``script`` ran."""
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
