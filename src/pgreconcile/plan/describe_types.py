"""Labels of the constraints-types changes: domains, composite and range types, collations, VALIDATE."""

from __future__ import annotations

from pgreconcile.diff.collations import CreateCollation, DropCollation, SetCollationComment
from pgreconcile.diff.constraint_changes import ValidateConstraint
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
from pgreconcile.model.collations import Collation
from pgreconcile.model.types import CompositeType, Domain, RangeType
from pgreconcile.plan.describe import constraint_summary, describe
from pgreconcile.quoting import literal

Label = tuple[str, tuple[str, ...]]


def _domain(domain: Domain) -> str:
    text = f"domain {domain.qualified} {domain.type}"
    if not domain.nullable:
        text += " not null"
    if domain.default is not None:
        text += f" default {domain.default}"
    return text


def _not_null_renamed(old: Domain, new: Domain) -> str | None:
    """PostgreSQL 17+: the NOT NULL both hold, under names both know and that differ."""
    if new.nullable or None in (old.not_null_name, new.not_null_name) or old.not_null_name == new.not_null_name:
        return None
    return f"not-null constraint {old.not_null_name} → {new.not_null_name}"


def _composite(composite: CompositeType) -> str:
    fields = ", ".join(f"{a.name} {a.type}" for a in composite.attributes)
    return f"composite type {composite.qualified} ({fields})"


def _range(range_type: RangeType) -> str:
    return f"range type {range_type.qualified} of {range_type.subtype}"


@describe.register
def _(c: CreateDomain) -> Label:
    return _domain(c.domain), tuple(f"check {k.name} ({k.expression})" for k in c.domain.checks)


@describe.register
def _(c: DropDomain) -> Label:
    return _domain(c.domain), ()


@describe.register
def _(c: AlterDomain) -> Label:
    old, new = c.old, c.new
    parts: list[str] = []
    if old.default != new.default:
        parts.append(f"default {old.default or 'none'} → {new.default or 'none'}")
    if old.nullable != new.nullable:
        parts.append("not null → nullable" if new.nullable else "nullable → not null")
    elif renamed := _not_null_renamed(old, new):
        parts.append(renamed)
    parts += [f"- check {k.name}" for k in c.drop_checks]
    parts += [f"+ check {k.name} ({k.expression}){'' if k.validated else ' not valid'}" for k in c.add_checks]
    parts += [f"validate check {k.name}" for k in c.validate_checks]
    if old.comment != new.comment:
        parts.append(f"comment → {literal(new.comment) if new.comment is not None else 'none'}")
    return f"domain {new.qualified} " + ", ".join(parts), ()


@describe.register
def _(c: CreateCompositeType) -> Label:
    return _composite(c.composite), ()


@describe.register
def _(c: DropCompositeType) -> Label:
    return _composite(c.composite), ()


@describe.register
def _(c: AlterCompositeType) -> Label:
    parts = [f"- attribute {a.name}" for a in c.drop]
    parts += [f"~ attribute {a.name} → {a.type}" for a in c.retype]
    parts += [f"+ attribute {a.name} {a.type}" for a in c.add]
    parts += [f"attribute {name} comment → {'none' if text is None else literal(text)}" for name, text in c.comments]
    return f"composite type {c.new.qualified} " + ", ".join(parts), ()


@describe.register
def _(c: CreateRangeType) -> Label:
    return _range(c.range_type), ()


@describe.register
def _(c: DropRangeType) -> Label:
    return _range(c.range_type), ()


@describe.register
def _(c: SetTypeComment) -> Label:
    new = literal(c.new) if c.new is not None else "none"
    return f"type {c.schema}.{c.name} comment → {new}", ()


@describe.register
def _(c: ValidateConstraint) -> Label:
    return f"validate {constraint_summary(c.constraint)}", ()


def _collation(c: Collation) -> str:
    where = c.locale if c.provider != "libc" else (
        c.lc_collate if c.lc_collate == c.lc_ctype else f"{c.lc_collate}/{c.lc_ctype}")
    text = f"collation {c.qualified} ({c.provider} {where}"
    return text + (", nondeterministic)" if not c.deterministic else ")")


@describe.register
def _(c: CreateCollation) -> Label:
    return _collation(c.collation), ()


@describe.register
def _(c: DropCollation) -> Label:
    return _collation(c.collation), ()


@describe.register
def _(c: SetCollationComment) -> Label:
    old = "none" if c.old is None else literal(c.old)
    new = "none" if c.collation.comment is None else literal(c.collation.comment)
    return f"collation {c.collation.qualified} comment {old} → {new}", ()
