"""Compare domains, composite types and range types (desired × live) into changes.

What PostgreSQL alters in place is altered: a domain's default, NOT NULL, checks and comment; a
composite type's attributes. What it cannot (a domain's base type or collation, a range type's
definition, an attribute type of a composite some column stores) is re-created when nothing
uses it and refused by name otherwise — never a statement that cannot run.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.diff import deps
from pgreconcile.diff.changes import Change, schema_key, type_key
from pgreconcile.diff.type_changes import (
    AlterCompositeType,
    AlterDomain,
    CreateCompositeType,
    CreateDomain,
    CreateRangeType,
    DropCompositeType,
    DropDomain,
    DropRangeType,
    SetTypeComment,
)
from pgreconcile.model import Schema
from pgreconcile.model.types import CompositeType, Domain, DomainCheck, RangeType
from pgreconcile.normalize.expressions import equivalent, equivalent_default
from pgreconcile.normalize.types import user_type_ref


def compare_types(desired: Schema, live: Schema, changes: list[Change], refusals: list[str]) -> None:
    """Append the changes (and refusals) that turn the live types into the declared ones."""
    managed = desired.managed
    for key, domain in sorted(desired.domains.items()):
        old = live.domains.get(key)
        if old is None:
            changes.append(_create_domain(domain))
        elif old != domain or _not_null_renamed(old, domain):
            _alter_domain(old, domain, live, changes, refusals)
    for key, composite in sorted(desired.composite_types.items()):
        current = live.composite_types.get(key)
        if current is None:
            changes.append(_create_composite(composite))
        elif current != composite or attribute_comments(current) != attribute_comments(composite):
            _alter_composite(current, composite, live, changes, refusals)
    for key, range_type in sorted(desired.range_types.items()):
        existing = live.range_types.get(key)
        if existing is None:
            changes.append(_create_range(range_type))
        elif existing != range_type:
            _alter_range(existing, range_type, live, changes, refusals)
    for key, old_domain in sorted(live.domains.items()):
        if key[0] in managed and key not in desired.domains:
            changes.append(DropDomain(old_domain, removes=_removes(*key), live_needs=_domain_live_needs(old_domain)))
    for key, old_composite in sorted(live.composite_types.items()):
        if key[0] in managed and key not in desired.composite_types:
            changes.append(DropCompositeType(old_composite, removes=_removes(*key),
                                             live_needs=frozenset(_composite_needs(old_composite))))
    for key, old_range in sorted(live.range_types.items()):
        if key[0] in managed and key not in desired.range_types:
            changes.append(DropRangeType(old_range, removes=_removes(*key), live_needs=_range_live_needs(old_range)))


def recreated_types(desired: Schema, live: Schema) -> dict[str, str]:
    """The types :func:`compare_types` drops and creates again (``type:`` key → what changes):
    a domain whose base type or collation changes, a range type whose definition changes, when no
    column stores them. A function that takes or returns one must be dropped before and created
    after, since ``DROP DOMAIN`` refuses while a function's signature names it."""
    out: dict[str, str] = {}
    for key, domain in desired.domains.items():
        old = live.domains.get(key)
        if old is not None and (old.type, old.collation) != (domain.type, domain.collation) \
                and not users(live, *key):
            what = "base type" if old.type != domain.type else "collation"
            out[type_key(*key)] = f"domain {domain.qualified} is re-created (its {what} changes)"
    for key, range_type in desired.range_types.items():
        existing = live.range_types.get(key)
        if existing is not None and not _same_range_definition(existing, range_type) and not users(live, *key):
            out[type_key(*key)] = f"range type {range_type.qualified} is re-created (its definition changes)"
    for key, composite in desired.composite_types.items():
        current = live.composite_types.get(key)
        if current is not None and _reordered(current, composite) and not _composite_users(live, *key):
            out[type_key(*key)] = f"composite type {composite.qualified} is re-created (its attributes are reordered)"
    return out


def _reordered(old: CompositeType, new: CompositeType) -> bool:
    """Whether the declared attributes keep the live ones in another order, or put a new one
    before a live one: ``ALTER TYPE … ADD ATTRIBUTE`` only appends."""
    live_names = {a.name for a in old.attributes}
    wanted = {a.name for a in new.attributes}
    kept_live = [a.name for a in old.attributes if a.name in wanted]
    kept_declared = [a.name for a in new.attributes if a.name in live_names]
    first_new = next((i for i, a in enumerate(new.attributes) if a.name not in live_names), len(new.attributes))
    return kept_live != kept_declared or any(a.name in live_names for a in new.attributes[first_new:])


