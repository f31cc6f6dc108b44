"""The plan's JSON form: real plans round-trip exactly, the bytes are stable, the document follows
the shipped JSON Schema, and a damaged document fails with one message saying where.

Bad-input tests run twice: with ``jsonschema`` and with it made unimportable, since it is a
development dependency only and users get the built-in validator; the messages must be the same.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import psycopg
import pytest

from conftest import run_sql
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.errors import ReconcileError
from pgreconcile.plan import Plan, Step, make_plan
from pgreconcile.plan.facts import Fact, FactKind
from pgreconcile.plan.model import FORMAT_VERSION, Declarations, Phase, Scope
from pgreconcile.plan.serialize import (
    ANNOTATION_KEYWORDS,
    CHECKED_KEYWORDS,
    PlanFormatError,
    plan_document,
    plan_from_json,
    plan_schema,
    plan_to_json,
    validate_plan_document,
)
from pgreconcile.probe import DataProber

CASES = Path(__file__).parent.parent / "cases"

# Golden cases whose plans exercise the parts of the format that are easy to get wrong, each with
# a check that the plan really has that part (so the round trip is not vacuous).
REAL_CASES: dict[str, Callable[[Plan], bool]] = {
    "primary-key/change-with-referencing-foreign-key": lambda p: any(s.replaces and s.reason for s in p.steps),
    "index/change-columns": lambda p: [s.action for s in p.steps if s.replaces] == [Action.DESTROY, Action.CREATE],
    "enum/add-value-used-by-new-default": lambda p: p.steps[0].phase is Phase.BEFORE and not p.steps[0].transactional,
    "column/drop-with-data": lambda p: p.destroys_data,
    "table/create-all-column-features": lambda p: any(len(s.details) > 5 for s in p.steps),
    "table/create-with-quoted-names": lambda p: any('"' in sql for s in p.steps for sql in s.statements),
    "incident/003-session-fk-and-indexes-across-schemas": lambda p: len(p.steps) == 7,
}

REFUSED_LIVE = """
CREATE TYPE public.mood AS ENUM ('happy', 'meh', 'sad');
CREATE TYPE public.pgreconcile_old_mood AS ENUM ('in', 'the', 'way');
CREATE TABLE public.ledger (id bigint PRIMARY KEY, note text, mood public.mood);
"""
REFUSED_DESIRED = """
version: 1
schemas:
  public:
    enums:
      mood: [sad, happy, meh]
    tables:
      ledger:
        prevent_destroy: true
        columns:
          id: {type: bigint, primary_key: true}
          mood: mood
          amount: numeric(12,2)
