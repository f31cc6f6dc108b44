"""SQL of domain, composite type and range type changes."""

from __future__ import annotations

from pgreconcile.ddl.statements import comment_on, statements
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
from pgreconcile.model.types import CompositeAttribute, Domain, DomainCheck
from pgreconcile.normalize.reparse import as_reparsable
from pgreconcile.quoting import ident, qualified


def collation_sql(name: str) -> str:
    """A collation as the model holds it (``C``, ``public.german``) quoted for SQL."""
    schema, _, bare = name.rpartition(".")
    return qualified(schema, bare) if schema else ident(bare)


def _check(check: DomainCheck) -> str:
    return f"CONSTRAINT {ident(check.name)} CHECK ({as_reparsable(check.expression)})"


def _attribute(attribute: CompositeAttribute) -> str:
    text = f"{ident(attribute.name)} {attribute.type}"
    return text + (f" COLLATE {collation_sql(attribute.collation)}" if attribute.collation else "")


@statements.register
def _(change: CreateDomain) -> list[str]:
    domain = change.domain
    name = qualified(domain.schema, domain.name)
    sql = f"CREATE DOMAIN {name} AS {domain.type}"
    if domain.collation:
        sql += f" COLLATE {collation_sql(domain.collation)}"
    if domain.default is not None:
        sql += f" DEFAULT {domain.default}"
    if not domain.nullable:
        sql += f" {_not_null_name(domain)}NOT NULL"
    # A check declared `validated: false` is added NOT VALID after the domain exists (CREATE
    # DOMAIN has no NOT VALID), so that it reads back as declared.
    sql += "".join(f" {_check(c)}" for c in domain.checks if c.validated)
    out = [sql]
    out += [f"ALTER DOMAIN {name} ADD {_check(c)} NOT VALID" for c in domain.checks if not c.validated]
    if domain.comment is not None:
        out.append(comment_on("DOMAIN", name, domain.comment))
    return out


def _not_null_name(domain: Domain) -> str:
    """``CONSTRAINT name `` before a domain's NOT NULL whose name is not the default one."""
    name = domain.not_null_name
    if name is None or name == f"{domain.name}_not_null":
        return ""
    return f"CONSTRAINT {ident(name)} "


@statements.register
def _(change: DropDomain) -> list[str]:
    return [f"DROP DOMAIN {qualified(change.domain.schema, change.domain.name)}"]


@statements.register
def _(change: AlterDomain) -> list[str]:
    """Drop the old checks first (a replaced check keeps its name), then the default and NOT
    NULL, then the new checks and validations, then the comment."""
    old, new = change.old, change.new
    name = qualified(new.schema, new.name)
    alter = f"ALTER DOMAIN {name}"
    out = [f"{alter} DROP CONSTRAINT {ident(c.name)}" for c in change.drop_checks]
    if new.default != old.default:
        out.append(f"{alter} SET DEFAULT {new.default}" if new.default is not None else f"{alter} DROP DEFAULT")
    if new.nullable != old.nullable:
        if named := _not_null_name(new):
            out.append(f"{alter} ADD {named}NOT NULL")  # PostgreSQL 17+ names it: as declared
        else:
            out.append(f"{alter} {'DROP' if new.nullable else 'SET'} NOT NULL")
    elif not new.nullable and new.not_null_name and old.not_null_name and new.not_null_name != old.not_null_name:
        out.append(f"{alter} RENAME CONSTRAINT {ident(old.not_null_name)} TO {ident(new.not_null_name)}")
    out += [f"{alter} ADD {_check(c)}{'' if c.validated else ' NOT VALID'}" for c in change.add_checks]
    out += [f"{alter} VALIDATE CONSTRAINT {ident(c.name)}" for c in change.validate_checks]
    if new.comment != old.comment:
        out.append(comment_on("DOMAIN", name, new.comment))
    return out


@statements.register
def _(change: CreateCompositeType) -> list[str]:
    composite = change.composite
    name = qualified(composite.schema, composite.name)
    out = [f"CREATE TYPE {name} AS ({', '.join(_attribute(a) for a in composite.attributes)})"]
    if composite.comment is not None:
        out.append(comment_on("TYPE", name, composite.comment))
    out += [_attribute_comment(name, a.name, a.comment) for a in composite.attributes if a.comment is not None]
    return out


def _attribute_comment(type_name: str, attribute: str, text: str | None) -> str:
    """A composite type's attribute is commented as a column of the type."""
    return comment_on("COLUMN", f"{type_name}.{ident(attribute)}", text)


@statements.register
def _(change: DropCompositeType) -> list[str]:
    return [f"DROP TYPE {qualified(change.composite.schema, change.composite.name)}"]


@statements.register
def _(change: AlterCompositeType) -> list[str]:
    alter = f"ALTER TYPE {qualified(change.new.schema, change.new.name)}"
    # Typed tables of the type change with it (PostgreSQL refuses the change otherwise).
    cascade = " CASCADE" if change.cascade else ""
    out = [f"{alter} DROP ATTRIBUTE {ident(a.name)}{cascade}" for a in change.drop]
    for a in change.retype:
        collate = f" COLLATE {collation_sql(a.collation)}" if a.collation else ""
        out.append(f"{alter} ALTER ATTRIBUTE {ident(a.name)} TYPE {a.type}{collate}{cascade}")
    out += [f"{alter} ADD ATTRIBUTE {_attribute(a)}{cascade}" for a in change.add]
    name = qualified(change.new.schema, change.new.name)
    out += [_attribute_comment(name, attribute, text) for attribute, text in change.comments]
    return out


@statements.register
def _(change: CreateRangeType) -> list[str]:
    range_type = change.range_type
    name = qualified(range_type.schema, range_type.name)
    options = [f"SUBTYPE = {range_type.subtype}"]
    if range_type.subtype_opclass:
        options.append(f"SUBTYPE_OPCLASS = {collation_sql(range_type.subtype_opclass)}")
    if range_type.collation:
        options.append(f"COLLATION = {collation_sql(range_type.collation)}")
    if range_type.canonical:
        options.append(f"CANONICAL = {collation_sql(range_type.canonical)}")
    if range_type.subtype_diff:
        options.append(f"SUBTYPE_DIFF = {collation_sql(range_type.subtype_diff)}")
    out = [f"CREATE TYPE {name} AS RANGE ({', '.join(options)})"]
    if range_type.comment is not None:
        out.append(comment_on("TYPE", name, range_type.comment))
    return out


@statements.register
def _(change: DropRangeType) -> list[str]:
    return [f"DROP TYPE {qualified(change.range_type.schema, change.range_type.name)}"]


@statements.register
def _(change: SetTypeComment) -> list[str]:
    kind = "DOMAIN" if change.is_domain else "TYPE"
    return [comment_on(kind, qualified(change.schema, change.name), change.new)]
