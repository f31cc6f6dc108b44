"""Compare event triggers: database-wide, managed when declared or when their function lives in
a managed schema.

A declared one is created; ENABLE/DISABLE, the comment and a declared owner change in place; a
new event, tags or function — or its function re-created by the plan — re-create it. An
undeclared one whose function lives in a managed schema is dropped.
"""

from __future__ import annotations

from pgreconcile.diff.changes import Change
from pgreconcile.diff.routine_changes import AlterEventTrigger, CreateEventTrigger, DropEventTrigger
from pgreconcile.model import Schema
from pgreconcile.model.keys import function_name_key
from pgreconcile.model.privileges import owner_differs


def compare_event_triggers(desired: Schema, live: Schema, recreated: frozenset[str]) -> list[Change]:
    """The event trigger changes; ``recreated``: the keys of the functions the plan re-creates."""
    out: list[Change] = []
    for name, wanted in sorted(desired.event_triggers.items()):
        current = live.event_triggers.get(name)
        needs = frozenset({wanted.function_key, function_name_key(wanted.function[1])})
        creates = frozenset({wanted.key})
        if current is None:
            out.append(CreateEventTrigger(wanted, needs=needs, creates=creates))
            continue
        function_recreated = current.function_key in recreated
        changed = (wanted.event, wanted.tags, wanted.function) != (current.event, current.tags, current.function)
        if changed or function_recreated:
            reason = "re-created: " + ("its function is re-created" if function_recreated
                                       else "its event, tags or function change")
            live_needs = frozenset({current.function_key, function_name_key(current.function[1])})
            out.append(DropEventTrigger(current, replaces=True, reason=reason, removes=creates, live_needs=live_needs))
            out.append(CreateEventTrigger(wanted, replaces=True, reason=reason, needs=needs, creates=creates))
        elif ((wanted.enabled, wanted.comment) != (current.enabled, current.comment)
              or owner_differs(wanted.owner, current.owner)):
            out.append(AlterEventTrigger(wanted, current, needs=frozenset({wanted.key})))
    for name, current in sorted(live.event_triggers.items()):
        if name not in desired.event_triggers and current.function[0] in desired.managed:
            live_needs = frozenset({current.function_key, function_name_key(current.function[1])})
            out.append(DropEventTrigger(current, removes=frozenset({current.key}), live_needs=live_needs))
    return out


