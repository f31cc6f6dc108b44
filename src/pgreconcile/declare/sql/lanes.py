"""Running one SQL file on two connections at once, where its statements allow it.

Why: a declarative file of thousands of ``CREATE TABLE`` / ``CREATE INDEX`` / ``COMMENT ON``
statements keeps one server backend busy for seconds (2,000 tables: about ten) while the
server's other cores idle, and psql runs it the same way. Most of those statements do not
depend on each other: the index of one table and the comment on another can be made side by
side. The files' result is the same as one connection's; only the wait is shorter.

Which statements may run side by side (:func:`lane_order`):

- A file qualifies only when it is long (:data:`MIN_STATEMENTS`) and every statement is DDL
  (``CREATE``, ``ALTER``, ``COMMENT``, ``GRANT``, ``REVOKE``, ``DROP``) that leaves the session
  as it was: a second connection has a session of its own, so ``SET``, ``set_config``,
  ``DO`` blocks and temporary tables keep a file on one connection (as do ``BEGIN``/``COMMIT``
  and ``CONCURRENTLY``, which :mod:`.heads` already sends one by one).
- ``CREATE TABLE``, a named ``CREATE [UNIQUE] INDEX``, ``COMMENT ON``, ``CREATE POLICY`` and
  ``ALTER TABLE … ADD / ENABLE / FORCE`` are *lane* statements. Any other statement is a
  *barrier*: it runs alone, after everything before it and before everything after it.
- Two lane statements that name a common relation run in file order, never side by side (and
  so do two comments on one object, whatever its kind: the last one stays). The
  relations a statement names: what it creates, the name after ``REFERENCES``, ``ON``,
  ``TABLE``, ``INDEX``, ``COLUMN`` (its table), ``LIKE``, ``OF``, ``BY``, ``INHERITS``,
  ``FROM`` and ``JOIN``, and any word that is a name the file creates. So a table is made
  before its indexes, comments and the tables that reference it, and no two statements lock
  the same relation at once (no waits, no deadlocks between the connections). An index named
  like another table's implicit names (``t_pkey``) counts as naming ``t``, whose implicit
  index would otherwise race it for the name. Names are compared without schema, and the
  words before a name are looked for outside string literals: a false match only orders two
  statements that needed no order.

How (:func:`run_lanes`): each connection takes up to :data:`BATCH` ready statements (lowest
file position first), sends them as one query (one implicit transaction) and releases what
waited for them. A batch that fails runs again statement by statement (:mod:`.attempt`). A
statement that names something missing is tried again once every statement before it in the
file is done (what it missed may be a name the scan did not see), and only if it fails then is
it set aside for the file's later rounds (:mod:`.run`), as on one connection. A lock conflict
with the other connection (a reference the scan missed) is retried. Of the errors met, the
first in file order is reported.
"""

from __future__ import annotations

import heapq
import os
import re
import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from pgreconcile.declare.sql.attempt import attempt, failure, lost
from pgreconcile.declare.sql.heads import created_kind, dotted_name, skip_words
from pgreconcile.declare.sql.script import Script, Statement, Token, TokenKind, fold
from pgreconcile.errors import ReconcileError

#: Environment variable: how many connections run a file that allows it (1: one, as psql).
LANES_ENV = "RECONCILE_SQL_LANES"
DEFAULT_LANES = 2
MAX_LANES = 8
#: Files shorter than this run on one connection: too little to share to pay for a thread.
MIN_STATEMENTS = 200
#: Statements sent as one query by a lane (see :data:`pgreconcile.declare.sql.run.CHUNK`: the
#: same bound on the locks one implicit transaction holds).
BATCH = 100

# SQLSTATEs of a conflict between the connections, retried: a deadlock or lock timeout, a
# serialization failure, and a unique violation in the catalog (two connections giving one
# implicit name to two relations at once).
_CONFLICTS = frozenset({"40P01", "40001", "55P03", "23505"})
_RETRIES = 5

_LANE, _BARRIER = "lane", "barrier"
# The first words of statements that keep the session as it was (anything else, SET, SELECT,
# DO, INSERT…, keeps the file on one connection).
_DDL = frozenset({"create", "alter", "comment", "grant", "revoke", "drop"})
_TEMPORARY = frozenset({"temp", "temporary", "local", "global"})
_ALTER_LANE = frozenset({"add", "enable", "force"})

