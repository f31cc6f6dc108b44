"""The conventions API: violations as data, independent of the source and of file order; and the
claims about which indexes serve a foreign key's lookups, checked on a real PostgreSQL."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import psycopg
import pytest

from conftest import run_sql
from pgreconcile.conventions import ConventionViolations, Violation, check_conventions, require_conventions
from pgreconcile.conventions.covering import is_covered
from pgreconcile.declare import build_schema, load_declarations, parse_text
from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.language import DocumentSpec
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.errors import DeclarationErrors, PlanRefused
from pgreconcile.model.objects import Column, ForeignKey, Index, Origin, Table

CASES = Path(__file__).parent / "cases"


def _document(text: str, file: str = "schema/app.yaml") -> Document:
    problems = Problems()
    document = parse_text(textwrap.dedent(text).lstrip("\n"), file, problems)
    assert document is not None and not problems, problems.errors
    return document


def test_violations_are_data_with_rule_object_place_and_fix() -> None:
    doc = _document(
        """
        conventions: {timestamps: timestamptz}
        schemas:
          public:
            tables:
              events:
                columns:
                  at: timestamp
        """
    )
    (violation,) = check_conventions([doc], build_schema([doc]))
    assert violation == Violation(
        rule="timestamps",
        object="column public.events.at",
        where=Origin("schema/app.yaml", 7),
        message="is timestamp without time zone, which stores no time zone",
        fix=violation.fix,
    )
    assert "`type: timestamptz`" in violation.fix


def test_a_source_without_lines_still_names_its_file() -> None:
    """The Python loader yields documents without YAML data behind them: violations then carry
    the file alone, and the rules do not depend on YAML line bookkeeping."""
    spec = DocumentSpec.model_validate(
        {
            "conventions": {"primary_key": "uuid", "enum_labels": "lowercase", "rls": ["public"]},
            "schemas": {
                "public": {
                    "enums": {"user_role": ["SYSADMIN", "user"]},
                    "tables": {"profiles": {"columns": {"id": {"type": "bigint", "primary_key": True}}}},
                }
            },
        }
    )
    doc = Document("schema/models.py", spec)
    violations = check_conventions([doc], build_schema([doc]))
    assert [(v.rule, v.object, str(v.where)) for v in violations] == [
        ("enum_labels", "enum public.user_role", "schema/models.py"),
        ("primary_key", "column public.profiles.id", "schema/models.py"),
        ("rls", "table public.profiles", "schema/models.py"),
    ]


def test_order_of_the_files_does_not_change_the_report() -> None:
    case = CASES / "multiple" / "across-files"
    documents = [
        _document(path.read_text(), f"schema/{path.name}") for path in sorted(case.glob("*.yaml"))
    ]
    forward = check_conventions(documents, build_schema(documents))
    backward = check_conventions(documents[::-1], build_schema(documents[::-1]))
    assert forward == backward
    assert len(forward) == 8
    assert forward == sorted(forward, key=Violation.sort_key)


def test_require_conventions_refuses_the_plan_with_the_list() -> None:
    declarations = load_declarations(CASES / "primary_key" / "violations")
    with pytest.raises(ConventionViolations) as caught:
        require_conventions(*declarations)
    assert isinstance(caught.value, PlanRefused)
    assert len(caught.value.violations) == 4
    text = caught.value.render()
    assert text.startswith("the declarations break their conventions, so there is no plan:\n")
    assert "4 convention violations (primary_key 4)." in text
    assert "reconcile lint" in (caught.value.hint or "")


def test_clean_declarations_pass_require_conventions() -> None:
    require_conventions(*load_declarations(CASES / "clean" / "all-satisfied"))


def test_rls_naming_an_undeclared_schema_is_a_declaration_error() -> None:
    doc = _document("conventions:\n  rls: [public, app]\nschemas: {public: {}}\n")
    with pytest.raises(DeclarationErrors) as caught:
        check_conventions([doc], build_schema([doc]))
    (error,) = caught.value.errors
    assert error.where == "schema/app.yaml:2"
    assert "'app'" in error.message


def test_convention_switched_off_is_not_checked() -> None:
    doc = _document(
        """
        conventions: {primary_key: null, foreign_keys_indexed: false, rls: []}
        schemas:
          public:
            tables:
              a: {columns: {id: {type: int, primary_key: true}}}
              b: {columns: {a_id: {type: int, references: a.id}}}
        """
    )
    assert check_conventions([doc], build_schema([doc])) == []


# --- The covering rule against PostgreSQL's own planner -----------------------------------------
#
# Deleting a referenced row makes PostgreSQL run, per row, the lookup below (ri_triggers.c builds
# it the same way), planned once as a generic plan with the key as a parameter. The rule claims
# an index is usable for it in exactly the declared situations; here the planner confirms three
# of them on a real server: a partial `IS NOT NULL` index counts, leading columns may come in any
# order, and a partial index with another predicate does not count.

COVERING = """
conventions: {foreign_keys_indexed: true}
schemas:
  public:
    tables:
      parents:
        columns: {id: {type: uuid, primary_key: true}, tenant: uuid}
        unique: {parents_tenant_id_key: [tenant, id]}
      partial_not_null:
        columns: {id: {type: uuid, primary_key: true}, parent_id: {type: uuid, references: parents.id}}
        indexes: {partial_not_null_idx: {columns: [parent_id], where: parent_id IS NOT NULL}}
      any_order:
        columns: {id: {type: uuid, primary_key: true}, tenant: uuid, parent_id: uuid}
        foreign_keys:
          any_order_parent_fkey: {columns: [tenant, parent_id], references: {table: parents, columns: [tenant, id]}}
        indexes: {any_order_idx: [parent_id DESC, tenant, id]}
      other_predicate:
        columns:
          id: {type: uuid, primary_key: true}
          parent_id: {type: uuid, references: parents.id}
          archived: boolean
        indexes: {other_predicate_idx: {columns: [parent_id], where: NOT archived}}
