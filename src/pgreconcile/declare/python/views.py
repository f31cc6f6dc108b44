"""Views and materialized views in Python declaration files.

``recent_notes = view("SELECT …", security_invoker=True)`` at module level declares the view
``recent_notes`` (``name=`` overrides the variable name) in ``schema=``, else the module's
``__schema__``, else ``public``; ``materialized_view(…)`` likewise, with ``indexes=[index(…)]``.
Both are written as the same data a YAML file holds (``schemas: {s: {views: …}}``), at the line
of the call, so validation and every later stage are the YAML ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pgreconcile.declare.python.api import CallSite, Item, _call_site, _given
from pgreconcile.declare.python.data import child, data, put, with_lines
from pgreconcile.declare.python.lines import LoadedModule
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.yaml.source import YamlMap


@dataclass(frozen=True, slots=True)
class ViewDeclaration:
    """What ``view(...)`` or ``materialized_view(...)`` recorded."""

    kind: str  # "views" or "materialized_views"
    body: Mapping[str, Any]
    name: str | None = None
    schema: str | None = None
    indexes: tuple[Any, ...] = ()
    site: CallSite = field(default_factory=CallSite)


def view(
    query: str,
    *,
    name: str | None = None,
    schema: str | None = None,
    security_invoker: bool | None = None,
    security_barrier: bool | None = None,
    check_option: str | None = None,
    comment: str | None = None,
    columns: Mapping[str, str] | None = None,
    renamed_from: str | None = None,
    grants: Mapping[str, Any] | None = None,
    owner: str | None = None,
) -> ViewDeclaration:
    """A view: its query (unqualified names resolve in its schema) and options; ``columns``
    maps a column name to its comment; ``grants`` is role → privileges (``{"anon": ["select"]}``)."""
    body = {
        "query": query,
        **_given(
            security_invoker=security_invoker,
            security_barrier=security_barrier,
            check_option=check_option,
            comment=comment,
            columns=dict(columns) if columns else None,
            renamed_from=renamed_from,
            grants=dict(grants) if grants is not None else None,
            owner=owner,
        ),
    }
    return ViewDeclaration("views", body, name, schema, (), _call_site())


def materialized_view(
    query: str,
    *,
    name: str | None = None,
    schema: str | None = None,
    storage: Mapping[str, Any] | None = None,
    indexes: Sequence[Item] = (),
    comment: str | None = None,
    columns: Mapping[str, str | Mapping[str, Any]] | None = None,
    renamed_from: str | None = None,
    grants: Mapping[str, Any] | None = None,
    owner: str | None = None,
) -> ViewDeclaration:
    """A materialized view (created populated): its query, storage parameters, indexes
    (``index(...)`` entries) and comments; ``columns`` maps a column to its comment, or to
    ``{"comment": …, "storage": "external", "statistics": 500}``."""
    body = {
        "query": query,
        **_given(
            storage=dict(storage) if storage else None,
            comment=comment,
            columns=dict(columns) if columns else None,
            renamed_from=renamed_from,
            grants=dict(grants) if grants is not None else None,
            owner=owner,
        ),
    }
    return ViewDeclaration("materialized_views", body, name, schema, tuple(indexes), _call_site())


def write_views(loaded: LoadedModule, root: YamlMap, problems: Problems) -> None:
    """Every view declared at module level in ``loaded``, written into ``root``."""
    module = loaded.module
    default_schema = getattr(module, "__schema__", None)
    for variable, value in vars(module).items():
        if not isinstance(value, ViewDeclaration):
            continue
        line = value.site.line if value.site.file == loaded.file else loaded.lines.module.names.get(variable)
        schema = value.schema or (default_schema if isinstance(default_schema, str) else "public")
        body = dict(data(dict(value.body)))
        indexes: dict[str, Any] = {}
        for item in value.indexes:
            if not isinstance(item, Item) or item.kind != "indexes" or item.name is None:
                problems.add(f"materialized view {variable}: indexes= holds index(...) entries", loaded.file, line)
                continue
            indexes[item.name] = data(dict(item.body))
        if indexes:
            body["indexes"] = indexes
        schemas = child(root, "schemas", line)
        kind = child(child(schemas, schema, line), value.kind, line)
        put(kind, value.name or variable, with_lines(body, line), line)
