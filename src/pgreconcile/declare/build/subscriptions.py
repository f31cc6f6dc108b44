"""Declared subscriptions (YAML, Python, SQL files) → model objects.

One function checks and builds a subscription from its options whatever the source: the YAML
keys and the ``WITH (…)`` options of ``CREATE SUBSCRIPTION`` have the same names (``origin``
is the option; ``connection`` is ``CONNECTION``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.spec.subscriptions import SubscriptionSpec
from pgreconcile.model.origin import Origin
from pgreconcile.model.subscriptions import NO_SLOT, STREAMING_VALUES, Subscription

_NO_SLOT_HINT = "a subscription without a slot is created disabled: write `enabled: false` (or give it a slot)"


def streaming_value(value: object) -> str | None:
    """``streaming`` as the model holds it: YAML's booleans are ``on`` / ``off``."""
    if value is None or isinstance(value, str):
        return value
    return "on" if value else "off"


def _setting(value: object) -> str:
    """``synchronous_commit`` as the catalog holds it: YAML's and SQL's booleans are ``on`` / ``off``."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def make_subscription(
    name: str, conninfo: str, publications: Sequence[str], options: Mapping[str, Any], origin: Origin | None,
    problems: Problems,
) -> Subscription:
    """A subscription from ``options`` (only those given; the rest take the server's defaults),
    with a problem at ``origin`` for each combination ``CREATE SUBSCRIPTION`` would refuse."""
    connect = bool(options.get("connect", True))
    slot = options.get("slot_name", name)
    # PostgreSQL reads slot_name = 'none' (any case, quoted or not) as NONE too.
    slot_name = None if slot is None or str(slot).lower() == NO_SLOT.lower() else str(slot)
    enabled = options.get("enabled")
    if enabled is None:
        enabled = connect and slot_name is not None
    elif enabled and slot_name is None:
        problems.at(origin, f"subscription {name}: slot_name = NONE cannot be enabled", _NO_SLOT_HINT)
    if not publications:
        problems.at(origin, f"subscription {name}: no publication", "name at least one of the publisher's publications")
    streaming = streaming_value(options.get("streaming"))
    if streaming is not None and streaming not in STREAMING_VALUES:
        problems.at(origin, f"subscription {name}: streaming {streaming!r} is not one of {', '.join(STREAMING_VALUES)}")
    return Subscription(
        name, conninfo, tuple(sorted(set(publications))), enabled=bool(enabled), slot_name=slot_name,
        synchronous_commit=_setting(options.get("synchronous_commit", "off")),
        binary=bool(options.get("binary", False)),
        streaming=streaming, two_phase=bool(options.get("two_phase", False)),
        disable_on_error=bool(options.get("disable_on_error", False)),
        # `origin = none` unquoted reads as the word NONE (None), like slot_name's.
        publisher_origin=str(options.get("origin", "any") or "none").lower(),
        password_required=bool(options.get("password_required", True)),
        run_as_owner=bool(options.get("run_as_owner", False)), failover=bool(options.get("failover", False)),
        comment=options.get("comment"), owner=options.get("owner"), origin=origin, connect=connect,
        create_slot=bool(options.get("create_slot", True)),
    )


def _from_spec(name: str, spec: SubscriptionSpec, origin: Origin, problems: Problems) -> Subscription:
    options = {key: getattr(spec, key) for key in spec.model_fields_set if key not in ("connection", "publications")}
    if options.get("slot_name") == "":
        del options["slot_name"]
    return make_subscription(name, spec.connection, spec.publications, options, origin, problems)


def build_subscriptions(documents: Sequence[Document], problems: Problems) -> tuple[dict[str, Subscription], bool]:
    """Every declared subscription by name, and whether any document says ``subscriptions:``
    (which makes the undeclared live ones the plan's to drop)."""
    found: dict[str, Subscription] = {}
    managed = False
    for doc in documents:
        if doc.spec.subscriptions is None:
            continue
        managed = True
        for name, spec in doc.spec.subscriptions.items():
            origin = Origin(doc.file, doc.line("subscriptions", name))
            if name in found:
                problems.at(origin, f"subscription {name} is declared twice: at {found[name].origin} and at {origin}",
                            "declare each object in one place; remove or merge one of the two")
                continue
            found[name] = _from_spec(name, spec, origin, problems)
    return dict(sorted(found.items())), managed
