"""The JSON Schema of the YAML language: committed, current, and true to what the tool accepts.

Editors validate declaration files against ``src/pgreconcile/schemas/declarations.schema.json``
(one ``yaml-language-server`` comment line, docs/declarations.md). A schema that rejects a file
the tool accepts would show false errors in every editor, so every golden ``desired.yaml`` and the
example ``schema/`` must validate; a schema that accepts a typo would hide a real one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pgreconcile.declare import parse_text
from pgreconcile.declare.spec import (
    access,
    constraint_specs,
    convention_specs,
    language,
    partition_specs,
    publication_specs,
    type_specs,
)
from pgreconcile.declare.spec import foreign as foreign_specs
from pgreconcile.declare.spec.json_schema import SHORT_FORMS, committed, language_schema, main, render
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.spec.routines import FunctionSpec
from pgreconcile.declare.yaml.source import load_yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "tests" / "cases").glob("*/*/desired.yaml")) + sorted((ROOT / "schema").rglob("*.yaml"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(committed())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(validator: jsonschema.Draft202012Validator, text: str) -> list[str]:
    data, problems = load_yaml(text)
    assert not problems
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]


def test_committed_schema_is_current() -> None:
    assert committed() == render(), "run `make schema-json` and commit the result"
    assert main(["--check"]) == 0


@pytest.mark.parametrize("path", EXAMPLES, ids=[str(p.relative_to(ROOT)) for p in EXAMPLES])
def test_every_example_validates(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    assert _errors(validator, path.read_text(encoding="utf-8")) == []


SHORT_AND_LONG = """
version: 1
extensions: [pgcrypto, citext]
schemas:
  empty:
  public:
    enums:
      mood: [happy, sad]
      role: {values: [admin, user], renamed_values: {ADMIN: admin}, comment: Who., renamed_from: old.roles}
    tables:
      bare:
      t:
        renamed_from: legacy.things
        columns:
          id: {type: uuid, primary_key: true, references: auth.users.id}
          owner: {type: bigint, references: {table: owners, on_delete: SET_NULL}}
          nickname: text
          kind: {type: bigint, identity: BY_DEFAULT, convert: regenerate}
          at: {type: timestamptz, convert: {time_zone: UTC, from: epoch_seconds}}
          code: {type: uuid, convert: {on_invalid: null}}
          ref: {type: uuid, convert: {on_invalid: error}}
        primary_key: id
        unique: [[id, nickname], nickname, {name: t_kind_key, columns: kind}]
        foreign_keys:
          t_owner_fkey: {columns: owner, references: app.owners, on_update: Cascade}
        checks:
          t_short_check: "kind > 0"
          t_long_check: {expression: "kind < 10", renamed_from: t_kind_check}
        indexes:
          t_nick_idx: [nickname]
          t_lower_idx: lower(nickname)
          t_gin_idx: {columns: [nickname], method: GIN, include: id, renamed_from: t_old_idx}
        rls: true
        policies:
          p: {command: SELECT, roles: authenticated, using: "true", renamed_from: p_old}
        groups:
          traits: {keys: {openness: integer}, absorbs: openness, index: gin, validate: true}
        prevent_destroy: true
      u:
        unique: {u_a_key: [a], u_b_key: {columns: b, deferrable: true}}
        rls: {enabled: true, forced: true}
conventions: {primary_key: uuid, rls: public, foreign_keys_indexed: true}
"""


def test_short_and_long_forms_validate(validator: jsonschema.Draft202012Validator) -> None:
    problems = Problems()
    assert parse_text(SHORT_AND_LONG, "short.yaml", problems) is not None, problems.errors  # the tool accepts it
    assert _errors(validator, SHORT_AND_LONG) == []  # and so does the editor


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("schemas: {public: {tables: {t: {columns: {a: {type: text, nulable: false}}}}}}", "nulable"),
        ("schemas: {public: {tables: {t: {colums: {}}}}}", "colums"),
        ("schemas: {public: {tables: {t: {columns: {a: {type: text, references: {table: u, on_delete: explode}}}}}}}",
         "explode"),
        ("schemas: {public: {enums: {e: {values: [a], renamed: {}}}}}", "renamed"),
        ("extensions: {pgcrypto: {schema: 1}}", "1"),
        ("schemas: {public: {tables: {t: {policies: {p: {command: upsert}}}}}}", "upsert"),
        ("tables: {}", "tables"),
        ("schemas: {public: {tables: {t: {checks: {c: {expresion: a > 0}}}}}}", "expresion"),
    ],
    ids=[
        "column-key", "table-key", "fk-action", "enum-key", "extension-schema", "policy-command", "top-level",
        "check-key",
    ],
)
def test_mistakes_are_flagged(validator: jsonschema.Draft202012Validator, text: str, wrong: str) -> None:
    errors = _errors(validator, text)
    assert errors, f"the schema accepts {text}"
    assert any(wrong in e for e in errors), errors


def _expanding_specs() -> list[type[language.Spec]]:
    found = {**vars(language), **vars(access), **vars(constraint_specs), **vars(convention_specs),
             **vars(partition_specs), **vars(publication_specs), **vars(type_specs), **vars(foreign_specs)}
    specs = [c for c in found.values() if isinstance(c, type) and issubclass(c, language.Spec)]
    # The document's own `expand` only checks the version, a function's only refuses an empty
    # entry: neither has a short form.
    plain = (language.Spec, language.DocumentSpec, FunctionSpec)
    return [c for c in specs if "expand" in c.__dict__ and c not in plain]


def test_every_short_form_of_the_language_is_described() -> None:
    # A spec whose `expand` accepts a short form must say so in the schema, or editors reject it.
    assert {c.__name__ for c in _expanding_specs()} == set(SHORT_FORMS)


def test_descriptions_come_from_the_language() -> None:
    schema: dict[str, Any] = language_schema()
    assert schema["$id"].endswith("declarations.schema.json")
    assert "nickname: text" in schema["$defs"]["ColumnSpec"]["description"]
    assert "``" not in render()
