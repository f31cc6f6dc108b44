"""The typed model both sides of a reconciliation are turned into.

Declarations (YAML, Python, SQL) and the live catalog both become a :class:`Schema`;
everything after that is pure Python over two models.

Imports nothing else of pgreconcile: every other layer reads it.
"""

from pgreconcile.model.objects import (  # [constraints-types]
    CheckConstraint,
    Column,
    Conversion,
    Dependent,
    Enum,
    ExclusionConstraint,
    Extension,
    FkAction,
    ForeignKey,
    Group,
    IdentityKind,
    Index,
    IndexMethod,
    Namespace,
    Origin,
    Policy,
    PolicyCommand,
    PrimaryKey,
    Table,
    UniqueConstraint,
    Unmanaged,
)
from pgreconcile.model.partitions import Partition  # [partitions]

# [privileges]
from pgreconcile.model.privileges import (
    DefaultObjects,
    DefaultPrivileges,
    Grant,
    GrantKind,
    GrantTarget,
    ObjectGrants,
    ObjectOwner,
    Publication,
    PublishedTable,
    PublishOperation,
)
from pgreconcile.model.roles import Role
from pgreconcile.model.routines import (  # [routines]
    Aggregate,
    ArgMode,
    Argument,
    EventTrigger,
    Function,
    Parallel,
    Trigger,
    TriggerEnabled,
    TriggerEvent,
    TriggerTiming,
    Volatility,
)
from pgreconcile.model.schema import Schema
from pgreconcile.model.sequences import Sequence, SequenceOptions, sequence_options
from pgreconcile.model.types import CompositeAttribute, CompositeType, Domain, DomainCheck, RangeType
from pgreconcile.model.views import CheckOption, MaterializedView, View

__all__ = [  # noqa: RUF022  (each coverage kind's names kept apart, for clean merges)
    "Aggregate",
    "ArgMode",
    "Argument",
    "CheckConstraint",
    "CheckOption",
    "Column",
    "Conversion",
    "Dependent",
    "Enum",
    "EventTrigger",
    "Extension",
    "FkAction",
    "ForeignKey",
    "Function",
    "Group",
    "IdentityKind",
    "Index",
    "IndexMethod",
    "MaterializedView",
    "Namespace",
    "Origin",
    "Parallel",
    "Partition",
    "Policy",
    "PolicyCommand",
    "PrimaryKey",
    "Schema",
    "Sequence",
    "SequenceOptions",
    "Table",
    "sequence_options",
    "Trigger",
    "TriggerEnabled",
    "TriggerEvent",
    "TriggerTiming",
    "UniqueConstraint",
    "Unmanaged",
    "View",
    "Volatility",
    # [privileges]
    "DefaultObjects",
    "DefaultPrivileges",
    "Grant",
    "GrantKind",
    "GrantTarget",
    "ObjectGrants",
    "ObjectOwner",
    "Publication",
    "Role",
    "PublishedTable",
    "PublishOperation",
]
__all__ += [  # [constraints-types]
    "CompositeAttribute",
    "CompositeType",
    "Domain",
    "DomainCheck",
    "ExclusionConstraint",
    "RangeType",
]
