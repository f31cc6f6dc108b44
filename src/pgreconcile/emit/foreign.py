"""Foreign data as the declaration language writes it: ``foreign_data_wrappers:``,
``foreign_servers:`` (YAML, and the same data for Python's ``__foreign_…__``), and a table's
``foreign:``."""

from __future__ import annotations

from pgreconcile.model import Schema
from pgreconcile.model.foreign import UserMapping, shown
from pgreconcile.model.objects import Table


def wrappers_data(schema: Schema) -> dict[str, object]:
    """Every wrapper by name, with only what it has (no owner: inspect writes none)."""
    out: dict[str, object] = {}
    for name, w in sorted(schema.foreign_data_wrappers.items()):
        body: dict[str, object] = {}
        if w.handler is not None:
            body["handler"] = w.handler
        if w.validator is not None:
            body["validator"] = w.validator
        if w.options:
            body["options"] = dict(w.options)
        out[name] = body
    return out


def servers_data(schema: Schema) -> dict[str, object]:
    """Every server by name."""
    out: dict[str, object] = {}
    for name, s in sorted(schema.foreign_servers.items()):
        body: dict[str, object] = {"wrapper": s.wrapper}
        if s.type is not None:
            body["type"] = s.type
        if s.version is not None:
            body["version"] = s.version
        if s.options:
            body["options"] = dict(s.options)
        mappings = {m.user: _mapping(m) for (server, _), m in sorted(schema.user_mappings.items()) if server == name}
        if mappings:
            body["user_mappings"] = mappings
        out[name] = body
    return out


def _mapping(mapping: UserMapping) -> dict[str, object]:
    # Secrets are never written: a password comes out as *** for its owner to fill in.
    return {"options": dict(shown(mapping.options))} if mapping.options else {}


def foreign_key(table: Table) -> dict[str, object]:
    """``{"foreign": server}`` or ``{"foreign": {"server": …, "options": {…}, "columns": {…}}}``;
    nothing for an ordinary table."""
    if table.server is None:
        return {}
    if not table.server_options and not table.column_server_options:
        return {"foreign": table.server}
    spec: dict[str, object] = {"server": table.server}
    if table.server_options:
        spec["options"] = dict(table.server_options)
    if table.column_server_options:
        spec["columns"] = {column: dict(options) for column, options in table.column_server_options}
    return {"foreign": spec}
