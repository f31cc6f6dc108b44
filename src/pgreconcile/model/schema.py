"""The whole model of one database (or of the declarations): every object by kind."""

from __future__ import annotations

from dataclasses import dataclass, field

from pgreconcile.model.casts import Cast, CastId
from pgreconcile.model.collations import Collation
from pgreconcile.model.foreign import ForeignDataWrapper, ForeignServer, UserMapping
from pgreconcile.model.objects import Dependent, Enum, Extension, Namespace, Table, Unmanaged
from pgreconcile.model.operators import Operator, OperatorId
from pgreconcile.model.privileges import DefaultPrivileges, ObjectGrants, ObjectOwner, Publication
from pgreconcile.model.roles import Role
from pgreconcile.model.routines import Aggregate, EventTrigger, Function, Trigger
from pgreconcile.model.rules import Rule
from pgreconcile.model.sequences import Sequence
from pgreconcile.model.statistics import Statistics
from pgreconcile.model.subscriptions import Subscription
from pgreconcile.model.text_search import TextSearchConfiguration, TextSearchDictionary
from pgreconcile.model.types import CompositeType, Domain, RangeType
from pgreconcile.model.views import MaterializedView, View


@dataclass(frozen=True, slots=True)
class Schema:
    """A whole database state: what is declared, or what is live.

    ``managed`` names the namespaces this state speaks for; objects in other namespaces are
    never created, altered or dropped. ``external_tables`` lists tables that exist outside the
    managed namespaces (``auth.users``) so that foreign keys into them can be checked; each maps
    to its column names.
    """

    namespaces: dict[str, Namespace] = field(default_factory=dict)
    extensions: dict[str, Extension] = field(default_factory=dict)
    enums: dict[tuple[str, str], Enum] = field(default_factory=dict)
    tables: dict[tuple[str, str], Table] = field(default_factory=dict)
    managed: frozenset[str] = frozenset()
    # Desired only: the declarations describe every schema of the database (SQL files alone, as
    # a dump does), so a schema only the live database has is managed — dropped (scope.py).
    whole_database: bool = field(default=False, compare=False)
    # Kinds added by the coverage issues (one marker each keeps their fields apart).
    # [views]
    views: dict[tuple[str, str], View] = field(default_factory=dict)
    materialized_views: dict[tuple[str, str], MaterializedView] = field(default_factory=dict)

    # [routines]
    # Functions and procedures by their key (model.keys.function_key); triggers by (schema,
    # table, name) — on managed tables, and on tables elsewhere (auth.users) when declared.
    functions: dict[str, Function] = field(default_factory=dict)
    triggers: dict[tuple[str, str, str], Trigger] = field(default_factory=dict)
    aggregates: dict[str, Aggregate] = field(default_factory=dict)  # by function key, like functions
    event_triggers: dict[str, EventTrigger] = field(default_factory=dict)  # by name (database-wide)
    # Live only (pg_depend): function key → keys of what calls it (triggers, policies,
    # constraints, indexes; a column default as ``column:…#default``).
    function_callers: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    # [sequences] standalone sequences and those owned by a column (serial); not identity ones
    sequences: dict[tuple[str, str], Sequence] = field(default_factory=dict)

    # [constraints-types]
    domains: dict[tuple[str, str], Domain] = field(default_factory=dict)
    composite_types: dict[tuple[str, str], CompositeType] = field(default_factory=dict)
    range_types: dict[tuple[str, str], RangeType] = field(default_factory=dict)

    # [privileges]
    # Grants by object key (desired: only objects whose declaration manages them), owners by
    # object key (desired: only where `owner:` is declared), default privileges by (schema,
    # objects, role) and publications by name. See model/privileges.py.
    # A desired schema holds only what is managed and a live one everything, so the first three
    # take no part in Schema equality (a declared state equals its live twin); plans compare
    # them object by object (diff/privileges.py).
    grants: dict[str, ObjectGrants] = field(default_factory=dict, compare=False)
    owners: dict[str, ObjectOwner] = field(default_factory=dict, compare=False)
    default_privileges: dict[tuple[str, str, str], DefaultPrivileges] = field(default_factory=dict, compare=False)
    publications: dict[str, Publication] = field(default_factory=dict)
    # Desired only: the schemas whose default privileges are managed (they declare
    # `default_privileges:`), and whether publications are managed (`publications:` declared).
    default_privileges_managed: frozenset[str] = field(default=frozenset(), compare=False)
    publications_managed: bool = field(default=False, compare=False)
    # [subscriptions] Subscriptions by name (database-wide, model/subscriptions.py); desired:
    # managed (undeclared live ones dropped) when the declarations say `subscriptions:` at all.
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    subscriptions_managed: bool = field(default=False, compare=False)
    # Live only: every role name (None when unknown, as in an offline plan), and the role that
    # reads the catalog (the one that will create objects, so its default privileges apply).
    roles: frozenset[str] | None = field(default=None, compare=False)
    current_role: str | None = field(default=None, compare=False)
    # Desired only: roles the declarations need, created when the server lacks them and never
    # altered or dropped (model/roles.py). Live only: the roles that can log in, and the
    # superusers (inspect writes the roles objects name, superusers aside, with `login`).
    declared_roles: dict[str, Role] = field(default_factory=dict, compare=False)
    login_roles: frozenset[str] = field(default=frozenset(), compare=False)
    superusers: frozenset[str] = field(default=frozenset(), compare=False)

    # [partitions]

    collations: dict[tuple[str, str], Collation] = field(default_factory=dict)
    # Extended statistics by (schema, name); rules by (schema, table, name). Both on managed tables.
    statistics: dict[tuple[str, str], Statistics] = field(default_factory=dict)
    rules: dict[tuple[str, str, str], Rule] = field(default_factory=dict)
    # [text-search] Dictionaries and configurations by (schema, name).
    ts_dictionaries: dict[tuple[str, str], TextSearchDictionary] = field(default_factory=dict)
    ts_configurations: dict[tuple[str, str], TextSearchConfiguration] = field(default_factory=dict)
    # Operators by (schema, symbol, left operand type or None, right operand type).
    operators: dict[OperatorId, Operator] = field(default_factory=dict)
    # Casts by (source type, target type), each under the managed schema it counts in (model/casts.py).
    casts: dict[CastId, Cast] = field(default_factory=dict)
    # Whether the declarations manage casts that belong to no managed schema (they declare casts,
    # or SQL files create or drop one): undeclared ones are then dropped.
    casts_managed: bool = field(default=False, compare=False)

    # [foreign] Wrappers and servers by name (database-wide). A desired schema holds only the
    # declared ones; ``foreign_data_managed`` names the kinds (``wrappers``, ``servers``) whose
    # undeclared live objects are dropped — those the declarations mention at all.
    foreign_data_wrappers: dict[str, ForeignDataWrapper] = field(default_factory=dict, compare=False)
    foreign_servers: dict[str, ForeignServer] = field(default_factory=dict, compare=False)
    foreign_data_managed: frozenset[str] = field(default=frozenset(), compare=False)
    # User mappings by (server, user); desired: those of the servers in ``mapped_servers``
    # (servers declaring ``user_mappings:``), whose other live mappings are dropped.
    user_mappings: dict[tuple[str, str], UserMapping] = field(default_factory=dict, compare=False)
    mapped_servers: frozenset[str] = field(default=frozenset(), compare=False)

    external_tables: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict, compare=False)
    # Live only (from pg_depend): for each column key (``column:public.profiles.id``, see
    # model.keys) and table key, the objects that read it — managed ones by their change key
    # (``policy:…``, ``index:…``, ``constraint:…``) and unmanaged ones (views, triggers, …) too.
    dependents: dict[str, tuple[Dependent, ...]] = field(default_factory=dict, compare=False)
    # Live only: objects in managed schemas of kinds the model does not manage (views,
    # functions, triggers, …). They are never changed; plans list them.
    unmanaged: tuple[Unmanaged, ...] = field(default=(), compare=False)

    def table(self, schema: str, name: str) -> Table | None:
        """The table ``schema.name``, or None."""
        return self.tables.get((schema, name))