_NAME = r'(?:"(?:[^"]|"")*"|[A-Za-z_\u0080-\U0010ffff][A-Za-z_0-9$\u0080-\U0010ffff]*)'
_DOTTED = rf"{_NAME}(?:\s*\.\s*{_NAME})*"
_PART = re.compile(_NAME)
# A relation's name after the words that introduce one. Keywords that may stand between are
# skipped; those that cannot be a name there (ON DELETE, ON TABLE…) are not taken for one.
_NAMED = re.compile(
    rf"\b(references|on|table|index|column|like|of|by|inherits|from|join)\s+(?:\(\s*)?"
    rf"(?:only\s+)?(?:if\s+(?:not\s+)?exists\s+)?"
    rf"(?!(?:table|column|index|constraint|policy|schema|type|view|sequence|function|delete|update|"
    rf"only|if|conflict|commit|all|cascade|restrict)\b)({_DOTTED})",
)
_WORD = re.compile(r"[A-Za-z_\u0080-\U0010ffff][A-Za-z_0-9$\u0080-\U0010ffff]*")
_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
# A COMMENT's object: everything from ON up to the IS before its text (a string, or NULL).
_DESIGNATION = re.compile(r"\s*comment\s+on\s+(.*?)\s+is\s+(?:null\b|[eEuU]?&?'|\$)", re.IGNORECASE | re.DOTALL)
# String literals and line comments, blanked before the scan for the words before a name.
_PROSE = re.compile(r"'(?:[^']|'')*'|--[^\n]*")


@dataclass(frozen=True)
class LaneRun:
    """What running a file on lanes left: the statements set aside for later rounds (file
    order), and how many statements each lane ran."""

    aside: list[Statement]
    ran: tuple[int, ...]


@dataclass(frozen=True)
class LaneOrder:
    """For each statement of a file (by position), the statements it must wait for."""

    waits: tuple[tuple[int, ...], ...]


def lane_count() -> int:
    """Connections a file that allows it runs on (``RECONCILE_SQL_LANES``; 2 by default)."""
    raw = os.environ.get(LANES_ENV, "").strip()
    try:
        wanted = int(raw) if raw else DEFAULT_LANES
    except ValueError:
        wanted = DEFAULT_LANES
    return max(1, min(MAX_LANES, wanted))


def lane_order(script: Script) -> LaneOrder | None:
    """What each statement of ``script`` waits for, or None when the file must run on one
    connection (too short, or a statement that changes the session)."""
    statements = script.statements
    if len(statements) < MIN_STATEMENTS:
        return None
    kinds: list[str] = []
    created: list[str | None] = []
    for statement in statements:
        shape = _shape(statement)
        if shape is None:
            return None
        kinds.append(shape[0])
        created.append(shape[1])
    made = {name for name in created if name is not None}
    tables = {name for name, statement in zip(created, statements, strict=True)
              if name is not None and statement.words(2)[1:2] == ("table",)}
    waits: list[tuple[int, ...]] = []
    last: dict[str, int] = {}  # each name: the last statement that named it
    since: list[int] = []  # lane statements since the last barrier
    barrier: int | None = None
    for index, statement in enumerate(statements):
        if kinds[index] == _BARRIER:
            # After everything before it; everything after it waits for it.
            waits.append(tuple(since) if since else (() if barrier is None else (barrier,)))
            barrier, since, last = index, [], {}
            continue
        keys = _names(script.text_of(statement), made, tables, created[index])
        if statement.words(1) == ("comment",):
            keys.add(_commented(script.text_of(statement)))
        after = {last[key] for key in keys if key in last}
        if barrier is not None and not after:
            after.add(barrier)
        waits.append(tuple(sorted(after)))
        for key in keys:
            last[key] = index
        since.append(index)
    return LaneOrder(tuple(waits))


def _shape(statement: Statement) -> tuple[str, str | None] | None:
    """(lane or barrier, the relation it creates) for a statement that keeps the session;
    None for one that does not."""
    words = statement.words(3)
    if not words or words[0] not in _DDL:
        return None
    if words[0] == "comment":
        return _LANE, None
    if words[0] != "create" and words[:2] != ("alter", "table"):
        return _BARRIER, None
    if words[0] == "create" and words[1] in _TEMPORARY:
        return None  # a temporary table lives in one session only
    # The head's first tokens are cut already; a long one (IF NOT EXISTS, quoted names) needs more.
    shape = _table_or_index(statement.head(8), words)
    return shape if shape is not None else _table_or_index(statement.head(24), words) or (_BARRIER, None)


