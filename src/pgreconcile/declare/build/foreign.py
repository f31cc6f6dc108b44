"""Declared foreign data → model objects: wrappers and servers (top-level, database-wide) and
the server of a foreign table (``foreign:`` on a table), each checked for what PostgreSQL
accepts of them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.language import TableSpec
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.model.foreign import ForeignDataWrapper, ForeignServer, Options, UserMapping
from pgreconcile.model.objects import Origin, Table


def mapping_user(user: str) -> str:
    """The keywords ``PUBLIC`` and ``CURRENT_USER`` in any case; a role's name as written."""
    return user.lower() if user.lower() in ("public", "current_user", "current_role", "session_user") else user


def option_pairs(options: Mapping[str, str]) -> Options:
    """Declared options → sorted (name, value) pairs, as the catalog reads them back."""
    return tuple(sorted(options.items()))


@dataclass
class ForeignDeclarations:
    wrappers: dict[str, ForeignDataWrapper] = field(default_factory=dict)
    servers: dict[str, ForeignServer] = field(default_factory=dict)
    managed: set[str] = field(default_factory=set)  # "wrappers", "servers"
    mappings: dict[tuple[str, str], UserMapping] = field(default_factory=dict)
    mapped_servers: set[str] = field(default_factory=set)


def build_foreign(documents: Sequence[Document], problems: Problems) -> ForeignDeclarations:
    """Every declared wrapper and server; a kind is managed when some document mentions it."""
    out = ForeignDeclarations()
    for doc in documents:
        if doc.spec.foreign_data_wrappers is not None:
            out.managed.add("wrappers")
            for name, w in doc.spec.foreign_data_wrappers.items():
                origin = Origin(doc.file, doc.line("foreign_data_wrappers", name))
                if _twice(out.wrappers, name, f"foreign data wrapper {name}", origin, problems):
                    continue
                out.wrappers[name] = ForeignDataWrapper(
                    name, w.handler, w.validator, option_pairs(w.options), w.owner, origin
                )
        if doc.spec.foreign_servers is not None:
            out.managed.add("servers")
            for name, s in doc.spec.foreign_servers.items():
                origin = Origin(doc.file, doc.line("foreign_servers", name))
                if _twice(out.servers, name, f"server {name}", origin, problems):
                    continue
                out.servers[name] = ForeignServer(
                    name, s.wrapper, s.type, s.version, option_pairs(s.options), s.owner, origin
                )
                if s.user_mappings is not None:
                    out.mapped_servers.add(name)
                    for user, m in s.user_mappings.items():
                        at = Origin(doc.file, doc.line("foreign_servers", name, "user_mappings", user))
                        out.mappings[(name, mapping_user(user))] = UserMapping(
                            name, mapping_user(user), option_pairs(m.options), at
                        )
    out.wrappers = dict(sorted(out.wrappers.items()))
    out.servers = dict(sorted(out.servers.items()))
    return out


def _twice(found: Mapping[str, ForeignDataWrapper | ForeignServer], name: str, what: str, origin: Origin,
           problems: Problems) -> bool:
    if name in found:
        problems.at(origin, f"{what} is declared twice: at {found[name].origin} and at {origin}")
        return True
    return False


# What a foreign table cannot have: PostgreSQL refuses these on one.
_NOT_ON_FOREIGN = (
    ("primary_key", "a primary key"), ("unique", "unique constraints"), ("foreign_keys", "foreign keys"),
    ("indexes", "indexes"), ("exclusions", "exclusion constraints"), ("rls", "row-level security"),
    ("policies", "policies"), ("partition_by", "a partition key"), ("partitions", "partitions"),
    ("unlogged", "UNLOGGED"), ("options", "storage parameters (its server's options go under foreign: options:)"),
    ("replica_identity", "a replica identity"), ("cluster_on", "an index to cluster on"),
    ("statistics", "extended statistics here (they are not managed on foreign tables)"), ("rules", "rules"),
)


def with_server(
    table: Table, spec: TableSpec, at: Callable[..., Origin], error: Callable[[Origin, str, str | None], None]
) -> Table:
    """``table`` made foreign by its ``foreign:`` declaration, refusing what a foreign table cannot have."""
    if spec.foreign is None:
        return table
    for key, what in _NOT_ON_FOREIGN:
        if getattr(spec, key):
            error(at(key), f"a foreign table cannot have {what}", f"remove `{key}`, or `foreign`")
    if any(c.primary_key or c.unique or c.references is not None or c.identity is not None
           for c in spec.columns.values()):
        error(at("columns"), "a foreign table's columns cannot be keys, references or identities", None)
    unknown = [c for c in spec.foreign.columns if c not in spec.columns]
    if unknown:
        error(at("foreign", "columns", unknown[0]), f"foreign table column {unknown[0]} is not declared",
              "declare it under columns:, or remove its options")
    column_options = tuple(sorted((c, option_pairs(opts)) for c, opts in spec.foreign.columns.items()
                                  if opts and c in spec.columns))
    return dataclasses.replace(table, server=spec.foreign.server, server_options=option_pairs(spec.foreign.options),
                               column_server_options=column_options)