def _composite_users(live: Schema, schema: str, name: str) -> list[str]:
    """What keeps a composite type from being dropped: columns storing it, tables typed by it
    (``OF``), other composite types with an attribute of it."""
    found = [f"column {u}" for u in users(live, schema, name)]
    found += [f"table {t.qualified}" for t in live.tables.values() if t.of_type == (schema, name)]
    found += [f"composite type {c.qualified}" for c in live.composite_types.values()
              if any(user_type_ref(a.type) == (schema, name) for a in c.attributes)]
    return found


def _removes(schema: str, name: str) -> frozenset[str]:
    return frozenset({type_key(schema, name)})


def users(live: Schema, schema: str, name: str) -> list[str]:
    """Live columns (``schema.table.column``) whose type is ``schema.name`` or an array of it."""
    found = []
    for (s, t), table in sorted(live.tables.items()):
        for col in table.columns:
            if user_type_ref(col.type) == (schema, name):
                found.append(f"{s}.{t}.{col.name}")
    return found


# --- domains ---------------------------------------------------------------------------------


def _domain_live_needs(domain: Domain) -> frozenset[str]:
    """What a live domain uses, so that its DROP runs before theirs: its base type (a domain
    built on another domain) and the functions its default and checks call."""
    return frozenset(_domain_needs(domain))


def _domain_needs(domain: Domain) -> set[str]:
    needs = {schema_key(domain.schema)} | deps.type_needs(domain.type) | deps.expression_needs(domain.default)
    for check in domain.checks:
        needs |= deps.expression_needs(check.expression)
    return needs


def _create_domain(domain: Domain) -> CreateDomain:
    key = type_key(domain.schema, domain.name)
    return CreateDomain(domain, needs=frozenset(_domain_needs(domain)), creates=frozenset({key}))


def _alter_domain(old: Domain, new: Domain, live: Schema, changes: list[Change], refusals: list[str]) -> None:
    if old.type != new.type or old.collation != new.collation:
        used = users(live, new.schema, new.name)
        if used:
            what = "base type" if old.type != new.type else "collation"
            refusals.append(
                f"domain {new.qualified}: its {what} cannot change in place "
                f"({old.type if what == 'base type' else old.collation} → "
                f"{new.type if what == 'base type' else new.collation}) and columns use it "
                f"({', '.join(used)}); declare a new domain and move the columns to it"
            )
            return
        changes.append(DropDomain(old, replaces=True, removes=_removes(old.schema, old.name),
                                  live_needs=_domain_live_needs(old)))
        changes.append(dataclasses.replace(_create_domain(new), replaces=True))
        return
    wanted = {c.name: c for c in new.checks}
    existing = {c.name: c for c in old.checks}
    drop: list[DomainCheck] = []
    add: list[DomainCheck] = []
    validate: list[DomainCheck] = []
    for name, check in wanted.items():
        current = existing.get(name)
        if current is None:
            add.append(check)
        elif not equivalent(check.expression, current.expression):
            drop.append(current)
            add.append(check)
        elif check.validated and not current.validated:
            validate.append(check)
    drop += [c for name, c in existing.items() if name not in wanted]
    default_changed = not equivalent_default(new.default, old.default, new.type)
    if (drop or add or validate or default_changed or old.nullable != new.nullable or old.comment != new.comment
            or _not_null_renamed(old, new)):
        key = type_key(new.schema, new.name)
        changes.append(
            AlterDomain(
                old, new, tuple(drop), tuple(add), tuple(validate),
                needs=frozenset({key} | _domain_needs(new) - {schema_key(new.schema)}),
            )
        )


def _not_null_renamed(old: Domain, new: Domain) -> bool:
    """Both hold NOT NULL under names both sides know, and the names differ (PostgreSQL 17+)."""
    return (
        not old.nullable and not new.nullable
        and None not in (old.not_null_name, new.not_null_name)
        and old.not_null_name != new.not_null_name
    )


# --- composite types -------------------------------------------------------------------------


def attribute_comments(composite: CompositeType) -> dict[str, str]:
    """The attributes' comments by attribute name (those that have one)."""
    return {a.name: a.comment for a in composite.attributes if a.comment is not None}


