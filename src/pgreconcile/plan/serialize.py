"""A Plan as JSON and back: the machine-readable plan and the saved-plan file.

The JSON form is the contract; the text plan is a view of it. It is written in one fixed key
order, so the same plan always gives the same bytes (saved plans diff cleanly in review), and it
is read back only after validation against ``schemas/plan.schema.json``, because a saved plan is
applied exactly as written: a damaged or hand-edited file must fail with its JSON path, never
half-load.

``jsonschema`` is a development dependency only. When it is importable it does the validation;
otherwise a small interpreter of the few schema keywords the plan schema uses walks the same
schema file, so there is one description of the format and both paths report the same message.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from pgreconcile import __version__
from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.errors import ReconcileError
from pgreconcile.plan.facts import Fact, FactKind, refusal
from pgreconcile.plan.model import FORMAT_VERSION, Database, Declarations, Phase, Plan, Scope, Step

SUPPORTED_MAJOR = int(FORMAT_VERSION.split(".")[0])
_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
_SCHEMA_HINT = "the format is described by pgreconcile/schemas/plan.schema.json and docs/plan-json.md"
_REMAKE_HINT = "make the plan again with `reconcile plan`; a saved plan must not be edited by hand"

# A JSON path, as a list of keys and indexes from the document root.
JsonPath = tuple[str | int, ...]


class PlanFormatError(ReconcileError):
    """A plan document (``--json`` output or a saved plan file) that this version cannot read."""


# --- writing ---------------------------------------------------------------------------------


def _probe_document(fact: Fact) -> dict[str, Any]:
    return {
        "kind": fact.kind.value if fact.kind is not None else None,
        "count": fact.count,
        "total": fact.total,
        "blocks": fact.blocks,
        "text": fact.text,
    }


def _step_document(step: Step) -> dict[str, Any]:
    return {
        "number": step.number,
        "phase": step.phase.value,
        "action": step.action.value,
        "symbol": step.action.symbol,
        "kind": step.kind,
        "key": step.key,
        "table": step.table,
        "label": step.label,
        "details": list(step.details),
        "reason": step.reason,
        "replaces": step.replaces,
        "hazards": [h.value for h in step.hazards],
        "facts": [fact.text for fact in step.facts],
        "probes": [_probe_document(fact) for fact in step.facts],
        "transactional": step.transactional,
        "statements": list(step.statements),
    }


def _database_document(database: Database | None) -> dict[str, Any] | None:
    if database is None:
        return None
    return {"system_identifier": database.system_identifier, "name": database.name, "oid": database.oid}


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON data, keys in the documented order.

    ``format_version`` is always the version this code writes, whatever version the plan was
    read from: the document holds exactly that version's fields."""
    summary = plan.summary
    scope, declared = plan.scope, plan.declarations
    return {
        "format_version": FORMAT_VERSION,
        "tool_version": plan.tool_version,
        "source": plan.source,
        "target": plan.target,
        "scope": None if scope is None else {"managed": list(scope.managed), "ignore": list(scope.ignore)},
        "declarations": None if declared is None else {"schema_dir": declared.schema_dir, "digest": declared.digest},
        "database": _database_document(plan.database),
        "concurrently": plan.concurrently,
        "summary": {"add": summary.add, "change": summary.change, "destroy": summary.destroy},
        "has_changes": plan.has_changes,
        "destroys_data": plan.destroys_data,
        "refusals": list(plan.refusals),
        "unmanaged": list(plan.unmanaged),
        "hazards": {hazard.value: count for hazard, count in plan.hazard_counts().items()},
        "steps": [_step_document(step) for step in plan.steps],
        "fingerprints": dict(sorted(plan.fingerprints.items())),
    }


def plan_to_json(plan: Plan) -> str:
    """The plan as a JSON document (no trailing newline); the same plan gives the same text."""
    return json.dumps(plan_document(plan), indent=2, ensure_ascii=False)


# --- the schema ------------------------------------------------------------------------------


