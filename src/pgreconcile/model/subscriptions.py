"""Logical replication subscriptions (``CREATE SUBSCRIPTION``).

A subscription belongs to one database (``pg_subscription.subdbid``), not to a schema, and is
named alone, like a publication. Its publications are the publisher's: nothing here orders it
after a local publication of the same name.

``conninfo`` is the connection string to the publisher as written; it may hold a password,
which must never be shown or stored: :func:`masked_conninfo` is what plans, inspect output,
saved plans and errors carry instead (see plan/build.py and apply/runner.py for how the real
text reaches the server and nothing else). Live, ``conninfo`` is None when the reading role may
not read ``pg_subscription.subconninfo`` (only superusers and roles granted the column may):
it is then not compared.

Options left at the server's default compare equal to it: ``streaming`` None is the major's
default (``off`` before PostgreSQL 18, ``parallel`` from 18 on; plan/server_support.py turns a
declared default into None and refuses what the server's major lacks). ``publisher_origin`` is
the ``origin`` option (``any`` or ``none``), named apart from ``origin``, where it was declared.

``connect`` is a creation option only (never read back, never compared): False creates the
subscription without contacting the publisher, as ``WITH (connect = false)``. A subscription
without a slot (``slot_name`` None, ``slot_name = NONE``) is always created that way.
``create_slot`` is one too: False connects but uses a replication slot that already exists on
the publisher (``WITH (create_slot = false)``), which PostgreSQL also accepts in a transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pgreconcile.model.keys import subscription_key
from pgreconcile.model.origin import Origin

# What a password in a connection string becomes wherever people can see it.
CONNINFO_MASK = "***"

# password=… in key=value conninfo: a single-quoted value (backslash escapes inside) or a bare word.
_KV_PASSWORD = re.compile(r"(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)")
# A URI's user:password@ and its ?password= / &password= parameter.
# (Up to the last @: an unencoded password may hold one; masking too much leaks nothing.)
_URI_USERINFO = re.compile(r"(?i)^(\s*postgres(?:ql)?://[^/?#@:]*:)(.*)(@)")
_URI = re.compile(r"(?i)\s*postgres(?:ql)?://")
_URI_PASSWORD = re.compile(r"(?i)([?&]password=)([^&]*)")

# Server defaults of the options (``streaming`` depends on the major: see the module docstring).
DEFAULT_SYNCHRONOUS_COMMIT = "off"
# `slot_name: NONE` (or null) in the declarations: a subscription without a replication slot.
# PostgreSQL reads the word in any case as NONE, so it names no slot. (Here, not in the
# language, so that inspect's writers import no pydantic.)
NO_SLOT = "NONE"
DEFAULT_PUBLISHER_ORIGIN = "any"
STREAMING_VALUES = ("off", "on", "parallel")


def streaming_default(server_version: int) -> str:
    """What ``streaming`` is when CREATE SUBSCRIPTION does not say (parallel from 18 on)."""
    return "parallel" if server_version >= 180000 else "off"


def masked_conninfo(conninfo: str) -> str:
    """``conninfo`` with any password replaced by ``***`` (key=value and URI forms)."""
    if _URI.match(conninfo):
        text = _URI_USERINFO.sub(lambda m: m.group(1) + CONNINFO_MASK + m.group(3), conninfo)
        return _URI_PASSWORD.sub(lambda m: m.group(1) + CONNINFO_MASK, text)
    return _KV_PASSWORD.sub(lambda m: m.group(1) + CONNINFO_MASK, conninfo)


def holds_mask(conninfo: str) -> bool:
    """Whether ``conninfo``'s password is the mask itself (as inspect writes it): a declaration
    that keeps whatever password the live subscription has."""
    return masked_conninfo(conninfo) == conninfo and _MASKED.search(conninfo) is not None


_MASKED = re.compile(r"(?i)(\bpassword\s*=\s*|://[^/?#@]*?:)" + re.escape(CONNINFO_MASK) + r"(?=$|[\s&@])")


def has_password(conninfo: str) -> bool:
    """Whether ``conninfo`` holds a password (so showing it as written would leak one)."""
    return masked_conninfo(conninfo) != conninfo


@dataclass(frozen=True, slots=True)
class Subscription:
    """One subscription. ``publications`` are sorted; ``slot_name`` None is ``NONE``."""

    name: str
    conninfo: str | None
    publications: tuple[str, ...]
    enabled: bool = True
    slot_name: str | None = None
    synchronous_commit: str = DEFAULT_SYNCHRONOUS_COMMIT
    binary: bool = False
    streaming: str | None = None
    two_phase: bool = False
    disable_on_error: bool = False
    publisher_origin: str = DEFAULT_PUBLISHER_ORIGIN
    password_required: bool = True
    run_as_owner: bool = False
    failover: bool = False
    comment: str | None = None
    origin: Origin | None = field(default=None, compare=False)
    # None in a declaration: whoever owns it (not compared); compared alone when declared.
    owner: str | None = field(default=None, compare=False)
    connect: bool = field(default=True, compare=False)
    create_slot: bool = field(default=True, compare=False)
    # What ``streaming`` None stands for on the server planned against (set with it).
    streaming_default: str = field(default="off", compare=False)
    # Live: whether the server can change ``two_phase`` of an existing subscription (ALTER
    # SUBSCRIPTION … SET (two_phase), PostgreSQL 18+); see diff/subscriptions.py.
    two_phase_alterable: bool = field(default=False, compare=False)

    @property
    def key(self) -> str:
        return subscription_key(self.name)

    @property
    def shown_conninfo(self) -> str:
        """The connection string as people may see it (password masked; ``?`` when unreadable)."""
        return "?" if self.conninfo is None else masked_conninfo(self.conninfo)
