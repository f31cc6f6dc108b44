"""The live database: connecting to it and reading its catalog into the model.

May import: ``model``, ``normalize``, ``quoting``, ``errors``. Never ``declare``, ``diff`` or
anything above; one query per object kind, in one snapshot.
"""

from pgreconcile.catalog.connect import connect, redact
from pgreconcile.catalog.reader import (
    QUERY_NAMES,
    STATEMENTS_PER_READ,
    CatalogRead,
    list_schemas,
    read_catalog,
    read_schema,
)

__all__ = [
    "QUERY_NAMES",
    "STATEMENTS_PER_READ",
    "CatalogRead",
    "connect",
    "list_schemas",
    "read_catalog",
    "read_schema",
    "redact",
]