@cache
def _schema_text() -> str:
    return resources.files("pgreconcile").joinpath("schemas/plan.schema.json").read_text(encoding="utf-8")


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of the plan document, as shipped in the package (a fresh copy)."""
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema


# --- validation messages, shared by both validators so the user sees one wording -------------


def format_path(path: JsonPath) -> str:
    """``$.steps[2].phase``; keys that are not plain names are quoted (``$.hazards["drops data"]``)."""
    text = "$"
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.isidentifier():
            text += f".{part}"
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _wrong_type(expected: str | list[str], value: object) -> str:
    names = [expected] if isinstance(expected, str) else expected
    return f"expected {' or '.join(names)}, got {_json_type(value)} {_shown(value)}"


def _missing(names: list[str]) -> str:
    return "missing required field " + ", ".join(repr(n) for n in names)


def _not_one_of(allowed: list[Any], value: object) -> str:
    return f"{_shown(value)} is not one of {', '.join(_shown(a) for a in allowed)}"


def _no_match(pattern: str, value: object) -> str:
    return f"{_shown(value)} does not match {pattern}"


def _below(minimum: object, value: object) -> str:
    return f"{_shown(value)} is less than the minimum {minimum}"


# --- the fallback validator: the schema keywords plan.schema.json uses, and no others --------

ANNOTATION_KEYWORDS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description"})
CHECKED_KEYWORDS = frozenset(
    "$ref type enum pattern minimum required properties propertyNames additionalProperties items".split()
)


def _is_type(value: object, name: str) -> bool:
    if name == "integer":
        # As JSON Schema counts: 1.0 is an integer, true is not.
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return _json_type(value) == name


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"plan schema: only local references are supported, not {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    resolved: dict[str, Any] = node
    return resolved


def _problems(
    value: Any, schema: dict[str, Any], root: dict[str, Any], path: JsonPath
) -> Iterator[tuple[JsonPath, str]]:
    """Every way ``value`` breaks ``schema``, depth first, as (path, message)."""
    if "$ref" in schema:
        yield from _problems(value, _resolve(root, schema["$ref"]), root, path)
    expected = schema.get("type")
    if expected is not None:
        names = [expected] if isinstance(expected, str) else expected
        if not any(_is_type(value, n) for n in names):
            yield path, _wrong_type(expected, value)
            return  # nothing else about a value of the wrong type is worth saying
    if "enum" in schema and value not in schema["enum"]:
        yield path, _not_one_of(schema["enum"], value)
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        yield path, _no_match(schema["pattern"], value)
    if "minimum" in schema and _is_type(value, "number") and value < schema["minimum"]:
        yield path, _below(schema["minimum"], value)
    if isinstance(value, dict):
        missing = [name for name in schema.get("required", ()) if name not in value]
        if missing:
            yield path, _missing(missing)
        properties: dict[str, Any] = schema.get("properties", {})
        for name, sub in properties.items():
            if name in value:
                yield from _problems(value[name], sub, root, (*path, name))
        for name in value:
            if "propertyNames" in schema:
                yield from _problems(name, schema["propertyNames"], root, path)
            if "additionalProperties" in schema and name not in properties:
                yield from _problems(value[name], schema["additionalProperties"], root, (*path, name))
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            yield from _problems(item, schema["items"], root, (*path, index))


def _first_problem_builtin(document: object, schema: dict[str, Any]) -> tuple[JsonPath, str] | None:
    return next(_problems(document, schema, schema, ()), None)


def _first_problem_jsonschema(document: object, schema: dict[str, Any], module: Any) -> tuple[JsonPath, str] | None:
    validator = module.Draft202012Validator(schema)
    error = module.exceptions.best_match(validator.iter_errors(document))
    if error is None:
        return None
    keyword, expected, value = error.validator, error.validator_value, error.instance
    if keyword == "type":
        message = _wrong_type(expected, value)
    elif keyword == "required":
        message = _missing([name for name in expected if name not in value])
    elif keyword == "enum":
        message = _not_one_of(expected, value)
    elif keyword == "pattern":
        message = _no_match(expected, value)
    elif keyword == "minimum":
        message = _below(expected, value)
    else:
        message = error.message
    return tuple(error.absolute_path), message


def _jsonschema_module() -> Any:
    # Imported by name, lazily: it is not a runtime dependency, and importing it costs start-up
    # time that `reconcile plan` without --json should not pay.
    try:
        return importlib.import_module("jsonschema")
    except ImportError:
        return None


def validate_plan_document(document: object, *, where: str | None = None, use_jsonschema: bool | None = None) -> None:
    """Raise :class:`PlanFormatError` naming the JSON path of the first way ``document`` breaks
    the plan schema.

    ``use_jsonschema``: None uses ``jsonschema`` when it is importable; False forces the
    built-in validator; True requires ``jsonschema``."""
    schema = plan_schema()
    module = _jsonschema_module() if use_jsonschema is not False else None
    if use_jsonschema and module is None:
        raise ImportError("jsonschema is not installed")
    if module is not None:
        problem = _first_problem_jsonschema(document, schema, module)
    else:
        problem = _first_problem_builtin(document, schema)
    if problem is not None:
        path, message = problem
        raise PlanFormatError(f"{format_path(path)}: {message}", where=where, hint=_SCHEMA_HINT)


# --- reading ---------------------------------------------------------------------------------


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Python keeps the last of two equal keys and most viewers show the first; in a file that
    # is applied as written, a reviewer and apply must not see different steps.
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise _DuplicateKey(key)
        document[key] = value
    return document


def _decode(text: str, where: str | None) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as bad:
        raise PlanFormatError(
            f"not valid JSON: {bad.msg} at line {bad.lineno}, column {bad.colno}", where=where, hint=_REMAKE_HINT
        ) from None
    except _DuplicateKey as dup:
        raise PlanFormatError(
            f"not a valid plan: key {_shown(dup.args[0])} appears twice in one object", where=where, hint=_REMAKE_HINT
        ) from None


def _check_version(document: object, where: str | None) -> None:
    """Refuse another major version before validating: its fields may mean something else, and
    "which versions are supported" is the message that helps, not a schema complaint."""
    if not isinstance(document, dict):
        return
    version = document.get("format_version")
    match = _VERSION.fullmatch(version) if isinstance(version, str) else None
    if match is None or int(match.group(1)) == SUPPORTED_MAJOR:
        return  # a malformed or missing version is the schema's to report
    tool = document.get("tool_version")
    written_by = f" (written by pgreconcile {tool})" if isinstance(tool, str) else ""
    raise PlanFormatError(
        f"plan format_version {version}{written_by} is not supported: pgreconcile {__version__} reads "
        f"format_version {SUPPORTED_MAJOR}.x and writes {FORMAT_VERSION}",
        where=where,
        hint="make the plan again with this pgreconcile, or apply it with the version that wrote it",
    )


def _fact(raw: dict[str, Any]) -> Fact:
    kind = raw["kind"]
    return Fact(
        kind=FactKind(kind) if kind is not None else None,
        text=raw["text"],
        count=raw["count"],
        total=raw["total"],
        blocks=raw["blocks"],
    )


def _facts(raw: dict[str, Any]) -> tuple[Fact, ...]:
    """A step's facts: from ``probes`` (format 1.1), or text only from ``facts`` (1.0)."""
    if "probes" in raw:
        return tuple(_fact(probe) for probe in raw["probes"])
    return tuple(Fact(kind=None, text=text) for text in raw["facts"])


