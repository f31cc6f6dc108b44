"""Python declarations: the type map, enums by value, nullability, defaults, every key of the
language, origins in the .py file, files importing each other, and a load that leaves nothing
behind. Errors have their own module (test_declare_python_errors.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pgreconcile.declare import load_schema, parse_files
from pgreconcile.declare.python.api import snake_case
from pgreconcile.declare.spec import language as language
from pgreconcile.model.objects import FkAction, IdentityKind, IndexMethod, Origin
from pgreconcile.model.privileges import GrantKind

if TYPE_CHECKING:
    from declare_helpers import SchemaDir

pytest_plugins = ["declare_helpers"]  # the schema_dir fixture

HEADER = """\
import datetime, decimal, enum, ipaddress, typing, uuid
from typing import Annotated, NewType, Optional, Union
from pgreconcile.declare import Table, column
"""


def _column_of(schema_dir: SchemaDir, annotation: str, value: str = "") -> tuple[str, bool]:
    body = f"UserId = NewType('UserId', uuid.UUID)\nclass T(Table):\n    c: {annotation}{value}\n"
    schema_dir.write("app.py", HEADER + body)
    table = schema_dir.load().table("public", "t")
    assert table is not None
    col = table.columns[0]
    return col.type, col.nullable


@pytest.mark.parametrize(
    ("annotation", "canonical", "nullable"),
    [
        ("uuid.UUID", "uuid", False),
        ("str", "text", False),
        ("int", "bigint", False),
        ("bool", "boolean", False),
        ("float", "double precision", False),
        ("decimal.Decimal", "numeric", False),
        ("datetime.date", "date", False),
        ("datetime.datetime", "timestamp with time zone", False),
        ("datetime.time", "time without time zone", False),
        ("datetime.timedelta", "interval", False),
        ("bytes", "bytea", False),
        ("dict", "jsonb", False),
        ("list", "jsonb", False),
        ("dict[str, typing.Any]", "jsonb", False),
        ("list[int]", "jsonb", False),
        ("ipaddress.IPv4Address", "inet", False),
        ("ipaddress.IPv6Network", "cidr", False),
        ("str | None", "text", True),
        ("None | int", "bigint", True),
        ("Optional[datetime.datetime]", "timestamp with time zone", True),
        ("Union[bytes, None]", "bytea", True),
        ("Annotated[str, 'doc']", "text", False),
        ("Annotated[str | None, 'doc']", "text", True),
        ("UserId", "uuid", False),
        ("UserId | None", "uuid", True),
    ],
)
def test_annotation_maps_to_type(schema_dir: SchemaDir, annotation: str, canonical: str, nullable: bool) -> None:
    assert _column_of(schema_dir, annotation) == (canonical, nullable)


@pytest.mark.parametrize(
    ("annotation", "value", "canonical", "nullable"),
    [
        ("int", ' = column(type="integer")', "integer", False),
        ("int | None", ' = column(type="smallint")', "smallint", True),
        ("str", ' = column(type="varchar(20)")', "character varying(20)", False),
        ("list[str] | None", ' = column(type="text[]")', "text[]", True),
        ("typing.Any", ' = column(type="numeric(10,2)")', "numeric(10,2)", False),
        ("datetime.datetime", ' = column(type="timestamp")', "timestamp without time zone", False),
        ('Annotated[int, column(type="integer")]', "", "integer", False),
    ],
)
def test_declared_type_overrides_the_annotation(
    schema_dir: SchemaDir, annotation: str, value: str, canonical: str, nullable: bool
) -> None:
    assert _column_of(schema_dir, annotation, value) == (canonical, nullable)


def test_future_annotations_and_str_subclasses(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "app.py",
        """
        from __future__ import annotations
        import datetime, uuid
        from pgreconcile.declare import Table, column

        class Email(str):
            pass

        class T(Table):
            uuid: uuid.UUID = column(primary_key=True)   # a field named like the module it uses
            email: Email
            seen: datetime.datetime | None
        """,
    )
    table = schema_dir.load().table("public", "t")
    assert table is not None
    assert [(c.name, c.type, c.nullable) for c in table.columns] == [
        ("uuid", "uuid", False),
        ("email", "text", False),
        ("seen", "timestamp with time zone", True),
    ]


ENUMS = """
import enum
from pgreconcile.declare import Table, column, enum_type

class UserRole(enum.Enum):
    SYSADMIN = "sysadmin"
    ADMIN = "admin"
    USER = "user"
    SUPERUSER = "sysadmin"        # an alias: the same label once

class Color(enum.StrEnum):
    RED = enum.auto()
    DARK_BLUE = enum.auto()

