"""Merging every file's declarations into one registry, refusing anything declared twice.

A schema may span files (``public``'s tables in several files merge); a table, an enum, an
extension or a schema's comment is declared in exactly one place, and a second declaration is an
error that names both places (conventions merge in :mod:`.conventions`). Namespaces, extensions
and enums are simple enough to become model objects here; tables are kept as specs for
:mod:`.build`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.base import Spec
from pgreconcile.declare.spec.language import EnumSpec, MaterializedViewSpec, TableSpec, ViewSpec
from pgreconcile.declare.spec.names import MAX_IDENTIFIER_BYTES, too_long, truncated
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.spec.type_specs import DomainSpec, TypeSpec
from pgreconcile.declare.yaml.source import line_source
from pgreconcile.model.objects import Enum, Extension, Namespace, Origin

S = TypeVar("S", bound=Spec)


@dataclass(frozen=True, slots=True)
class Declared(Generic[S]):
    """A spec, where it was declared, and the YAML data it was read from (for line numbers)."""

    spec: S
    origin: Origin
    source: Any = None

    @property
    def file(self) -> str:
        return self.origin.file


@dataclass
class Registry:
    """Everything declared across all files, each object once."""

    namespaces: dict[str, Namespace] = field(default_factory=dict)
    extensions: dict[str, Extension] = field(default_factory=dict)
    enums: dict[tuple[str, str], Enum] = field(default_factory=dict)
    tables: dict[tuple[str, str], Declared[TableSpec]] = field(default_factory=dict)
    # [views]
    views: dict[tuple[str, str], Declared[ViewSpec]] = field(default_factory=dict)
    materialized_views: dict[tuple[str, str], Declared[MaterializedViewSpec]] = field(default_factory=dict)
    #: Where each schema's comment was declared (a comment is declared in one place).
    comments: dict[str, Origin] = field(default_factory=dict)
    # [constraints-types] built once every type name is known (see declare.build.types).
    domains: dict[tuple[str, str], Declared[DomainSpec]] = field(default_factory=dict)
    types: dict[tuple[str, str], Declared[TypeSpec]] = field(default_factory=dict)


_SYSTEM_SCHEMAS = frozenset({"pg_catalog", "information_schema"})


def schema_entries(documents: Sequence[Document], key: str) -> Iterator[tuple[str, str, Any, Origin]]:
    """``(schema, name, spec, origin)`` of every entry of ``schemas.<s>.<key>`` (``operators``,
    ``casts``, ``collations``) in every file, in file order."""
    for doc in documents:
        for schema, spec in doc.spec.schemas.items():
            for name, entry in getattr(spec, key).items():
                yield schema, name, entry, Origin(doc.file, doc.line("schemas", schema, key, name))


def check_name(name: str, what: str, origin: Origin, problems: Problems) -> None:
    """Report a name PostgreSQL cannot store as written (empty, NUL, or over 63 bytes), or one
    holding a control character."""
    if not name.strip():
        problems.at(origin, f"{what} has an empty name")
    elif "\x00" in name:
        problems.at(origin, f"{what} {name!r} contains a NUL character")
    elif not name.isprintable():
        # A line break or escape in a name would end the `-- step` comment of `plan --sql` (the
        # rest running as SQL when piped to psql) or rewrite a terminal line; no schema needs one.
        problems.at(
            origin,
            f"{what} {name!r} contains a control character",
            "use printable characters only in names (no line breaks, tabs or escapes)",
        )
    elif too_long(name):
        problems.at(
            origin,
            f"{what} name {name!r} is longer than {MAX_IDENTIFIER_BYTES} bytes; "
            f"PostgreSQL would store it as {truncated(name)!r}",
            "shorten the name so that the declared and the stored name are the same",
        )


def collect(documents: Sequence[Document], problems: Problems) -> Registry:
    """Merge the documents in order; duplicates are recorded in ``problems``."""
    registry = Registry()
    for doc in documents:
        for name in doc.spec.extensions:
            _extension(doc, name, registry, problems)
        for name in doc.spec.schemas:
            _schema(doc, name, registry, problems)
    return registry


def _extension(doc: Document, name: str, registry: Registry, problems: Problems) -> None:
    origin = Origin(doc.file, doc.line("extensions", name))
    first = registry.extensions.get(name)
    spec = doc.spec.extensions[name]
    declared = Extension(name, spec.schema_, origin, version=spec.version, comment=spec.comment)
    if first is not None:
        # An extension belongs to the database, not to one file: per-schema files (as
        # `reconcile inspect --schema X` writes them) each repeat it. The same declaration twice
        # is one declaration; two that disagree stay an error.
        if first != declared or (first.version, first.comment) != (declared.version, declared.comment):
            _twice(problems, origin, f"extension {name}", first.origin)
        return
    registry.extensions[name] = declared


def _schema(doc: Document, name: str, registry: Registry, problems: Problems) -> None:
    """One file's part of a schema: its comment (once across files), enums and tables."""
    schema = doc.spec.schemas[name]
    namespace = registry.namespaces.get(name)
    if namespace is None:
        origin = Origin(doc.file, doc.line("schemas", name))
        check_name(name, "schema", origin, problems)
        if name in _SYSTEM_SCHEMAS or name.startswith(("pg_toast", "pg_temp")):
            # PostgreSQL's own catalogs: nothing can be created there, and the error would come
            # only at apply, worded about something else.
            problems.at(
                origin,
                f"schema {name} belongs to PostgreSQL itself and cannot be declared",
                "declare your objects in a schema of your own (public, app, …)",
            )
        namespace = Namespace(name, None, origin)
    if schema.comment is not None:
        comment_origin = Origin(doc.file, doc.line("schemas", name, "comment"))
        if name in registry.comments:
            _twice(problems, comment_origin, f"the comment of schema {name}", registry.comments[name])
        else:
            registry.comments[name] = comment_origin
            namespace = Namespace(name, schema.comment, namespace.origin)
    registry.namespaces[name] = namespace
    for enum_name, enum_spec in schema.enums.items():
        path = ("schemas", name, "enums", enum_name)
        origin = Origin(doc.file, doc.line(*path))
        key = (name, enum_name)
        if key in registry.enums:
            _twice(problems, origin, f"enum {name}.{enum_name}", registry.enums[key].origin)
            continue
        check_name(enum_name, "enum", origin, problems)
        _labels(enum_spec, f"enum {name}.{enum_name}", doc, path, problems)
        former = None
        if enum_spec.renamed_from is not None:
            old_schema, _, old_name = enum_spec.renamed_from.rpartition(".")
            former = (old_schema or name, old_name)
        registry.enums[key] = Enum(
            name,
            enum_name,
            tuple(enum_spec.values),
            enum_spec.comment,
            origin,
            renamed_from=former,
            renamed_values=tuple(enum_spec.renamed_values.items()),
            removed_values=tuple(enum_spec.removed_values.items()),
        )
    # [constraints-types]
    for type_name, domain_spec in schema.domains.items():
        if _new_type(doc, name, "domain", type_name, registry, problems):
            path = ("schemas", name, "domains", type_name)
            origin = Origin(doc.file, doc.line(*path))
            registry.domains[(name, type_name)] = Declared(domain_spec, origin, line_source(doc.source, path))
    for type_name, type_spec in schema.types.items():
        if _new_type(doc, name, "type", type_name, registry, problems):
            path = ("schemas", name, "types", type_name)
            origin = Origin(doc.file, doc.line(*path))
            registry.types[(name, type_name)] = Declared(type_spec, origin, line_source(doc.source, path))
    for table_name, table in schema.tables.items():
        path = ("schemas", name, "tables", table_name)
        origin = Origin(doc.file, doc.line(*path))
        key = (name, table_name)
        if key in registry.tables:
            _twice(problems, origin, f"table {name}.{table_name}", registry.tables[key].origin)
            continue
        check_name(table_name, "table", origin, problems)
        registry.tables[key] = Declared(table, origin, line_source(doc.source, path))
    # [views]
    _views(doc, name, "views", schema.views, registry.views, problems)
    _views(doc, name, "materialized_views", schema.materialized_views, registry.materialized_views, problems)