def _step(raw: dict[str, Any]) -> Step:
    return Step(
        number=int(raw["number"]),
        action=Action(raw["action"]),
        kind=raw["kind"],
        key=raw["key"],
        label=raw["label"],
        statements=tuple(raw["statements"]),
        table=raw["table"],
        details=tuple(raw["details"]),
        reason=raw["reason"],
        replaces=raw["replaces"],
        hazards=tuple(Hazard(h) for h in raw["hazards"]),
        facts=_facts(raw),
        phase=Phase(raw["phase"]),
    )


def _scope(raw: dict[str, Any] | None) -> Scope | None:
    return None if raw is None else Scope(managed=tuple(raw["managed"]), ignore=tuple(raw["ignore"]))


def _declarations(raw: dict[str, Any] | None) -> Declarations | None:
    return None if raw is None else Declarations(schema_dir=raw["schema_dir"], digest=raw["digest"])


def _database(raw: dict[str, Any] | None) -> Database | None:
    if raw is None:
        return None
    return Database(system_identifier=raw["system_identifier"], name=raw["name"], oid=int(raw["oid"]))


def _disagreement(document: dict[str, Any], plan: Plan) -> tuple[str, str] | None:
    """The first derived field that does not match what the steps say, as (path, message)."""
    phases = list(Phase)
    for index, (raw, step) in enumerate(zip(document["steps"], plan.steps, strict=True)):
        path = format_path(("steps", index))
        if step.number != index + 1:
            return f"{path}.number", f"is {step.number}; steps are numbered 1, 2, … in the order they run"
        if index and phases.index(step.phase) < phases.index(plan.steps[index - 1].phase):
            return f"{path}.phase", (
                f"{step.phase.value!r} comes after a step of phase {plan.steps[index - 1].phase.value!r}; "
                "steps run in the phases before, main, after, in that order"
            )
        if raw["symbol"] != step.action.symbol:
            return (
                f"{path}.symbol",
                f"is {_shown(raw['symbol'])} but action {step.action.value!r} is shown as {step.action.symbol!r}",
            )
        if raw["facts"] != [fact.text for fact in step.facts]:
            return f"{path}.facts", "does not say what the step's probes say (`probes[].text`)"
        if raw["transactional"] != step.transactional:
            return f"{path}.transactional", f"is {_shown(raw['transactional'])} but phase {step.phase.value!r} " + (
                "runs inside the transaction" if step.transactional else "runs outside the transaction"
            )
    for step in plan.steps:
        for fact in step.facts:
            if fact.blocks and refusal(step.table, step.label, fact) not in plan.refusals:
                index = plan.steps.index(step)
                return f"$.steps[{index}].probes", "hold a fact that blocks the apply, but no refusal says so"
    summary = plan.summary
    counts = {"add": summary.add, "change": summary.change, "destroy": summary.destroy}
    written = {name: document["summary"][name] for name in counts}
    if written != counts:
        return "$.summary", f"says {_shown(written)} but the steps make {_shown(counts)}"
    for name in ("has_changes", "destroys_data"):
        actual: bool = getattr(plan, name)
        if document[name] != actual:
            return f"$.{name}", f"is {_shown(document[name])} but the steps make it {_shown(actual)}"
    hazards = {hazard.value: count for hazard, count in plan.hazard_counts().items()}
    if document["hazards"] != hazards:
        return "$.hazards", f"says {_shown(document['hazards'])} but the steps carry {_shown(hazards)}"
    return None