"""


def _plan_case(db_url: str, desired_file: Path, live_sql: str | None) -> Plan:
    """Plan ``desired_file`` against a database built by ``live_sql``, as the golden cases do."""
    if live_sql:
        run_sql(db_url, live_sql)
    desired = load_files([desired_file])
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, desired.managed)
    return make_plan(desired, live, source=desired_file.name, target="the test database")


def _real_plan(db_url: str, case: str) -> Plan:
    directory = CASES / case
    live = directory / "live.sql"
    return _plan_case(db_url, directory / "desired.yaml", live.read_text() if live.exists() else None)


def _assert_same_plan(back: Plan, plan: Plan) -> None:
    """Equal field by field, and with the same types: a StrEnum equals its string, so ``==``
    alone would not notice a phase read back as ``"main"`` (and ``step.phase is Phase.MAIN``
    would then be false in apply)."""
    assert back == plan
    for field in dataclasses.fields(Plan):
        assert getattr(back, field.name) == getattr(plan, field.name), field.name
    for got, want in zip(back.steps, plan.steps, strict=True):
        for field in dataclasses.fields(Step):
            assert getattr(got, field.name) == getattr(want, field.name), (want.number, field.name)
        assert type(got.action) is Action
        assert type(got.phase) is Phase
        assert all(type(h) is Hazard for h in got.hazards)
        assert all(type(t) is tuple for t in (got.statements, got.details, got.hazards, got.facts))


def _synthetic_plan() -> Plan:
    """A plan with every field set, including ones no planner path fills yet (probed facts, a
    step after the transaction): the format must carry them before the planner does."""
    return Plan(
        source="schema/ (2 files)",
        target="postgresql://app@db:5432/app (password hidden)",
        steps=[
            Step(
                number=1,
                action=Action.UPDATE,
                kind="enum",
                key="type:public.mood",
                label="enum public.mood add value 'ennui' after 'meh'",
                statements=("ALTER TYPE public.mood ADD VALUE 'ennui' AFTER 'meh'",),
                reason="committed first: later steps use the new label",
                phase=Phase.BEFORE,
            ),
            Step(
                number=2,
                action=Action.UPDATE,
                kind="column",
                key="column:core.conversations.session_id",
                label="column session_id character varying → uuid",
                statements=("ALTER TABLE core.conversations ALTER COLUMN session_id TYPE uuid USING session_id::uuid",),
                table="core.conversations",
                hazards=(Hazard.ACCESS_EXCLUSIVE_LOCK, Hazard.REWRITES_TABLE, Hazard.DROPS_DATA),
                facts=(
                    Fact(FactKind.NOT_CONVERTED, "3 of 12,345 values are not uuids → NULL", 3, 12_345),
                    Fact(FactKind.NULLS, "NULLs not measured: timed out after 5 s"),
                ),
            ),
            Step(
                number=3,
                action=Action.CREATE,
                kind="index",
                key="index:core.idx_conversations_ünïcode",
                label="index idx_conversations_ünïcode (session_id)",
                statements=(
                    'CREATE INDEX CONCURRENTLY "idx_conversations_ünïcode" ON core.conversations (session_id)',
                ),
                table="core.conversations",
                details=("detail one", "detail two"),
                hazards=(Hazard.NOT_TRANSACTIONAL,),
                phase=Phase.AFTER,
            ),
        ],
        refusals=["enum public.mood: its labels must be rebuilt, but public.pgreconcile_old_mood exists"],
        fingerprints={
            "type:public.mood": "sha256:" + "a" * 64,
            "table:core.conversations": "sha256:" + "0123456789abcdef" * 4,
        },
        scope=Scope(managed=("core", "public"), ignore=("public.legacy_*", "enum:public.old_*")),
        declarations=Declarations(schema_dir="schema", digest="sha256:" + "f" * 64),
    )


# --- round trip on real plans ------------------------------------------------------------------


@pytest.mark.parametrize("case", list(REAL_CASES))
def test_real_plan_round_trips_and_follows_the_schema(case: str, db_url: str) -> None:
    plan = _real_plan(db_url, case)
    assert REAL_CASES[case](plan), f"{case} no longer exercises what this test relies on"

    text = plan_to_json(plan)
    back = plan_from_json(text)
    _assert_same_plan(back, plan)
    assert plan_to_json(back) == text

    jsonschema.Draft202012Validator(plan_schema()).validate(json.loads(text))
    assert {plan_to_json(plan) for _ in range(5)} == {text}


def test_planning_twice_gives_the_same_bytes(db_url: str) -> None:
    case = "primary-key/change-with-referencing-foreign-key"
    first = plan_to_json(_real_plan(db_url, case))
    desired = load_files([CASES / case / "desired.yaml"])
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, desired.managed)
    again = make_plan(desired, live, source="desired.yaml", target="the test database")
    assert plan_to_json(again) == first


_PLAN_IN_SUBPROCESS = """
import sys, psycopg
from pathlib import Path
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.plan import make_plan
from pgreconcile.plan.serialize import plan_to_json
desired = load_files([Path(sys.argv[2])])
with psycopg.connect(sys.argv[1]) as conn:
    live = read_schema(conn, desired.managed)
