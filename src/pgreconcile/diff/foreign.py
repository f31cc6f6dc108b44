"""Compare foreign data: wrappers and servers (database-wide) and what makes a table foreign.

Wrappers and servers are compared when declared; an undeclared live one is dropped only when
the declarations manage its kind (they mention ``foreign_data_wrappers:`` / ``foreign_servers:``
at all, or the SQL files create one), and never while something declared still uses it.
Options, a server's version, a wrapper's handler and validator, and owners are altered in
place; a server whose wrapper or type changes is re-created (ALTER SERVER cannot change them),
and so is a foreign table whose server changes. A wrapper goes before its servers, a server
before its foreign tables (diff/deps.py); drops run the other way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pgreconcile.diff import deps
from pgreconcile.diff.actions import Action
from pgreconcile.diff.changes import Change, CreateTable, DropTable, SetTableComment, TableChange
from pgreconcile.model import Schema
from pgreconcile.model.foreign import ForeignDataWrapper, ForeignServer, Options, UserMapping, is_secret
from pgreconcile.model.keys import column_key, foreign_server_key, foreign_wrapper_key, table_key, user_mapping_key
from pgreconcile.model.objects import Table
from pgreconcile.model.privileges import owner_differs


@dataclass(frozen=True)
class CreateForeignDataWrapper(Change):
    wrapper: ForeignDataWrapper

    ACTION = Action.CREATE
    KIND = "foreign data wrapper"
    ORDER_RANK = 3  # after the extensions that may hold its handler, before servers

    @property
    def key(self) -> str:
        return self.wrapper.key


@dataclass(frozen=True)
class AlterForeignDataWrapper(Change):
    wrapper: ForeignDataWrapper
    old: ForeignDataWrapper

    ACTION = Action.UPDATE
    KIND = "foreign data wrapper"
    ORDER_RANK = 3

    @property
    def key(self) -> str:
        return self.wrapper.key


@dataclass(frozen=True)
class DropForeignDataWrapper(Change):
    wrapper: ForeignDataWrapper

    ACTION = Action.DESTROY
    KIND = "foreign data wrapper"
    ORDER_RANK = 33  # after its servers

    @property
    def key(self) -> str:
        return self.wrapper.key


@dataclass(frozen=True)
class CreateForeignServer(Change):
    server: ForeignServer

    ACTION = Action.CREATE
    KIND = "server"
    ORDER_RANK = 3

    @property
    def key(self) -> str:
        return self.server.key


@dataclass(frozen=True)
class AlterForeignServer(Change):
    server: ForeignServer
    old: ForeignServer

    ACTION = Action.UPDATE
    KIND = "server"
    ORDER_RANK = 3

    @property
    def key(self) -> str:
        return self.server.key


@dataclass(frozen=True)
class DropForeignServer(Change):
    server: ForeignServer

    ACTION = Action.DESTROY
    KIND = "server"
    ORDER_RANK = 32  # after its foreign tables, before its wrapper

    @property
    def key(self) -> str:
        return self.server.key


@dataclass(frozen=True)
class SetForeignTableOptions(TableChange):
    """ALTER FOREIGN TABLE … OPTIONS (ADD / SET / DROP …)."""

    old: Options
    new: Options

    ACTION = Action.UPDATE
    KIND = "foreign table options"
    ORDER_RANK = 23

    @property
    def key(self) -> str:
        return table_key(self.schema, self.table_name) + "#options"


@dataclass(frozen=True)
class SetForeignColumnOptions(TableChange):
    """ALTER FOREIGN TABLE … ALTER COLUMN … OPTIONS (ADD / SET / DROP …): one column's own options."""

    column: str
    old: Options
    new: Options

    ACTION = Action.UPDATE
    KIND = "foreign table options"
    ORDER_RANK = 23

    @property
    def key(self) -> str:
        return column_key(self.schema, self.table_name, self.column) + "#options"


def column_option_changes(table: Table, current: Table | None) -> list[SetForeignColumnOptions]:
    """The column options of foreign table ``table`` that differ from ``current``'s (every one
    of a table that CREATE FOREIGN TABLE makes, ``current`` None)."""
    before = dict(current.column_server_options) if current is not None else {}
    after = dict(table.column_server_options)
    tkey = table_key(table.schema, table.name)
    return [
        SetForeignColumnOptions(table.schema, table.name, column, before.get(column, ()), after.get(column, ()),
                                needs=frozenset({tkey, column_key(table.schema, table.name, column)}))
        for column in sorted(set(before) | set(after))
        if before.get(column, ()) != after.get(column, ()) and any(c.name == column for c in table.columns)
    ]