def plan_from_json(text: str, *, where: str | None = None) -> Plan:
    """Read a plan written by :func:`plan_to_json` (this or any 1.x format version).

    ``where`` names the file in error messages. Raises :class:`PlanFormatError` with one message:
    the line and column of bad JSON, the supported versions for another major version, the JSON
    path of a missing or mistyped field, or the derived field (summary, hazards, ...) that does
    not agree with the steps. Keys this version does not know are ignored."""
    document = _decode(text, where)
    _check_version(document, where)
    validate_plan_document(document, where=where)
    plan = Plan(
        source=document["source"],
        target=document["target"],
        steps=[_step(raw) for raw in document["steps"]],
        refusals=list(document["refusals"]),
        unmanaged=list(document.get("unmanaged", [])),  # added in format 1.1
        format_version=document["format_version"],
        tool_version=document["tool_version"],
        # Added in 1.1; a 1.0 document has none of them (and cannot be applied as a saved plan).
        fingerprints=dict(document.get("fingerprints", {})),
        scope=_scope(document.get("scope")),
        declarations=_declarations(document.get("declarations")),
        # Added in 1.2; a 1.1 document names no database (and cannot be applied as a saved plan).
        database=_database(document.get("database")),
        concurrently=bool(document.get("concurrently", False)),
    )
    disagreement = _disagreement(document, plan)
    if disagreement is not None:
        path, message = disagreement
        raise PlanFormatError(
            f"{path}: {message}; the plan was changed after it was written", where=where, hint=_REMAKE_HINT
        )
    return plan