sys.stdout.write(plan_to_json(make_plan(desired, live, source="desired.yaml", target="db")))
"""


def test_the_bytes_do_not_depend_on_the_process_hash_seed(db_url: str) -> None:
    """Sets and frozensets iterate in an order that changes with PYTHONHASHSEED; a saved plan
    made on a laptop and re-made in CI must still be byte-identical."""
    case = CASES / "incident/003-session-fk-and-indexes-across-schemas"
    run_sql(db_url, (case / "live.sql").read_text())
    outputs = set()
    for seed in ("1", "2", "3"):
        result = subprocess.run(
            [sys.executable, "-c", _PLAN_IN_SUBPROCESS, db_url, str(case / "desired.yaml")],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["summary"] == {"add": 7, "change": 0, "destroy": 0}


def test_refused_plan_round_trips_with_its_refusals(db_url: str, tmp_path: Path) -> None:
    desired = tmp_path / "app.yaml"
    desired.write_text(REFUSED_DESIRED)
    plan = _plan_case(db_url, desired, REFUSED_LIVE)
    assert len(plan.refusals) == 2
    assert plan.has_changes

    document = json.loads(plan_to_json(plan))
    assert document["refusals"] == plan.refusals
    assert any("prevent_destroy" in r for r in document["refusals"])
    _assert_same_plan(plan_from_json(plan_to_json(plan)), plan)


# --- the document's shape ----------------------------------------------------------------------


def test_every_field_of_a_synthetic_plan_round_trips() -> None:
    plan = _synthetic_plan()
    text = plan_to_json(plan)
    _assert_same_plan(plan_from_json(text), plan)
    jsonschema.Draft202012Validator(plan_schema()).validate(json.loads(text))


def test_document_content_and_key_order() -> None:
    text = plan_to_json(_synthetic_plan())
    document = json.loads(text)
    assert list(document) == [
        "format_version", "tool_version", "source", "target", "scope", "declarations", "database", "concurrently",
        "summary", "has_changes",
        "destroys_data", "refusals", "unmanaged", "hazards", "steps", "fingerprints",
    ]  # fmt: skip
    # Sorted by key, whatever order the plan holds them in.
    assert list(document["fingerprints"]) == ["table:core.conversations", "type:public.mood"]
    assert document["scope"] == {"managed": ["core", "public"], "ignore": ["public.legacy_*", "enum:public.old_*"]}
    assert document["format_version"] == FORMAT_VERSION
    assert document["summary"] == {"add": 1, "change": 2, "destroy": 0}
    assert (document["has_changes"], document["destroys_data"]) == (True, True)
    # In the Hazard enum's order, not the order the steps list them in.
    assert list(document["hazards"].items()) == [
        ("drops data", 1), ("rewrites the table", 1), ("ACCESS EXCLUSIVE lock", 1), ("cannot run in a transaction", 1),
    ]  # fmt: skip
    steps = document["steps"]
    assert list(steps[0]) == [
        "number", "phase", "action", "symbol", "kind", "key", "table", "label", "details", "reason",
        "replaces", "hazards", "facts", "probes", "transactional", "statements",
    ]  # fmt: skip
    assert steps[1]["facts"] == ["3 of 12,345 values are not uuids → NULL", "NULLs not measured: timed out after 5 s"]
    assert steps[1]["probes"] == [
        {"kind": "values not converted", "count": 3, "total": 12345, "blocks": False,
         "text": "3 of 12,345 values are not uuids → NULL"},
        {"kind": "nulls", "count": None, "total": None, "blocks": False,
         "text": "NULLs not measured: timed out after 5 s"},
    ]  # fmt: skip
    assert [(s["phase"], s["transactional"], s["symbol"]) for s in steps] == [
        ("before", False, "~"), ("main", True, "~"), ("after", False, "+"),
    ]  # fmt: skip
    assert steps[1]["hazards"] == ["ACCESS EXCLUSIVE lock", "rewrites the table", "drops data"]
    assert steps[0]["table"] is None
    # Written as UTF-8 text, not \\u escapes, two-space indented.
    assert "session_id character varying → uuid" in text
    assert "ünïcode" in text
    assert "\\u" not in text
    assert text.startswith('{\n  "format_version": "1.3",\n')


def test_a_1_0_document_is_read_with_text_only_facts() -> None:
    """Format 1.0 had facts as text only; they come back with no kind and no numbers, and are
    written again as a 1.1 document with ``probes``."""
    document = plan_document(_synthetic_plan())
    document["format_version"] = "1.0"
    for step in document["steps"]:
        del step["probes"]
    back = plan_from_json(json.dumps(document))
    assert back.steps[1].facts == (
        Fact(None, "3 of 12,345 values are not uuids → NULL"),
        Fact(None, "NULLs not measured: timed out after 5 s"),
    )
    again = json.loads(plan_to_json(back))
    assert again["format_version"] == FORMAT_VERSION
    assert again["steps"][1]["probes"][0] == {
        "kind": None, "count": None, "total": None, "blocks": False, "text": "3 of 12,345 values are not uuids → NULL",
    }  # fmt: skip
    jsonschema.Draft202012Validator(plan_schema()).validate(again)


def test_a_probed_plan_round_trips(db_url: str) -> None:
    """A real plan whose steps carry measured facts, including one that refuses the plan."""
    case = CASES / "column/drop-with-data"
    run_sql(
        db_url,
        "CREATE TABLE public.users (id bigint PRIMARY KEY, email text, legacy_score integer);"
        "INSERT INTO public.users VALUES (1, 'a@example.com', 10), (2, NULL, NULL), (3, 'c@example.com', 7);",
    )
    desired = load_files([case / "desired.yaml"])
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, desired.managed)
        plan = make_plan(desired, live, source="desired.yaml", target="db", probe=DataProber(conn))
    facts = [f for s in plan.steps for f in s.facts]
    assert {(f.kind, f.count, f.blocks) for f in facts} == {
        (FactKind.VALUES_LOST, 2, False), (FactKind.NULLS, 1, True),
    }  # fmt: skip
    assert len(plan.refusals) == 1
    text = plan_to_json(plan)
    _assert_same_plan(plan_from_json(text), plan)
    assert plan_to_json(plan_from_json(text)) == text
    jsonschema.Draft202012Validator(plan_schema()).validate(json.loads(text))


def test_an_empty_plan() -> None:
    plan = Plan(source="schema/ (1 file)", target="the test database")
    document = json.loads(plan_to_json(plan))
    assert document["steps"] == [] and document["hazards"] == {} and document["has_changes"] is False
    assert document["summary"] == {"add": 0, "change": 0, "destroy": 0}
    _assert_same_plan(plan_from_json(plan_to_json(plan)), plan)


def test_a_newer_minor_version_with_unknown_keys_is_read() -> None:
    """Additive changes bump the minor version; readers ignore keys they do not know."""
    plan = _synthetic_plan()
    document = plan_document(plan)
    document["format_version"] = "1.7"
    document["fingerprint"] = {"public.ledger": "abc"}
    document["summary"]["rename"] = 0
    document["steps"][1]["lock_estimate_ms"] = 40
    back = plan_from_json(json.dumps(document))
    assert back.format_version == "1.7"
    _assert_same_plan(back, dataclasses.replace(plan, format_version="1.7"))
    # Written again, it is a document of the version this code writes, with exactly its fields.
    assert plan_to_json(back) == plan_to_json(plan)


ADDED_IN_1_1 = ("scope", "declarations", "unmanaged", "fingerprints")


def test_a_1_0_document_is_read_without_the_fields_1_1_added() -> None:
    document = plan_document(_synthetic_plan())
    for name in ADDED_IN_1_1:
        del document[name]
    document["format_version"] = "1.0"
    back = plan_from_json(json.dumps(document))
    assert (back.fingerprints, back.scope, back.declarations) == ({}, None, None)
    again = json.loads(plan_to_json(back))
    assert again["format_version"] == FORMAT_VERSION
    assert (again["fingerprints"], again["scope"], again["declarations"]) == ({}, None, None)


# --- the schema --------------------------------------------------------------------------------


def test_schema_enums_are_the_python_enums() -> None:
    schema = plan_schema()
    step = schema["$defs"]["step"]["properties"]
    assert step["action"]["enum"] == [a.value for a in Action]
    assert step["symbol"]["enum"] == [a.symbol for a in Action]
    assert step["phase"]["enum"] == [p.value for p in Phase]
    assert schema["$defs"]["hazard"]["enum"] == [h.value for h in Hazard]
    assert step["hazards"]["items"] == {"$ref": "#/$defs/hazard"}
    assert schema["properties"]["hazards"]["propertyNames"] == {"$ref": "#/$defs/hazard"}
    # null: the kind of a text-only fact read from a 1.0 document.
    assert schema["$defs"]["factKind"]["enum"] == [*(k.value for k in FactKind), None]
    assert step["probes"]["items"] == {"$ref": "#/$defs/probe"}


# Keys added by a later minor version: written always, required never (a 1.0 document lacks them).
ADDED_AFTER_1_0 = {*ADDED_IN_1_1, "probes", "database", "concurrently"}


def test_schema_requires_and_describes_exactly_the_fields_written() -> None:
    schema = plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    document = plan_document(_synthetic_plan())
    step_schema = schema["$defs"]["step"]
    probe_schema = schema["$defs"]["probe"]
    for written, part in (
        (document, schema),
        (document["steps"][0], step_schema),
        (document["steps"][1]["probes"][0], probe_schema),
    ):
        assert part["required"] == [key for key in written if key not in ADDED_AFTER_1_0]
        assert list(part["properties"]) == list(written)
    assert list(schema["properties"]["summary"]["properties"]) == list(document["summary"])
    for part in (schema, step_schema, schema["properties"]["summary"], probe_schema):
        for name, sub in part["properties"].items():
            assert sub.get("description"), f"{name} has no description"


def _keywords(schema: dict[str, Any]) -> Iterator[str]:
    """Every keyword used anywhere in ``schema`` (names under properties/$defs are not keywords)."""
    for keyword, value in schema.items():
        yield keyword
        if keyword in ("properties", "$defs"):
            for sub in value.values():
                yield from _keywords(sub)
        elif isinstance(value, dict):
            yield from _keywords(value)


def test_schema_uses_only_keywords_the_builtin_validator_checks() -> None:
    """Users without jsonschema are validated by the built-in interpreter of the same file; a
    keyword it does not know would silently not be checked for them."""
    used = set(_keywords(plan_schema()))
    assert used <= ANNOTATION_KEYWORDS | CHECKED_KEYWORDS, used - ANNOTATION_KEYWORDS - CHECKED_KEYWORDS
    assert used >= CHECKED_KEYWORDS  # and it checks nothing the schema does not ask for


# --- bad input ---------------------------------------------------------------------------------


@pytest.fixture(params=["jsonschema", "builtin"])
def validator(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test with jsonschema, then as a user without it (the import fails)."""
    if request.param == "builtin":
        monkeypatch.setitem(sys.modules, "jsonschema", None)
    return str(request.param)


