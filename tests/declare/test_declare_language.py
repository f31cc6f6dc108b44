"""Every key and short form of the YAML language, and the model objects it builds."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pgreconcile.model.objects import (
    CheckConstraint,
    Column,
    Enum,
    Extension,
    FkAction,
    ForeignKey,
    IdentityKind,
    Index,
    IndexMethod,
    Namespace,
    PrimaryKey,
    UniqueConstraint,
)

FULL = """
version: 1
extensions:
  pgcrypto: {}
  uuid-ossp: {schema: extensions, version: 1.1}
  citext:
schemas:
  public:
    comment: The application.
    enums:
      user_role: [sysadmin, admin, user]
      message_role:
        values: [user, assistant]
        renamed_values: {USER: user}
        comment: Who wrote a message.
    tables:
      profiles:
        comment: User profiles.
        columns:
          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid()}
          email: {type: citext, nullable: false, unique: true}
          role: {type: user_role, nullable: false, default: user}
          nickname: text
  extensions: {}
"""

if TYPE_CHECKING:
    from declare_helpers import SchemaDir

pytest_plugins = ["declare_helpers"]  # the schema_dir fixture


def test_a_full_file_builds_every_object(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.yaml", FULL)
    schema = schema_dir.load()
    assert schema.managed == frozenset({"public", "extensions"})
    assert schema.namespaces["public"] == Namespace("public", "The application.")
    assert schema.namespaces["extensions"] == Namespace("extensions")
    assert schema.extensions == {
        "citext": Extension("citext"),
        "pgcrypto": Extension("pgcrypto"),
        "uuid-ossp": Extension("uuid-ossp", "extensions"),
    }
    assert schema.enums[("public", "user_role")] == Enum("public", "user_role", ("sysadmin", "admin", "user"))
    assert schema.enums[("public", "message_role")] == Enum(
        "public", "message_role", ("user", "assistant"), "Who wrote a message."
    )
    table = schema.table("public", "profiles")
    assert table is not None
    assert table.comment == "User profiles."
    assert table.columns == (
        Column("id", "uuid", nullable=False, default="gen_random_uuid()"),
        Column("email", "public.citext", nullable=False),
        Column("role", "public.user_role", nullable=False, default="'user'::public.user_role"),
        Column("nickname", "text"),
    )
    assert table.primary_key == PrimaryKey("profiles_pkey", ("id",))
    assert table.uniques == (UniqueConstraint("profiles_email_key", ("email",)),)


def test_origins_point_at_the_declaring_lines(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.yaml", FULL)
    schema = schema_dir.load()
    table = schema.table("public", "profiles")
    assert table is not None
    assert str(table.origin) == "schema/app.yaml:16"
    assert [str(c.origin) for c in table.columns] == [f"schema/app.yaml:{n}" for n in (19, 20, 21, 22)]
    assert str(schema.enums[("public", "message_role")].origin) == "schema/app.yaml:11"
    assert str(schema.extensions["uuid-ossp"].origin) == "schema/app.yaml:4"
    assert str(table.uniques[0].origin) == "schema/app.yaml:20"


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("text", Column("c", "text")),
        ("{type: int4}", Column("c", "integer")),
        ("{type: varchar(20), nullable: false}", Column("c", "character varying(20)", nullable=False)),
        ("{type: timestamptz, default_sql: now()}", Column("c", "timestamp with time zone", default="now()")),
        ("{type: 'numeric(10, 2)', default: 0}", Column("c", "numeric(10,2)", default="0")),
        ("{type: text, default: active}", Column("c", "text", default="'active'::text")),
        ("{type: text, default: 'it''s'}", Column("c", "text", default="'it''s'::text")),
        ("{type: boolean, default: false}", Column("c", "boolean", default="false")),
        (
            "{type: bigint, identity: always}",
            Column("c", "bigint", nullable=False, identity=IdentityKind.ALWAYS),
        ),
        (
            "{type: int, identity: by_default}",
            Column("c", "integer", nullable=False, identity=IdentityKind.BY_DEFAULT),
        ),
        ("{type: text, comment: A note.}", Column("c", "text", comment="A note.")),
        ("{type: 'text[]', default: []}", Column("c", "text[]", default="'{}'::text[]")),
        (
            "{type: jsonb, default: {b: 1, aa: [1, 2]}}",
            Column("c", "jsonb", default="""'{"b": 1, "aa": [1, 2]}'::jsonb"""),
        ),
        ("{type: text, renamed_from: old_name}", Column("c", "text")),
        ("{type: uuid, convert: {on_invalid: null}}", Column("c", "uuid")),
        ("{type: uuid, convert: regenerate}", Column("c", "uuid")),
        (
            "{type: timestamptz, convert: {from: epoch_seconds}}",
            Column("c", "timestamp with time zone"),
        ),
    ],
    ids=[
        "short-form",
        "alias",
        "modifiers",
        "default-sql",
        "numeric-default",
        "text-default",
        "quote-in-default",
        "bool-default",
        "identity-always",
        "identity-by-default",
        "comment",
        "array-default",
        "jsonb-default",
        "renamed-from-accepted",
        "convert-null-accepted",
        "convert-regenerate",
        "convert-from-accepted",
    ],
)
def test_column_forms(schema_dir: SchemaDir, column: str, expected: Column) -> None:
    table = schema_dir.table(f"columns:\n  c: {column}")
    assert table.columns == (expected,)


def test_primary_key_forms(schema_dir: SchemaDir) -> None:
    table = schema_dir.table(
        """
        columns: {a: int, b: int}
        primary_key: [a, b]
        """
    )
    assert table.primary_key == PrimaryKey("t_pkey", ("a", "b"))
    assert [c.nullable for c in table.columns] == [False, False]
    table = schema_dir.table(
        """
        columns: {a: int}
        primary_key: {name: my_pk, columns: a}
        """
    )
    assert table.primary_key == PrimaryKey("my_pk", ("a",))


def test_unique_forms(schema_dir: SchemaDir) -> None:
    table = schema_dir.table(
        """
        columns: {a: int, b: int, c: {type: int, unique: true}}
        unique:
          named_ab: [a, b]
          deferred_b: {columns: [b], deferrable: true, initially_deferred: true}
        """
    )
    assert table.uniques == (
        UniqueConstraint("deferred_b", ("b",), deferrable=True, initially_deferred=True),
        UniqueConstraint("named_ab", ("a", "b")),
        UniqueConstraint("t_c_key", ("c",)),
    )
    table = schema_dir.table(
        """
        columns: {a: int, b: int}
        unique: [[a, b], b]
        """
    )
    assert table.uniques == (UniqueConstraint("t_a_b_key", ("a", "b")), UniqueConstraint("t_b_key", ("b",)))


def test_initially_deferred_implies_deferrable(schema_dir: SchemaDir) -> None:
    table = schema_dir.table(
        """
        columns: {a: int}
        unique: {u: {columns: [a], initially_deferred: true}}
        """
    )
    assert table.uniques == (UniqueConstraint("u", ("a",), deferrable=True, initially_deferred=True),)


def test_foreign_key_forms(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "app.yaml",
        """
        schemas:
          core:
            tables:
              sessions:
                columns: {id: {type: uuid, primary_key: true}, org: int, n: int}
                unique: {sessions_org_n_key: [org, n]}
              conversations:
                columns:
                  id: {type: uuid, primary_key: true}
                  session_id: {type: uuid, references: sessions.id}
                  owner_id: {type: uuid, references: auth.users.id}
                  other_id:
                    type: uuid
                    references:
                      {table: core.sessions, on_delete: set_null, on_update: CASCADE, deferrable: true}
                  org: int
                  n: int
                foreign_keys:
                  conv_session_fk:
                    columns: [org, n]
                    references: {table: sessions, columns: [org, n]}
                    on_delete: restrict
                    initially_deferred: true
                  conv_users_fk: {columns: owner_id, references: {table: auth.users, columns: id}}
        """,
    )
    table = schema_dir.load().table("core", "conversations")
    assert table is not None
    assert table.foreign_keys == (
        ForeignKey(
            "conv_session_fk",
            ("org", "n"),
            "core",
            "sessions",
            ("org", "n"),
            FkAction.RESTRICT,
            deferrable=True,
            initially_deferred=True,
        ),
        ForeignKey("conv_users_fk", ("owner_id",), "auth", "users", ("id",)),
        ForeignKey(
            "conversations_other_id_fkey",
            ("other_id",),
            "core",
            "sessions",
            ("id",),
            FkAction.SET_NULL,
            FkAction.CASCADE,
            deferrable=True,
        ),
        ForeignKey("conversations_owner_id_fkey", ("owner_id",), "auth", "users", ("id",)),
        ForeignKey("conversations_session_id_fkey", ("session_id",), "core", "sessions", ("id",)),
    )


def test_checks(schema_dir: SchemaDir) -> None:
    table = schema_dir.table(
        """
        columns:
          price: {type: numeric, check: price > 0}
          a: {type: int, check: "a < 1000"}
          b: {type: int, check: "true"}
        checks:
          t_has_price: "position('@' in a::text) > 1"
        """
    )
    assert table.checks == (
        CheckConstraint("t_a_check", "a < 1000"),
        CheckConstraint("t_check", "true"),
        CheckConstraint("t_has_price", "position('@' in a::text) > 1"),
        CheckConstraint("t_price_check", "price > 0"),
    )


def test_column_check_names_follow_the_column_read(schema_dir: SchemaDir) -> None:
    table = schema_dir.table(
        """
        columns:
          a: int
          b: {type: int, check: a > 0}
          c: {type: int, check: "true"}
        """
    )
    assert [c.name for c in table.checks] == ["t_a_check", "t_check"]


def test_indexes(schema_dir: SchemaDir) -> None:
    table = schema_dir.table(
        """
        columns: {created_at: timestamptz, nickname: text, email: text, data: jsonb, Mixed: text}
        indexes:
          t_created_idx: {columns: [created_at DESC]}
          t_nick_idx: {columns: [lower(nickname)], where: "nickname IS NOT NULL"}
          t_email_idx: {columns: [email], unique: true, include: [nickname]}
          t_data_idx: {columns: data, method: gin}
          t_short_idx: [email text_pattern_ops, '"Mixed" DESC NULLS LAST']
        """
    )
    assert table.indexes == (
        Index("t_created_idx", ("created_at DESC",)),
        Index("t_data_idx", ("data",), method=IndexMethod.GIN),
        Index("t_email_idx", ("email",), unique=True, include=("nickname",)),
        Index("t_nick_idx", ("lower(nickname)",), where="nickname IS NOT NULL"),
        Index("t_short_idx", ("email text_pattern_ops", '"Mixed" DESC NULLS LAST')),
    )


def test_later_milestone_keys_are_accepted_and_kept(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "app.yaml",
        """
        conventions:
          primary_key: uuid
          timestamps: timestamptz
          enum_labels: lowercase
          rls: [public]
          foreign_keys_indexed: true
        schemas:
          public:
            tables:
              profiles:
                columns: {id: {type: uuid, primary_key: true}}
                rls: {enabled: true, forced: false}
                policies:
                  profiles_policy:
                    command: all
                    roles: [authenticated]
                    permissive: true
                    using: auth.uid() = id
                    with_check: auth.uid() = id
                  profiles_public_read: {command: select, using: "true"}
                groups:
                  personality_traits:
                    keys: {openness: integer, attachment_style: text}
                    absorbs: [openness]
                    index: gin
                    validate: true
                prevent_destroy: true
        """,
    )
    table = schema_dir.load().table("public", "profiles")
    # A group is a jsonb column (an absorbed column is no longer declared), with its index and CHECK.
    assert table is not None and [c.name for c in table.columns] == ["id", "personality_traits"]
    assert [i.name for i in table.indexes] == ["profiles_personality_traits_idx"]
    assert [c.name for c in table.checks] == ["profiles_personality_traits_check"]
    from pgreconcile.declare import parse_files, yaml_files

    (doc,) = parse_files(yaml_files(schema_dir.path))
    spec = doc.spec.schemas["public"].tables["profiles"]
    assert spec.prevent_destroy is True
    assert spec.rls is not None and spec.rls.enabled is True
    assert spec.policies["profiles_policy"].roles == ["authenticated"]
    assert spec.policies["profiles_public_read"].command == "select"
    assert spec.groups["personality_traits"].validate_ is True
    assert doc.spec.conventions is not None and doc.spec.conventions.rls == ["public"]


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("user_role", "public.user_role"),
        ("UserRole", "public.UserRole"),
        ("'user_role[]'", "public.user_role[]"),
        ("app.states", "app.states"),
        ("states", "app.states"),
        ("citext", "extensions.citext"),
        ("extensions.citext", "extensions.citext"),
    ],
    ids=[
        "same-schema",
        "case-preserved-name",
        "enum-array",
        "qualified",
        "unique-elsewhere",
        "extension-schema",
        "extension-qualified",
    ],
)
def test_type_resolution(schema_dir: SchemaDir, declared: str, expected: str) -> None:
    schema_dir.write(
        "app.yaml",
        f"""
        extensions: {{citext: {{schema: extensions}}}}
        schemas:
          public:
            enums: {{user_role: [a], UserRole: [b]}}
            tables:
              t: {{columns: {{c: {{type: {declared}}}}}}}
          app:
            enums: {{states: [on, off]}}
        """,
    )
    table = schema_dir.load().table("public", "t")
    assert table is not None
    expected = expected.replace("public.UserRole", 'public."UserRole"')
    assert table.columns[0].type == expected


def test_yaml_1_1_words_stay_text(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "app.yaml",
        """
        schemas:
          public:
            enums: {answer: [yes, no, on, off]}
            tables:
              t:
                columns:
                  on: {type: date, default: 2024-01-01}
                  at: {type: text, default: 12:30}
        """,
    )
    schema = schema_dir.load()
    assert schema.enums[("public", "answer")].values == ("yes", "no", "on", "off")
    table = schema.table("public", "t")
    assert table is not None
    assert [(c.name, c.default) for c in table.columns] == [
        ("on", "'2024-01-01'::date"),
        ("at", "'12:30'::text"),
    ]


def test_empty_file_and_empty_schema(schema_dir: SchemaDir) -> None:
    schema_dir.write("empty.yaml", "")
    schema_dir.write("app.yml", "schemas:\n  app:\n  other: {}\n")
    schema = schema_dir.load()
    assert schema.managed == frozenset({"app", "other"})
    assert schema.tables == {}


def test_extensions_list_short_form(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.yaml", "extensions: [pgcrypto, citext]\n")
    assert schema_dir.load().extensions == {"citext": Extension("citext"), "pgcrypto": Extension("pgcrypto")}
