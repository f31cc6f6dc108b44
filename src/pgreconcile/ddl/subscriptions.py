"""SQL of subscriptions (see :mod:`pgreconcile.diff.subscriptions`).

The connection string is written as a literal here, password and all: plan/build.py masks it in
everything shown or saved, and only the in-memory statements carry it to the server.
"""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.subscriptions import AlterSubscription, CreateSubscription, DropSubscription
from pgreconcile.model.subscriptions import (
    DEFAULT_PUBLISHER_ORIGIN,
    DEFAULT_SYNCHRONOUS_COMMIT,
    Subscription,
)
from pgreconcile.quoting import ident, ident_list, literal


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _slot(sub: Subscription) -> str:
    return "NONE" if sub.slot_name is None else literal(sub.slot_name)


def _settable(sub: Subscription, old: Subscription | None) -> list[str]:
    """``name = value`` of the options ALTER SUBSCRIPTION … SET takes, where they differ from
    ``old`` (from the defaults when creating: ``old`` None)."""
    def changed(value: object, current: object, default: object) -> bool:
        return value != (default if old is None else current)

    out = []
    if old is not None and sub.slot_name != old.slot_name:
        out.append(f"slot_name = {_slot(sub)}")
    if changed(sub.synchronous_commit, old and old.synchronous_commit, DEFAULT_SYNCHRONOUS_COMMIT):
        out.append(f"synchronous_commit = {literal(sub.synchronous_commit)}")
    if changed(sub.binary, old and old.binary, False):
        out.append(f"binary = {_bool(sub.binary)}")
    if sub.streaming != (None if old is None else old.streaming):
        # None is the server's default, which only CREATE can leave unsaid.
        out.append(f"streaming = {sub.streaming or sub.streaming_default}")
    if changed(sub.two_phase, old and old.two_phase, False):
        out.append(f"two_phase = {_bool(sub.two_phase)}")
    if changed(sub.disable_on_error, old and old.disable_on_error, False):
        out.append(f"disable_on_error = {_bool(sub.disable_on_error)}")
    if changed(sub.publisher_origin, old and old.publisher_origin, DEFAULT_PUBLISHER_ORIGIN):
        out.append(f"origin = {literal(sub.publisher_origin)}")
    if changed(sub.password_required, old and old.password_required, True):
        out.append(f"password_required = {_bool(sub.password_required)}")
    if changed(sub.run_as_owner, old and old.run_as_owner, False):
        out.append(f"run_as_owner = {_bool(sub.run_as_owner)}")
    if changed(sub.failover, old and old.failover, False):
        out.append(f"failover = {_bool(sub.failover)}")
    return out


def definition(sub: Subscription) -> str:
    """``CREATE SUBSCRIPTION`` with the options that are not the defaults. A subscription
    without a slot, or declared ``connect: false``, is created without contacting the publisher."""
    options = []
    offline = not sub.connect or sub.slot_name is None
    if offline:
        options.append("connect = false")  # then created disabled: CreateSubscription enables it after
    else:
        if not sub.create_slot:
            options.append("create_slot = false")  # the slot exists on the publisher already
        if not sub.enabled:
            options.append("enabled = false")
    if sub.slot_name != sub.name:
        options.append(f"slot_name = {_slot(sub)}")
    options += _settable(sub, None)
    text = (f"CREATE SUBSCRIPTION {ident(sub.name)} CONNECTION {literal(sub.conninfo or '')} "
            f"PUBLICATION {ident_list(sub.publications)}")
    return text + (f" WITH ({', '.join(options)})" if options else "")


@statements.register
def _(change: CreateSubscription) -> list[str]:
    sub = change.subscription
    out = [definition(sub)]
    if sub.enabled and not sub.connect:
        out.append(f"ALTER SUBSCRIPTION {ident(sub.name)} ENABLE")  # connect = false creates it disabled
    if sub.comment is not None:
        out.append(f"COMMENT ON SUBSCRIPTION {ident(sub.name)} IS {literal(sub.comment)}")
    if sub.owner is not None:
        out.append(f"ALTER SUBSCRIPTION {ident(sub.name)} OWNER TO {ident(sub.owner)}")
    return out


@statements.register
def _(change: DropSubscription) -> list[str]:
    sub = change.subscription
    name = ident(sub.name)
    out = []
    if sub.slot_name is not None:
        # DROP SUBSCRIPTION would connect to the publisher to drop the slot (and refuses to run
        # in a transaction block): detach it first; the slot stays on the publisher.
        if sub.enabled:
            out.append(f"ALTER SUBSCRIPTION {name} DISABLE")
        out.append(f"ALTER SUBSCRIPTION {name} SET (slot_name = NONE)")
    return [*out, f"DROP SUBSCRIPTION {name}"]


@statements.register
def _(change: AlterSubscription) -> list[str]:
    old, new = change.old, change.new
    name = ident(new.name)
    out = []
    # PostgreSQL 18 changes two_phase of a disabled subscription only: disabled around it.
    cycled = old.enabled and new.two_phase != old.two_phase
    if old.enabled and (not new.enabled or cycled):
        out.append(f"ALTER SUBSCRIPTION {name} DISABLE")  # first: slot_name = NONE needs it
    if change.conninfo_changed:
        out.append(f"ALTER SUBSCRIPTION {name} CONNECTION {literal(new.conninfo or '')}")
    if new.publications != old.publications:
        # refresh = true would connect to the publisher to fetch the new tables.
        out.append(f"ALTER SUBSCRIPTION {name} SET PUBLICATION {ident_list(new.publications)} WITH (refresh = false)")
    options = _settable(new, old)
    if options:
        out.append(f"ALTER SUBSCRIPTION {name} SET ({', '.join(options)})")
    if new.enabled and (not old.enabled or cycled):
        out.append(f"ALTER SUBSCRIPTION {name} ENABLE")  # last: with its slot set
    if new.owner is not None and new.owner != old.owner:
        out.append(f"ALTER SUBSCRIPTION {name} OWNER TO {ident(new.owner)}")
    if new.comment != old.comment:
        out.append(f"COMMENT ON SUBSCRIPTION {name} IS {literal(new.comment)}")
    return out
