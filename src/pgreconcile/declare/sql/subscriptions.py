"""Subscription statements of SQL declaration files, read here instead of run.

Every other statement of the files runs in the scratch database (:mod:`.source`). A
subscription's must not: ``CREATE SUBSCRIPTION`` connects to the publisher to create a
replication slot unless told ``connect = false``, ``ALTER SUBSCRIPTION … ENABLE`` starts a
worker that does, ``REFRESH PUBLICATION`` and ``DROP SUBSCRIPTION`` of one with a slot do too —
and a plan must never touch a publisher. So :func:`take_subscriptions` cuts them out of each file
before it runs, and :func:`declared_subscriptions` plays them in file order on a small state:
``CREATE``, ``ALTER`` (``CONNECTION``, ``SET``/``ADD``/``DROP PUBLICATION``, ``SET (…)``,
``ENABLE``/``DISABLE``, ``OWNER TO``, ``RENAME TO``; ``REFRESH`` and ``SKIP`` change nothing
declared), ``DROP`` and ``COMMENT ON SUBSCRIPTION``. What comes out is built by the same function
as a YAML declaration (:func:`pgreconcile.declare.build.subscriptions.make_subscription`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.sql.script import Script, Statement, Token, TokenKind, parse_script
from pgreconcile.model.origin import Origin
from pgreconcile.model.subscriptions import Subscription

# Roles ``OWNER TO`` may name by a keyword: the role running the files, whose objects keep
# whoever owns them on the target (as for every other kind).
_ROLE_KEYWORDS = frozenset({"current_user", "current_role", "session_user"})


@dataclass(frozen=True, slots=True)
class Taken:
    """One subscription statement cut out of a file, where it was."""

    file: str
    line: int
    tokens: tuple[Token, ...]


def _is_subscription(statement: Statement) -> bool:
    words = statement.words(3)
    return (words[1:2] == ("subscription",) and words[0] in ("create", "alter", "drop")) or words == (
        "comment", "on", "subscription")


def take_subscriptions(script: Script) -> tuple[Script, list[Taken]]:
    """``script`` without its subscription statements (blanked out, so lines stay where they
    were), and those statements in order."""
    taken = [s for s in script.statements if _is_subscription(s)]
    if not taken:
        return script, []
    text = script.text
    for statement in reversed(taken):
        blank = re.sub(r"[^\n]", " ", text[statement.start:statement.end])
        text = text[:statement.start] + blank + text[statement.end:]
    found = [Taken(script.file, script.line_of(s.start), s.tokens) for s in taken]
    return parse_script(text, script.file), found


@dataclass
class _State:
    """A subscription as the statements so far leave it."""

    origin: Origin
    conninfo: str
    publications: list[str]
    options: dict[str, Any] = field(default_factory=dict)


class _Reader:
    """The tokens of one statement, read left to right."""

    def __init__(self, taken: Taken) -> None:
        self.tokens = taken.tokens
        self.at = 0

    def peek(self, *words: str) -> bool:
        return self.at < len(self.tokens) and self.tokens[self.at].is_word(*words)

    def take(self, *words: str) -> bool:
        if self.peek(*words):
            self.at += 1
            return True
        return False

    def done(self) -> bool:
        return self.at >= len(self.tokens)

    def name(self) -> str:
        if self.done() or not self.tokens[self.at].is_name:
            raise ValueError("a name was expected")
        self.at += 1
        return self.tokens[self.at - 1].text

    def names(self) -> list[str]:
        out = [self.name()]
        while self.at < len(self.tokens) and self.tokens[self.at].text == ",":
            self.at += 1
            out.append(self.name())
        return out

    def string(self) -> str:
        if self.done() or self.tokens[self.at].kind is not TokenKind.STRING:
            raise ValueError("a quoted string was expected")
        self.at += 1
        return string_value(self.tokens[self.at - 1].text)

    def options(self) -> dict[str, Any]:
        """``( name [= value], … )`` (a name alone is true)."""
        if self.done() or self.tokens[self.at].text != "(":
            raise ValueError("( was expected")
        self.at += 1
        out: dict[str, Any] = {}
        while not self.done() and self.tokens[self.at].text != ")":
            key = self.name()
            value: Any = True
            if not self.done() and self.tokens[self.at].text == "=":
                self.at += 1
                value = _option_value(self.tokens[self.at])
                self.at += 1
            out[key] = value
            if not self.done() and self.tokens[self.at].text == ",":
                self.at += 1
        self.at += 1
        return out


def string_value(raw: str) -> str:
    """The value of a string literal token as written (``'…'``, ``E'…'``, ``$$…$$``)."""
    if raw.startswith("$"):
        tag = raw[: raw.index("$", 1) + 1]
        return raw[len(tag):-len(tag)]
    if raw[:1] in "eE":
        body = raw[2:-1].replace("''", "'")
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), body)
    return raw[1:-1].replace("''", "'")


_BOOLEANS = {"true": True, "on": True, "false": False, "off": False}


def _option_value(token: Token) -> Any:
    if token.kind is TokenKind.STRING:
        text = string_value(token.text)
        return _BOOLEANS.get(text.lower(), text)
    if token.kind is TokenKind.WORD:
        if token.text == "none":
            return None
        return _BOOLEANS.get(token.text, token.text)
    if token.kind is TokenKind.QUOTED:
        return token.text
    return {"1": True, "0": False}.get(token.text, token.text)


# Options of CREATE and SET (…) that declare nothing lasting: how the subscription is created.
_CREATION_ONLY = frozenset({"create_slot", "copy_data", "refresh"})
# Every option read (an unknown one is an error, as PostgreSQL makes it).
_KNOWN = _CREATION_ONLY | frozenset({
    "connect", "enabled", "slot_name", "synchronous_commit", "binary", "streaming", "two_phase",
    "disable_on_error", "origin", "password_required", "run_as_owner", "failover"})


def _lasting(options: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(options) - _KNOWN)
    if unknown:
        raise ValueError(f"unrecognized subscription parameter {unknown[0]!r}")
    return {k: v for k, v in options.items() if k not in _CREATION_ONLY}


def declared_subscriptions(taken: Sequence[Taken], reader: str | None, problems: Problems) -> dict[str, Subscription]:
    """What the statements leave, by name. ``reader`` is the role the files ran as: an
    ``OWNER TO`` it declares no owner. Each statement that cannot be read is a problem at its line."""
    # Imported here: the language (pydantic) is not needed until the files ran (declare/files.py).
    from pgreconcile.declare.build.subscriptions import make_subscription

    states: dict[str, _State] = {}
    for statement in taken:
        try:
            _play(statement, states)
        except (ValueError, IndexError) as err:
            problems.add(f"cannot read this subscription statement: {err}", statement.file, statement.line,
                         "write it as PostgreSQL's documentation spells CREATE / ALTER / DROP / COMMENT ON")
    out: dict[str, Subscription] = {}
    for name, state in sorted(states.items()):
        options = dict(state.options)
        if "owner" in options and options["owner"] in (reader, *_ROLE_KEYWORDS):
            del options["owner"]
        out[name] = make_subscription(name, state.conninfo, state.publications, options, state.origin, problems)
    return out


def _play(taken: Taken, states: dict[str, _State]) -> None:
    r = _Reader(taken)
    verb = r.tokens[0].text
    if verb == "comment":
        r.at = 3
        name = r.name()
        state = _existing(states, name, taken)
        if not r.take("is"):
            raise ValueError("IS was expected")
        comment = None if r.take("null") else r.string()
        state.options["comment"] = comment
        return
    r.at = 2
    if verb == "drop":
        missing_ok = r.take("if") and r.take("exists")
        name = r.name()
        if name not in states and not missing_ok:
            raise ValueError(f"subscription {name} does not exist here")
        states.pop(name, None)
        return
    name = r.name()
    if verb == "create":
        if name in states:
            raise ValueError(f"subscription {name} already exists")
        if not r.take("connection"):
            raise ValueError("CONNECTION was expected")
        conninfo = r.string()
        if not r.take("publication"):
            raise ValueError("PUBLICATION was expected")
        publications = r.names()
        options = r.options() if r.take("with") else {}
        if options.get("connect") is False and options.get("enabled") is True:
            raise ValueError("connect = false and enabled = true are mutually exclusive options")
        state = _State(Origin(taken.file, taken.line), conninfo, publications)
        state.options.update(_lasting(options))
        if "create_slot" in options:  # how it is created (an existing slot), kept for that
            state.options["create_slot"] = options["create_slot"]
        states[name] = state
        return
    state = _existing(states, name, taken)
    if r.take("connection"):
        state.conninfo = r.string()
    elif r.take("set"):
        if r.take("publication"):
            state.publications = r.names()
        else:
            state.options.update(_lasting(r.options()))
    elif r.take("add"):
        r.take("publication")
        state.publications += [p for p in r.names() if p not in state.publications]
    elif r.peek("drop"):
        r.at += 1
        r.take("publication")
        dropped = set(r.names())
        state.publications = [p for p in state.publications if p not in dropped]
    elif r.take("enable"):
        state.options["enabled"] = True
    elif r.take("disable"):
        state.options["enabled"] = False
    elif r.take("owner"):
        r.take("to")
        state.options["owner"] = r.name()
    elif r.take("rename"):
        r.take("to")
        new = r.name()
        state.options.setdefault("slot_name", name)  # the slot keeps the name it was created with
        states[new] = dataclasses.replace(state)
        del states[name]
    elif not (r.peek("refresh") or r.peek("skip")):
        raise ValueError("an ALTER SUBSCRIPTION action was expected")


def _existing(states: dict[str, _State], name: str, taken: Taken) -> _State:
    if name not in states:
        raise ValueError(f"subscription {name} is not created before this statement")
    return states[name]