def _views(
    doc: Document,
    schema: str,
    kind: str,
    found: dict[str, S],
    pool: dict[tuple[str, str], Declared[S]],
    problems: Problems,
) -> None:
    """One file's views (or materialized views) of a schema, each declared once."""
    what = kind[:-1].replace("_", " ")
    for view_name, spec in found.items():
        path = ("schemas", schema, kind, view_name)
        origin = Origin(doc.file, doc.line(*path))
        if (schema, view_name) in pool:
            _twice(problems, origin, f"{what} {schema}.{view_name}", pool[(schema, view_name)].origin)
            continue
        check_name(view_name, what, origin, problems)
        pool[(schema, view_name)] = Declared(spec, origin, line_source(doc.source, path))


def _new_type(doc: Document, schema: str, kind: str, name: str, registry: Registry, problems: Problems) -> bool:
    """Whether ``schema.name`` is declared here for the first time as a domain or type (one
    pg_type name space); reports the second declaration otherwise."""
    origin = Origin(doc.file, doc.line("schemas", schema, f"{kind}s", name))
    first = registry.domains.get((schema, name)) or registry.types.get((schema, name))
    if first is not None:
        _twice(problems, origin, f"{kind} {schema}.{name}", first.origin)
        return False
    check_name(name, kind, origin, problems)
    return True


def _twice(problems: Problems, second: Origin | None, what: str, first: Origin | None) -> None:
    problems.at(
        second,
        f"{what} is declared twice: at {first} and at {second}",
        "declare each object in one place; remove or merge one of the two",
    )


def _labels(spec: EnumSpec, what: str, doc: Document, path: tuple[str, ...], problems: Problems) -> None:
    seen: set[str] = set()
    for i, label in enumerate(spec.values):
        origin = Origin(doc.file, doc.line(*path, "values", i))
        if label in seen:
            problems.at(origin, f"{what}: label {label!r} is listed twice")
        seen.add(label)
        if not label:
            problems.at(origin, f"{what}: a label cannot be empty")
        elif too_long(label):
            problems.at(origin, f"{what}: label {label!r} is longer than {MAX_IDENTIFIER_BYTES} bytes")
    for old, new in spec.renamed_values.items():
        if new not in seen:
            origin = Origin(doc.file, doc.line(*path, "renamed_values", old))
            problems.at(
                origin,
                f"{what}: renamed_values maps {old!r} to {new!r}, which is not a label",
                f"labels: {', '.join(spec.values)}",
            )
    for old, replacement in spec.removed_values.items():
        origin = Origin(doc.file, doc.line(*path, "removed_values", old))
        if old in seen:
            problems.at(
                origin,
                f"{what}: removed_values names {old!r}, which is still a declared label",
                "list a label in removed_values only once it is no longer in values",
            )
        elif replacement is not None and replacement not in seen:
            problems.at(
                origin,
                f"{what}: removed_values maps {old!r} to {replacement!r}, which is not a label",
                f"map it to one of {', '.join(spec.values)}, or to null (its rows get NULL)",
            )