def _table_or_index(tokens: Sequence[Token], words: tuple[str, ...]) -> tuple[str, str | None] | None:
    """The shape of a CREATE or ALTER TABLE statement from its first ``tokens`` (the names read
    as :mod:`.heads` reads them); None when they are too few to tell."""
    if words[0] == "alter":
        at = skip_words(tokens, 2, "if", "exists", "only")
    else:
        kind = created_kind(tokens)
        if kind is None:
            return None
        what, at = kind
        if what == "policy":
            return _LANE, None
        if what not in ("table", "index"):
            return _BARRIER, None
        at = skip_words(tokens, at + 1, "if", "not", "exists")
        if what == "index":
            # Only a named index (an unnamed one's name depends on what exists).
            if at >= len(tokens):
                return None
            if not tokens[at].is_name or tokens[at].is_word("on", "concurrently"):
                return _BARRIER, None
            return _LANE, tokens[at].text
    parts, after = dotted_name(tokens, at)
    if not parts or after >= len(tokens):
        return None if after >= len(tokens) else (_BARRIER, None)
    following = tokens[after]
    if words[0] == "alter":
        return (_LANE, None) if following.is_word(*_ALTER_LANE) else (_BARRIER, None)
    if (following.kind is TokenKind.PUNCT and following.text == "(") or following.is_word("partition", "of"):
        return _LANE, parts[-1].text
    return _BARRIER, None  # CREATE TABLE … AS: reads what it names, which the scan may miss


def _commented(text: str) -> str:
    """What a ``COMMENT ON`` is about, as written up to ``IS`` (``schema app``, ``function
    f(integer)``), folded: two comments on one object keep their order (the last one stays),
    whatever the object's kind. A designation folded alike for two objects only orders them."""
    found = _DESIGNATION.match(text)
    return "comment " + " ".join(fold(found.group(1) if found else text).split())


def _part(text: str) -> str:
    """One name as PostgreSQL stores it: a quoted one as written, any other folded."""
    if text.startswith('"'):
        return text[1:-1].replace('""', '"')
    return fold(text)


def _names(text: str, made: set[str], tables: set[str], creates: str | None) -> set[str]:
    """The relations a lane statement names (see the module's docstring)."""
    # PostgreSQL folds only ASCII letters; str.lower() is the same fold for ASCII text, faster.
    folded = text.lower() if text.isascii() else fold(text)
    # Every word as a name, folded (a quoted name's words too, and those in strings:
    # nextval('t_id_seq'); a false match only orders), and every quoted name as written;
    # whichever the file creates.
    keys = set(_WORD.findall(folded)) & made
    if '"' in text:
        keys.update(quoted.replace('""', '"') for quoted in _QUOTED.findall(text) if quoted in made)
    # The words before a name, outside strings (whose prose would order statements by its
    # words: "owned by support"), on the folded text: a quoted name folded with it only misses
    # an order that the lock keeps.
    for found in _NAMED.finditer(_PROSE.sub(" ", folded)):
        parts = [_part(part) for part in _PART.findall(found.group(2))]
        # COMMENT ON COLUMN [schema.]table.column names its table.
        keys.add(parts[-2] if found.group(1) == "column" and len(parts) > 1 else parts[-1])
    if creates is not None:
        keys.add(creates)
    # A name of a table's own kind (t_pkey, t_id_seq) among the names, or in a string
    # (nextval('t_id_seq')): what t's statement makes, or may take the name of.
    in_strings = {word for literal in _PROSE.findall(folded) for word in _WORD.findall(literal)} if "'" in text else ()
    for key in keys.union(in_strings):
        cut = key.find("_")
        while cut > 0:
            if key[:cut] in tables:
                keys.add(key[:cut])
            cut = key.find("_", cut + 1)
    return keys


