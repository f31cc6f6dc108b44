"""Changes of what tables are built on: schemas, extensions and enums.

:mod:`pgreconcile.diff.foundations` decides them; the rest of the changes live in
:mod:`pgreconcile.diff.changes`, with the :class:`Change` base they share. Keys:
``schema:name``, ``extension:name``, ``type:schema.name`` (an added enum label
``type:schema.name+label``, an enum's comment ``type:schema.name#comment``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import Change
from pgreconcile.model import Enum, Extension, Namespace
from pgreconcile.model.keys import extension_key, schema_key, type_key


@dataclass(frozen=True)
class CreateNamespace(Change):
    namespace: Namespace

    ACTION = Action.CREATE
    KIND = "schema"

    @property
    def key(self) -> str:
        return schema_key(self.namespace.name)


@dataclass(frozen=True)
class DropNamespace(Change):
    namespace: Namespace

    ACTION = Action.DESTROY
    KIND = "schema"

    @property
    def key(self) -> str:
        return schema_key(self.namespace.name)


@dataclass(frozen=True)
class SetNamespaceComment(Change):
    namespace: Namespace
    old: str | None

    ACTION = Action.UPDATE
    KIND = "schema"

    @property
    def key(self) -> str:
        return schema_key(self.namespace.name)


@dataclass(frozen=True)
class CreateExtension(Change):
    extension: Extension

    ACTION = Action.CREATE
    KIND = "extension"

    @property
    def key(self) -> str:
        return extension_key(self.extension.name)


@dataclass(frozen=True)
class DropExtension(Change):
    extension: Extension

    ACTION = Action.DESTROY
    KIND = "extension"

    @property
    def key(self) -> str:
        return extension_key(self.extension.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # Its configuration tables (pg_cron's jobs) go with it: gated like a dropped table.
        return (Hazard.DROPS_DATA,) if self.extension.keeps_data else ()


@dataclass(frozen=True)
class MoveExtension(Change):
    extension: Extension
    old_schema: str | None

    ACTION = Action.UPDATE
    KIND = "extension"

    @property
    def key(self) -> str:
        return extension_key(self.extension.name)


@dataclass(frozen=True)
class SetExtensionComment(Change):
    """``COMMENT ON EXTENSION``: ``comment`` None goes back to the extension's own (``own``, from
    its control file), ``""`` removes it."""

    name: str
    comment: str | None
    old: str | None
    own: str | None

    ACTION = Action.UPDATE
    KIND = "extension"

    @property
    def key(self) -> str:
        return extension_key(self.name) + "#comment"

    @property
    def text(self) -> str | None:
        """What the comment becomes (None: no comment)."""
        return (self.own if self.comment is None else self.comment) or None


@dataclass(frozen=True)
class UpdateExtension(Change):
    """``ALTER EXTENSION … UPDATE TO``: runs the extension's own update scripts."""

    extension: Extension
    old_version: str | None

    ACTION = Action.UPDATE
    KIND = "extension"

    @property
    def key(self) -> str:
        return extension_key(self.extension.name)


@dataclass(frozen=True)
class CreateEnum(Change):
    enum: Enum

    ACTION = Action.CREATE
    KIND = "enum"

    @property
    def key(self) -> str:
        return type_key(self.enum.schema, self.enum.name)


@dataclass(frozen=True)
class DropEnum(Change):
    enum: Enum

    ACTION = Action.DESTROY
    KIND = "enum"

    @property
    def key(self) -> str:
        return type_key(self.enum.schema, self.enum.name)


@dataclass(frozen=True)
class AddEnumValue(Change):
    """``ALTER TYPE … ADD VALUE`` at the declared position (before ``before`` / after ``after``)."""

    enum: Enum
    value: str
    before: str | None = None
    after: str | None = None

    ACTION = Action.UPDATE
    KIND = "enum"

    @property
    def key(self) -> str:
        return type_key(self.enum.schema, self.enum.name) + f"+{self.value}"


@dataclass(frozen=True)
class SetEnumComment(Change):
    enum: Enum
    old: str | None

    ACTION = Action.UPDATE
    KIND = "enum"

    @property
    def key(self) -> str:
        return type_key(self.enum.schema, self.enum.name) + "#comment"
