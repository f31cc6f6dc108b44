"""Where each table and enum was written, and what its document says about it.

The model holds what PostgreSQL will hold; some conventions need what was *written*: the line of
one enum label, or a table's ``rls:`` key while the model has no place for row-level security.
Every source (YAML files, Python modules) yields :class:`Document` objects, so reading them here
keeps the checks independent of the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.language import EnumSpec, TableSpec
from pgreconcile.model.objects import Origin

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Place:
    """A declared object: its document and the key path to it in that document."""

    document: Document
    path: tuple[str, ...]

    def origin(self, *more: str | int) -> Origin:
        """file:line of the object, or of the key or item ``more`` inside it."""
        return Origin(self.document.file, self.document.line(*self.path, *more))


@dataclass(frozen=True, slots=True)
class Places:
    """Tables and enums by ``(schema, name)``, with their specs as written."""

    tables: dict[Key, tuple[Place, TableSpec]]
    enums: dict[Key, tuple[Place, EnumSpec]]

    @classmethod
    def of(cls, documents: Sequence[Document]) -> Places:
        """Index ``documents``; the model was built from them, so each name occurs once."""
        tables: dict[Key, tuple[Place, TableSpec]] = {}
        enums: dict[Key, tuple[Place, EnumSpec]] = {}
        for doc in documents:
            for schema_name, schema in doc.spec.schemas.items():
                for name, table in schema.tables.items():
                    place = Place(doc, ("schemas", schema_name, "tables", name))
                    tables.setdefault((schema_name, name), (place, table))
                for name, enum in schema.enums.items():
                    place = Place(doc, ("schemas", schema_name, "enums", name))
                    enums.setdefault((schema_name, name), (place, enum))
        return cls(tables, enums)
