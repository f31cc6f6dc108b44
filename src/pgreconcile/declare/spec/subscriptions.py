"""The language of subscriptions: top-level ``subscriptions:``, beside ``publications:``
(resolved in :mod:`pgreconcile.declare.build.subscriptions`)."""

from __future__ import annotations

from typing import Literal

from pgreconcile.declare.spec.base import Names, Spec


class SubscriptionSpec(Spec):
    """``subscriptions: {name: {connection: 'host=… dbname=…', publications: [p], …}}``: the
    options of ``CREATE SUBSCRIPTION``. ``connect: false`` creates it without contacting the
    publisher (then ``enabled`` defaults to false); ``create_slot: false`` uses a slot that
    already exists on the publisher; ``slot_name`` defaults to the subscription's name. YAML
    reads a bare ``on``/``off`` as a boolean: ``streaming: on`` is ``on``."""

    empty_hint = "a subscription needs its publisher and publications: `{connection: 'host=…', publications: [p]}`"
    connection: str
    publications: Names
    connect: bool = True
    create_slot: bool = True  # how it is created only: never read back nor compared
    enabled: bool | None = None
    slot_name: str | None = ""  # "": the subscription's name; null or NONE: no slot
    synchronous_commit: bool | str = "off"  # YAML reads a bare on/off as a boolean
    binary: bool = False
    streaming: bool | Literal["off", "on", "parallel"] | None = None  # None: the server's default
    two_phase: bool = False
    disable_on_error: bool = False
    origin: Literal["any", "none"] = "any"
    password_required: bool = True
    run_as_owner: bool = False
    failover: bool = False
    comment: str | None = None
    owner: str | None = None  # compared only when written
