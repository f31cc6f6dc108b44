"""Changes of domains, composite types and range types (keys: ``type:schema.name``)."""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.changes import Action, Change, Hazard, type_key
from pgreconcile.model.types import CompositeAttribute, CompositeType, Domain, DomainCheck, RangeType


@dataclass(frozen=True)
class CreateDomain(Change):
    domain: Domain

    ACTION = Action.CREATE
    KIND = "domain"

    @property
    def key(self) -> str:
        return type_key(self.domain.schema, self.domain.name)


@dataclass(frozen=True)
class DropDomain(Change):
    domain: Domain

    ACTION = Action.DESTROY
    KIND = "domain"

    @property
    def key(self) -> str:
        return type_key(self.domain.schema, self.domain.name)


@dataclass(frozen=True)
class AlterDomain(Change):
    """Every in-place difference of one domain: default, NOT NULL, checks dropped / added /
    validated (a changed check is dropped and added again), comment."""

    old: Domain
    new: Domain
    drop_checks: tuple[DomainCheck, ...] = ()
    add_checks: tuple[DomainCheck, ...] = ()
    validate_checks: tuple[DomainCheck, ...] = ()

    ACTION = Action.UPDATE
    KIND = "domain"

    @property
    def key(self) -> str:
        return type_key(self.new.schema, self.new.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # A new NOT NULL or a validated check reads every column of the domain, in every table.
        if (self.old.nullable and not self.new.nullable) or self.validate_checks or any(
            c.validated for c in self.add_checks
        ):
            return (Hazard.SCANS_TABLE, Hazard.MAY_FAIL_ON_DATA)
        return ()


@dataclass(frozen=True)
class CreateCompositeType(Change):
    composite: CompositeType

    ACTION = Action.CREATE
    KIND = "composite type"

    @property
    def key(self) -> str:
        return type_key(self.composite.schema, self.composite.name)


@dataclass(frozen=True)
class DropCompositeType(Change):
    composite: CompositeType

    ACTION = Action.DESTROY
    KIND = "composite type"

    @property
    def key(self) -> str:
        return type_key(self.composite.schema, self.composite.name)


@dataclass(frozen=True)
class AlterCompositeType(Change):
    """ADD / DROP ATTRIBUTE and ALTER ATTRIBUTE … TYPE of one composite type, and the comments of
    its attributes (``COMMENT ON COLUMN``; the type's own comment is a :class:`SetTypeComment`)."""

    old: CompositeType
    new: CompositeType
    drop: tuple[CompositeAttribute, ...] = ()
    add: tuple[CompositeAttribute, ...] = ()
    retype: tuple[CompositeAttribute, ...] = ()
    # The typed tables (schema, name) whose columns follow (CASCADE): their rows are rewritten
    # by a retype and lose a dropped attribute's values.
    cascade: tuple[tuple[str, str], ...] = ()
    # (attribute, comment to set, None to remove) after the attributes changed.
    comments: tuple[tuple[str, str | None], ...] = ()

    ACTION = Action.UPDATE
    KIND = "composite type"

    @property
    def key(self) -> str:
        return type_key(self.new.schema, self.new.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        hazards = [Hazard.DROPS_DATA] if self.drop else []
        if self.cascade:
            hazards.append(Hazard.ACCESS_EXCLUSIVE_LOCK)
            if self.retype:
                hazards.append(Hazard.REWRITES_TABLE)
        return tuple(hazards)


@dataclass(frozen=True)
class CreateRangeType(Change):
    range_type: RangeType

    ACTION = Action.CREATE
    KIND = "range type"

    @property
    def key(self) -> str:
        return type_key(self.range_type.schema, self.range_type.name)


@dataclass(frozen=True)
class DropRangeType(Change):
    range_type: RangeType

    ACTION = Action.DESTROY
    KIND = "range type"

    @property
    def key(self) -> str:
        return type_key(self.range_type.schema, self.range_type.name)


@dataclass(frozen=True)
class SetTypeComment(Change):
    """COMMENT ON TYPE / DOMAIN (a range type's only in-place change)."""

    schema: str
    name: str
    is_domain: bool
    new: str | None
    old: str | None

    ACTION = Action.UPDATE
    KIND = "type comment"

    @property
    def key(self) -> str:
        return type_key(self.schema, self.name) + "#comment"
