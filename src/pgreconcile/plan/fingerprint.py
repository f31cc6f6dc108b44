"""Fingerprints: a stable hash of each live object a plan touches, so a saved plan can tell
whether the database changed since it was made.

The unit is the object a reviewer thinks of — a table (with its columns, constraints and
indexes), an enum, an extension, a schema — keyed as the ordering graph keys them
(``table:public.accounts``). A hash is SHA-256 over a canonical JSON form of the model object:
dataclass fields by name, sets sorted, enums by value, ``origin`` left out. Not Python's
``repr`` or ``hash``: those change with the hash seed and with the Python version, and a
plan is applied by another process, often on another machine.

What a change touches: the object it belongs to, and the owners of every key it needs or
removes (a foreign key touches the table it references; a column retyped to an enum touches
the enum). An object the plan creates is fingerprinted as ``absent``, so an apply that finds it
already there refuses too. Tables outside the managed schemas are known only by their column
names (that is all the catalog read keeps of them), so that is what their fingerprint covers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping
from enum import Enum as PyEnum
from typing import Any

from pgreconcile.diff.changes import Change
from pgreconcile.diff.privilege_changes import AlterDefaultPrivileges
from pgreconcile.diff.view_changes import CreateViewIndex, DropViewIndex
from pgreconcile.model import (
    Aggregate,
    Enum,
    EventTrigger,
    Extension,
    Function,
    Namespace,
    Schema,
    Sequence,
    Table,
    Trigger,
)
from pgreconcile.model.casts import Cast
from pgreconcile.model.collations import Collation
from pgreconcile.model.foreign import ForeignDataWrapper, ForeignServer, UserMapping, shown
from pgreconcile.model.keys import (
    column_key,
    constraint_key,
    extension_key,
    index_key,
    matview_key,
    policy_key,
    publication_key,
    role_key,
    schema_key,
    sequence_key,
    table_key,
    type_key,
    view_key,
)
from pgreconcile.model.operators import Operator
from pgreconcile.model.privileges import Publication, default_privileges_key
from pgreconcile.model.subscriptions import Subscription, masked_conninfo
from pgreconcile.model.text_search import TextSearchConfiguration, TextSearchDictionary
from pgreconcile.plan.model import ABSENT, Scope

_PREFIX = "sha256:"


#: Per (class, declared): the names of the fields :func:`canonical` writes, in field order, or
#: None for a class that is not a dataclass.
_KEPT: dict[tuple[type, bool], tuple[str, ...] | None] = {}
#: Types written as they are (exact types: an enum that is also a str is written by value).
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _kept(cls: type, declared: bool) -> tuple[str, ...] | None:
    """The fields of dataclass ``cls`` that :func:`canonical` writes; None when not a dataclass."""
    key = (cls, declared)
    if key not in _KEPT:
        _KEPT[key] = (
            tuple(f.name for f in dataclasses.fields(cls) if f.name != "origin" and (f.compare or declared))
            if dataclasses.is_dataclass(cls) else None
        )
    return _KEPT[key]


def canonical(value: Any, *, declared: bool = False) -> Any:
    """``value`` as plain JSON data that is the same for equal model objects in any process.

    Fields that take no part in equality (``compare=False``: declaration-only hints) are left
    out unless ``declared``; ``origin`` (file:line) is always left out, since moving a
    declaration between files changes nothing in the database. (A saved plan made at 2,000
    tables walks a million values here: plain values are tested first, by exact type, without
    a call of their own, and each class's fields are listed once.)"""
    cls = type(value)
    if cls in _PLAIN:
        return value
    if cls is tuple or cls is list:
        return [v if type(v) in _PLAIN else canonical(v, declared=declared) for v in value]
    names = _kept(cls, declared)
    if names is not None:
        out: dict[str, Any] = {"@": cls.__name__}
        for name in names:
            field = getattr(value, name)
            out[name] = field if type(field) in _PLAIN else canonical(field, declared=declared)
        return out
    if isinstance(value, PyEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [canonical(v, declared=declared) for v in value]
    if isinstance(value, frozenset | set):
        return sorted((canonical(v, declared=declared) for v in value), key=_dumps)
    if isinstance(value, Mapping):
        pairs = [[canonical(k, declared=declared), canonical(v, declared=declared)] for k, v in value.items()]
        return sorted(pairs, key=lambda pair: _dumps(pair[0]))
    if isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


def _dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(value: Any, *, declared: bool = False) -> str:
    """``sha256:<hex>`` of the canonical form of ``value``."""
    text = _dumps(canonical(value, declared=declared))
    return _PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()


def declarations_digest(desired: Schema, scope: Scope) -> str:
    """A digest of what the declarations say once scoped (not where each line was written):
    apply of a saved plan compares it with the declarations it verifies against."""
    content = {
        "scope": canonical(scope),
        "namespaces": canonical(desired.namespaces, declared=True),
        "extensions": canonical(desired.extensions, declared=True),
        "enums": canonical(desired.enums, declared=True),
        # [sequences]
        "sequences": canonical(desired.sequences, declared=True),
        "tables": canonical(desired.tables, declared=True),
        # [views]
        "views": canonical(desired.views, declared=True),
        "materialized_views": canonical(desired.materialized_views, declared=True),
        "managed": canonical(desired.managed),
    }
    # [privileges] Only when declared, so digests of declarations without them stay as they were.
    access = {
        "grants": desired.grants,
        "owners": desired.owners,
        "default_privileges": desired.default_privileges,
        "publications": desired.publications,
        # [foreign] a mapping by its options as shown: no hash of a password
        "foreign_data_wrappers": desired.foreign_data_wrappers,
        "foreign_servers": desired.foreign_servers,
        "user_mappings": {m.key: dataclasses.replace(m, options=shown(m.options or ()))
                          for m in desired.user_mappings.values()},
        # Likewise extended statistics and rules.
        "statistics": desired.statistics,
        "rules": desired.rules,
        "declared_roles": desired.declared_roles,
        # [text-search] and collations
        "collations": desired.collations,
        "ts_dictionaries": desired.ts_dictionaries,
        "ts_configurations": desired.ts_configurations,
        "operators": desired.operators,  # [operators]
        "casts": desired.casts,  # [casts]
        # [subscriptions] by their connection strings as shown: no hash of a password
        "subscriptions": {n: _shown_subscription(sub) for n, sub in desired.subscriptions.items()},
    }
    for key, value in access.items():
        if value:
            content[key] = canonical(value, declared=True)
    return _PREFIX + hashlib.sha256(_dumps(content).encode("utf-8")).hexdigest()


def _shown_subscription(sub: Subscription) -> Subscription:
    """A subscription as fingerprinted: its connection string with the password masked."""
    if sub.conninfo is None:
        return sub
    return dataclasses.replace(sub, conninfo=masked_conninfo(sub.conninfo))


# --- which objects a plan touches --------------------------------------------------------------


def objects(schema: Schema) -> dict[str, object]:
    """Every fingerprintable object of ``schema`` by its key. External tables (outside the
    managed schemas) map to their column names."""
    found: dict[str, object] = {}
    for name, ns in schema.namespaces.items():
        found[schema_key(name)] = ns
    for name, ext in schema.extensions.items():
        found[extension_key(name)] = ext
    for (s, n), enum in schema.enums.items():
        found[type_key(s, n)] = enum
    # [constraints-types] domains, composite and range types share the type: keys with enums.
    for kind in (schema.domains, schema.composite_types, schema.range_types):
        for (s, n), user_type in kind.items():
            found[type_key(s, n)] = user_type
    for (s, n), columns in schema.external_tables.items():
        found[table_key(s, n)] = {"external table columns": list(columns)}
    for (s, n), table in schema.tables.items():
        found[table_key(s, n)] = table
    # [views]
    for (s, n), view in schema.views.items():
        found[view_key(s, n)] = view
    for (s, n), mat in schema.materialized_views.items():
        found[matview_key(s, n)] = mat
    # [routines]
    for key, function in schema.functions.items():
        found[key] = function
    for trigger in schema.triggers.values():
        found[trigger.key] = trigger
    for key, aggregate in schema.aggregates.items():
        found[key] = aggregate
    for event_trigger in schema.event_triggers.values():
        found[event_trigger.key] = event_trigger
    # [sequences]
    for (s, n), seq in schema.sequences.items():
        found[sequence_key(s, n)] = seq
    # [foreign] a mapping by its options as shown: a saved plan holds no hash of a password
    for wrapper in schema.foreign_data_wrappers.values():
        found[wrapper.key] = wrapper
    for server in schema.foreign_servers.values():
        found[server.key] = server
    for mapping in schema.user_mappings.values():
        found[mapping.key] = dataclasses.replace(mapping, options=shown(mapping.options or ()))
    # [text-search]
    search: list[TextSearchDictionary | TextSearchConfiguration] = [
        *schema.ts_dictionaries.values(), *schema.ts_configurations.values()
    ]
    for item in search:
        found[item.key] = item
    for operator in schema.operators.values():  # [operators]
        found[operator.key] = operator
    for cast in schema.casts.values():  # [casts]
        found[cast.key] = cast
    for sub in schema.subscriptions.values():  # [subscriptions]
        found[sub.key] = _shown_subscription(sub)
    for collation in schema.collations.values():  # [collations]
        found[collation.key] = collation
    for publication in schema.publications.values():  # [privileges]
        found[publication_key(publication.name)] = publication
    # [privileges] default privileges belong to no managed object (database-wide ones, those of
    # public when it is not managed): each entry stands for itself, by its change's key.
    for (s, objects, role), dp in schema.default_privileges.items():
        found[default_privileges_key(s, objects, role)] = dp
    # A role exists or not: that is all a plan assumes of one (it only ever creates roles).
    for name in schema.roles or ():
        found[role_key(name)] = {"role": name}
    return found


#: Kinds of key that name a table or a part of one by schema, table and (but the table itself)
#: the part's own name: ``column:s.t.c``.
_TABLE_PART_KINDS = ("column:", "constraint:", "policy:")


class _Wanted:
    """What a few wanted keys can name, worked out before any key is spelled: every (schema,
    table) a table, column, constraint or policy key among them can be read as (names may hold
    dots, so ``column:a.b.c.d`` is read both as table a.b and as table a."b.c"), and every index
    name an index key among them can end with."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.tables: set[tuple[str, str]] = set()
        self.index_names: set[str] = set()
        for key in keys:
            if key.startswith("table:"):
                name = key[len("table:"):]
                self.tables.update((name[:at], name[at + 1:]) for at in _dots(name))
            elif key.startswith("index:"):
                name = key[len("index:"):]
                self.index_names.update(name[at + 1:] for at in _dots(name))
            else:
                for kind in _TABLE_PART_KINDS:
                    if key.startswith(kind):
                        name = key[len(kind):]
                        dots = _dots(name)
                        self.tables.update((name[:a], name[a + 1:b]) for a in dots for b in dots if a < b)


def _dots(text: str) -> list[int]:
    """The positions of the dots in ``text``."""
    found = []
    at = text.find(".")
    while at >= 0:
        found.append(at)
        at = text.find(".", at + 1)
    return found


def owners_of_parts(*schemas: Schema, wanted: Iterable[str] | None = None) -> dict[str, str]:
    """Key of every part of a table (column, constraint, index) → the table's key.

    With ``wanted``, the tables and indexes that cannot be among those keys, nor own one, are
    left out: the answer for each wanted key is the same (the same entries are written to it in
    the same order), at the cost of the few tables a plan touches rather than of every column
    of the schema."""
    owners: dict[str, str] = {}
    few = _Wanted(wanted) if wanted is not None else None
    for schema in schemas:
        for (s, n), table in schema.tables.items():
            if few is None or (s, n) in few.tables:
                owner = table_key(s, n)
                owners[owner] = owner
                for col in table.columns:
                    owners[column_key(s, n, col.name)] = owner
                constraints = [
                    table.primary_key, *table.uniques, *table.foreign_keys, *table.checks, *table.exclusions
                ]
                for con in constraints:
                    if con is not None:
                        owners[constraint_key(s, n, con.name)] = owner
            if few is None or few.index_names:
                for idx in table.indexes:
                    if few is None or idx.name in few.index_names:
                        owners[index_key(s, idx.name)] = table_key(s, n)
            if few is None or (s, n) in few.tables:
                for policy in table.policies:
                    owners[policy_key(s, n, policy.name)] = table_key(s, n)
            if not table.partitions:
                continue
            owner = table_key(s, n)
            # [partitions] a partition, and what it holds of its own, are part of its table
            stack = [(s, p) for p in table.partitions]
            while stack:
                where, part = stack.pop()
                where = part.schema or where
                owners.setdefault(table_key(where, part.name), owner)
                own = [part.primary_key, *part.uniques, *part.foreign_keys, *part.checks]
                for con in own:
                    if con is not None:
                        owners.setdefault(constraint_key(where, part.name, con.name), owner)
                for idx in part.indexes:
                    owners.setdefault(index_key(where, idx.name), owner)
                stack += [(where, sub) for sub in part.partitions]
        for s, n in schema.external_tables:
            owners[table_key(s, n)] = table_key(s, n)
        for s, n in [*schema.enums, *schema.domains, *schema.composite_types, *schema.range_types]:
            owners[type_key(s, n)] = type_key(s, n)
        for name in schema.extensions:
            owners[extension_key(name)] = extension_key(name)
        for name in schema.namespaces:
            owners[schema_key(name)] = schema_key(name)
        # [views] a materialized view owns its indexes; views own their columns (column grants)
        for (s, n), view in schema.views.items():
            owners[view_key(s, n)] = view_key(s, n)
            if few is None or (s, n) in few.tables:
                for name, _ in view.columns:
                    owners.setdefault(column_key(s, n, name), view_key(s, n))
        for (s, n), mat in schema.materialized_views.items():
            owners[matview_key(s, n)] = matview_key(s, n)
            if few is None or (s, n) in few.tables:
                for name, _ in mat.columns:
                    owners.setdefault(column_key(s, n, name), matview_key(s, n))
            for idx in mat.indexes:
                if few is None or idx.name in few.index_names:
                    owners[index_key(s, idx.name)] = matview_key(s, n)
        for key in (*schema.functions, *schema.aggregates):  # [routines]
            owners[key] = key
        for event_trigger in schema.event_triggers.values():
            owners[event_trigger.key] = event_trigger.key
        for trigger in schema.triggers.values():
            owners[trigger.key] = trigger.key
        # [sequences]
        for s, n in schema.sequences:
            owners[sequence_key(s, n)] = sequence_key(s, n)
        for name in (*(schema.roles or ()), *schema.declared_roles):
            owners[role_key(name)] = role_key(name)
        for key in [d.key for d in schema.ts_dictionaries.values()] + [
            c.key for c in schema.ts_configurations.values()
        ]:  # [text-search]
            owners[key] = key
        for operator in schema.operators.values():  # [operators]
            owners[operator.key] = operator.key
        for cast in schema.casts.values():  # [casts]
            owners[cast.key] = cast.key
        for sub in schema.subscriptions.values():  # [subscriptions]
            owners[sub.key] = sub.key
    return owners


def _own_object(change: Change) -> str | None:
    """The key of the object ``change`` belongs to, read from the model object it carries."""
    if isinstance(change, CreateViewIndex | DropViewIndex):  # [views]
        return matview_key(change.schema, change.table_name)
    # [routines] A function or trigger change concerns that object (its table is in its needs).
    code = (getattr(change, "function", None) or getattr(change, "new", None) or getattr(change, "trigger", None)
            or getattr(change, "aggregate", None) or getattr(change, "event_trigger", None))
    if isinstance(code, Function | Trigger | Aggregate | EventTrigger):
        return code.key
    table_def = getattr(change, "table_def", None)
    if isinstance(table_def, Table):
        return table_key(table_def.schema, table_def.name)
    # Extended statistics and rules too: their table's key (they are parts of their table, as
    # its indexes and policies are).
    schema, table_name = getattr(change, "schema", None), getattr(change, "table_name", None)
    if isinstance(schema, str) and isinstance(table_name, str):
        return table_key(schema, table_name)
    # [sequences]
    sequence = getattr(change, "sequence", None) or getattr(change, "new", None)
    if isinstance(sequence, Sequence):
        return sequence_key(sequence.schema, sequence.name)
    foreign = getattr(change, "wrapper", None) or getattr(change, "server", None) or getattr(change, "mapping", None)
    if isinstance(foreign, ForeignDataWrapper | ForeignServer | UserMapping):  # [foreign]
        return foreign.key
    if isinstance(change, AlterDefaultPrivileges):  # [privileges]
        return change.key
    search = getattr(change, "dictionary", None) or getattr(change, "configuration", None)
    if isinstance(search, TextSearchDictionary | TextSearchConfiguration):  # [text-search]
        return search.key
    operator = getattr(change, "operator", None)
    if isinstance(operator, Operator):  # [operators]
        return operator.key
    cast = getattr(change, "cast", None)
    if isinstance(cast, Cast):  # [casts]
        return cast.key
    sub = getattr(change, "subscription", None) or getattr(change, "new", None)
    if isinstance(sub, Subscription):  # [subscriptions]
        return sub.key
    collation = getattr(change, "collation", None)
    if isinstance(collation, Collation):  # [collations]
        return collation.key
    publication = getattr(change, "publication", None) or getattr(change, "new", None)
    if isinstance(publication, Publication):  # [privileges]
        return publication_key(publication.name)
    enum, extension, namespace = (getattr(change, a, None) for a in ("enum", "extension", "namespace"))
    if isinstance(enum, Enum):
        return type_key(enum.schema, enum.name)
    if isinstance(extension, Extension):
        return extension_key(extension.name)
    if isinstance(namespace, Namespace):
        return schema_key(namespace.name)
    return None


def touched(changes: Iterable[Change], desired: Schema, live: Schema) -> list[str]:
    """Keys of the objects the changes touch, sorted."""
    changes = list(changes)
    if not changes:
        return []  # a no-op plan: no need to index every part of every table
    # Only the keys the changes name are looked up: the parts of the other tables (every column
    # of the schema, the most of the work) are not indexed at all.
    wanted = {change.key for change in changes}
    for change in changes:
        wanted |= change.needs | change.live_needs | change.removes
    owners = owners_of_parts(live, desired, wanted=wanted)
    keys: set[str] = set()
    for change in changes:
        own = _own_object(change) or owners.get(change.key)
        if own is not None:
            keys.add(own)
        for key in change.needs | change.live_needs | change.removes:
            owner = owners.get(key)
            if owner is not None:
                keys.add(owner)
    return sorted(keys)


def fingerprints(keys: Iterable[str], live: Schema) -> dict[str, str]:
    """Key → fingerprint of that live object, or ``absent``; in key order."""
    found = objects(live)
    return {key: (digest(found[key]) if key in found else ABSENT) for key in sorted(keys)}


def changed_since(saved: Mapping[str, str], live: Schema) -> list[str]:
    """Sentences naming each object whose fingerprint in ``saved`` no longer matches ``live``."""
    now = fingerprints(saved, live)
    changes: list[str] = []
    for key, then in saved.items():
        kind, _, name = key.partition(":")
        what = f"{kind if kind != 'type' else 'enum'} {name}"
        if now[key] == then:
            continue
        if then == ABSENT:
            changes.append(f"{what} now exists (the plan creates it)")
        elif now[key] == ABSENT:
            changes.append(f"{what} no longer exists")
        else:
            changes.append(f"{what} changed")
    return changes