class _Schedule:
    """The statements of one file as the lanes take them: each is ready once everything it
    waits for is done.

    A statement that names something missing is tried again once every statement before it in
    the file is done, as on one connection (where it would have failed only if it failed
    then): the name may be one the scan did not see it wait for. What waits for it waits
    through that second try. Only if that fails too is it set aside, and what waits for it
    goes on, as after a failed statement on one connection."""

    def __init__(self, waits: Sequence[Sequence[int]], lanes: int) -> None:
        self.count = len(waits)
        self._lanes = lanes
        self._left = [len(before) for before in waits]
        self._then: list[list[int]] = [[] for _ in waits]
        for index, before in enumerate(waits):
            for earlier in before:
                self._then[earlier].append(index)
        self._ready = [index for index, before in enumerate(waits) if not before]
        heapq.heapify(self._ready)
        self._again: list[int] = []  # to try again once everything before each is done
        self._done = [False] * self.count
        self._first_undone = 0
        self.aside = [False] * self.count
        self._unfinished = self.count
        self.errors: list[tuple[int, BaseException]] = []
        self._changed = threading.Condition()

    def take(self) -> tuple[list[int], bool] | None:
        """Up to :data:`BATCH` ready statements (a fair share when few are ready), or one to
        try again (then True); None when every statement is done, or a lane met an error."""
        with self._changed:
            while True:
                if self.errors:
                    return None
                if self._again and self._again[0] == self._first_undone:
                    return [heapq.heappop(self._again)], True
                if self._ready:
                    count = min(BATCH, -(-len(self._ready) // self._lanes))
                    return [heapq.heappop(self._ready) for _ in range(count)], False
                if not self._unfinished:
                    return None
                self._changed.wait()

    def finish(self, batch: Sequence[int], missing: Collection[int], again: bool) -> None:
        """``batch`` has run but for ``missing`` (which named something missing); ``again``:
        it was their second try, so they are set aside."""
        with self._changed:
            for index in batch:
                if index in missing and not again:
                    heapq.heappush(self._again, index)
                    continue
                self.aside[index] = index in missing
                self._done[index] = True
                self._unfinished -= 1
                for later in self._then[index]:
                    self._left[later] -= 1
                    if self._left[later] == 0:
                        heapq.heappush(self._ready, later)
            while self._first_undone < self.count and self._done[self._first_undone]:
                self._first_undone += 1
            self._changed.notify_all()

    def stop(self, index: int, error: BaseException) -> None:
        """A lane met ``error`` at statement ``index``: no lane takes more."""
        with self._changed:
            self.errors.append((index, error))
            self._changed.notify_all()


def run_lanes(conns: Sequence[psycopg.Connection[Any]], script: Script, order: LaneOrder) -> LaneRun:
    """Run ``script`` on ``conns`` (autocommit, each its own lane) in ``order``. Raises the
    first error met (in file order) as :class:`DeclarationError` at its file:line."""
    schedule = _Schedule(order.waits, len(conns))
    ran = [0] * len(conns)
    others = [threading.Thread(target=_lane, args=(conn, script, schedule, ran, lane), daemon=True)
              for lane, conn in enumerate(conns) if lane]
    for thread in others:
        thread.start()
    try:
        _lane(conns[0], script, schedule, ran, 0)
    finally:
        for thread in others:
            thread.join()
    if schedule.errors:
        raise min(schedule.errors, key=lambda found: found[0])[1]
    aside = [script.statements[index] for index in range(schedule.count) if schedule.aside[index]]
    return LaneRun(aside, tuple(ran))


def _lane(conn: psycopg.Connection[Any], script: Script, schedule: _Schedule, ran: list[int], lane: int) -> None:
    """One lane: take ready statements, run them, release what waited, until none are left
    (counting in ``ran[lane]`` the statements it ran)."""
    statements = script.statements
    batch: list[int] = []
    try:
        while (taken := schedule.take()) is not None:
            batch, again = taken
            ran[lane] += len(batch)
            if not again:
                try:
                    conn.execute(";\n".join(script.text_of(statements[index]) for index in batch))
                    schedule.finish(batch, (), again=False)
                    continue
                except psycopg.OperationalError as err:
                    if err.sqlstate not in _CONFLICTS:
                        raise lost(err, script) from None
                except psycopg.Error:
                    pass  # nothing of the batch was kept: find what failed one statement at a time
            missing = {index for index in batch if _one(conn, script, statements[index]) is not None}
            schedule.finish(batch, missing, again=again)
    except BaseException as err:  # handed to the caller's thread, raised there
        schedule.stop(batch[0] if batch else -1, err)


def _one(conn: psycopg.Connection[Any], script: Script, statement: Statement) -> psycopg.Error | None:
    """Run one statement (:func:`.attempt.attempt`), retrying a conflict with another lane;
    the error when it is set aside for later."""
    for retry in range(_RETRIES):
        error = attempt(conn, script, statement, passing=_CONFLICTS)
        if error is None or error.sqlstate not in _CONFLICTS:
            return error
        if retry + 1 < _RETRIES:
            time.sleep(0.01 * (retry + 1))
    assert error is not None
    raise failure(error, script, statement)


class LaneConnections:
    """The lanes' extra connections to the scratch database, opened on first use."""

    def __init__(self, opener: Callable[[], psycopg.Connection[Any]], count: int) -> None:
        self._opener = opener
        self._count = count
        self._conns: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()

    def __call__(self) -> list[psycopg.Connection[Any]]:
        """The connections, opened on the first call. One the server refuses (its connections
        all taken) is done without: the files then run on fewer, or on one, as psql's would."""
        with self._lock:
            while len(self._conns) < self._count:
                try:
                    conn = self._opener()
                except (ReconcileError, psycopg.Error):
                    self._count = len(self._conns)
                    break
                conn.prepare_threshold = None  # the files may drop what a prepared statement names
                self._conns.append(conn)
            return list(self._conns)

    def cancel(self) -> None:
        """Stop what the lanes' connections run (an interrupted load)."""
        for conn in list(self._conns):
            conn.cancel_safe()

    def __enter__(self) -> LaneConnections:
        return self

    def __exit__(self, *exc: object) -> None:
        for conn in self._conns:
            conn.close()
        self._conns.clear()

