# ruff: noqa: E501  (the examples are verbatim copies of the document, long comments included)
"""The examples of the user-facing contract (DECLARATIONS.md) load as documented.

The YAML below is copied verbatim from the design document; when the document changes, copy it
again. The convert and groups examples are fragments there, so they are placed in tables here.
"""

from __future__ import annotations

from pathlib import Path

from pgreconcile.declare import load_files, parse_files, unresolved_references
from pgreconcile.model.objects import Column, FkAction, ForeignKey, Index

MAIN_EXAMPLE = """\
version: 1

conventions:                 # rules the desired schema must satisfy (checked by `reconcile lint` and before every plan)
  primary_key: uuid          # every table has a single-column uuid primary key
  timestamps: timestamptz    # no `timestamp without time zone` columns
  enum_labels: lowercase     # enum labels are lowercase values, never Python member names
  rls: [public]              # every table in these schemas has RLS enabled
  foreign_keys_indexed: true # every FK column set is covered by an index

extensions:
  pgcrypto: {}
  uuid-ossp: {schema: extensions}
  vector: {}

schemas:
  public:
    enums:
      user_role: [sysadmin, admin, user]          # short form: the labels, in order
      message_role:
        values: [user, assistant, system, tool]
        renamed_values: {USER: user}              # live label → declared label (ALTER TYPE … RENAME VALUE)

    tables:
      profiles:
        comment: User profiles. id is auth.users(id).
        columns:
          id:
            type: uuid
            primary_key: true
            renamed_from: user_id                 # rename, never drop + add
            references: {table: auth.users, column: id, on_delete: cascade}
          email: {type: text, nullable: false}
          role: {type: user_role, nullable: false, default: user}      # `default` is a literal value, quoted by the tool
          created_at: {type: timestamptz, nullable: false, default_sql: now()}   # `default_sql` is an SQL expression
          nickname: text                          # short form: just the type, nullable
        unique:
          profiles_email_key: [email]
        checks:
          profiles_email_has_at: "position('@' in email) > 1"
        indexes:
          profiles_created_at_idx: {columns: [created_at DESC]}
          profiles_nickname_idx: {columns: [lower(nickname)], where: "nickname IS NOT NULL"}
        rls: {enabled: true, forced: false}
        policies:
          profiles_policy:
            command: all                          # all | select | insert | update | delete
            roles: [authenticated]                # default: public
            permissive: true
            using: auth.uid() = id
            with_check: auth.uid() = id
          profiles_public_read: {command: select, using: "true"}
        prevent_destroy: true                     # no plan may drop this table or any of its columns
"""

CONVERT_EXAMPLE = """\
          session_id:
            type: uuid
            convert: {on_invalid: null}          # values that are not uuids become NULL; the plan counts them first
          created_at:
            type: timestamptz
            convert: {time_zone: UTC}            # naive timestamps are read as UTC
          first_seen_at:
            type: timestamptz
            convert: {from: epoch_seconds}
          status:
            type: text
            convert: {using: "upper(status::text)"}     # an explicit USING expression
      conversations:
        columns:
          id:
            type: uuid
            primary_key: true
            default_sql: gen_random_uuid()
            convert: regenerate                  # integer ids become fresh uuids; every FK that references them is rewritten to match
"""

GROUPS_EXAMPLE = """\
        groups:
          personality_traits:
            keys: {openness: integer, conscientiousness: integer, attachment_style: text}
            absorbs: [openness, conscientiousness, attachment_style]   # live columns whose values move into the group, then are dropped
            index: gin
            validate: true                       # a CHECK that each key, when present, has the declared JSON type
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "app.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_main_example(tmp_path: Path) -> None:
    path = write(tmp_path, MAIN_EXAMPLE)
    schema = load_files([path])
    assert sorted(schema.extensions) == ["pgcrypto", "uuid-ossp", "vector"]
    profiles = schema.table("public", "profiles")
    assert profiles is not None
    assert profiles.column("role") == Column("role", "public.user_role", False, "'user'::public.user_role")
    assert profiles.column("created_at") == Column("created_at", "timestamp with time zone", False, "now()")
    assert profiles.foreign_keys == (
        ForeignKey("profiles_id_fkey", ("id",), "auth", "users", ("id",), FkAction.CASCADE),
    )
    assert profiles.indexes[1] == Index("profiles_nickname_idx", ("lower(nickname)",), where="nickname IS NOT NULL")
    assert [r.target for r in unresolved_references(schema)] == ["auth.users"]
    (doc,) = parse_files([path])
    table = doc.spec.schemas["public"].tables["profiles"]
    assert table.prevent_destroy is True
    assert table.policies["profiles_policy"].with_check == "auth.uid() = id"
    assert table.policies["profiles_public_read"].command == "select"
    assert table.columns["id"].renamed_from == "user_id"
    assert doc.spec.schemas["public"].enums["message_role"].renamed_values == {"USER": "user"}
    assert doc.spec.conventions is not None and doc.spec.conventions.primary_key == "uuid"


def test_the_convert_example(tmp_path: Path) -> None:
    text = "schemas:\n  core:\n    tables:\n      whatsapp_conversations:\n        columns:\n" + CONVERT_EXAMPLE
    path = write(tmp_path, text)
    schema = load_files([path])
    assert [c.type for c in schema.tables[("core", "whatsapp_conversations")].columns] == [
        "uuid",
        "timestamp with time zone",
        "timestamp with time zone",
        "text",
    ]
    (doc,) = parse_files([path])
    columns = doc.spec.schemas["core"].tables["whatsapp_conversations"].columns
    assert columns["session_id"].convert is not None and columns["session_id"].convert.on_invalid == "null"
    assert columns["first_seen_at"].convert is not None and columns["first_seen_at"].convert.from_ == "epoch_seconds"
    regenerate = doc.spec.schemas["core"].tables["conversations"].columns["id"].convert
    assert regenerate is not None and regenerate.regenerate is True


def test_the_groups_example(tmp_path: Path) -> None:
    head = "schemas:\n  public:\n    tables:\n      user_profiles:\n        columns: {id: uuid}\n"
    path = write(tmp_path, head + GROUPS_EXAMPLE)
    (doc,) = parse_files([path])
    group = doc.spec.schemas["public"].tables["user_profiles"].groups["personality_traits"]
    assert group.keys == {"openness": "integer", "conscientiousness": "integer", "attachment_style": "text"}
    assert group.index == "gin" and group.validate_ is True
    assert load_files([path]).table("public", "user_profiles") is not None
