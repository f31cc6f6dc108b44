"""Labels of subscription changes. A connection string is shown with its password masked
(model/subscriptions.py); a change of the password alone says only that it changes."""

from __future__ import annotations

from pgreconcile.diff.subscriptions import AlterSubscription, CreateSubscription, DropSubscription
from pgreconcile.model.subscriptions import Subscription
from pgreconcile.plan.describe import describe
from pgreconcile.quoting import ident, literal

Label = tuple[str, tuple[str, ...]]


def _slot(sub: Subscription) -> str:
    return "none" if sub.slot_name is None else sub.slot_name


def _options(sub: Subscription) -> dict[str, str]:
    """Every option as the plan names it, for showing what differs."""
    return {
        "enabled": str(sub.enabled).lower(), "slot": _slot(sub), "synchronous_commit": sub.synchronous_commit,
        "binary": str(sub.binary).lower(), "streaming": sub.streaming or f"{sub.streaming_default} (default)",
        "two_phase": str(sub.two_phase).lower(), "disable_on_error": str(sub.disable_on_error).lower(),
        "origin": sub.publisher_origin, "password_required": str(sub.password_required).lower(),
        "run_as_owner": str(sub.run_as_owner).lower(), "failover": str(sub.failover).lower(),
    }


def summary(sub: Subscription) -> str:
    """``subscription s to publications a, b at 'host=… password=***' (disabled, slot none)``."""
    state = "enabled" if sub.enabled else "disabled"
    return (f"subscription {sub.name} to publication{'s' if len(sub.publications) != 1 else ''} "
            f"{', '.join(sub.publications)} at {literal(sub.shown_conninfo)} ({state}, slot {_slot(sub)})")


@describe.register
def _(c: CreateSubscription) -> Label:
    sub = c.subscription
    if not c.connects:
        return summary(sub) + ", created without connecting to the publisher", ()
    if not sub.create_slot:
        return (summary(sub) + f"; apply connects to the publisher to use its existing replication slot "
                f"{sub.slot_name} and copy the tables' rows (waits at most the statement timeout when the "
                "publisher does not answer)"), ()
    return (summary(sub) + f"; apply connects to the publisher to create the replication slot {sub.slot_name} and "
            "copy the tables' rows, after the transaction commits (waits at most the statement timeout "
            "when the publisher does not answer)"), ()


@describe.register
def _(c: DropSubscription) -> Label:
    sub = c.subscription
    if sub.slot_name is None:
        return summary(sub), ()
    return (f"{summary(sub)}; its replication slot {sub.slot_name} is detached first and stays on the publisher "
            "(drop it there with pg_drop_replication_slot once nothing needs it)"), ()


def _not_refreshed(sub: Subscription) -> str:
    """What SET PUBLICATION … WITH (refresh = false) leaves to do, and how (the plan never
    contacts the publisher for it)."""
    when = "" if sub.enabled else ", once it is enabled"
    return ("tables not refreshed: the new publications' tables are not subscribed and the dropped ones' stay "
            f"listed until you run ALTER SUBSCRIPTION {ident(sub.name)} REFRESH PUBLICATION{when} — it contacts "
            "the publisher and copies the new tables' rows unless WITH (copy_data = false)")


def changes(c: AlterSubscription) -> list[str]:
    """Each difference, old → new (a connection string masked; a password alone unsaid)."""
    old, new = c.old, c.new
    out = []
    if c.conninfo_changed:
        if old.shown_conninfo == new.shown_conninfo:
            out.append("connection: the password changes")
        else:
            out.append(f"connection {literal(old.shown_conninfo)} → {literal(new.shown_conninfo)}")
    if old.publications != new.publications:
        out.append(f"publications {', '.join(old.publications)} → {', '.join(new.publications)} "
                   f"({_not_refreshed(new)})")
    was, now = _options(old), _options(new)
    out += [f"{name} {was[name]} → {now[name]}" for name in now if was[name] != now[name]]
    if old.enabled and old.two_phase != new.two_phase:
        out.append("disabled and enabled again around the two_phase change (PostgreSQL changes it on a disabled "
                   "subscription only)")
    if new.owner is not None and new.owner != old.owner:
        out.append(f"owner {old.owner} → {new.owner}")
    if new.comment != old.comment:
        out.append(f"comment {'none' if old.comment is None else literal(old.comment)} → "
                   f"{'none' if new.comment is None else literal(new.comment)}")
    return out


@describe.register
def _(c: AlterSubscription) -> Label:
    return f"subscription {c.new.name}: " + "; ".join(changes(c)), ()