@dataclass(frozen=True)
class CreateUserMapping(Change):
    mapping: UserMapping

    ACTION = Action.CREATE
    KIND = "user mapping"
    ORDER_RANK = 3

    @property
    def key(self) -> str:
        return self.mapping.key

    @property
    def secrets(self) -> tuple[str, ...]:
        """Option values never to be shown (plan/build.py masks them)."""
        return tuple(v for k, v in self.mapping.options or () if is_secret(k))


@dataclass(frozen=True)
class AlterUserMapping(Change):
    mapping: UserMapping
    old: UserMapping

    ACTION = Action.UPDATE
    KIND = "user mapping"
    ORDER_RANK = 3

    @property
    def key(self) -> str:
        return self.mapping.key

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(v for k, v in (*(self.mapping.options or ()), *(self.old.options or ())) if is_secret(k))


@dataclass(frozen=True)
class DropUserMapping(Change):
    mapping: UserMapping

    ACTION = Action.DESTROY
    KIND = "user mapping"
    ORDER_RANK = 31  # before its server

    @property
    def key(self) -> str:
        return self.mapping.key

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(v for k, v in self.mapping.options or () if is_secret(k))


@dataclass(frozen=True)
class SetForeignTableComment(SetTableComment):
    """COMMENT ON FOREIGN TABLE (COMMENT ON TABLE refuses a foreign table)."""

    ORDER_RANK = 23  # where a table's comment goes


def option_changes(old: Options, new: Options) -> list[tuple[str, str, str | None]]:
    """``(verb, name, value)`` turning ``old`` into ``new``: ADD, SET, DROP (value None)."""
    before, after = dict(old), dict(new)
    out: list[tuple[str, str, str | None]] = []
    for name, value in after.items():
        if name not in before:
            out.append(("ADD", name, value))
        elif before[name] != value:
            out.append(("SET", name, value))
    out += [("DROP", name, None) for name in before if name not in after]
    return out


def _wrapper_changes(desired: Schema, live: Schema) -> list[Change]:
    changes: list[Change] = []
    for name, wanted in desired.foreign_data_wrappers.items():
        current = live.foreign_data_wrappers.get(name)
        if current is None:
            changes.append(CreateForeignDataWrapper(wanted, creates=frozenset({wanted.key})))
        elif wanted != current or owner_differs(wanted.owner, current.owner):
            changes.append(AlterForeignDataWrapper(wanted, current, needs=frozenset({wanted.key})))
    if "wrappers" in desired.foreign_data_managed:
        for name, current in live.foreign_data_wrappers.items():
            if name not in desired.foreign_data_wrappers:
                changes.append(DropForeignDataWrapper(current, removes=frozenset({current.key})))
    return changes


def _server_changes(desired: Schema, live: Schema) -> tuple[list[Change], set[str]]:
    """The server changes, and the servers re-created (their foreign tables go with them)."""
    changes: list[Change] = []
    recreated: set[str] = set()
    for name, wanted in desired.foreign_servers.items():
        current = live.foreign_servers.get(name)
        needs = frozenset({foreign_wrapper_key(wanted.wrapper)})
        creates = frozenset({wanted.key})
        if current is None:
            changes.append(CreateForeignServer(wanted, needs=needs, creates=creates))
        elif (wanted.wrapper, wanted.type) != (current.wrapper, current.type):
            why = "re-created: its " + ("wrapper" if wanted.wrapper != current.wrapper else "type") + " changed"
            changes.append(DropForeignServer(current, removes=creates, replaces=True, reason=why,
                                             live_needs=frozenset({foreign_wrapper_key(current.wrapper)})))
            changes.append(CreateForeignServer(wanted, needs=needs, creates=creates, replaces=True, reason=why))
            recreated.add(name)
        elif wanted != current or owner_differs(wanted.owner, current.owner):
            changes.append(AlterForeignServer(wanted, current, needs=frozenset({wanted.key})))
    if "servers" in desired.foreign_data_managed:
        for name, current in live.foreign_servers.items():
            if name not in desired.foreign_servers:
                changes.append(DropForeignServer(current, removes=frozenset({current.key}),
                                                 live_needs=frozenset({foreign_wrapper_key(current.wrapper)})))
    return changes, recreated