"""

LIVE = """
CREATE TABLE parents (id uuid PRIMARY KEY, tenant uuid, UNIQUE (tenant, id));
CREATE TABLE partial_not_null (id uuid PRIMARY KEY, parent_id uuid REFERENCES parents (id));
CREATE INDEX partial_not_null_idx ON partial_not_null (parent_id) WHERE parent_id IS NOT NULL;
CREATE TABLE any_order (
    id uuid PRIMARY KEY, tenant uuid, parent_id uuid,
    CONSTRAINT any_order_parent_fkey FOREIGN KEY (tenant, parent_id) REFERENCES parents (tenant, id)
);
CREATE INDEX any_order_idx ON any_order (parent_id DESC, tenant, id);
CREATE TABLE other_predicate (id uuid PRIMARY KEY, parent_id uuid REFERENCES parents (id), archived boolean);
CREATE INDEX other_predicate_idx ON other_predicate (parent_id) WHERE NOT archived;
"""


def _index_names(plan: Any) -> set[str]:
    found: set[str] = set()
    pending = [plan]
    while pending:
        node = pending.pop()
        if "Index Name" in node:
            found.add(node["Index Name"])
        pending += node.get("Plans", [])
    return found


def _lookup_uses(conn: psycopg.Connection[Any], table: str, columns: tuple[str, ...]) -> set[str]:
    """Indexes of the generic plan for the referential lookup on ``table`` by ``columns``."""
    # Test-only SQL over fixed names from COVERING above, never user input.
    where = " AND ".join(f"${n} OPERATOR(pg_catalog.=) {col}" for n, col in enumerate(columns, 1))
    types = ", ".join("uuid" for _ in columns)
    conn.execute("SET plan_cache_mode = force_generic_plan")
    conn.execute("SET enable_seqscan = off")  # empty tables: make any usable index win
    conn.execute(f"PREPARE ri_lookup ({types}) AS SELECT 1 FROM ONLY {table} x WHERE {where} FOR KEY SHARE OF x")
    args = ", ".join("gen_random_uuid()" for _ in columns)
    row = conn.execute(f"EXPLAIN (FORMAT JSON) EXECUTE ri_lookup ({args})").fetchone()
    conn.execute("DEALLOCATE ri_lookup")
    assert row is not None
    document = row[0] if isinstance(row[0], list) else json.loads(row[0])
    return _index_names(document[0]["Plan"])


@pytest.mark.parametrize(
    ("table", "index", "covered"),
    [
        ("partial_not_null", "partial_not_null_idx", True),
        ("any_order", "any_order_idx", True),
        ("other_predicate", "other_predicate_idx", False),
    ],
)
def test_the_planner_agrees_with_the_covering_rule(db_url: str, table: str, index: str, covered: bool) -> None:
    run_sql(db_url, LIVE)
    doc = _document(COVERING)
    schema = build_schema([doc])
    declared = schema.table("public", table)
    assert declared is not None
    (foreign_key,) = declared.foreign_keys
    assert is_covered(declared, foreign_key) is covered
    with psycopg.connect(db_url, autocommit=True) as conn:
        used = _lookup_uses(conn, table, foreign_key.columns)
    assert (index in used) is covered, used
    flagged = {v.object for v in check_conventions([doc], schema)}
    assert (f"foreign key {foreign_key.name} of public.{table}" in flagged) is not covered


def test_the_example_schema_keeps_the_conventions_it_declares() -> None:
    """`make demo` lints schema/ first; this says why it passes, without a server."""
    documents, schema = load_declarations(Path(__file__).parents[2] / "schema")
    declared = [doc.spec.conventions for doc in documents if doc.spec.conventions is not None]
    assert declared, "schema/ declares no conventions"
    assert check_conventions(documents, schema) == []


@pytest.mark.parametrize(
    ("where", "covered"),
    [
        (None, True),
        ("parent_id IS NOT NULL", True),
        ("(parent_id IS NOT NULL)", True),
        ("NOT parent_id IS NULL", True),
        ("NOT (parent_id IS NULL)", True),
        ("parent_id is not null AND (tenant IS NOT NULL)", True),
        ('"parent_id" IS NOT NULL', True),
        ("parent_id IS NULL", False),
        ("NOT (parent_id IS NOT NULL)", False),
        ("parent_id IS NOT NULL OR tenant IS NOT NULL", False),
        ("other IS NOT NULL", False),
        ("t.parent_id IS NOT NULL", False),
        ("parent_id IS NOT NULL -- comment", False),
        ("NOT archived", False),
    ],
)
def test_partial_index_predicates(where: str | None, covered: bool) -> None:
    """Only predicates the lookup's own equality implies keep an index usable: `col IS NOT NULL`
    over the foreign key's columns (the planner test above confirms the first and the last)."""
    foreign_key = ForeignKey("c_fkey", ("tenant", "parent_id"), "public", "p", ("tenant", "id"))
    table = Table(
        "public",
        "c",
        columns=(Column("tenant", "uuid"), Column("parent_id", "uuid"), Column("other", "uuid")),
        foreign_keys=(foreign_key,),
        indexes=(Index("c_idx", ("parent_id", "tenant"), where=where),),
    )
    assert is_covered(table, foreign_key) is covered


def test_convention_values_are_case_insensitive() -> None:
    doc = _document("conventions: {primary_key: UUID, timestamps: TimestampTZ, enum_labels: LOWERCASE}\n")
    assert doc.spec.conventions is not None
    assert (doc.spec.conventions.primary_key, doc.spec.conventions.timestamps) == ("uuid", "timestamptz")


@pytest.mark.parametrize(
    ("text", "declared"),
    [
        ("conventions: {rls: []}\n", False),
        ("conventions: {primary_key: null, foreign_keys_indexed: false}\n", False),
        ("conventions: {foreign_keys_indexed: true}\n", True),
        ("conventions: {rls: [public]}\nschemas: {public: {}}\n", True),
    ],
)
def test_switched_off_conventions_are_not_declared(text: str, declared: bool) -> None:
    from pgreconcile.declare.build.conventions import read_conventions

    assert read_conventions([_document(text)], Problems()).declared is declared
