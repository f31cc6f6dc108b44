"""Comparing what tables are built on: schemas, extensions and enums (diff/compare.py calls
these first; enum label removals and reorders are planned by the renames pass)."""

from __future__ import annotations

import dataclasses

from pgreconcile.diff.changes import Change, extension_key, schema_key, type_key
from pgreconcile.diff.enum_rebuild import set_aside_key
from pgreconcile.diff.foundation_changes import (
    AddEnumValue,
    CreateEnum,
    CreateExtension,
    CreateNamespace,
    DropEnum,
    DropExtension,
    DropNamespace,
    MoveExtension,
    SetEnumComment,
    SetExtensionComment,
    SetNamespaceComment,
    UpdateExtension,
)
from pgreconcile.model import Enum, Schema


def compare_namespaces(desired: Schema, live: Schema, changes: list[Change]) -> None:
    """Schemas to create, drop or comment (only managed ones), appended to ``changes``."""
    for name, ns in sorted(desired.namespaces.items()):
        current = live.namespaces.get(name)
        if current is None:
            changes.append(CreateNamespace(ns, creates=frozenset({schema_key(name)})))
        elif ns.comment is not None and (ns.comment or None) != current.comment:
            # A schema comment is managed only when declared: PostgreSQL gives `public` a
            # default comment that nobody should have to repeat. An empty one is declared as
            # none (what SQL files that create the schema without a comment say).
            changes.append(SetNamespaceComment(dataclasses.replace(ns, comment=ns.comment or None), current.comment))
    for name, ns in sorted(live.namespaces.items()):
        if name in desired.managed and name not in desired.namespaces:
            changes.append(DropNamespace(ns, removes=frozenset({schema_key(name)})))


def compare_extensions(desired: Schema, live: Schema, changes: list[Change], refusals: list[str]) -> None:
    """Extensions to create, move, update, comment or drop; a move or an update PostgreSQL cannot
    make is a refusal."""
    for name, ext in sorted(desired.extensions.items()):
        current = live.extensions.get(name)
        needs = frozenset({schema_key(ext.schema)}) if ext.schema else frozenset()
        if current is None:
            changes.append(CreateExtension(ext, needs=needs, creates=frozenset({extension_key(name)})))
        elif ext.schema is not None and ext.schema != current.schema and not current.relocatable:
            # PostgreSQL refuses ALTER EXTENSION … SET SCHEMA for these (xml2, postgis, …).
            refusals.append(
                f"extension {name} lives in schema {current.schema} and is not relocatable, so PostgreSQL "
                f"cannot move it to {ext.schema}; drop it and create it in {ext.schema} by hand (objects that "
                f"use it are dropped with it), or declare `schema: {current.schema}`"
            )
        elif ext.schema is not None and ext.schema != current.schema:
            changes.append(MoveExtension(ext, current.schema, needs=needs))
        if current is not None and ext.version is not None and ext.version != current.version:
            if ext.version in current.reachable:
                # After a move, if both: the update scripts may create objects in its schema.
                moved = {extension_key(name)} if ext.schema is not None and ext.schema != current.schema else set()
                changes.append(UpdateExtension(ext, current.version, needs=needs | moved))
            else:
                refusals.append(
                    f"extension {name} is at version {current.version} and no update path leads to "
                    f"{ext.version} on this server (PostgreSQL only updates forwards, along the scripts it "
                    f"ships); declare `version: {current.version}`, install the version's scripts, or drop "
                    "and create the extension by hand (objects that use it are dropped with it)"
                )
        if current is not None and ext.comment != current.comment:
            # After an update, whose scripts may comment it themselves.
            changes.append(SetExtensionComment(name, ext.comment, current.comment, current.own_comment,
                                               needs=frozenset({extension_key(name)})))
    for name, ext in sorted(live.extensions.items()):
        # An undeclared extension is removed only when it lives in a managed schema: extensions
        # installed into `extensions` or `pg_catalog` belong to the platform, not to this project.
        if name not in desired.extensions and ext.schema in desired.managed:
            changes.append(
                DropExtension(
                    ext,
                    removes=frozenset({extension_key(name)}),
                    live_needs=frozenset({schema_key(ext.schema)}),
                )
            )


def compare_enums(desired: Schema, live: Schema, managed: frozenset[str], changes: list[Change]) -> None:
    """Enums to create, extend, comment or drop (in the ``managed`` schemas)."""
    for key, enum in sorted(desired.enums.items()):
        current = live.enums.get(key)
        tkey = type_key(*key)
        if current is None:
            changes.append(
                CreateEnum(enum, needs=frozenset({schema_key(enum.schema)}), creates=frozenset({tkey}))
            )
            continue
        _compare_enum_values(enum, current, changes)
        if enum.comment != current.comment:
            changes.append(SetEnumComment(enum, current.comment, needs=frozenset({tkey})))
    for key, enum in sorted(live.enums.items()):
        if key[0] in managed and key not in desired.enums:
            # An enum set aside for rebuilding (diff/renames.py) exists under this name only
            # once the rename has run.
            aside = frozenset({set_aside_key(*key)}) if enum.renamed_from in desired.enums else frozenset()
            changes.append(
                DropEnum(
                    enum, needs=aside, removes=frozenset({type_key(*key)}), live_needs=frozenset({schema_key(key[0])})
                )
            )


def _compare_enum_values(enum: Enum, current: Enum, changes: list[Change]) -> None:
    """Add the labels that are new, each at its declared position.

    PostgreSQL can add labels anywhere but cannot remove or reorder them; a declaration that
    needs either was handled by the renames pass, which set the live type aside to rebuild it
    (or refused, when the set-aside name is taken), so nothing is added here.
    """
    live_values = list(current.values)
    kept_order = [v for v in enum.values if v in live_values]
    if any(v not in enum.values for v in live_values) or kept_order != live_values:
        return
    tkey = type_key(enum.schema, enum.name)
    previous_new: str | None = None
    for position, value in enumerate(enum.values):
        if value in live_values:
            continue
        # Anchor on the next existing label when there is one (BEFORE), else on the previous
        # declared label (AFTER): either way the label lands at its declared position.
        following = next((v for v in enum.values[position + 1 :] if v in live_values), None)
        previous = enum.values[position - 1] if position > 0 else None
        changes.append(
            AddEnumValue(
                enum,
                value,
                before=following,
                after=None if following else previous,
                # Labels go in in declared order: two anchored BEFORE the same existing label
                # would otherwise land in reverse, and PostgreSQL cannot reorder them afterwards.
                needs=frozenset({tkey} | ({f"{tkey}+{previous_new}"} if previous_new else set())),
                creates=frozenset({f"{tkey}+{value}"}),
            )
        )
        previous_new = value
