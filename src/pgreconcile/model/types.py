"""Exclusion constraints, domains, composite and range types (defined in
:mod:`pgreconcile.model.objects`, beside the table that holds them; re-exported here)."""

from pgreconcile.model.objects import (
    CompositeAttribute,
    CompositeType,
    Domain,
    DomainCheck,
    ExclusionConstraint,
    RangeType,
)

__all__ = ["CompositeAttribute", "CompositeType", "Domain", "DomainCheck", "ExclusionConstraint", "RangeType"]
