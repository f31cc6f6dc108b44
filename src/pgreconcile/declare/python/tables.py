"""Imported Python declaration modules → the plain data a YAML file holds, with lines.

The result of :func:`module_documents` is, for each module, exactly the mapping a YAML file
declaring the same schema would be read into (with the line of every key, see
:mod:`.data`), so it is validated by the same language definition, and errors and
origins point into the ``.py`` file. Only what Python adds is checked here: annotations
(:mod:`.types`), enums by value (:mod:`.enums`), the options of ``column(...)``
and the shape of the table-level ``__dunder__`` attributes (the module-level ones are read by
:mod:`.module_attributes`).
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import PydanticCustomError

from pgreconcile.declare.python.api import ColumnInfo, Item, Table, snake_case
from pgreconcile.declare.python.data import append, child, data, put, with_lines
from pgreconcile.declare.python.enums import EnumRegistry
from pgreconcile.declare.python.lines import Lines, LoadedModule
from pgreconcile.declare.python.module_attributes import MODULE_ATTRIBUTES, module_keys, report_typos
from pgreconcile.declare.python.routines import routine_keys  # [routines]
from pgreconcile.declare.python.types import AnnotationProblem, Mapped, group_key_type, map_annotation
from pgreconcile.declare.python.values import ValueProblem, plain
from pgreconcile.declare.python.views import write_views
from pgreconcile.declare.spec.language import ReferenceSpec
from pgreconcile.declare.spec.names import dotted
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.yaml.source import YamlList, YamlMap

#: Table-level attributes, and the key of the language each one fills.
TABLE_ATTRIBUTES = {
    "__primary_key__": "primary_key",
    "__unique__": "unique",
    "__foreign_keys__": "foreign_keys",
    "__checks__": "checks",
    "__indexes__": "indexes",
    "__exclusions__": "exclusions",  # [constraints-types]
    "__rls__": "rls",
    "__policies__": "policies",
    "__triggers__": "triggers",  # [routines]
    "__statistics__": "statistics",
    "__rules__": "rules",
    # [partitions]
    "__partition_by__": "partition_by",
    "__partitions__": "partitions",
    # [privileges]
    "__grants__": "grants",
    "__owner__": "owner",
    # [sequences]
    "__unlogged__": "unlogged",
    "__options__": "options",
    "__replica_identity__": "replica_identity",
    "__cluster_on__": "cluster_on",
    "__foreign__": "foreign",  # [foreign] {"server": ..., "options": {...}}
    # [inheritance] the parent tables, in order: names (`parent`, `schema.parent`) or Table classes
    "__inherits__": "inherits",
    "__of__": "of",  # a typed table's composite type: "type" or "schema.type"
}

# column(...) keys written to the language as they are.
_COLUMN_KEYS = (
    "primary_key", "unique", "identity", "default_sql", "check", "comment", "renamed_from", "grants",
    # [sequences]
    "generated", "virtual", "sequence", "collation", "compression", "storage", "statistics", "options",
    "not_null",  # PostgreSQL 18: the NOT NULL's constraint name
)
_GROUP_KEYS = ("absorbs", "index", "validate")
_REFERENCE_OPTIONS = ("on_delete", "on_update", "deferrable", "initially_deferred")
_HELPERS = {
    "checks": "check", "indexes": "index", "policies": "policy", "foreign_keys": "foreign_key",
    "triggers": "trigger",  # [routines]
    "exclusions": "exclusion",  # [constraints-types]
    "statistics": "statistics", "rules": "rule",
}
_MISSING = object()


def table_key(cls: type[Table]) -> tuple[str, str]:
    """The (schema, name) a table class declares.

    The schema is the class's own ``schema=``, else the nearest abstract base's, else its
    module's ``__schema__``, else ``public``; the name is ``name=`` or the class name in snake_case.
    """
    schema: Any = next((c.__dict__["__table_options__"].schema for c in cls.__mro__ if _own_schema(c)), None)
    if schema is None:
        schema = getattr(inspect.getmodule(cls), "__schema__", None)
    return schema if isinstance(schema, str) else "public", cls.__table_options__.name or snake_case(cls.__name__)


def _own_schema(cls: type) -> bool:
    options = cls.__dict__.get("__table_options__")
    return options is not None and options.schema is not None


def module_documents(modules: Sequence[LoadedModule], problems: Problems) -> list[YamlMap]:
    """The declaration data of each module, in the same order."""
    declared_here = {m.module.__name__ for m in modules}
    claimed: set[type[Table]] = set()
    drafts = [
        [_read_table(cls, m, lines, problems) for cls, lines in _tables_of(m, declared_here, claimed, problems)]
        for m in modules
    ]
    # Enums first, so that every column knows its enum's name and schema, wherever it is declared.
    enums = EnumRegistry(problems)
    for loaded, tables in zip(modules, drafts, strict=True):
        enums.declare_listed(loaded, getattr(loaded.module, "__enums__", None))
        for table in tables:
            for f in table.fields:
                if f.mapped is not None and f.mapped.enum is not None and "type" not in f.options:
                    enums.use(f.mapped.enum, table.schema, loaded, f.line)
    enums.resolve(list(modules))
    out = []
    for loaded, tables in zip(modules, drafts, strict=True):
        root = YamlMap(1)
        module_keys(loaded, root, problems)
        routine_keys(loaded, root, problems)  # [routines]
        for table in tables:
            table.write(root, enums)
        enums.write(loaded, root)
        write_views(loaded, root, problems)  # [views]
        out.append(root)
    return out


def _tables_of(
    loaded: LoadedModule, declared_here: set[str], claimed: set[type[Table]], problems: Problems
) -> list[tuple[type[Table], Lines]]:
    """The table classes this module declares, in the order they appear, with their lines.

    Those it defines, and those it imports from a module that is not a declaration file (an
    application package): these are declared by the first file that imports them, at the line
    of the import, so that sharing a table class never declares it twice or not at all."""
    namespace = vars(loaded.module)
    report_typos(namespace, MODULE_ATTRIBUTES, loaded.file, loaded.lines.module, problems)
    found: list[tuple[type[Table], Lines]] = []
    for name, value in namespace.items():
        if not (isinstance(value, type) and issubclass(value, Table)) or value in claimed:
            continue
        if value.__dict__["__table_options__"].abstract:
            continue
        if value.__module__ == loaded.module.__name__:
            lines = loaded.lines.of(value.__qualname__)
        elif value.__module__ not in declared_here:
            lines = Lines(loaded.lines.module.names.get(name))
        else:
            continue  # declared by the declaration file that defines it
        claimed.add(value)
        found.append((value, lines))
    return found


@dataclass
class _Field:
    """One annotated field of a table class, read."""

    attr: str
    column: str
    mapped: Mapped | None  # None: the annotation was reported as a problem
    options: dict[str, Any]
    group: bool
    line: int | None
    keyword_lines: Mapping[str, int]
    default: Any = _MISSING

    def at(self, key: str) -> int | None:
        """The line of ``key=`` in the field's ``column(...)`` call, else the field's."""
        return self.keyword_lines.get(key, self.line)


@dataclass
class _TableDraft:
    """A table class, read; :meth:`write` puts it into its module's data."""

    cls: type[Table]
    loaded: LoadedModule
    schema: str
    name: str
    lines: Lines
    problems: Problems
    fields: list[_Field] = field(default_factory=list)

    def error(self, line: int | None, message: str, hint: str | None = None) -> None:
        where = f"table {self.schema}.{self.name} (class {self.cls.__qualname__})"
        self.problems.add(f"{where}: {message}", self.loaded.file, line or self.lines.line, hint)

    def write(self, root: YamlMap, enums: EnumRegistry) -> None:
        line = self.lines.line
        tables = child(child(child(root, "schemas", line), self.schema, line), "tables", line)
        if self.name in tables:
            first = tables.key_lines[self.name]
            self.error(None, f"the table is declared twice in this file (first at line {first})", "give one a name=")
            return
        body = child(tables, self.name, line)
        options = self.cls.__table_options__
        if options.comment is not None:
            put(body, "comment", options.comment, self.lines.class_keywords.get("comment", line))
        columns, groups = YamlMap(line or 0), YamlMap(line or 0)
        for f in self.fields:
            if f.column in columns or f.column in groups:
                self.error(f.line, f"two fields declare the column {f.column!r}")
            elif f.group:
                put(groups, f.column, self.group(f), f.line)
            else:
                put(columns, f.column, self.column(f, enums), f.line)
        if columns:
            put(body, "columns", columns, line)
        for attribute, key in TABLE_ATTRIBUTES.items():
            if attribute in self.cls.__dict__:
                value = self.collection(attribute, key, self.cls.__dict__[attribute])
                if value is not None:
                    put(body, key, value, self.lines.names.get(attribute, line))
        if groups:
            put(body, "groups", groups, line)
        if options.prevent_destroy:
            put(body, "prevent_destroy", True, self.lines.class_keywords.get("prevent_destroy", line))
        if options.renamed_from is not None:
            put(body, "renamed_from", options.renamed_from, self.lines.class_keywords.get("renamed_from", line))

    # -- columns and groups ------------------------------------------------------------------

    def column(self, f: _Field, enums: EnumRegistry) -> YamlMap:
        spec = YamlMap(f.line or 0)
        for key in ("keys", *_GROUP_KEYS):
            if key in f.options:
                hint = "declare indexes in __indexes__" if key == "index" else None
                self.error(f.at(key), f"field {f.attr}: {key}= belongs to a JSONB group (a pydantic-model field)", hint)
        if "type" in f.options:
            put(spec, "type", f.options["type"], f.at("type"))
        elif f.mapped is not None and f.mapped.enum is not None:
            put(spec, "type", enums.type_text(f.mapped.enum), f.line)
        elif f.mapped is not None and f.mapped.sql_type is not None:
            put(spec, "type", f.mapped.sql_type, f.line)
        if f.mapped is not None and not f.mapped.nullable:
            put(spec, "nullable", False, f.line)
        elif f.mapped is not None:
            for key, what in (("primary_key", "a primary key column"), ("identity", "an identity column"),
                              ("not_null", "declared NOT NULL (not_null=)")):
                if key in f.options:
                    self.error(f.at(key), f"field {f.attr} is {what}, which cannot be nullable", "remove `| None`")
        for key in _COLUMN_KEYS:
            if key in f.options:
                put(spec, key, data(f.options[key]), f.at(key))
        if f.default is not _MISSING or "default" in f.options:
            try:
                put(spec, "default", plain(f.options.get("default", f.default)), f.at("default"))
            except ValueProblem as err:
                self.error(f.at("default"), f"field {f.attr}: {err.message}", err.hint)
        if "convert" in f.options:
            put(spec, "convert", data(f.options["convert"]), f.at("convert"))
        reference = self.reference(f)
        if reference is not None:
            lines: dict[str | int, int] = {k: f.keyword_lines[k] for k in _REFERENCE_OPTIONS if k in f.keyword_lines}
            put(spec, "references", with_lines(reference, f.at("references"), lines), f.at("references"))
        return spec

    def reference(self, f: _Field) -> Any:
        target = f.options.get("references")
        extra = {key: data(f.options[key]) for key in _REFERENCE_OPTIONS if key in f.options}
        if target is None:
            for key in extra:
                self.error(f.at(key), f"field {f.attr}: {key}= needs references=")
            return None
        if isinstance(target, type) and issubclass(target, Table):
            if target.__table_options__.abstract:
                self.error(f.at("references"), f"field {f.attr}: references= names an abstract class")
                return None
            return {"table": dotted(*table_key(target)), **extra}
        if isinstance(target, str) and extra:
            try:
                return {**ReferenceSpec.expand(target), **extra}
            except PydanticCustomError as err:
                context = err.context or {}
                self.error(f.at("references"), f"field {f.attr}: references: {context.get('message')}")
                return None
        return data(target)

    def group(self, f: _Field) -> YamlMap:
        spec = YamlMap(f.line or 0)
        for key in f.options:
            if key not in (*_GROUP_KEYS, "keys"):
                self.error(
                    f.at(key),
                    f"field {f.attr} is a JSONB group, where {key}= does not apply",
                    "a group takes index=, absorbs= and validate= (and keys= when typed dict)",
                )
        model = f.mapped.model if f.mapped is not None else None
        keys = YamlMap(f.line or 0)
        if model is not None:
            if "keys" in f.options:
                self.error(f.at("keys"), f"field {f.attr}: the keys come from {model.__name__}; remove keys=")
            for key, info in model.model_fields.items():
                try:
                    put(keys, key, group_key_type(info.annotation), f.line)
                except AnnotationProblem as err:
                    self.error(f.line, f"field {f.attr}: key {key} of {model.__name__}: {err.message}", err.hint)
        elif isinstance(f.options.get("keys"), Mapping):
            for key, value in f.options["keys"].items():
                put(keys, str(key), data(value), f.at("keys"))
        put(spec, "keys", keys, f.line)
        for key in _GROUP_KEYS:
            if key in f.options:
                put(spec, key, data(f.options[key]), f.at(key))
        return spec

    # -- table-level collections -------------------------------------------------------------

    def collection(self, attribute: str, key: str, value: Any) -> Any:
        """``__indexes__``, ``__policies__``, ... as the language's table key (None: reported)."""
        line = self.lines.names.get(attribute, self.lines.line)
        item_lines = self.lines.keys.get(attribute, {})
        if isinstance(value, Item):
            if key not in ("primary_key", "rls"):
                self.error(line, f"{attribute} must be a list of {_HELPERS.get(key, key)}(...) entries")
                return None
            return self.item_body(value, key, attribute, self.site_line(value, line))
        if isinstance(value, Mapping | str | bool) or key == "primary_key":
            return with_lines(data(value), line, item_lines)  # the YAML shape, written as Python data
        if not isinstance(value, list | tuple):
            self.error(line, f"{attribute} must be a list, got {type(value).__name__}")
            return None
        if key == "inherits":  # [inheritance] names, or the parents' Table classes
            names = YamlList(line or 0)
            for i, item in enumerate(value):
                parent = dotted(*table_key(item)) if isinstance(item, type) and issubclass(item, Table) else item
                append(names, data(parent), item_lines.get(i, line))
            return names
        if key == "unique":
            # YAML's list form: entries are unique(...) or a list of column names.
            items = YamlList(line or 0)
            for i, item in enumerate(value):
                at = self.site_line(item, item_lines.get(i, line))
                body = self.item_body(item, key, attribute, at) if isinstance(item, Item) else data(item)
                if body is not None:
                    append(items, body, at)
            return items
        keyed = YamlMap(line or 0)
        for i, item in enumerate(value):
            at = self.site_line(item, item_lines.get(i, line))
            if not isinstance(item, Item) or item.name is None:
                self.error(at, f"{attribute}[{i}] must be made with {_HELPERS.get(key, key)}(...)")
                continue
            body = self.item_body(item, key, attribute, at)
            if body is None:
                continue
            if item.name in keyed:
                self.error(at, f"{attribute}: the name {item.name!r} is used twice")
                continue
            put(keyed, item.name, body, at)
        return keyed

    def item_body(self, item: Item, key: str, attribute: str, line: int | None) -> Any:
        if item.kind != key:
            wanted, got = _HELPERS.get(key, key), _HELPERS.get(item.kind, item.kind)
            self.error(line, f"{attribute} holds {wanted}(...) entries, not {got}(...)")
            return None
        body = data(dict(item.body))
        if key == "checks" and set(body) == {"expression"}:
            return body["expression"]  # the short form, as a YAML file would write it
        if key in ("primary_key", "unique") and item.name is not None:
            body = {"name": item.name, **body}
        if key == "foreign_keys":
            target = item.body["references"]["table"]
            if isinstance(target, type) and issubclass(target, Table):
                body["references"] = {**item.body["references"], "table": dotted(*table_key(target))}
        return with_lines(body, line)

    def site_line(self, item: Any, fallback: int | None) -> int | None:
        """The line of a helper call made in this file (an entry of a list may span lines)."""
        if isinstance(item, Item) and item.site.line is not None and item.site.file == self.loaded.module.__file__:
            return item.site.line
        return fallback