@enum_type(name="ticket_state", schema="app", comment="Where a ticket is.", renamed_values={"Closed": "closed"})
class State(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"

class Account(Table, name="accounts"):
    id: int = column(primary_key=True)
    role: UserRole = column(default=UserRole.USER)
    color: Color | None = Color.DARK_BLUE
    state: State = column(default=State.OPEN)
"""


def test_enum_labels_are_values_never_names(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.py", ENUMS)
    schema = schema_dir.load()
    assert schema.enums[("public", "user_role")].values == ("sysadmin", "admin", "user")
    assert schema.enums[("public", "color")].values == ("red", "dark_blue")
    state = schema.enums[("app", "ticket_state")]
    assert (state.values, state.comment) == (("open", "closed"), "Where a ticket is.")
    table = schema.table("public", "accounts")
    assert table is not None
    role, color, state_col = table.columns[1:]
    assert (role.type, role.default) == ("public.user_role", "'user'::public.user_role")
    assert (color.type, color.nullable, color.default) == ("public.color", True, "'dark_blue'::public.color")
    assert (state_col.type, state_col.default) == ("app.ticket_state", "'open'::app.ticket_state")
    # No label anywhere is a member name.
    labels = {label for enum in schema.enums.values() for label in enum.values}
    assert not labels & {"SYSADMIN", "ADMIN", "USER", "RED", "DARK_BLUE", "OPEN", "CLOSED"}
    (document,) = parse_files([schema_dir.path / "app.py"])
    assert document.spec.schemas["app"].enums["ticket_state"].renamed_values == {"Closed": "closed"}


def test_renamed_from_names_maps_live_member_names_to_values(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "app.py",
        """
        import enum
        from pgreconcile.declare import enum_type

        @enum_type(renamed_from_names=True)
        class Action(enum.Enum):
            CREATE = "create"
            PERMISSION_CHANGE = "permission_change"
            same = "same"

        __enums__ = [Action]
        """,
    )
    (document,) = parse_files([schema_dir.path / "app.py"])
    spec = document.spec.schemas["public"].enums["action"]
    assert spec.values == ["create", "permission_change", "same"]
    assert spec.renamed_values == {"CREATE": "create", "PERMISSION_CHANGE": "permission_change"}


def test_enum_schema_follows_the_first_table_that_uses_it(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "app.py",
        """
        import enum
        from pgreconcile.declare import Table

        __schema__ = "billing"

        class Status(enum.Enum):
            DRAFT = "draft"

        class Lonely(enum.Enum):
            ALONE = "alone"

        class Invoice(Table):
            status: Status

        class Archived(Table, schema="archive"):
            status: Status

        __enums__ = [Lonely]
        """,
    )
    schema = schema_dir.load()
    assert set(schema.enums) == {("billing", "status"), ("billing", "lonely")}
    assert set(schema.tables) == {("billing", "invoice"), ("archive", "archived")}
    archived = schema.table("archive", "archived")
    assert archived is not None and archived.columns[0].type == "billing.status"


@pytest.mark.parametrize(
    ("python", "sql", "column_type"),
    [
        ("True", "true", "bool"),
        ("False", "false", "bool"),
        ("0", "0", "int"),
        ("-5", "'-5'::integer", "int"),  # as the server prints the int4 token
        ("1.5", "1.5", "float"),
        ("'hello'", "'hello'::text", "str"),
        ("\"it's\"", "'it''s'::text", "str"),
        ("decimal.Decimal('1.50')", "1.50", "decimal.Decimal"),
        ("uuid.UUID('00000000-0000-0000-0000-000000000001')",
         "'00000000-0000-0000-0000-000000000001'::uuid", "uuid.UUID"),
        ("datetime.date(2024, 1, 31)", "'2024-01-31'::date", "datetime.date"),
        ("datetime.timedelta(days=1)", "'1 day'::interval", "datetime.timedelta"),
        ("datetime.timedelta(hours=2, minutes=3)", "'02:03:00'::interval", "datetime.timedelta"),
        ("b'\\x01\\xff'", "E'\\\\x01ff'::bytea", "bytes"),
        ("{'b': 1, 'a': [True, None]}", "'{\"a\": [true, null], \"b\": 1}'::jsonb", "dict"),
        ("('a', 'b')", "'{a,b}'::text[]", "list[str] = column(type='text[]', default=('a', 'b')) #"),
        ("Settings(theme='dark')", "'{\"theme\": \"dark\"}'::jsonb", "dict"),
    ],
)
def test_defaults_are_written_as_literals(schema_dir: SchemaDir, python: str, sql: str, column_type: str) -> None:
    annotation = column_type if "=" in column_type else f"{column_type} = column(default={python})"
    models = "from pydantic import BaseModel\nclass Settings(BaseModel):\n    theme: str\n"
    schema_dir.write("app.py", HEADER + models + f"class T(Table):\n    c: {annotation}\n")
    table = schema_dir.load().table("public", "t")
    assert table is not None
    assert table.columns[0].default == sql


def test_bare_values_are_defaults_and_none_is_no_default(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "app.py",
        HEADER + "class T(Table):\n    a: int = 7\n    b: str | None = None\n    c: bool = False\n",
    )
    table = schema_dir.load().table("public", "t")
    assert table is not None
    assert [c.default for c in table.columns] == ["7", None, "false"]


EVERY_KEY = """
import datetime, enum, uuid
from pydantic import BaseModel
from pgreconcile.declare import (
    Table, aggregate, check, column, enum_type, event_trigger, exclusion, foreign_key, function, group, index,
    policy, primary_key, procedure, rls, rule, statistics, trigger, unique,
)

__conventions__ = {
    "primary_key": "uuid",
    "timestamps": "timestamptz",
    "enum_labels": "lowercase",
    "rls": ["public"],
    "foreign_keys_indexed": True,
    "security_definer_search_path": True,
}
__extensions__ = {"pgcrypto": {"comment": "hashing"}, "uuid-ossp": {"schema": "extensions", "version": "1.1"}}
__functions__ = [
    function("touch()", returns="trigger", language="plpgsql", volatility="volatile", strict=True,
             security_definer=True, leakproof=True, parallel="unsafe", cost=100, rows=0,
             set={"search_path": ""}, support="textlike_support", comment="Touches.", renamed_from="old_touch",
             body="BEGIN RETURN NEW; END", grants={"authenticated": ["execute"]}, owner="app_owner"),
]
__procedures__ = [procedure("noop()", body="SELECT 1", grants={}, owner="app_owner")]
__event_triggers__ = [
    event_trigger("on_ddl", event="ddl_command_end", tags=["CREATE TABLE"], function="touch()", enabled="disabled",
                  comment="Watches.", owner="ddl_admin"),
]
__aggregates__ = [
    aggregate("total(integer)", sfunc="int4pl", stype="integer", finalfunc="abs", finalfunc_extra=True,
              combinefunc="int4pl",
              initcond="0", parallel="safe", comment="Adds.", grants={"anon": ["execute"]}, owner="app_owner"),
    aggregate('rank_of(VARIADIC "any" ORDER BY VARIADIC "any")', sfunc="ordered_set_transition_multi",
              stype="internal", finalfunc="rank_final", finalfunc_extra=True, hypothetical=True),
]
__triggers__ = [
    trigger("on_user", table="auth.users", timing="after", events="insert", for_each="row", function="touch()"),
]
__schemas__ = {
    "public": {
        "comment": "The app.",
        "sequences": {"ticket_no": {"type": "integer", "start": 10, "increment": 5, "min_value": 1,
                                    "max_value": 1000, "cache": 2, "cycle": True, "owned_by": "links.n",
                                    "comment": "Tickets.", "grants": {"anon": ["usage"]},
                                    "owner": "app_owner", "unlogged": True}},
        "domains": {
            "positive": {"type": "integer", "nullable": False, "default": 1, "collation": None,
                         "checks": {"positive_check": {"expression": "VALUE > 0", "validated": False}}},
            "code": {"type": "text", "default_sql": "'x'", "collation": "C", "comment": "Codes.",
                     "grants": {"anon": ["usage"]}, "owner": "app_owner", "not_null": {"name": "code_required"}},
        },
        "types": {
            "address": {"fields": {"street": "text", "zip": {"type": "text", "collation": "C", "comment": "Zip"}},
                        "comment": "A.",
                        "grants": {}, "owner": "app_owner"},
            "span": {"range": {"subtype": "float8", "subtype_opclass": "float8_ops", "collation": None,
                               "canonical": None, "subtype_diff": "float8mi"}},
        },
        "collations": {
            "ci": {"provider": "icu", "locale": "und-u-ks-level2", "deterministic": False, "rules": "&a < b",
                   "comment": "Case blind."},
            "bytes": {"lc_collate": "C", "lc_ctype": "POSIX"},
        },
        "text_search_dictionaries": {
            "english_nostop": {"template": "snowball", "options": {"Language": "english"}, "comment": "Stems.",
                               "owner": "app_owner"},
        },
        "text_search_configurations": {
            "notes": {"parser": "default", "mappings": {"asciiword": ["english_nostop", "simple"], "word": "simple"},
                      "comment": "Notes.", "owner": "app_owner"},
        },
        "operators": {
            "||&(integer, integer)": {"function": "total_pair", "commutator": "||&", "negator": "public.<!>",
                                      "restrict": "eqsel", "join": "eqjoinsel", "hashes": True, "merges": True,
                                      "comment": "Pairs.", "owner": "app_owner"},
        },
        "casts": {
            "integer AS boolean": {"function": "int4_flag(integer)", "context": "assignment", "comment": "Flags."},
            "text AS role": {"inout": True},
            "boolean AS \\"char\\"": {"binary": True, "context": "implicit"},
        },
        "grants": {"anon": ["usage"]},
        "owner": "app_owner",
        "default_privileges": {
            "for_role": "creator", "tables": {"anon": ["select"]}, "sequences": {"anon": ["usage"]},
            "functions": {"anon": ["execute"]}, "types": {"anon": ["usage"]},
        },
    },
    "extensions": None,
}
__publications__ = {
    "pub": {"tables": {"public.links": {"columns": ["a"], "where": "a IS NOT NULL"}},
            "schemas": ["public"], "publish": ["insert"], "via_partition_root": True, "comment": "Links.",
            "owner": "app_owner"},
    "pub_all": {"all_tables": True},
}
__roles__ = {"reader": {}, "app_login": {"login": True}}
__subscriptions__ = {
    "sub": {"connection": "host=publisher.invalid dbname=app password=s3cret", "publications": ["pub", "more"],
            "connect": False, "create_slot": False, "enabled": False, "slot_name": "sub_slot",
            "synchronous_commit": "local",
            "binary": True, "streaming": "parallel", "two_phase": True, "disable_on_error": True,
            "origin": "none", "password_required": False, "run_as_owner": True, "failover": True,
            "comment": "Subscribed.", "owner": "app_owner"},
}


@enum_type(
    comment="Roles.", renamed_values={"USER": "user"}, renamed_from="legacy.user_role", removed_values={"guest": "user"}
)
class Role(enum.Enum):
    ADMIN = "admin"
    USER = "user"


class Mood(enum.Enum):
    CALM = "calm"


class BigFive(BaseModel):
    openness: int | None = None
    label: Mood | None = None
    note: str = ""


class Profile(Table, name="profiles", comment="User profiles.", prevent_destroy=True, renamed_from="legacy.people"):
    id: uuid.UUID = column(primary_key=True, default_sql="gen_random_uuid()", renamed_from="user_id",
                           convert="regenerate", comment="The id.")
    account_id: uuid.UUID = column(references="auth.users.id", on_delete="cascade", on_update="restrict",
                                   deferrable=True, initially_deferred=True)
    email: str = column(unique=True, check="position('@' in email) > 1",
                        grants={"anon": {"privileges": ["select"], "grant_option": True}})
    role: Role = column(default=Role.USER)
    seq: int = column(type="integer", identity="by default")
    seen: datetime.datetime = column(convert={"time_zone": "UTC"}, not_null="profiles_seen_required")
    first: datetime.datetime = column(convert={"from": "epoch_seconds"})
    code: uuid.UUID | None = column(convert={"on_invalid": None})
    status: str = column(convert={"using": "upper(status::text)"}, not_null={"validated": False, "no_inherit": True})
    traits: BigFive = group(index="gin", absorbs=["openness"], validate=True)
    extra: dict = group(keys={"x": "integer"})
    __unique__ = [unique("email", "role", name="profiles_email_role_key", deferrable=True, initially_deferred=True,
                         renamed_from="people_email_role_key", comment="One role per email."),
                  ["seq", "role"]]
    __checks__ = [check("profiles_seq_positive", "seq > 0", renamed_from="people_seq_positive", comment="Positive."),
                  check("profiles_seq_small", "seq < 1000000")]
    __indexes__ = [
        index("profiles_seen_idx", "seen DESC", unique=True, method="btree", where="seq > 0", include=["email"],
              renamed_from="people_seen_idx", comment="Recent first.", nulls_not_distinct=True,
              options={"fillfactor": 80}),
    ]
    __rls__ = rls(forced=True)
    __grants__ = {"authenticated": ["select"]}
    __owner__ = "app_owner"
    __policies__ = [
        policy("profiles_owner", command="all", roles=["authenticated"], permissive=False,
               using="auth.uid() = id", with_check="auth.uid() = id", renamed_from="people_owner",
               comment="Owners only."),
    ]
    __triggers__ = [
        trigger("profiles_touch", timing="before", events=["update"], update_of=["seq"], for_each="row",
                function="touch()", when="NEW.seq > 0", arguments=["x"], enabled="always", comment="Touch.",
                renamed_from="people_touch"),
        trigger("profiles_audit", timing="after", events="insert", for_each="statement", function="touch()",
                new_table="inserted", old_table=None),
        trigger("profiles_purged", timing="after", events="delete", for_each="statement", function="touch()",
                old_table="deleted"),
        trigger("profiles_checked", constraint=True, deferrable=True, initially_deferred=True, timing="after",
                events="delete", for_each="row", function="touch()", referenced_table="profiles"),
    ]
    __statistics__ = [
        statistics("profiles_stats", columns=["email", "seq"], expressions=["lower(email)"],
                   kinds=["ndistinct", "mcv"], target=200, comment="Stats.", renamed_from="people_stats"),
    ]
    __rules__ = [
        rule("profiles_keep", event="delete", instead=True, where="old.seq > 0",
             actions=["SELECT 1"], enabled="replica", comment="Keep.", renamed_from="people_keep"),
    ]


class Link(Table, name="links"):
    a: uuid.UUID
    b: uuid.UUID
    n: int = column(type="serial", sequence={"start": 3, "comment": "Link numbers."})
    m: int = column(type="bigint", identity="always", sequence={"type": "bigint", "increment": 2, "min_value": 1,
                                                                "max_value": 10**6, "cache": 3, "cycle": True,
                                                                "name": "links_m_numbers", "unlogged": False})
    words: int | None = column(type="integer", generated="length(label)")
    halves: int | None = column(type="integer", generated="length(label) / 2", virtual=True)
    label: str | None = column(collation="C", compression="pglz", storage="external",
                               statistics=500, options={"n_distinct": -0.5})
    __unlogged__ = True
    __options__ = {"fillfactor": 70}
    __replica_identity__ = "full"
    __cluster_on__ = "links_pk"
    __primary_key__ = primary_key("a", "b", name="links_pk", renamed_from="links_pkey", comment="The pair.",
                                  deferrable=True, initially_deferred=True, include=["n"], options={"fillfactor": 80},
                                  index_comment="The pair's index.")
    __foreign_keys__ = [
        foreign_key("links_a_fkey", "a", Profile, ref_columns=["id"], on_delete="cascade", on_update="no action",
                    deferrable=True, initially_deferred=True, renamed_from="links_a_people_fkey", validated=False,
                    comment="To a profile."),
    ]
    __unique__ = [unique("label", nulls_not_distinct=True, include=["m"], options={"fillfactor": 90},
                         index_comment="By label.")]
    __checks__ = [check("links_n_positive", "n > 0", no_inherit=True, validated=False)]
    __exclusions__ = [exclusion("links_no_overlap", "a WITH =", using="gist", where="n > 0", include=["m"],
                                deferrable=True, initially_deferred=True, comment="No overlap.",
                                index_comment="Its index.")]


class Event(Table, name="events"):
    at: datetime.datetime
    region: str
    __partition_by__ = "range (at)"
    __partitions__ = {
        "events_2026": {"from": datetime.date(2026, 1, 1), "to": "2027-01-01", "comment": "This year.",
                        "partition_by": "list (region)",
                        "partitions": {"events_2026_eu": {"in": ["eu"]}, "events_2026_rest": {"default": True}}},
    }


class Shard(Table, name="shards"):
    id: uuid.UUID
    tag: str | None
    owner: uuid.UUID | None
    __partition_by__ = "hash (id)"
    __partitions__ = {
        "shards_0": {"modulus": 2, "remainder": 0, "indexes": {"shards_0_id": ["id"]}, "rls": {"enabled": True},
                     "policies": {"shards_0_tagged": {"command": "select", "using": "tag IS NOT NULL"}},
                     "primary_key": {"name": "shards_0_pk", "columns": ["id"]}, "replica_identity": "full"},
        "shards_1": {"modulus": 2, "remainder": 1, "schema": "app", "unique": {"shards_1_id_key": ["id"]},
                     "attached": {"shards_1_by_id": {"index": "shards_by_id", "comment": "Shard 1's copy."}},
                     "checks": {"shards_1_tag_set": "tag <> ''"}, "not_null": ["tag"],
                     "not_null_names": {"tag": "shards_1_tag_present"},
                     "column_defaults": {"tag": {"default": "one"}, "owner": None,
                                         "id": {"default_sql": "gen_random_uuid()"}},
                     "foreign_keys": {
                         "shards_1_owner_fk": {"columns": ["owner"], "references": {"table": "public.profiles"}},
                     }},
    }


class Note(Table, name="notes"):
    body: str


class Stay(Table, name="stays"):  # PostgreSQL 18: temporal keys, NOT ENFORCED
    room: int
    during: str = column(type="tstzrange")
    __primary_key__ = primary_key("room", "during", without_overlaps=True)
    __unique__ = [unique("room", "during", name="stays_key", without_overlaps=True)]
    __foreign_keys__ = [foreign_key("stays_self_fkey", ["room", "during"], "stays", ref_columns=["room", "during"],
                                    period=True, enforced=False)]
    __checks__ = [check("stays_room_positive", "room > 0", enforced=False)]


class StarredNote(Table, name="starred_notes"):
    stars: int
    __inherits__ = [Note]  # [inheritance] a Table class, or a name ("notes", "app.notes")


class Mailing(Table, name="mailings"):
    street: str | None
    zip: str | None = column(collation="C")
    __of__ = "address"  # a typed table: its composite type's name ("address", "app.address")


# [views]
from pgreconcile.declare import materialized_view, view

recent = view("SELECT a FROM links", schema="app", security_invoker=True, security_barrier=True,
              check_option="local", comment="recent", columns={"a": "the a"}, renamed_from="old_recent",
              grants={"anon": ["select"]}, owner="app_owner")
counts = materialized_view("SELECT count(*) AS n FROM links", schema="app", storage={"fillfactor": 70},
                           indexes=[index("counts_n", "n", unique=True, method="btree", where="n > 0",
                                          include=["n"], renamed_from="counts_old")],
                           comment="counts", columns={"n": {"comment": "how many", "storage": "plain",
                                                            "statistics": 200}}, renamed_from="old_counts",
                           grants={"anon": ["select"]}, owner="app_owner")

# [foreign]
__foreign_data_wrappers__ = {"test_fdw": {"handler": None, "validator": None, "options": {"debug": True},
                                          "owner": "app_owner"}}
__foreign_servers__ = {"test_server": {"wrapper": "test_fdw", "type": "postgres_fdw", "version": 2,
                                       "options": {"port": 5432}, "owner": "app_owner",
                                       "user_mappings": {"public": {"options": {"user": "guest"}}}}}


class Remote(Table, name="remote"):
    id: int
    __foreign__ = {"server": "test_server", "options": {"table_name": "r"}, "columns": {"id": {"column_name": "rid"}}}
"""


def _spec_fields(model: type[language.Spec]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    pending: list[Any] = [model]
    seen: set[type] = set()
    while pending:
        item = pending.pop()
        if isinstance(item, type) and issubclass(item, language.Spec):
            if item in seen:
                continue
            seen.add(item)
            out |= {(item.__name__, name) for name in item.model_fields}
            pending += [f.annotation for f in item.model_fields.values()]
        else:
            pending += list(getattr(item, "__args__", ()))
    return out


def _set_fields(value: Any) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    if isinstance(value, language.Spec):
        out |= {(type(value).__name__, name) for name in value.model_fields_set}
        for name in value.model_fields_set:
            out |= _set_fields(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            out |= _set_fields(item)
    elif isinstance(value, list):
        for item in value:
            out |= _set_fields(item)
    return out


def test_every_key_of_the_language_is_reachable_from_python(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.py", EVERY_KEY)
    (document,) = parse_files([schema_dir.path / "app.py"])
    # `version` is implied: a Python file is always written in the current version.
    missing = _spec_fields(language.DocumentSpec) - _set_fields(document.spec) - {("DocumentSpec", "version")}
    assert missing == set()


def test_every_key_reaches_the_model(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.py", EVERY_KEY)
    (document,) = parse_files([schema_dir.path / "app.py"])
    profiles = document.spec.schemas["public"].tables["profiles"]
    assert profiles.groups["traits"].keys == {"openness": "bigint", "label": "text", "note": "text"}
    assert profiles.columns["code"].convert is not None and profiles.columns["code"].convert.on_invalid == "null"
    assert profiles.policies["profiles_owner"].permissive is False
    assert profiles.rls is not None and profiles.rls.forced
    # A check with a former name is the long form; one without stays the short form.
    assert profiles.checks["profiles_seq_positive"].renamed_from == "people_seq_positive"
    assert profiles.checks["profiles_seq_small"].renamed_from is None
    schema = load_schema(schema_dir.path)
    table = schema.table("public", "profiles")
    assert table is not None and table.prevent_destroy and table.comment == "User profiles."
    # [partitions] a partition's own policies
    shards_0 = next(p for p in schema.tables[("public", "shards")].partitions if p.name == "shards_0")
    assert [(p.name, p.command.value, p.using) for p in shards_0.policies] == [
        ("shards_0_tagged", "select", "tag IS NOT NULL")]
    shards_1 = next(p for p in schema.tables[("public", "shards")].partitions if p.name == "shards_1")
    assert shards_1.not_null_names == (("tag", "shards_1_tag_present"),)  # PostgreSQL 18
    assert shards_1.attached == (("shards_1_by_id", "shards_by_id"),)
    assert shards_1.attached_comments == (("shards_1_by_id", "Shard 1's copy."),)
    assert table.renamed_from == ("legacy", "people")
    assert schema.event_triggers["on_ddl"].owner == "ddl_admin"
    links_pk = schema.tables[("public", "links")].primary_key
    assert links_pk is not None and links_pk.deferrable and links_pk.initially_deferred
    assert schema.owners["function:public.total(integer)"].owner == "app_owner"
    rank_of = schema.aggregates['function:public.rank_of("any")']
    assert (rank_of.direct_args, rank_of.hypothetical, rank_of.variadic) == (1, True, True)
    assert {g.grantee for g in schema.grants["function:public.total(integer)"].grants} == {"anon"}
    # [inheritance] __inherits__ names the parents; the child has their columns as inherited ones
    mailings = next(t for (_, n), t in schema.tables.items() if n == "mailings")
    assert mailings.of_type == (mailings.schema, "address")
    starred = next(t for (_, n), t in schema.tables.items() if n == "starred_notes")
    assert starred.inherits == ((starred.schema, "notes"),)
    assert [c.name for c in starred.columns] == ["stars"]
    assert [c.name for c in starred.inherited_columns] == ["body"]
    assert schema.enums[("public", "role")].renamed_from == ("legacy", "user_role")
    assert schema.namespaces["public"].comment == "The app."
    flag = schema.casts[("integer", "boolean")]
    assert (flag.function, flag.function_args, flag.context, flag.comment) == (
        ("pg_catalog", "int4_flag"), ("integer",), "assignment", "Flags.")
    assert schema.casts[("text", "public.role")].inout
    sub = schema.subscriptions["sub"]  # [subscriptions]
    assert (sub.publications, sub.slot_name, sub.streaming, sub.publisher_origin, sub.connect, sub.owner,
            sub.create_slot) == (("more", "pub"), "sub_slot", "parallel", "none", False, "app_owner", False)
    assert schema.subscriptions_managed
    pair = schema.operators[("public", "||&", "integer", "integer")]
    assert (pair.function, pair.commutator, pair.negator, pair.hashes) == (
        ("pg_catalog", "total_pair"), ("public", "||&"), ("public", "<!>"), True)
    assert "extensions" in schema.managed
    assert schema.extensions["uuid-ossp"].schema == "extensions"
    by_name = {c.name: c for c in table.columns}
    assert by_name["id"].renamed_from == "user_id" and by_name["id"].convert
    assert by_name["seq"].identity is IdentityKind.BY_DEFAULT
    # A group is a jsonb column, with its GIN index and validating CHECK when asked for.
    assert (by_name["traits"].type, by_name["traits"].nullable, by_name["traits"].default) == (
        "jsonb", False, "'{}'::jsonb")
    assert by_name["extra"].type == "jsonb"
    assert [(g.name, g.absorbs) for g in table.groups] == [("traits", ("openness",)), ("extra", ())]
    fk = next(fk for fk in table.foreign_keys if fk.columns == ("account_id",))
    assert (fk.ref_schema, fk.ref_table, fk.ref_columns, fk.on_delete) == ("auth", "users", ("id",), FkAction.CASCADE)
    assert {u.name for u in table.uniques} == {"profiles_email_key", "profiles_email_role_key", "profiles_seq_role_key"}
    uniques = {u.name: u for u in table.uniques}
    assert uniques["profiles_email_role_key"].renamed_from == "people_email_role_key"
    indexes = {i.name: i for i in table.indexes}
    assert set(indexes) == {"profiles_seen_idx", "profiles_traits_idx"}  # `extra` has no index
    index = indexes["profiles_seen_idx"]
    assert (index.unique, index.method, index.where, index.include) == (True, IndexMethod.BTREE, "seq > 0", ("email",))
    assert index.renamed_from == "people_seen_idx"
    assert (indexes["profiles_traits_idx"].method, indexes["profiles_traits_idx"].elements) == (
        IndexMethod.GIN, ("traits",))
    checks = {c.name: c for c in table.checks}
    assert checks["profiles_seq_positive"].renamed_from == "people_seq_positive"
    assert "profiles_traits_check" in checks and "profiles_extra_check" not in checks  # validate= only on traits
    assert "jsonb_typeof" in checks["profiles_traits_check"].expression
    (pol,) = table.policies
    assert (pol.name, pol.renamed_from, pol.permissive) == ("profiles_owner", "people_owner", False)
    links = schema.table("public", "links")
    assert links is not None and links.primary_key is not None
    assert (links.primary_key.name, links.primary_key.columns) == ("links_pk", ("a", "b"))
    assert links.primary_key.renamed_from == "links_pkey"
    assert links.foreign_keys[0].ref_table == "profiles"
    assert links.foreign_keys[0].renamed_from == "links_a_people_fkey"
    assert links.replica_identity == "full"
    assert links.cluster_on == "links_pk"
    assert links.primary_key is not None and links.primary_key.index_comment == "The pair's index."
    assert [u.index_comment for u in links.uniques] == ["By label."]
    # [partitions] a partition's own foreign key (resolved across schemas), CHECK and NOT NULL
    shards = schema.table("public", "shards")
    assert shards is not None
    shard_1 = next(p for p in shards.partitions if p.name == "shards_1")
    assert [(f.name, f.ref_schema, f.ref_table, f.ref_columns) for f in shard_1.foreign_keys] == [
        ("shards_1_owner_fk", "public", "profiles", ("id",))]
    assert [(c.name, c.expression) for c in shard_1.checks] == [("shards_1_tag_set", "tag <> ''")]
    assert shard_1.not_null == ("tag",)
    assert shard_1.column_defaults == (("id", "gen_random_uuid()"), ("owner", None), ("tag", "'one'::text"))
    ci, byte_order = schema.collations[("public", "ci")], schema.collations[("public", "bytes")]
    assert (ci.provider, ci.locale, ci.deterministic, ci.rules, ci.comment) == (
        "icu", "und-u-ks-level2", False, "&a < b", "Case blind.")
    assert (byte_order.provider, byte_order.lc_collate, byte_order.lc_ctype) == ("libc", "C", "POSIX")
    # [text-search] a name alone is this schema's dictionary when it declares one, else pg_catalog's
    stems, notes = schema.ts_dictionaries[("public", "english_nostop")], schema.ts_configurations[("public", "notes")]
    assert (stems.template, stems.options, stems.comment, stems.owner) == (
        ("pg_catalog", "snowball"), (("language", "english"),), "Stems.", "app_owner")
    assert notes.parser == ("pg_catalog", "default") and (notes.comment, notes.owner) == ("Notes.", "app_owner")
    assert notes.mappings == (("asciiword", (("public", "english_nostop"), ("pg_catalog", "simple"))),
                              ("word", (("pg_catalog", "simple"),)))
    # Comments of constraints, indexes and policies reach the model.
    assert (links.primary_key.comment, links.foreign_keys[0].comment) == ("The pair.", "To a profile.")
    assert links.exclusions[0].comment == "No overlap."
    assert (index.comment, pol.comment, uniques["profiles_email_role_key"].comment) == (
        "Recent first.", "Owners only.", "One role per email.")
    assert checks["profiles_seq_positive"].comment == "Positive."
    # Grants and owners of the kinds beside tables reach the model, keyed as the catalog keys them.
    assert {g.grantee: g.privilege for g in schema.grants["view:app.recent"].grants} == {"anon": "select"}
    assert schema.owners["materialized view:app.counts"].owner == "app_owner"
    assert {(g.grantee, g.privilege) for g in schema.grants["function:public.touch()"].grants} == {
        ("authenticated", "execute")}
    assert schema.grants["function:public.noop()"].grants == frozenset()  # grants={}: PUBLIC revoked
    assert schema.owners["function:public.noop()"].target.kind is GrantKind.PROCEDURE
    assert {g.privilege for g in schema.grants["sequence:public.ticket_no"].grants} == {"usage"}
    assert {g.grantee for g in schema.grants["type:public.code"].grants} == {"anon"}
    assert schema.owners["type:public.address"].owner == "app_owner"
    # PostgreSQL 17/18: NOT NULL names, temporal keys, NOT ENFORCED (never validated either)
    code = schema.domains[("public", "code")]
    assert (code.nullable, code.not_null_name) == (False, "code_required")
    assert (by_name["seen"].nullable, by_name["seen"].not_null_name) == (False, "profiles_seen_required")
    status = by_name["status"]
    assert (status.nullable, status.not_null_validated, status.not_null_no_inherit) == (False, False, True)
    stays = schema.tables[("public", "stays")]
    assert stays.primary_key is not None and stays.primary_key.without_overlaps
    assert [u.without_overlaps for u in stays.uniques] == [True]
    (stay_fk,) = stays.foreign_keys
    assert (stay_fk.period, stay_fk.enforced, stay_fk.validated) == (True, False, False)
    assert [(c.enforced, c.validated) for c in stays.checks] == [(False, False)]


def test_origins_point_into_the_python_file(schema_dir: SchemaDir) -> None:
    path = schema_dir.write("app.py", EVERY_KEY)
    schema = load_schema(schema_dir.path)
    lines = path.read_text().splitlines()

    def line_of(text: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if text in line)

    table = schema.table("public", "profiles")
    assert table is not None
    assert table.origin == Origin("schema/app.py", line_of("class Profile("))
    by_name = {c.name: c for c in table.columns}
    assert by_name["email"].origin == Origin("schema/app.py", line_of("email: str"))
    assert table.indexes[0].origin == Origin("schema/app.py", line_of('index("profiles_seen_idx"'))
    assert schema.enums[("public", "role")].origin == Origin("schema/app.py", line_of("class Role("))
    checks = {c.name: c.origin for c in table.checks}
    assert checks["profiles_seq_positive"] == Origin("schema/app.py", line_of('check("profiles_seq_positive"'))


def test_names_default_to_snake_case_and_can_be_given() -> None:
    assert [snake_case(n) for n in ("UserRole", "HTTPMethod", "audit_log", "Profile", "OAuth2Token")] == [
        "user_role",
        "http_method",
        "audit_log",
        "profile",
        "o_auth2_token",
    ]


def test_abstract_bases_share_fields_and_schema(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "app.py",
        """
        import datetime, uuid
        from pgreconcile.declare import Table, column

        class Base(Table, abstract=True, schema="app"):
            id: uuid.UUID = column(primary_key=True, default_sql="gen_random_uuid()")
            created_at: datetime.datetime = column(default_sql="now()")

        class Note(Table):
            body: str

        class Post(Base):
            title: str
            # Redefined: keeps its place and takes the new annotation; the inherited column(...)
            # options stay, as an inherited default does in a dataclass.
            created_at: datetime.datetime | None
        """,
    )
    schema = schema_dir.load()
    assert set(schema.tables) == {("public", "note"), ("app", "post")}
    post = schema.table("app", "post")
    assert post is not None
    assert [(c.name, c.nullable, c.default) for c in post.columns] == [
        ("id", False, "gen_random_uuid()"),
        ("created_at", True, "now()"),
        ("title", False, None),
    ]


def test_files_import_each_other_and_share_one_enum(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "enums.py",
        """
        import enum

        class Status(enum.Enum):
            ACTIVE = "active"
            GONE = "gone"
        """,
    )
    schema_dir.write(
        "people/users.py",
        """
        import uuid
        from pgreconcile.declare import Table, column
        from ..enums import Status

        class User(Table, name="users"):
            id: uuid.UUID = column(primary_key=True)
            status: Status = column(default=Status.ACTIVE)
        """,
    )
    schema_dir.write(
        "posts.py",
        """
        import uuid
        from pgreconcile.declare import Table, column
        from .enums import Status
        from .people.users import User

        class Post(Table, name="posts"):
            id: uuid.UUID = column(primary_key=True)
            author: uuid.UUID = column(references=User, on_delete="cascade")
            status: Status
        """,
    )
    schema = schema_dir.load()
    status = schema.enums[("public", "status")]
    assert status.origin == Origin("schema/enums.py", 3)  # declared where the class is, once
    posts = schema.table("public", "posts")
    assert posts is not None
    assert (posts.foreign_keys[0].ref_table, posts.foreign_keys[0].ref_columns) == ("users", ("id",))
    assert set(schema.tables) == {("public", "users"), ("public", "posts")}  # User imported, declared once


def test_yaml_and_python_files_mix(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "enums.yaml",
        """
        schemas:
          app:
            enums:
              plan: [free, paid]
            tables:
              orgs:
                columns:
                  id: {type: bigint, primary_key: true}
                  owner: {type: bigint, references: members.id}
        """,
    )
    schema_dir.write(
        "members.py",
        """
        from pgreconcile.declare import Table, column

        class Member(Table, schema="app", name="members"):
            id: int = column(primary_key=True)
            org_id: int = column(references="orgs.id")
            plan: str = column(type="plan", default="paid")
        """,
    )
    schema = schema_dir.load()
    members = schema.table("app", "members")
    assert members is not None
    assert members.columns[2].type == "app.plan"
    assert members.columns[2].default == "'paid'::app.plan"
    assert members.foreign_keys[0].ref_table == "orgs"
    orgs = schema.table("app", "orgs")  # a YAML table referencing a Python one
    assert orgs is not None and orgs.foreign_keys[0].ref_table == "members"


def test_loading_leaves_nothing_behind(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.py", ENUMS)
    schema_dir.write("more/other.py", "from pgreconcile.declare import Table\nclass Other(Table):\n    x: int\n")
    before = set(sys.modules)
    first = schema_dir.load()
    second = schema_dir.load()
    assert first == second
    assert set(sys.modules) - before == set()
    assert not list(Path(schema_dir.path).rglob("__pycache__"))


def test_init_py_is_the_package_of_its_directory(schema_dir: SchemaDir) -> None:
    schema_dir.write("__init__.py", "SHARED = 'shared'\n")
    schema_dir.write(
        "app.py",
        "from pgreconcile.declare import Table, column\nfrom . import SHARED\n"
        "class T(Table):\n    x: str = column(default=SHARED)\n",
    )
    table = schema_dir.load().table("public", "t")
    assert table is not None and table.columns[0].default == "'shared'::text"


def test_classes_from_an_application_package_are_declared_once(
    schema_dir: SchemaDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "lib" / "myapp_models_i6"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "import enum\nfrom pgreconcile.declare import Table\n"
        "class Plan(enum.Enum):\n    FREE = 'free'\n    PAID = 'paid'\n"
        "class Org(Table, name='orgs'):\n    id: int\n    plan: Plan\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    schema_dir.write("a.py", "import enum\n\nfrom myapp_models_i6 import Org, Plan\n")
    schema_dir.write("b.py", "from myapp_models_i6 import Org\n")
    schema = schema_dir.load()
    orgs = schema.table("public", "orgs")
    assert orgs is not None and orgs.origin == Origin("schema/a.py", 3)  # the import that declares it
    assert schema.enums[("public", "plan")].values == ("free", "paid")
    assert schema.enums[("public", "plan")].origin == Origin("schema/a.py", 3)
    sys.modules.pop("myapp_models_i6", None)


def test_odd_file_and_directory_names_load(schema_dir: SchemaDir) -> None:
    schema_dir.write("001-first.py", "from pgreconcile.declare import Table\nclass A(Table):\n    x: int\n")
    schema_dir.write("v1.2/.hidden/b.py", "from pgreconcile.declare import Table\nclass B(Table):\n    y: int\n")
    assert set(schema_dir.load().tables) == {("public", "a"), ("public", "b")}


def test_sequence_generated_and_table_option_keys_reach_the_model(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.py", EVERY_KEY)
    schema = load_schema(schema_dir.path)
    ticket = schema.sequences[("public", "ticket_no")]
    assert (ticket.options.type, ticket.options.start, ticket.options.increment, ticket.options.max_value) == (
        "integer", 10, 5, 1000)
    assert ticket.options.cycle and ticket.options.cache == 2 and ticket.owned_by == ("links", "n")
    assert ticket.unlogged
    assert schema.sequences[("public", "links_n_seq")].unlogged  # the serial of an unlogged table
    serial = schema.sequences[("public", "links_n_seq")]
    assert (serial.owned_by, serial.options.start, serial.comment) == (("links", "n"), 3, "Link numbers.")
    links = schema.table("public", "links")
    assert links is not None and links.unlogged and links.options == (("fillfactor", "70"),)
    by_name = {c.name: c for c in links.columns}
    assert by_name["n"].default == "nextval('public.links_n_seq'::regclass)" and not by_name["n"].nullable
    identity = by_name["m"].identity_options
    assert identity is not None and (identity.increment, identity.max_value, identity.cycle) == (2, 10**6, True)
    assert by_name["m"].identity_sequence == ("public", "links_m_numbers")
    assert by_name["m"].identity_unlogged is False  # logged in an unlogged table
    assert by_name["words"].generated == "length(label)" and not by_name["words"].virtual
    assert by_name["halves"].generated == "length(label) / 2" and by_name["halves"].virtual
    assert (by_name["label"].collation, by_name["label"].compression, by_name["label"].storage) == (
        '"C"', "pglz", "external")
    assert (by_name["label"].statistics, by_name["label"].options) == (500, (("n_distinct", "-0.5"),))
