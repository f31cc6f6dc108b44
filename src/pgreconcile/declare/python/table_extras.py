"""Extended statistics and rules in Python declaration files: ``statistics("name", columns=[...])``
in a table class's ``__statistics__``, ``rule("name", event="update", ...)`` in its ``__rules__``.
Each call records the YAML-shaped body and where it was written, which the one language
definition validates (:mod:`pgreconcile.declare.spec.table_extras`)."""

from __future__ import annotations

from collections.abc import Sequence

from pgreconcile.declare.python.api import Item, _call_site, _given


def statistics(
    name: str,
    *,
    columns: Sequence[str] | None = None,
    expressions: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
    target: int | None = None,
    comment: str | None = None,
    renamed_from: str | None = None,
) -> Item:
    """One entry of ``__statistics__``: ``statistics("orders_city_zip", columns=["city", "zip"])``;
    ``kinds`` omitted means all of them, ``target`` is ``SET STATISTICS`` (-1: the default)."""
    body = _given(
        columns=list(columns) if columns else None, expressions=list(expressions) if expressions else None,
        kinds=list(kinds) if kinds else None, target=target, comment=comment, renamed_from=renamed_from,
    )
    return Item("statistics", name, body, _call_site())


def rule(
    name: str,
    *,
    event: str,
    instead: bool = False,
    where: str | None = None,
    actions: str | Sequence[str] | None = None,
    enabled: str | bool | None = None,
    comment: str | None = None,
    renamed_from: str | None = None,
) -> Item:
    """One entry of ``__rules__``: ``rule("orders_keep", event="delete", instead=True)`` (DO INSTEAD
    NOTHING); ``actions`` is one statement or a list of them."""
    body = _given(
        event=event, instead=instead, where=where,
        actions=[actions] if isinstance(actions, str) else list(actions) if actions else None,
        enabled="disabled" if enabled is False else enabled, comment=comment, renamed_from=renamed_from,
    )
    return Item("rules", name, body, _call_site())
