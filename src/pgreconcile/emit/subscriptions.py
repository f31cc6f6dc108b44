"""What ``reconcile inspect`` writes about subscriptions (top-level ``subscriptions:``).

The connection string is written with its password masked (``password=***``): inspect output is
shown and committed. A declaration holding the mask keeps the live password (diff/subscriptions.py).
Owners are not written, as for every other kind.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pgreconcile.model.schema import Schema
from pgreconcile.model.subscriptions import DEFAULT_PUBLISHER_ORIGIN, DEFAULT_SYNCHRONOUS_COMMIT, NO_SLOT, Subscription


def subscription_data(sub: Subscription) -> dict[str, Any]:
    """One subscription in the language's long form, defaults left out."""
    out: dict[str, Any] = {"connection": sub.shown_conninfo, "publications": list(sub.publications)}
    if not sub.enabled:
        out["enabled"] = False
    if sub.slot_name != sub.name:
        out["slot_name"] = NO_SLOT if sub.slot_name is None else sub.slot_name
    if sub.synchronous_commit != DEFAULT_SYNCHRONOUS_COMMIT:
        out["synchronous_commit"] = sub.synchronous_commit
    for key in ("binary", "two_phase", "disable_on_error", "run_as_owner", "failover"):
        if getattr(sub, key):
            out[key] = True
    if sub.streaming is not None:
        out["streaming"] = sub.streaming
    if sub.publisher_origin != DEFAULT_PUBLISHER_ORIGIN:
        out["origin"] = sub.publisher_origin
    if not sub.password_required:
        out["password_required"] = False
    if sub.comment is not None:
        out["comment"] = sub.comment
    return out


def subscriptions_data(schema: Schema) -> dict[str, Any]:
    """Every subscription by name."""
    return {name: subscription_data(sub) for name, sub in sorted(schema.subscriptions.items())}


def subscriptions_declared(schema: Schema) -> Schema:
    """``schema`` (live) with its subscriptions as inspect's files declare them: no owner, and
    managed when there are any (what :func:`pgreconcile.emit.privileges.as_declared` does for
    the other kinds)."""
    return dataclasses.replace(
        schema,
        subscriptions={n: dataclasses.replace(s, owner=None) for n, s in schema.subscriptions.items()},
        subscriptions_managed=bool(schema.subscriptions),
    )