def _broken(edit: Callable[[dict[str, Any]], object]) -> str:
    document = copy.deepcopy(plan_document(_synthetic_plan()))
    edit(document)
    return json.dumps(document, indent=2, ensure_ascii=False)


def _message(text: str, where: str | None = None) -> str:
    with pytest.raises(PlanFormatError) as failure:
        plan_from_json(text, where=where)
    assert isinstance(failure.value, ReconcileError)
    return failure.value.message


def test_malformed_json_says_line_and_column(validator: str) -> None:
    text = '{\n  "format_version": "1.0"\n  "tool_version": "0.1.0"\n}'
    assert _message(text) == "not valid JSON: Expecting ',' delimiter at line 3, column 3"
    assert _message("") == "not valid JSON: Expecting value at line 1, column 1"


def test_a_file_name_is_where(validator: str) -> None:
    with pytest.raises(PlanFormatError) as failure:
        plan_from_json("[1,", where="plans/2026-11-23-profiles.plan.json")
    assert str(failure.value).startswith("plans/2026-11-23-profiles.plan.json: not valid JSON: ")


def test_duplicate_keys_are_refused(validator: str) -> None:
    text = plan_to_json(_synthetic_plan()).replace('"refusals": [', '"destroys_data": false,\n  "refusals": [')
    assert _message(text) == 'not a valid plan: key "destroys_data" appears twice in one object'


