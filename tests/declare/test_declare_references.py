"""Foreign keys into schemas that are not declared: listed for the planner, checked against live tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pgreconcile.declare import check_external_references, unresolved_references

if TYPE_CHECKING:
    from declare_helpers import SchemaDir

pytest_plugins = ["declare_helpers"]  # the schema_dir fixture

FILE = """
schemas:
  public:
    tables:
      profiles:
        columns:
          id: {type: uuid, primary_key: true, references: {table: auth.users, column: id, on_delete: cascade}}
          team_id: {type: int, references: teams.id}
          org_id: int
        foreign_keys:
          profiles_org_fk: {columns: [org_id], references: {table: billing.orgs, columns: [org_no]}}
      teams:
        columns: {id: {type: int, primary_key: true}}
"""


def test_unresolved_references_lists_foreign_keys_outside_the_declared_schemas(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.yaml", FILE)
    refs = unresolved_references(schema_dir.load())
    assert [(r.table.qualified, r.foreign_key.name, r.target, str(r.origin)) for r in refs] == [
        ("public.profiles", "profiles_id_fkey", "auth.users", "schema/app.yaml:6"),
        ("public.profiles", "profiles_org_fk", "billing.orgs", "schema/app.yaml:10"),
    ]


def test_external_references_are_checked_against_live_tables(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.yaml", FILE)
    schema = schema_dir.load()
    assert (
        check_external_references(schema, {("auth", "users"): ("id", "email"), ("billing", "orgs"): ("org_no",)}) == []
    )
    errors = check_external_references(schema, {("auth", "users"): ("uid",)})
    assert [(e.where, e.message) for e in errors] == [
        (
            "schema/app.yaml:6",
            "table public.profiles: foreign key profiles_id_fkey: column 'id' does not exist in auth.users",
        ),
        (
            "schema/app.yaml:10",
            "table public.profiles: foreign key profiles_org_fk: references billing.orgs, which "
            "does not exist in the database",
        ),
    ]
    assert errors[0].hint == "auth.users has: uid"


def test_declaring_the_schema_makes_the_reference_checked_here(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.yaml", FILE)
    schema_dir.write("auth.yaml", "schemas:\n  auth:\n    tables:\n      users: {columns: {uid: uuid}}\n")
    errors = schema_dir.errors()
    assert [(e.where, e.message) for e in errors] == [
        (
            "schema/app.yaml:6",
            "table public.profiles: foreign key profiles_id_fkey: column 'id' does not exist in "
            "auth.users; did you mean 'uid'?",
        ),
    ]


def test_reference_without_columns_uses_the_primary_key(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "app.yaml",
        """
        schemas:
          public:
            tables:
              a: {columns: {x: int, y: int}, primary_key: [x, y]}
              b:
                columns: {x: int, y: int}
                foreign_keys: {b_a_fk: {columns: [x, y], references: a}}
        """,
    )
    table = schema_dir.load().table("public", "b")
    assert table is not None
    assert [(fk.ref_table, fk.ref_columns) for fk in table.foreign_keys] == [("a", ("x", "y"))]


def test_a_unique_index_is_a_valid_target(schema_dir: SchemaDir) -> None:
    schema_dir.write(
        "app.yaml",
        """
        schemas:
          public:
            tables:
              a:
                columns: {Code: text, n: int}
                indexes:
                  a_code_idx: {columns: ['"Code"'], unique: true}
                  a_n_idx: {columns: [n], unique: true, where: n > 0}
              b:
                columns:
                  code: {type: text, references: a.Code}
        """,
    )
    table = schema_dir.load().table("public", "b")
    assert table is not None and table.foreign_keys[0].ref_columns == ("Code",)
    schema_dir.write(
        "more.yaml",
        "schemas:\n  public:\n    tables:\n      c: {columns: {n: {type: int, references: a.n}}}\n",
    )
    errors = schema_dir.errors()
    assert [e.where for e in errors] == ["schema/more.yaml:4"]
    assert "(n) of public.a is neither its primary key nor unique" in errors[0].message
