"""The typed model both sides of a reconciliation are turned into.

Declarations (YAML, Python, SQL) and the live catalog both become a :class:`Schema`;
everything after that is pure Python over two models.

Imports nothing else of pgreconcile: every other layer reads it.
"""

from pgreconcile.model.objects import (
    CheckConstraint,
    CheckOption,
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
    MaterializedView,
    Namespace,
    Origin,
    Policy,
    PolicyCommand,
    PrimaryKey,
    Schema,
    Table,
    UniqueConstraint,
    Unmanaged,
    View,
)

__all__ = [
    "CheckConstraint",
    "CheckOption",
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
    "MaterializedView",
    "Namespace",
    "Origin",
    "Policy",
    "PolicyCommand",
    "PrimaryKey",
    "Schema",
    "Table",
    "UniqueConstraint",
    "Unmanaged",
    "View",
]