@pytest.mark.parametrize("version", ["2.0", "0.9"])
def test_another_major_version_names_the_supported_ones(validator: str, version: str) -> None:
    # Only the version is checked: the rest of a 2.x document may mean something else.
    message = _message(json.dumps({"format_version": version, "tool_version": "9.1.0", "steps": "?"}))
    assert message == (
        f"plan format_version {version} (written by pgreconcile 9.1.0) is not supported: "
        f"pgreconcile 0.1.0 reads format_version 1.x and writes {FORMAT_VERSION}"
    )


def _set(path: tuple[str | int, ...], value: object) -> Callable[[dict[str, Any]], object]:
    def edit(document: dict[str, Any]) -> None:
        node: Any = document
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return edit


def _delete(path: tuple[str | int, ...]) -> Callable[[dict[str, Any]], object]:
    def edit(document: dict[str, Any]) -> None:
        node: Any = document
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return edit


SCHEMA_PROBLEMS = [
    pytest.param(_delete(("steps", 0, "statements")), "$.steps[0]: missing required field 'statements'", id="missing"),
    pytest.param(_delete(("format_version",)), "$: missing required field 'format_version'", id="no-version"),
    pytest.param(
        _set(("steps", 1, "number"), "2"), '$.steps[1].number: expected integer, got string "2"', id="number-str"
    ),
    pytest.param(_set(("steps", 2, "replaces"), 1), "$.steps[2].replaces: expected boolean, got integer 1", id="bool"),
    pytest.param(
        _set(("steps", 0, "table"), ["t"]), '$.steps[0].table: expected string or null, got array ["t"]', id="nullable"
    ),
    pytest.param(
        _set(("steps", 1, "statements", 0), None), "$.steps[1].statements[0]: expected string, got null null", id="sql"
    ),
    pytest.param(_set(("summary",), []), "$.summary: expected object, got array []", id="summary"),
    pytest.param(
        _set(("steps", 0, "phase"), "soon"),
        '$.steps[0].phase: "soon" is not one of "before", "main", "after"',
        id="phase",
    ),
    pytest.param(
        _set(("steps", 1, "hazards", 2), "eats data"),
        '$.steps[1].hazards[2]: "eats data" is not one of "drops data", "rewrites the table", "ACCESS EXCLUSIVE lock", '
        '"blocks writes", "scans every row to validate", "cannot run in a transaction", "may fail on existing data"',
        id="hazard",
    ),
    pytest.param(
        _set(("hazards", "eats data"), 1), '$.hazards: "eats data" is not one of "drops data", ', id="hazard-key"
    ),
    pytest.param(
        _set(("hazards", "drops data"), 0), '$.hazards["drops data"]: 0 is less than the minimum 1', id="hazard-count"
    ),
    pytest.param(
        _set(("steps", 1, "probes", 0, "kind"), "vibes"),
        '$.steps[1].probes[0].kind: "vibes" is not one of "rows lost", ',
        id="fact-kind",
    ),
    pytest.param(
        _delete(("steps", 1, "probes", 1, "blocks")),
        "$.steps[1].probes[1]: missing required field 'blocks'",
        id="fact-blocks",
    ),
    pytest.param(
        _set(("format_version",), "1.0.1"),
        '$.format_version: "1.0.1" does not match ^1\\.(0|[1-9][0-9]*)$',
        id="semver",
    ),
    pytest.param(
        _set(("fingerprints", "type:public.mood"), "md5:abc"),
        '$.fingerprints["type:public.mood"]: "md5:abc" does not match ^(absent|sha256:[0-9a-f]{64})$',
        id="fingerprint",
    ),
    pytest.param(
        _set(("fingerprints", "index:public.i"), "absent"),
        '$.fingerprints: "index:public.i" does not match ^(schema|extension|type|table|view|materialized view|'
        'function|trigger|event trigger|sequence|foreign data wrapper|server|user mapping|text search dictionary|'
        'text search configuration|operator|cast|subscription|role):',
        id="fingerprint-key",
    ),
    pytest.param(
        _set(("scope", "managed"), "public"), '$.scope.managed: expected array, got string "public"', id="scope"
    ),
    pytest.param(
        _set(("declarations", "digest"), "abc"), '$.declarations.digest: "abc" does not match ^sha256:', id="digest"
    ),
]