def _read_table(cls: type[Table], loaded: LoadedModule, lines: Lines, problems: Problems) -> _TableDraft:
    """Read one table class: its fields, in base-first order, each mapped to a column or group."""
    schema, name = table_key(cls)
    draft = _TableDraft(cls, loaded, schema, name, lines, problems)
    for base in cls.__mro__[1:]:
        if issubclass(base, Table) and base is not Table and not base.__dict__["__table_options__"].abstract:
            draft.error(
                None,
                f"inherits from the table class {base.__qualname__}; a table cannot inherit another table",
                f"make the shared base abstract: class {base.__qualname__}(Table, abstract=True)",
            )
    report_typos(cls.__dict__, list(TABLE_ATTRIBUTES), loaded.file, draft.lines, problems)
    position: dict[str, int] = {}
    for owner in reversed(cls.__mro__):
        if not issubclass(owner, Table) or owner is Table:
            continue
        # Lines are known for the fields written in this class; inherited ones point at it.
        lines = draft.lines if owner is cls else Lines(draft.lines.line)
        for attr, annotation in inspect.get_annotations(owner).items():
            if attr.startswith("__") and attr.endswith("__"):
                continue
            read = _read_field(draft, owner, attr, annotation, lines)
            if read is None:
                continue
            if attr in position:
                draft.fields[position[attr]] = read  # redefined in a subclass: keeps its place
            else:
                position[attr] = len(draft.fields)
                draft.fields.append(read)
    return draft