def _composite_needs(composite: CompositeType) -> set[str]:
    needs = {schema_key(composite.schema)}
    for attribute in composite.attributes:
        needs |= deps.type_needs(attribute.type)
    return needs


def _create_composite(composite: CompositeType) -> CreateCompositeType:
    key = type_key(composite.schema, composite.name)
    return CreateCompositeType(composite, needs=frozenset(_composite_needs(composite)), creates=frozenset({key}))


def _alter_composite(
    old: CompositeType, new: CompositeType, live: Schema, changes: list[Change], refusals: list[str]
) -> None:
    key = type_key(new.schema, new.name)
    live_attrs = {a.name: a for a in old.attributes}
    wanted = {a.name: a for a in new.attributes}
    added = [a for a in new.attributes if a.name not in live_attrs]
    if _reordered(old, new):
        stored = _composite_users(live, new.schema, new.name)
        if stored:
            kept_live = [a.name for a in old.attributes if a.name in wanted]
            refusals.append(
                f"composite type {new.qualified}: PostgreSQL adds attributes at the end and cannot reorder "
                f"them, and {', '.join(stored)} use it, so it cannot be re-created; declare the existing "
                f"attributes in their live order ({', '.join(kept_live)}) and new ones after them"
            )
            return
        # Nothing stores it: dropped and created in the declared order (functions naming it are
        # re-created around it, see recreated_types).
        why = "re-created: its attributes are reordered (PostgreSQL only adds them at the end)"
        changes.append(DropCompositeType(old, removes=_removes(new.schema, new.name), replaces=True, reason=why,
                                         live_needs=frozenset(_composite_needs(old))))
        create = _create_composite(new)
        changes.append(dataclasses.replace(create, replaces=True, reason=why))
        return
    retype = [a for a in new.attributes if a.name in live_attrs and live_attrs[a.name] != a]
    if retype:
        used = users(live, new.schema, new.name)
        if used:
            refusals.append(
                f"composite type {new.qualified}: attribute(s) {', '.join(a.name for a in retype)} change type, "
                f"which PostgreSQL refuses while columns store the type ({', '.join(used)})"
            )
            return
    drop = [a for a in old.attributes if a.name not in wanted]
    # An added attribute starts without a comment; a kept (or retyped) one keeps its own.
    live_comments = attribute_comments(old)
    comments = tuple((a.name, a.comment) for a in new.attributes if a.comment != live_comments.get(a.name))
    if drop or added or retype or comments:
        needs = {key} | _composite_needs(new) - {schema_key(new.schema)}
        changes.append(AlterCompositeType(old, new, tuple(drop), tuple(added), tuple(retype),
                                          comments=comments, needs=frozenset(needs)))
    if old.comment != new.comment:
        changes.append(SetTypeComment(new.schema, new.name, False, new.comment, old.comment, needs=frozenset({key})))


# --- range types -----------------------------------------------------------------------------


def _range_live_needs(range_type: RangeType) -> frozenset[str]:
    return frozenset({schema_key(range_type.schema)} | deps.type_needs(range_type.subtype))


def _same_range_definition(old: RangeType, new: RangeType) -> bool:
    """Whether only the comment may differ (anything else re-creates the range type)."""
    return (old.subtype, old.subtype_opclass, old.collation, old.canonical, old.subtype_diff) == (
        new.subtype, new.subtype_opclass, new.collation, new.canonical, new.subtype_diff
    )


def _create_range(range_type: RangeType, *, replaces: bool = False) -> CreateRangeType:
    key = type_key(range_type.schema, range_type.name)
    needs = {schema_key(range_type.schema)} | deps.type_needs(range_type.subtype)
    return CreateRangeType(range_type, needs=frozenset(needs), creates=frozenset({key}), replaces=replaces)


def _alter_range(old: RangeType, new: RangeType, live: Schema, changes: list[Change], refusals: list[str]) -> None:
    key = type_key(new.schema, new.name)
    if _same_range_definition(old, new):
        changes.append(SetTypeComment(new.schema, new.name, False, new.comment, old.comment, needs=frozenset({key})))
        return
    used = users(live, new.schema, new.name)
    if used:
        refusals.append(
            f"range type {new.qualified}: its definition cannot change in place and columns use it "
            f"({', '.join(used)}); declare a new range type and move the columns to it"
        )
        return
    changes.append(
        DropRangeType(old, replaces=True, removes=_removes(old.schema, old.name), live_needs=_range_live_needs(old))
    )
    changes.append(_create_range(new, replaces=True))