@pytest.mark.parametrize(("edit", "expected"), SCHEMA_PROBLEMS)
def test_a_field_that_breaks_the_schema_is_named_by_its_path(
    validator: str, edit: Callable[[dict[str, Any]], object], expected: str
) -> None:
    assert _message(_broken(edit)).startswith(expected)


def test_a_document_that_is_not_an_object(validator: str) -> None:
    assert _message("[]") == "$: expected object, got array []"


@pytest.mark.parametrize(("edit", "expected"), SCHEMA_PROBLEMS)
def test_both_validators_say_the_same(edit: Callable[[dict[str, Any]], object], expected: str) -> None:
    document = json.loads(_broken(edit))
    messages = []
    for use_jsonschema in (True, False):
        with pytest.raises(PlanFormatError) as failure:
            validate_plan_document(document, use_jsonschema=use_jsonschema)
        messages.append(failure.value.message)
    assert messages[0] == messages[1]
    assert messages[0].startswith(expected)


DISAGREEMENTS = [
    pytest.param(
        _set(("summary", "destroy"), 3),
        '$.summary: says {"add": 1, "change": 2, "destroy": 3} '
        'but the steps make {"add": 1, "change": 2, "destroy": 0}',
        id="summary",
    ),
    # The --allow-destroy gate reads the steps; a file that says otherwise misleads its reviewer.
    pytest.param(
        _set(("destroys_data",), False), "$.destroys_data: is false but the steps make it true", id="destroys-data"
    ),
    pytest.param(_set(("has_changes",), False), "$.has_changes: is false but the steps make it true", id="has-changes"),
    pytest.param(
        _delete(("hazards", "drops data")),
        '$.hazards: says {"rewrites the table": 1, "ACCESS EXCLUSIVE lock": 1, "cannot run in a transaction": 1} '
        'but the steps carry {"drops data": 1, "rewrites the table": 1, "ACCESS EXCLUSIVE lock": 1, '
        '"cannot run in a transaction": 1}',
        id="hazards",
    ),
    pytest.param(
        _set(("steps", 1, "number"), 5),
        "$.steps[1].number: is 5; steps are numbered 1, 2, … in the order they run",
        id="number",
    ),
    pytest.param(
        _set(("steps", 0, "phase"), "after"),
        "$.steps[1].phase: 'main' comes after a step of phase 'after'; "
        "steps run in the phases before, main, after, in that order",
        id="phase-order",
    ),
    pytest.param(
        _set(("steps", 2, "transactional"), True),
        "$.steps[2].transactional: is true but phase 'after' runs outside the transaction",
        id="transactional",
    ),
    pytest.param(
        _set(("steps", 1, "facts", 0), "0 of 12,345 values are not uuids"),
        "$.steps[1].facts: does not say what the step's probes say (`probes[].text`)",
        id="facts-text",
    ),
    # A blocking fact refuses the plan; a file that drops the refusal would let apply run.
    pytest.param(
        _set(("steps", 1, "probes", 0, "blocks"), True),
        "$.steps[1].probes: hold a fact that blocks the apply, but no refusal says so",
        id="blocking-fact",
    ),
    pytest.param(
        _set(("steps", 2, "symbol"), "~"),
        "$.steps[2].symbol: is \"~\" but action 'create' is shown as '+'",
        id="symbol",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), DISAGREEMENTS)
