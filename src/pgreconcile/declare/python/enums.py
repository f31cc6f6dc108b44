"""``enum.Enum`` classes → PostgreSQL enums of their *values*, each declared in one file.

The labels are the members' values, in definition order, and never their names: a class
``UserRole`` with ``ADMIN = "admin"`` declares the label ``admin``. Taking names is the bug of
incident 004 (an ORM created ``SYSADMIN, ADMIN, USER`` while the application wrote lowercase
values); there is no option to take them. A member whose value is not text is an error.

The type is named after the class in snake_case (``UserRole`` → ``user_role``) unless
:func:`~pgreconcile.declare.python.api.enum_type` names it, and lives in its declared schema,
else the schema of the first table that uses it, else the defining module's ``__schema__``,
else ``public``. It is declared by the file that defines the class when that file is a
declaration file, otherwise by the first file that uses or lists it (``__enums__``), so the same
class used from several files is one enum.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from pgreconcile.declare.python.api import enum_options, snake_case
from pgreconcile.declare.python.data import append, child, put
from pgreconcile.declare.python.lines import LoadedModule
from pgreconcile.declare.python.values import ValueProblem, plain
from pgreconcile.declare.spec.names import dotted
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.yaml.source import YamlList, YamlMap


@dataclass
class _Entry:
    cls: type[enum.Enum]
    first_schema: str | None = None  # the schema of the first table that uses it
    first_use: tuple[LoadedModule, int | None] | None = None
    listed: tuple[LoadedModule, int | None] | None = None
    # Decided by EnumRegistry.resolve():
    schema: str = "public"
    name: str = ""
    owner: LoadedModule | None = None
    line: int | None = None
    member_lines: dict[str, int] = field(default_factory=dict)
    valid: bool = True


class EnumRegistry:
    """Every enum class the declaration files use or list, and where each is declared."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.entries: dict[type[enum.Enum], _Entry] = {}
        self.resolved = False

    def _entry(self, cls: type[enum.Enum]) -> _Entry:
        return self.entries.setdefault(cls, _Entry(cls))

    def use(self, cls: type[enum.Enum], table_schema: str, loaded: LoadedModule, line: int | None) -> None:
        """A column of a table in ``table_schema`` is typed with ``cls``."""
        entry = self._entry(cls)
        if entry.first_use is None:
            entry.first_use, entry.first_schema = (loaded, line), table_schema

    def declare_listed(self, loaded: LoadedModule, listed: Any) -> None:
        """``__enums__ = [UserRole, ...]``: enums declared even when no column uses them."""
        if listed is None:
            return
        line = loaded.lines.module.names.get("__enums__")
        items = listed if isinstance(listed, list | tuple) else [listed]
        for item in items:
            if not (isinstance(item, type) and issubclass(item, enum.Enum)):
                self.problems.add(f"__enums__ lists {item!r}, which is not an enum.Enum class", loaded.file, line)
                continue
            entry = self._entry(item)
            if entry.listed is None:
                entry.listed = (loaded, line)

    def resolve(self, modules: list[LoadedModule]) -> None:
        """Decide each enum's name, schema and declaring file; report collisions and bad values."""
        by_module = {m.module.__name__: m for m in modules}
        taken: dict[tuple[str, str], _Entry] = {}
        for entry in self.entries.values():
            cls = entry.cls
            options = enum_options(cls)
            defining = by_module.get(cls.__module__)
            if defining is not None:
                lines = defining.lines.of(cls.__qualname__)
                entry.owner, entry.line, entry.member_lines = defining, lines.line, lines.names
            else:
                entry.owner, entry.line = entry.listed or entry.first_use or (None, None)
            owner_schema = getattr(defining.module, "__schema__", None) if defining else None
            entry.schema = options.schema or entry.first_schema or owner_schema or "public"
            entry.name = options.name or snake_case(cls.__name__)
            entry.valid = self._check_values(entry)
            key = (entry.schema, entry.name)
            if key in taken:
                first = taken[key]
                self.error(
                    entry,
                    f"the enum {dotted(*key)} is also declared by class {first.cls.__qualname__} "
                    f"({first.owner.file if first.owner else '?'}:{first.line})",
                    "name one of them: @enum_type(name=...)",
                )
                entry.valid = False
            else:
                taken[key] = entry
        self.resolved = True

    def error(self, entry: _Entry, message: str, hint: str | None = None, line: int | None = None) -> None:
        file = entry.owner.file if entry.owner else "<unknown>"
        self.problems.add(f"enum {entry.cls.__qualname__}: {message}", file, line or entry.line, hint)

    def _check_values(self, entry: _Entry) -> bool:
        good = True
        for member in entry.cls:
            if not isinstance(member.value, str):
                self.error(
                    entry,
                    f"member {member.name} has the value {member.value!r} ({type(member.value).__name__}); "
                    "PostgreSQL enum labels are the members' values, and must be text",
                    "give every member a text value; with enum.StrEnum, auto() gives the lowercase member name",
                    entry.member_lines.get(member.name),
                )
                good = False
        return good

    def type_text(self, cls: type[enum.Enum]) -> str:
        """The column type that names the enum of ``cls`` (qualified, so it resolves anywhere)."""
        entry = self.entries[cls]
        return dotted(entry.schema, entry.name)

    def write(self, loaded: LoadedModule, root: YamlMap) -> None:
        """Put the enums this module declares into its data, under their schemas."""
        for entry in self.entries.values():
            if entry.owner is not loaded or not entry.valid:
                continue
            options = enum_options(entry.cls)
            schemas = child(root, "schemas", entry.line)
            enums = child(child(schemas, entry.schema, entry.line), "enums", entry.line)
            body = put(enums, entry.name, YamlMap(entry.line or 0), entry.line)
            values = YamlList(entry.line or 0)
            for member in entry.cls:
                append(values, member.value, entry.member_lines.get(member.name, entry.line))
            put(body, "values", values, entry.line)
            renamed = self._renamed(entry, options.renamed_values, options.renamed_from_names)
            if renamed:
                written_here = options.site.file == loaded.module.__file__
                put(body, "renamed_values", renamed, options.site.line if written_here else entry.line)
            if options.removed_values:
                try:
                    removed = plain(options.removed_values)
                except ValueProblem as err:
                    self.error(entry, f"removed_values: {err.message}", err.hint)
                else:
                    written_here = options.site.file == loaded.module.__file__
                    put(body, "removed_values", removed, options.site.line if written_here else entry.line)
            if options.comment is not None:
                put(body, "comment", options.comment, entry.line)
            if options.renamed_from is not None:
                put(body, "renamed_from", options.renamed_from, entry.line)

    def _renamed(self, entry: _Entry, declared: Any, from_names: bool) -> dict[str, Any]:
        renamed: dict[str, Any] = {}
        if from_names:
            renamed.update({m.name: m.value for m in entry.cls if m.name != m.value})
        if declared:
            try:
                renamed.update(plain(declared))
            except ValueProblem as err:
                self.error(entry, f"renamed_values: {err.message}", err.hint)
        return renamed
