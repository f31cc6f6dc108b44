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
``WITH (refresh = false)`` (the plan says how to refresh), and a subscription that has a
replication slot is first disabled and detached from it (``SET (slot_name = NONE)``) before
``DROP SUBSCRIPTION``, which would otherwise connect to the publisher to drop the slot (and
cannot run in a transaction block). The slot is left on the publisher; the plan says so. The
one step that does contact it is creating a subscription that connects (``connect`` true, with
a slot): ``CREATE SUBSCRIPTION`` then creates the slot on the publisher, which PostgreSQL
refuses inside a transaction block, so the step runs after the commit, on its own, bounded by
apply's statement timeout — and the plan says so.

Two options cannot always change in place, and the plan refuses with what to do rather than fail
at apply. ``two_phase``: before PostgreSQL 18 no ``ALTER SUBSCRIPTION`` changes it; from 18 on,
turning it on is an ``ALTER`` of a disabled subscription (the plan disables and enables it around
it), but turning it off alters the replication slot on the publisher, which cannot run in a
transaction. ``failover`` (17+) alters the slot on the publisher in either direction. Re-creating
the subscription instead would lose what it knows of each table (synchronized or not) and its
replication progress: not done for an option.
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
from pgreconcile.quoting import ident


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
    def connects(self) -> bool:
        """Whether creating it contacts the publisher (to create its slot and copy the tables)."""
        return self.subscription.connect and self.subscription.slot_name is not None

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # PostgreSQL refuses to create the slot inside a transaction block: after the commit.
        # (Connecting to use a slot that exists, create_slot = false, it accepts in one.)
        return (Hazard.NOT_TRANSACTIONAL,) if self.connects and self.subscription.create_slot else ()

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


def _not_in_place(wanted: Subscription, current: Subscription) -> str | None:
    """Why ``current`` cannot become ``wanted`` by apply (see the module docstring), with what to
    do instead; None when it can."""
    name = wanted.name
    where = f" ({wanted.origin})" if wanted.origin else ""
    quoted = ident(name)
    if wanted.two_phase != current.two_phase:
        change = f"subscription {name}: two_phase {_on(current.two_phase)} → {_on(wanted.two_phase)}{where}"
        if not current.two_phase_alterable:
            return (f"{change}: PostgreSQL before 18 cannot change two_phase of an existing subscription "
                    "(ALTER SUBSCRIPTION … SET (two_phase) came in 18), and pgreconcile does not re-create it "
                    "for an option: that would lose its tables' synchronization state and its replication "
                    f"progress. Declare two_phase: {_on(current.two_phase)} (the live value), or drop and create "
                    "the subscription yourself")
        if not wanted.two_phase:
            return (f"{change}: turning two_phase off alters the replication slot on the publisher, which apply "
                    "never contacts (and PostgreSQL cannot do inside the plan's transaction). Run "
                    f"ALTER SUBSCRIPTION {quoted} DISABLE; ALTER SUBSCRIPTION {quoted} SET (two_phase = false); "
                    f"ALTER SUBSCRIPTION {quoted} ENABLE yourself (the publisher must be reachable), or declare "
                    "two_phase: true")
    if wanted.failover != current.failover:
        return (f"subscription {name}: failover {_on(current.failover)} → {_on(wanted.failover)}{where}: "
                "changing failover alters the replication slot on the publisher, which apply never contacts "
                "(and PostgreSQL cannot do inside the plan's transaction). Run "
                f"ALTER SUBSCRIPTION {quoted} DISABLE; ALTER SUBSCRIPTION {quoted} SET (failover = "
                f"{_on(wanted.failover)}); ALTER SUBSCRIPTION {quoted} ENABLE yourself (the publisher must be "
                f"reachable), or declare failover: {_on(current.failover)}")
    return None


def _on(value: bool) -> str:
    return "true" if value else "false"


def compare_subscriptions(desired: Schema, live: Schema) -> tuple[list[Change], list[str]]:
    """Create, alter and (when managed) drop subscriptions; refusals for what cannot change in
    place (two_phase before 18 or turned off, failover)."""
    out: list[Change] = []
    refusals: list[str] = []
    for name, sub in sorted(desired.subscriptions.items()):
        current = live.subscriptions.get(name)
        sub = _kept_password(sub, current)
        needs = frozenset({role_key(sub.owner)}) if sub.owner else frozenset()
        if current is None:
            out.append(CreateSubscription(sub, needs=needs, creates=frozenset({sub.key})))
        elif _differs(sub, current):
            why = _not_in_place(sub, current)
            if why is not None:
                refusals.append(why)
                continue
            out.append(AlterSubscription(current, sub, needs=needs | {sub.key}))
    if desired.subscriptions_managed:
        for name, sub in sorted(live.subscriptions.items()):
            if name not in desired.subscriptions:
                out.append(DropSubscription(sub, removes=frozenset({sub.key})))
    return out, refusals
