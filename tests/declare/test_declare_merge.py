"""Several files make one schema; an object declared in two places is an error naming both."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pgreconcile.declare import yaml_files

TABLE = "schemas:\n  public:\n    tables:\n      {name}: {{columns: {{id: int}}}}\n"

if TYPE_CHECKING:
    from declare_helpers import SchemaDir

pytest_plugins = ["declare_helpers"]  # the schema_dir fixture


def test_a_schema_spans_files(schema_dir: SchemaDir) -> None:
    schema_dir.write("a.yaml", TABLE.format(name="users"))
    schema_dir.write("sub/b.yml", TABLE.format(name="orders"))
    schema_dir.write("c.yaml", "schemas:\n  public:\n    comment: Main.\n    enums: {e: [x]}\n")
    schema = schema_dir.load()
    assert sorted(schema.tables) == [("public", "orders"), ("public", "users")]
    assert schema.namespaces["public"].comment == "Main."
    assert ("public", "e") in schema.enums
    orders = schema.table("public", "orders")
    assert orders is not None and str(orders.origin) == "schema/sub/b.yml:4"


def test_files_are_found_recursively_in_a_stable_order(schema_dir: SchemaDir) -> None:
    for name in ("b.yaml", "a/z.yml", "a.yaml", "notes.txt", "a/b/c.yaml"):
        schema_dir.write(name, "")
    assert [p.as_posix() for p in yaml_files(schema_dir.path)] == [
        "schema/a/b/c.yaml",
        "schema/a/z.yml",
        "schema/a.yaml",
        "schema/b.yaml",
    ]


def test_the_same_extension_in_two_files_is_one_declaration(schema_dir: SchemaDir) -> None:
    """Issue 18: per-schema files from `reconcile inspect --schema X` each repeat the database's
    extensions, and did not load together ("extension pgcrypto is declared twice")."""
    schema_dir.write("a.yaml", "version: 1\nextensions:\n  pgcrypto: {schema: public}\nschemas: {a: {}}\n")
    schema_dir.write("b.yaml", "version: 1\nextensions:\n  pgcrypto: {schema: public}\nschemas: {b: {}}\n")
    schema = schema_dir.load()
    assert list(schema.extensions) == ["pgcrypto"] and set(schema.managed) >= {"a", "b"}


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (
            TABLE.format(name="t"),
            TABLE.format(name="t"),
            "table public.t is declared twice: at schema/a.yaml:4 and at schema/b.yaml:4",
        ),
        (
            "schemas: {public: {enums: {e: [a]}}}\n",
            "schemas:\n  public:\n    enums:\n      e: [a]\n",
            "enum public.e is declared twice: at schema/a.yaml:1 and at schema/b.yaml:4",
        ),
        (
            # Declared the same way twice is one declaration (below); in two schemas, a conflict.
            "extensions: {pgcrypto: {schema: public}}\n",
            "version: 1\nextensions:\n  pgcrypto: {schema: extensions}\n",
            "extension pgcrypto is declared twice: at schema/a.yaml:1 and at schema/b.yaml:3",
        ),
        (
            "schemas: {app: {comment: One.}}\n",
            "schemas:\n  app:\n    comment: Two.\n",
            "the comment of schema app is declared twice: at schema/a.yaml:1 and at schema/b.yaml:3",
        ),
        (
            "conventions: {rls: [public]}\n",
            "conventions:\n  timestamps: timestamptz\n  rls: [app]\n",
            "convention 'rls' is declared twice, with different values: [public] at schema/a.yaml:1 "
            "and [app] at schema/b.yaml:3",
        ),
    ],
    ids=["table", "enum", "extension", "schema-comment", "convention"],
)
def test_declared_twice_names_both_files(schema_dir: SchemaDir, first: str, second: str, message: str) -> None:
    schema_dir.write("a.yaml", first)
    schema_dir.write("b.yaml", second)
    errors = schema_dir.errors()
    assert [e.message for e in errors] == [message]
    assert errors[0].where == message.rsplit(" at ", 1)[1]
    assert errors[0].hint is not None and "one place" in errors[0].hint


def test_index_names_are_per_schema_across_files(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "a.yaml",
        "schemas:\n  core:\n    tables:\n      a:\n        columns: {x: int}\n        indexes: {idx_x: [x]}\n",
    )
    schema_dir.write(
        "b.yaml",
        "schemas:\n  core:\n    tables:\n      b:\n        columns: {x: int}\n        indexes: {idx_x: [x]}\n",
    )
    errors = schema_dir.errors()
    assert [(e.where, e.message) for e in errors] == [
        (
            "schema/b.yaml:6",
            "index idx_x of table core.b: the name 'idx_x' is already used in schema core by "
            "index idx_x of table core.a (at schema/a.yaml:6)",
        )
    ]


def test_same_index_name_in_two_schemas_is_fine(schema_dir: SchemaDir) -> None:
    schema_dir.write("a.yaml", "schemas:\n  core:\n    tables:\n      a: {columns: {x: int}, indexes: {idx_x: [x]}}\n")
    schema_dir.write("b.yaml", "schemas:\n  app:\n    tables:\n      a: {columns: {x: int}, indexes: {idx_x: [x]}}\n")
    schema = schema_dir.load()
    assert [t.indexes[0].name for t in schema.tables.values()] == ["idx_x", "idx_x"]


def test_unique_constraint_name_clashes_with_an_index(schema_dir: SchemaDir) -> None:
    schema_dir.write("a.yaml", "schemas:\n  public:\n    tables:\n      a: {columns: {x: {type: int, unique: true}}}\n")
    schema_dir.write(
        "b.yaml",
        "schemas:\n  public:\n    tables:\n      b:\n        columns: {x: int}\n        indexes: {a_x_key: [x]}\n",
    )
    errors = schema_dir.errors()
    assert [e.where for e in errors] == ["schema/b.yaml:6"]
    assert "already used in schema public by unique constraint a_x_key of table public.a" in errors[0].message


def test_foreign_keys_resolve_across_files(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "a.yaml",
        "schemas:\n  public:\n    tables:\n      orders:\n"
        "        columns: {user_id: {type: bigint, references: users.id}}\n",
    )
    schema_dir.write(
        "b.yaml",
        "schemas:\n  public:\n    tables:\n      users:\n"
        "        columns: {id: {type: bigint, identity: always, primary_key: true}}\n",
    )
    orders = schema_dir.load().table("public", "orders")
    assert orders is not None
    assert [(fk.name, fk.ref_table, fk.ref_columns) for fk in orders.foreign_keys] == [
        ("orders_user_id_fkey", "users", ("id",))
    ]
