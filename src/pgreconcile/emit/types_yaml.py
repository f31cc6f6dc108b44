"""The constraints-types parts of an inspected schema as declaration data: table checks with
options, NOT ENFORCED, a column's ``not_null:``, exclusion constraints, and a schema's
``domains:`` and ``types:`` (shared by the YAML and the Python writer)."""

from __future__ import annotations

from pgreconcile.declare.spec.literals import literal_value
from pgreconcile.declare.spec.types import TypeResolver
from pgreconcile.emit.casts import casts_block
from pgreconcile.emit.operators import operators_block
from pgreconcile.emit.privileges import granted  # [privileges]
from pgreconcile.emit.text_search import text_search_block
from pgreconcile.emit.yaml_text import Block
from pgreconcile.model.collations import Collation
from pgreconcile.model.objects import (
    CheckConstraint,
    Column,
    ForeignKey,
    IndexMethod,
    Table,
    named_not_null,
    plain_not_null,
)
from pgreconcile.model.privileges import GrantKind, GrantTarget
from pgreconcile.model.schema import Schema
from pgreconcile.model.types import CompositeAttribute, CompositeType, Domain, RangeType


def check_spec(check: CheckConstraint) -> object:
    """A check as its expression, or a mapping when it is NO INHERIT, NOT VALID or NOT ENFORCED
    or has a comment."""
    if not check.no_inherit and check.validated and check.enforced and check.comment is None:
        return check.expression
    spec: dict[str, object] = {"expression": check.expression}
    if check.no_inherit:
        spec["no_inherit"] = True
    if not check.enforced:
        spec["enforced"] = False  # PostgreSQL 18; never validated either, which goes unsaid
    elif not check.validated:
        spec["validated"] = False
    if check.comment is not None:
        spec["comment"] = check.comment
    return spec


def not_null_entry(table: str, col: Column) -> object:
    """A column's ``not_null:`` (PostgreSQL 18): its name when not the default one, a mapping when
    it is NOT VALID or NO INHERIT too; None when ``nullable: false`` says it all."""
    if col.nullable:
        return None
    name = named_not_null(table, col)
    if plain_not_null(col):
        return name
    entry: dict[str, object] = {} if name is None else {"name": name}
    if not col.not_null_validated:
        entry["validated"] = False
    if col.not_null_no_inherit:
        entry["no_inherit"] = True
    return entry


def unchecked(con: ForeignKey | CheckConstraint) -> dict[str, object]:
    """``enforced: false`` (PostgreSQL 18, which implies NOT VALID) or ``validated: false``."""
    if not con.enforced:
        return {"enforced": False}
    return {} if con.validated else {"validated": False}


def exclusions_block(table: Table) -> Block:
    """``exclusions:`` of a table: a bare list of elements for a plain gist constraint."""
    out = Block()
    for con in sorted(table.exclusions, key=lambda c: c.name):
        spec: dict[str, object] = {}
        if con.method is not IndexMethod.GIST:
            spec["using"] = con.method.value
        spec["elements"] = list(con.elements)
        if con.include:
            spec["include"] = list(con.include)
        if con.where is not None:
            spec["where"] = con.where
        if con.deferrable:
            spec["deferrable"] = True
        if con.initially_deferred:
            spec["initially_deferred"] = True
        if con.comment is not None:
            spec["comment"] = con.comment
        if con.index_comment is not None:
            spec["index_comment"] = con.index_comment
        out[con.name] = list(con.elements) if list(spec) == ["elements"] else spec
    return out


def domain_spec(domain: Domain, resolver: TypeResolver) -> object:
    """One domain: its base type alone when that is all it has."""
    spec: dict[str, object] = {"type": domain.type}
    if domain.named_not_null is not None:
        spec["not_null"] = domain.named_not_null  # PostgreSQL 17: says NOT NULL too
    elif not domain.nullable:
        spec["nullable"] = False
    if domain.default is not None:
        value = literal_value(domain.default, domain.type, resolver.enum_labels(domain.type))
        if value is not None:
            spec["default"] = value
        else:
            spec["default_sql"] = domain.default
    if domain.collation is not None:
        spec["collation"] = domain.collation
    if domain.checks:
        checks: dict[str, object] = {}
        for check in domain.checks:
            plain = check.validated
            checks[check.name] = check.expression if plain else {"expression": check.expression, "validated": False}
        spec["checks"] = checks
    if domain.comment is not None:
        spec["comment"] = domain.comment
    return domain.type if len(spec) == 1 else spec


def _range_spec(range_type: RangeType) -> object:
    options: dict[str, object] = {"subtype": range_type.subtype}
    for key in ("subtype_opclass", "collation", "canonical", "subtype_diff"):
        value = getattr(range_type, key)
        if value is not None:
            options[key] = value
    return range_type.subtype if len(options) == 1 else options


def collation_spec(c: Collation) -> dict[str, object]:
    """One collation in the language: a libc one with equal parts as ``locale``."""
    spec: dict[str, object] = {}
    if c.provider != "libc":
        spec["provider"] = c.provider
        spec["locale"] = c.locale
    elif c.lc_collate == c.lc_ctype:
        spec["locale"] = c.lc_collate
    else:
        spec["lc_collate"], spec["lc_ctype"] = c.lc_collate, c.lc_ctype
    if not c.deterministic:
        spec["deterministic"] = False
    if c.rules is not None:
        spec["rules"] = c.rules
    if c.comment is not None:
        spec["comment"] = c.comment
    return spec


def _field_spec(attribute: CompositeAttribute) -> object:
    """A composite type's attribute: its type alone, or with its collation and comment."""
    if attribute.collation is None and attribute.comment is None:
        return attribute.type
    spec: dict[str, object] = {"type": attribute.type}
    if attribute.collation is not None:
        spec["collation"] = attribute.collation
    if attribute.comment is not None:
        spec["comment"] = attribute.comment
    return spec


def types_block(schema: Schema, name: str, resolver: TypeResolver) -> dict[str, Block]:
    """``{"collations": …, "domains": …, "types": …}`` of namespace ``name`` (keys only when it
    has some)."""
    out: dict[str, Block] = {}
    collations = Block((n, collation_spec(c)) for (s, n), c in sorted(schema.collations.items()) if s == name)
    if collations:
        out["collations"] = collations
    out.update(text_search_block(schema, name))  # [text-search]
    out.update(operators_block(schema, name))  # [operators]
    out.update(casts_block(schema, name))  # [casts]
    domains = Block()
    for (s, n), domain in sorted(schema.domains.items()):
        if s == name:
            domains[n] = granted(domain_spec(domain, resolver), schema, GrantTarget(GrantKind.TYPE, s, n))
    if domains:
        out["domains"] = domains
    types = Block()
    found: list[tuple[tuple[str, str], CompositeType | RangeType]] = sorted(
        [*schema.composite_types.items(), *schema.range_types.items()], key=lambda item: item[0]
    )
    for (s, n), user_type in found:
        if s != name:
            continue
        spec: dict[str, object] = {}
        if isinstance(user_type, RangeType):
            spec["range"] = _range_spec(user_type)
        else:
            spec["fields"] = {a.name: _field_spec(a) for a in user_type.attributes}
        if user_type.comment is not None:
            spec["comment"] = user_type.comment
        types[n] = granted(spec, schema, GrantTarget(GrantKind.TYPE, s, n))
    if types:
        out["types"] = types
    return out
