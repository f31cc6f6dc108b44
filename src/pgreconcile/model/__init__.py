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
from pgreconcile.model.sequences import Sequence, SequenceOptions, sequence_options

__all__ = [
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
    "Sequence",
    "SequenceOptions",
    "Table",
    "UniqueConstraint",
    "Unmanaged",
    "sequence_options",
]
