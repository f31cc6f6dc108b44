"""Subscriptions: typed changes and their comparison.

Like publications, subscriptions belong to the database. A declared one is created or brought
to its declared form in place — everything ``ALTER SUBSCRIPTION`` can change: the connection
string, the publications, ``ENABLE`` / ``DISABLE``, the ``SET (…)`` options, the owner and the
comment. An undeclared live one is dropped only when the declarations say ``subscriptions:`` at
all (so a project that never mentions them leaves them alone).

The connection string is compared as written, password included (a changed host, port or
password is an ``ALTER SUBSCRIPTION … CONNECTION``), but never shown: plans carry it with the
password masked (``masked``, read by plan/build.py). A live connection string the reading role
may not see (None) is not compared.

Nothing planned here contacts the publisher inside the plan's transaction: publications are set
``WITH (refresh = false)``, and a subscription that has a replication slot is first disabled and
detached from it (``SET (slot_name = NONE)``) before ``DROP SUBSCRIPTION``, which would otherwise
connect to the publisher to drop the slot (and cannot run in a transaction block). The slot is
left on the publisher; the plan says so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import Change
from pgreconcile.errors import DeclarationError
from pgreconcile.model import Schema
from pgreconcile.model.keys import role_key
from pgreconcile.model.privileges import owner_differs
from pgreconcile.model.subscriptions import CONNINFO_MASK, Subscription, holds_mask, masked_conninfo


def _masked(*subs: Subscription) -> tuple[tuple[str, str], ...]:
    return tuple((s.conninfo, masked_conninfo(s.conninfo)) for s in subs
                 if s.conninfo is not None and masked_conninfo(s.conninfo) != s.conninfo)


@dataclass(frozen=True)
class CreateSubscription(Change):
    subscription: Subscription

    ACTION = Action.CREATE
    KIND = "subscription"
    ORDER_RANK = 49  # last of the database-wide objects: after the roles that own them

    @property
    def key(self) -> str:
        return self.subscription.key

    @property
    def masked(self) -> tuple[tuple[str, str], ...]:
        """(connection string, as shown) for each one holding a password (plan/build.py)."""
        return _masked(self.subscription)


@dataclass(frozen=True)
class DropSubscription(Change):
    subscription: Subscription

    ACTION = Action.DESTROY
    KIND = "subscription"
    ORDER_RANK = 47

    @property
    def key(self) -> str:
        return self.subscription.key

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # The subscriber stops receiving the publisher's changes.
        return () if self.replaces else (Hazard.REVOKES_ACCESS,)


@dataclass(frozen=True)
class AlterSubscription(Change):
    """ALTER SUBSCRIPTION: whatever differs of a subscription that stays."""

    old: Subscription
    new: Subscription

    ACTION = Action.UPDATE
    KIND = "subscription"
    ORDER_RANK = 48

    @property
    def key(self) -> str:
        return self.new.key

    @property
    def masked(self) -> tuple[tuple[str, str], ...]:
        return _masked(self.new, self.old)

    @property
    def conninfo_changed(self) -> bool:
        return _conninfo_differs(self.new, self.old)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        lost = set(self.old.publications) - set(self.new.publications)
        return (Hazard.REVOKES_ACCESS,) if lost or (self.old.enabled and not self.new.enabled) else ()


def _conninfo_differs(wanted: Subscription, current: Subscription) -> bool:
    # An unreadable live connection string (not a superuser) is not compared.
    return current.conninfo is not None and wanted.conninfo != current.conninfo


def _differs(wanted: Subscription, current: Subscription) -> bool:
    plain = dataclasses.replace(wanted, conninfo=current.conninfo)
    return plain != current or _conninfo_differs(wanted, current) or owner_differs(wanted.owner, current.owner)


def _kept_password(wanted: Subscription, current: Subscription | None) -> Subscription:
    """``wanted`` with the live connection string when it says ``password=***`` (what inspect
    writes) and is otherwise the same; a declaration error when the mask would reach the server."""
    if wanted.conninfo is None or not holds_mask(wanted.conninfo):
        return wanted
    if current is not None and current.conninfo is None:
        return wanted  # not readable, so not compared: nothing is written
    if current is not None and current.conninfo is not None and masked_conninfo(current.conninfo) == wanted.conninfo:
        return dataclasses.replace(wanted, conninfo=current.conninfo)
    doing = "created" if current is None else "given a new connection string"
    raise DeclarationError(
        f"subscription {wanted.name}: its connection string holds the masked password {CONNINFO_MASK!r} "
        f"(as inspect writes it), and it is {doing}: the server would get that password",
        where=str(wanted.origin) if wanted.origin else None,
        hint="write the real password (or leave it out and use a password file on the subscriber, passfile=…)",
    )


def compare_subscriptions(desired: Schema, live: Schema) -> list[Change]:
    """Create, alter and (when managed) drop subscriptions."""
    out: list[Change] = []
    for name, sub in sorted(desired.subscriptions.items()):
        current = live.subscriptions.get(name)
        sub = _kept_password(sub, current)
        needs = frozenset({role_key(sub.owner)}) if sub.owner else frozenset()
        if current is None:
            out.append(CreateSubscription(sub, needs=needs, creates=frozenset({sub.key})))
        elif _differs(sub, current):
            out.append(AlterSubscription(current, sub, needs=needs | {sub.key}))
    if desired.subscriptions_managed:
        for name, sub in sorted(live.subscriptions.items()):
            if name not in desired.subscriptions:
                out.append(DropSubscription(sub, removes=frozenset({sub.key})))
    return out