def _mapping_changes(desired: Schema, live: Schema, gone: set[str]) -> tuple[list[Change], list[str]]:
    """Mappings of the managed servers, and every live mapping of a server that goes (DROP
    SERVER refuses while one exists). ``current_user`` means the role that reads the catalog."""
    changes: list[Change] = []
    refusals: list[str] = []
    wanted: dict[tuple[str, str], UserMapping] = {}
    for (server, user), mapping in desired.user_mappings.items():
        if user in ("current_user", "current_role", "session_user"):
            if live.current_role is None:
                refusals.append(f"user mapping {user} of server {server}: the current role is not known here; "
                                "name the role")
                continue
            user = live.current_role
            mapping = dataclasses.replace(mapping, user=user)
        elif user != "public" and live.roles is not None and user not in live.roles:
            refusals.append(f"user mapping for {user} on server {server}: role {user} does not exist")
            continue
        wanted[(server, user)] = mapping
    for key, mapping in sorted(wanted.items()):
        current = live.user_mappings.get(key)
        server = foreign_server_key(mapping.server)
        if current is None or mapping.server in gone:
            changes.append(CreateUserMapping(mapping, needs=frozenset({server}), creates=frozenset({mapping.key})))
        elif current.options is not None and current.options != mapping.options:
            changes.append(AlterUserMapping(mapping, current, needs=frozenset({mapping.key})))
    for key, current in sorted(live.user_mappings.items()):
        server = foreign_server_key(current.server)
        if current.server in gone or (current.server in desired.mapped_servers and key not in wanted):
            changes.append(DropUserMapping(current, removes=frozenset({current.key}), live_needs=frozenset({server})))
    return changes, refusals


def _recreate_table(table: Table, current: Table, why: str, changes: list[Change]) -> list[Change]:
    """Every change to ``current`` replaced by dropping it and creating ``table``."""
    kept = [c for c in changes if c.table != current.qualified and c.key != table_key(table.schema, table.name)]
    tkey = table_key(table.schema, table.name)
    kept.append(DropTable(current, removes=frozenset(deps.table_creates(current)), replaces=True, reason=why,
                          live_needs=frozenset(deps.table_needs(current) - {tkey})))
    kept.append(CreateTable(table, needs=frozenset(deps.table_needs(table)),
                            creates=frozenset(deps.table_creates(table)), replaces=True, reason=why))
    return kept


def compare_foreign(desired: Schema, live: Schema, changes: list[Change]) -> tuple[list[Change], list[str]]:
    """``changes`` with the wrapper, server and foreign table changes, and refusals."""
    out = [*changes, *_wrapper_changes(desired, live)]
    server_changes, recreated = _server_changes(desired, live)
    out += server_changes
    dropped_servers = {c.server.name for c in server_changes if isinstance(c, DropForeignServer)}
    mapping_changes, refusals = _mapping_changes(desired, live, dropped_servers)
    out += mapping_changes
    for key, table in desired.tables.items():
        current = live.tables.get(key)
        if current is None:
            out += column_option_changes(table, None)  # a new foreign table's, after its CREATE
            continue
        if table.server is None and current.server is None:
            continue
        if (table.server is None) != (current.server is None):
            is_, declared = ("a foreign table", "an ordinary table") if current.server else ("an ordinary table",
                                                                                              "a foreign table")
            refusals.append(f"{current.qualified} is {is_} but declared as {declared}; PostgreSQL cannot turn one "
                            "into the other: rename the live one away, or declare it as it is")
            continue
        if table.server != current.server or table.server in recreated:
            why = ("re-created: its server changed" if table.server != current.server
                   else f"re-created: server {table.server} is re-created")
            out = [*_recreate_table(table, current, why, out), *column_option_changes(table, None)]
        else:
            if table.server_options != current.server_options:
                out.append(SetForeignTableOptions(table.schema, table.name, current.server_options,
                                                  table.server_options,
                                                  needs=frozenset({table_key(table.schema, table.name)})))
            out += column_option_changes(table, current)
    foreign = {t.qualified for t in live.tables.values() if t.server is not None}
    out = [SetForeignTableComment(**{f.name: getattr(c, f.name) for f in dataclasses.fields(c)})
           if type(c) is SetTableComment and c.table in foreign else c for c in out]
    # A declared foreign table needs a server that is declared, or live and staying.
    for table in desired.tables.values():
        if table.server is None or table.server in desired.foreign_servers:
            continue
        if table.server not in live.foreign_servers:
            refusals.append(f"foreign table {table.qualified} uses server {table.server}, which does not exist; "
                            f"declare it under foreign_servers: {table.server}: {{wrapper: …}}")
        elif table.server in dropped_servers:
            refusals.append(f"foreign table {table.qualified} uses server {table.server}, which is not declared "
                            "and would be dropped; declare the server")
    return out, refusals


__all__ = [
    "AlterForeignDataWrapper", "AlterForeignServer", "AlterUserMapping", "CreateForeignDataWrapper",
    "CreateForeignServer", "CreateUserMapping", "DropForeignDataWrapper", "DropForeignServer", "DropUserMapping",
    "SetForeignTableComment", "SetForeignTableOptions", "compare_foreign", "foreign_server_key", "option_changes",
    "user_mapping_key",
]