def _read_field(draft: _TableDraft, owner: type, attr: str, annotation: Any, lines: Lines) -> _Field | None:
    line = lines.names.get(attr, lines.line)
    if isinstance(annotation, str):  # `from __future__ import annotations`
        # Module names first, then the class body's, as typing.get_type_hints does: a field
        # called `uuid` must not hide the module in `uuid.UUID`.
        module = inspect.getmodule(owner)
        try:
            annotation = eval(annotation, dict(vars(owner)), dict(vars(module)) if module else {})
        except Exception as err:  # an annotation that names something missing: the user's to fix
            draft.error(line, f"field {attr}: the annotation {annotation!r} fails: {type(err).__name__}: {err}")
            return None
    if annotation is typing.ClassVar or typing.get_origin(annotation) is typing.ClassVar:
        return None
    value = _class_value(draft.cls, attr)
    mapped: Mapped | None = None
    given = value.options if isinstance(value, ColumnInfo) else {}
    try:
        mapped = map_annotation(annotation)
    except AnnotationProblem as err:
        if "type" not in given:
            draft.error(line, f"field {attr}: {err.message}", err.hint)
        else:  # column(type=...) says the type; the annotation only says whether None is allowed
            mapped = Mapped(nullable=_allows_none(annotation))
    info = value if isinstance(value, ColumnInfo) else (mapped.info if mapped else None)
    options = dict(info.options) if info else {}
    is_model = mapped is not None and mapped.model is not None and "type" not in options
    if info is not None and info.group and not is_model and (mapped is None or mapped.sql_type != "jsonb"):
        draft.error(line, f"field {attr}: group(...) needs a pydantic model (or dict) annotation")
        return None
    default = value if not isinstance(value, ColumnInfo) and value is not None else _MISSING
    return _Field(
        attr,
        str(options.pop("name", attr)),
        mapped,
        options,
        bool(info and info.group) or is_model,
        line,
        lines.keywords.get(attr, {}),
        default,
    )


def _class_value(cls: type, attr: str) -> Any:
    """The value assigned to ``attr`` in the class body or a base's (or ``_MISSING``)."""
    for owner in cls.__mro__:
        if attr in owner.__dict__:
            return owner.__dict__[attr]
    return _MISSING


def _allows_none(annotation: Any) -> bool:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return type(None) in typing.get_args(annotation)
    return False
