"""Declared domains and types (``schemas.<s>.domains`` / ``schemas.<s>.types``) → model objects,
once every type name is known (a domain over another domain, a composite of an enum)."""

from __future__ import annotations

from pgreconcile.declare.build.collect import Declared, Registry
from pgreconcile.declare.spec.literals import LiteralError, default_sql
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.spec.type_specs import DomainSpec, TypeSpec
from pgreconcile.declare.spec.types import TypeProblem, TypeResolver
from pgreconcile.declare.yaml.source import line_at
from pgreconcile.model.objects import Origin
from pgreconcile.model.types import CompositeAttribute, CompositeType, Domain, DomainCheck, RangeType
from pgreconcile.normalize.expressions import parse_error

Key = tuple[str, str]


class _Builder:
    def __init__(self, resolver: TypeResolver, problems: Problems, check_sql: bool) -> None:
        self.resolver = resolver
        self.problems = problems
        self.check_sql = check_sql

    def at(self, declared: Declared[DomainSpec] | Declared[TypeSpec], *path: str) -> Origin:
        return Origin(declared.origin.file, line_at(declared.source, path) or declared.origin.line)

    def type(self, text: str, schema: str, what: str, origin: Origin) -> str | None:
        try:
            return self.resolver.canonical(text, schema)
        except TypeProblem as err:
            self.problems.at(origin, f"{what}: {err.message}", err.hint)
            return None

    def sql(self, text: str, what: str, origin: Origin) -> bool:
        problem = parse_error(text) if self.check_sql else None
        if problem is not None:
            self.problems.at(origin, f"{what} is not a valid SQL expression: {text!r} ({problem})")
        return problem is None

    def domain(self, key: Key, declared: Declared[DomainSpec]) -> Domain | None:
        spec, what = declared.spec, f"domain {key[0]}.{key[1]}"
        base = self.type(spec.type, key[0], what, self.at(declared, "type"))
        if base is None:
            return None
        default = spec.default_sql
        if spec.default is not None and spec.default_sql is not None:
            self.problems.at(declared.origin, f"{what}: default and default_sql cannot be combined")
            return None
        if spec.default is not None:
            try:
                default = default_sql(spec.default, base, self.resolver.enum_labels(base))
            except LiteralError as err:
                self.problems.at(self.at(declared, "default"), f"{what}: {err}", getattr(err, "hint", None))
                return None
        elif default is not None and not self.sql(default, f"{what}: default_sql", self.at(declared, "default_sql")):
            return None
        checks = []
        for name, check in sorted(spec.checks.items()):
            origin = self.at(declared, "checks", name)
            if self.sql(check.expression, f"{what}: check {name}", origin):
                checks.append(DomainCheck(name, check.expression, check.validated, origin))
        if not self.not_null(declared, what):
            return None
        return Domain(
            key[0], key[1], base, nullable=spec.nullable and spec.not_null is None, default=default,
            collation=spec.collation, checks=tuple(checks), comment=spec.comment, origin=declared.origin,
            not_null_name=spec.not_null.name if spec.not_null is not None else None,
        )

    def not_null(self, declared: Declared[DomainSpec], what: str) -> bool:
        """Whether the domain's ``not_null:`` (PostgreSQL 17: its NOT NULL's name) can be held:
        not beside ``nullable: true``, without the column-only NOT VALID / NO INHERIT, and under
        a name no check has."""
        spec, found = declared.spec, declared.spec.not_null
        if found is None:
            return True
        problem = None
        if "nullable" in spec.model_fields_set and spec.nullable:
            problem = ("not_null and nullable: true contradict each other",
                       "`not_null:` names the domain's NOT NULL constraint; remove one of them")
        elif not found.validated or found.no_inherit:
            problem = ("a domain's NOT NULL can be neither NOT VALID nor NO INHERIT",
                       "remove `validated: false` / `no_inherit: true` from its `not_null:`")
        elif found.name in spec.checks:
            problem = (f"the NOT NULL's name {found.name!r} is a check's name too", "give one of them another name")
        if problem is not None:
            self.problems.at(self.at(declared, "not_null"), f"{what}: {problem[0]}", problem[1])
        return problem is None

    def composite(self, key: Key, declared: Declared[TypeSpec]) -> CompositeType | None:
        what = f"composite type {key[0]}.{key[1]}"
        attributes = []
        for name, field_spec in (declared.spec.fields or {}).items():
            canonical = self.type(field_spec.type, key[0], f"{what} field {name}", self.at(declared, "fields", name))
            if canonical is None:
                return None
            attributes.append(CompositeAttribute(name, canonical, field_spec.collation, comment=field_spec.comment))
        if not attributes:
            self.problems.at(declared.origin, f"{what} has no fields")
            return None
        return CompositeType(key[0], key[1], tuple(attributes), declared.spec.comment, declared.origin)

    def range(self, key: Key, declared: Declared[TypeSpec]) -> RangeType | None:
        spec = declared.spec.range
        assert spec is not None
        what = f"range type {key[0]}.{key[1]}"
        subtype = self.type(spec.subtype, key[0], f"{what} subtype", self.at(declared, "range"))
        if subtype is None:
            return None
        return RangeType(
            key[0], key[1], subtype, spec.subtype_opclass, spec.collation, spec.canonical, spec.subtype_diff,
            declared.spec.comment, declared.origin,
        )


def build_types(
    registry: Registry, resolver: TypeResolver, problems: Problems, *, check_sql: bool = True
) -> tuple[dict[Key, Domain], dict[Key, CompositeType], dict[Key, RangeType]]:
    """The declared domains, composite types and range types, by ``(schema, name)``."""
    builder = _Builder(resolver, problems, check_sql)
    domains: dict[Key, Domain] = {}
    composites: dict[Key, CompositeType] = {}
    ranges: dict[Key, RangeType] = {}
    for key, declared in sorted(registry.domains.items()):
        domain = builder.domain(key, declared)
        if domain is not None:
            domains[key] = domain
    for key, declared_type in sorted(registry.types.items()):
        if declared_type.spec.fields is not None:
            composite = builder.composite(key, declared_type)
            if composite is not None:
                composites[key] = composite
        else:
            range_type = builder.range(key, declared_type)
            if range_type is not None:
                ranges[key] = range_type
    return domains, composites, ranges
