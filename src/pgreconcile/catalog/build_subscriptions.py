"""Rows of ``queries/subscriptions.sql`` → subscriptions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pgreconcile.model.subscriptions import Subscription

# substream as text: a boolean before PostgreSQL 16 ('true'/'false'), a "char" since ('f'/'t'/'p').
_STREAMING = {"false": "off", "f": "off", "true": "on", "t": "on", "p": "parallel"}


def subscriptions(rows: Iterable[Sequence[Any]], notes: list[str]) -> dict[str, Subscription]:
    """Every subscription of the database by name; a note when their connection strings could
    not be read (the role is not a superuser), since they are then not compared."""
    found: dict[str, Subscription] = {}
    for (name, conninfo, publications, enabled, slot_name, synchronous_commit, binary, stream,
         two_phase, disable_on_error, publisher_origin, password_required, run_as_owner, failover,
         streaming_default, two_phase_alterable, comment, owner) in rows:
        streaming = _STREAMING.get(stream, stream)
        found[name] = Subscription(
            name, conninfo, tuple(publications), enabled=enabled, slot_name=slot_name,
            synchronous_commit=synchronous_commit, binary=binary,
            streaming=None if streaming == streaming_default else streaming,
            two_phase=two_phase, disable_on_error=disable_on_error, publisher_origin=publisher_origin,
            password_required=password_required, run_as_owner=run_as_owner, failover=failover,
            comment=comment, owner=owner, streaming_default=streaming_default,
            two_phase_alterable=two_phase_alterable,
        )
    note = hidden_note(found)
    if note:
        notes.append(note)
    return found


def hidden_note(subscriptions: dict[str, Subscription]) -> str | None:
    """What to tell about subscriptions whose connection strings the reading role could not read."""
    hidden = sorted(name for name, sub in subscriptions.items() if sub.conninfo is None)
    if not hidden:
        return None
    return (f"subscription {', '.join(hidden)}: the connection string is readable by superusers only, so it is "
            "not compared (the other options are); plan as a superuser to manage it")