def test_derived_fields_must_agree_with_the_steps(
    validator: str, edit: Callable[[dict[str, Any]], object], expected: str
) -> None:
    assert _message(_broken(edit)) == f"{expected}; the plan was changed after it was written"


def test_without_jsonschema_the_builtin_validator_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback is not only reachable through the test switch: with the import failing,
    plan_from_json still validates (and still reads good plans)."""
    monkeypatch.setitem(sys.modules, "jsonschema", None)
    with pytest.raises(ImportError):
        validate_plan_document({}, use_jsonschema=True)
    plan = _synthetic_plan()
    _assert_same_plan(plan_from_json(plan_to_json(plan)), plan)
    assert _message(_broken(_delete(("steps", 0, "key")))) == "$.steps[0]: missing required field 'key'"


def test_the_documented_example_is_what_the_case_plans(db_url: str) -> None:
    """docs/plan-json.md shows the JSON of a golden case; it must stay what pgreconcile writes."""
    docs = (Path(__file__).parents[2] / "docs" / "plan-json.md").read_text()
    example = next(block.split("```", 1)[0] for block in docs.split("```json\n")[1:] if '"format_version"' in block)
    documented = plan_from_json(example)
    plan = _real_plan(db_url, "index/change-columns")
    assert plan.declarations is not None and documented.declarations is not None
    # The test plans desired.yaml directly; the docs show it planned from schema/. The hashes
    # follow the model's fields, which grow; the docs must show the same objects, hashed.
    assert list(documented.fingerprints) == list(plan.fingerprints)
    plan = dataclasses.replace(
        plan,
        source=documented.source,
        target=documented.target,
        declarations=dataclasses.replace(documented.declarations),
        fingerprints=dict(documented.fingerprints),
        database=documented.database,  # the docs show a made-up server
    )
    # Only the tool version may differ: it changes with every release, the format does not.
    assert plan_to_json(dataclasses.replace(documented, tool_version=plan.tool_version)) == plan_to_json(plan)
    assert plan_to_json(documented) == example.rstrip("\n"), "the example is written in the current format"


def test_the_documented_probes_are_what_the_case_probes(db_url: str) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "plan-json.md").read_text()
    snippet = next(block.split("```", 1)[0] for block in docs.split("```json\n")[1:] if '"rows lost"' in block)
    documented = json.loads("{" + snippet.strip().rstrip(",") + "}")
    case = CASES / "probe/drop-tables-counts-rows"
    run_sql(db_url, (case / "live.sql").read_text())
    desired = load_files([case / "desired.yaml"])
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, desired.managed)
        plan = make_plan(desired, live, source="desired.yaml", target="db", probe=DataProber(conn))
    step = plan_document(plan)["steps"][0]
    assert {"facts": step["facts"], "probes": step["probes"]} == documented
