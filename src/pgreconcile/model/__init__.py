"""The typed model both sides of a reconciliation are turned into.

Declarations (YAML, Python, SQL) and the live catalog both become a :class:`Schema`;
everything after that is pure Python over two models.

Imports nothing else of pgreconcile: every other layer reads it.
"""

from pgreconcile.model.objects import (
    CheckConstraint,
    Column,
    Conversion,
    Dependent,
    Enum,
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
    Schema,
    Table,
    UniqueConstraint,
    Unmanaged,
)

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

__all__ = [  # noqa: RUF022  (each coverage kind's names kept apart, for clean merges)
    "CheckConstraint",
    "Column",
    "Conversion",
    "Dependent",
    "Enum",
    "Extension",
    "FkAction",
    "ForeignKey",
    "Group",
    "IdentityKind",
    "Index",
    "IndexMethod",
    "Namespace",
    "Origin",
    "Policy",
    "PolicyCommand",
    "PrimaryKey",
    "Schema",
    "Table",
    "UniqueConstraint",
    "Unmanaged",
    # [privileges]
    "DefaultObjects",
    "DefaultPrivileges",
    "Grant",
    "GrantKind",
    "GrantTarget",
    "ObjectGrants",
    "ObjectOwner",
    "Publication",
    "PublishedTable",
    "PublishOperation",
]
