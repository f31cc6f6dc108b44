"""Every kind of declaration error: the exact file:line, what the message says, and the hint.

Each case is a set of files and the errors expected from loading them, in order:
``(where, text the message contains, text the hint contains or None)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors

if TYPE_CHECKING:
    from declare_helpers import SchemaDir

pytest_plugins = ["declare_helpers"]  # the schema_dir fixture


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str]
    expected: list[tuple[str, str, str | None]]


def one_table(columns: str, extra: str = "") -> dict[str, str]:
    """A file ``app.yaml`` with table public.t; ``columns`` start at line 6, ``extra`` follows."""
    body = "schemas:\n  public:\n    tables:\n      t:\n        columns:\n"
    body += "".join(f"          {line}\n" for line in columns.strip("\n").splitlines())
    body += "".join(f"        {line}\n" for line in extra.strip("\n").splitlines())
    return {"app.yaml": body}


CASES = [
    Case(
        "malformed-yaml",
        {"app.yaml": "schemas:\n  public:\n    tables: [a, b\n"},
        [("schema/app.yaml:4", "malformed YAML", None)],
    ),
    Case(
        "malformed-yaml-tab",
        {"app.yaml": "schemas:\n\tpublic: {}\n"},
        [
            (
                "schema/app.yaml:2",
                "malformed YAML: while scanning for the next token; found character that cannot start any token",
                None,
            )
        ],
    ),
    Case(
        "unknown-key-suggests",
        one_table("email: {type: text, nulable: false}"),
        [
            (
                "schema/app.yaml:6",
                "column public.t.email: unknown key 'nulable'; did you mean 'nullable'?",
                "valid keys here: type, nullable,",
            )
        ],
    ),
    Case(
        "unknown-key-in-table",
        one_table("a: int", "indexs: {}"),
        [("schema/app.yaml:7", "table public.t: unknown key 'indexs'; did you mean 'indexes'?", "checks")],
    ),
    Case(
        "unknown-top-level-key",
        {"app.yaml": "version: 1\nschema:\n  public: {}\n"},
        [("schema/app.yaml:2", "unknown key 'schema'; did you mean 'schemas'?", None)],
    ),
    Case(
        "unknown-type-suggests",
        one_table("a: intger"),
        [("schema/app.yaml:6", "column a: unknown type 'intger'; did you mean 'integer'", None)],
    ),
    Case(
        "unknown-type-suggests-enum",
        {
            "app.yaml": "schemas:\n  public:\n    enums: {user_role: [a]}\n"
            "    tables:\n      t: {columns: {r: user_rol}}\n"
        },
        [("schema/app.yaml:5", "unknown type 'user_rol'; did you mean 'user_role'", None)],
    ),
    Case(
        "serial-array-is-not-a-type",
        one_table('id: "serial[]"'),
        [
            (
                "schema/app.yaml:6",
                "'serial[]' is not a type: declare `type: integer` with `identity: by default`",
                "identity",
            )
        ],
    ),
    Case(
        "bigserial-with-a-default",
        one_table("id: {type: bigserial, default: 1}"),
        [("schema/app.yaml:6", "a bigserial column's default is its sequence; remove `default`", "serial")],
    ),
    Case(
        "sequence-options-on-a-plain-column",
        one_table("n: {type: integer, sequence: {start: 5}}"),
        [("schema/app.yaml:6", "`sequence:` sets the options of an identity's or a serial's sequence", "identity")],
    ),
    Case(
        "generated-with-a-default",
        one_table("n: {type: integer, default: 1, generated: 2 + 2}"),
        [("schema/app.yaml:6", "a generated column cannot also have `default`", None)],
    ),
    Case(
        "virtual-without-an-expression",
        one_table("n: {type: integer, virtual: true}"),
        [("schema/app.yaml:6", "`virtual: true` is a kind of generated column", "generated")],
    ),
    Case(
        "sequence-start-outside-its-bounds",
        {"app.yaml": "schemas:\n  public:\n    sequences:\n      s: {start: 0, min_value: 1}\n"},
        [("schema/app.yaml:4", "sequence public.s: start 0 lies outside 1..9223372036854775807", None)],
    ),
    Case(
        "sequence-owned-by-an-undeclared-column",
        {"app.yaml": "schemas:\n  public:\n    sequences:\n      s: {owned_by: t.id}\n"},
        [("schema/app.yaml:4", "owned_by 't.id': no declared column id in table public.t", None)],
    ),
    Case(
        "extension-type-needs-extension",
        one_table("email: citext"),
        [
            (
                "schema/app.yaml:6",
                "it comes from the citext extension, which is not declared",
                "extensions: {citext: {}}",
            )
        ],
    ),
    Case(
        "fk-to-undeclared-table",
        {
            **one_table("a: {type: int, references: userz.id}"),
            "b.yaml": "schemas:\n  public:\n    tables:\n"
            "      users: {columns: {id: {type: int, primary_key: true}}}\n",
        },
        [
            (
                "schema/app.yaml:6",
                "references public.userz, which is not declared; did you mean public.users?",
                "schema public is declared",
            )
        ],
    ),
    Case(
        "fk-to-missing-column",
        one_table("id: {type: int, primary_key: true}\nparent: {type: int, references: t.uid}"),
        [("schema/app.yaml:7", "foreign key t_parent_fkey: column 'uid' does not exist in public.t", None)],
    ),
    Case(
        "fk-to-external-schema-needs-column",
        one_table("owner: {type: uuid, references: {table: auth.users}}"),
        [("schema/app.yaml:6", "references auth.users without naming its columns", "name the column")],
    ),
    Case(
        "fk-to-non-unique-columns",
        one_table("id: {type: int, primary_key: true}\nn: int\nr: {type: int, references: t.n}"),
        [("schema/app.yaml:8", "(n) of public.t is neither its primary key nor unique", "unique")],
    ),
    Case(
        "fk-type-mismatch",
        one_table("id: {type: bigint, primary_key: true}\nr: {type: uuid, references: t.id}"),
        [("schema/app.yaml:7", "column r is uuid but public.t.id is bigint", None)],
    ),
    Case(
        "fk-local-column-missing",
        one_table("id: {type: int, primary_key: true}", "foreign_keys:\n  fk: {columns: [idd], references: t}"),
        [("schema/app.yaml:8", "foreign key fk: column 'idd' does not exist; did you mean 'id'?", None)],
    ),
    Case(
        "pk-column-missing",
        one_table("id: int", "primary_key: [idd]"),
        [("schema/app.yaml:7", "primary key: column 'idd' does not exist; did you mean 'id'?", None)],
    ),
    Case(
        "unique-column-missing",
        one_table("email: text", "unique:\n  t_email_key: [emial]"),
        [
            (
                "schema/app.yaml:8",
                "unique constraint: column 'emial' does not exist; did you mean 'email'?",
                None,
            )
        ],
    ),
    Case(
        "unique-column-listed-twice",
        one_table("email: text", "unique: [[email, email]]"),
        [("schema/app.yaml:7", "column 'email' is listed twice", None)],
    ),
    Case(
        "index-include-missing",
        one_table("a: int", "indexes:\n  i: {columns: [a], include: [b]}"),
        [("schema/app.yaml:8", "index i include: column 'b' does not exist", None)],
    ),
    Case(
        "index-column-missing",
        one_table("email: text", "indexes:\n  i: [emial DESC]"),
        [("schema/app.yaml:8", "index i: column 'emial' does not exist; did you mean 'email'?", None)],
    ),
    Case(
        "index-column-case-folds",
        one_table("Email: text", "indexes:\n  i: [Email]"),
        [("schema/app.yaml:8", "index i: column 'email' does not exist", '"Email"')],
    ),
    Case(
        "invalid-check-sql",
        one_table("a: int", "checks:\n  t_a_positive: 'a >'"),
        [("schema/app.yaml:8", "check t_a_positive is not a valid SQL expression: 'a >'", None)],
    ),
    Case(
        "invalid-column-check-sql",
        one_table("a: {type: int, check: 'a >'}"),
        [("schema/app.yaml:6", "column a: check is not a valid SQL expression: 'a >'", None)],
    ),
    Case(
        "invalid-default-sql",
        one_table("a: {type: timestamptz, default_sql: 'now('}"),
        [("schema/app.yaml:6", "column a: default_sql is not a valid SQL expression: 'now('", None)],
    ),
    # Columns named like statements or other dialects' keywords, and arrays of reg* types, are
    # read as PostgreSQL reads them; what is still not an expression is still refused.
    Case(
        "keyword-column-dangling-operator",
        one_table("while: {type: int, check: 'while >'}"),
        [("schema/app.yaml:6", "column while: check is not a valid SQL expression: 'while >'", None)],
    ),
    Case(
        "statement-in-check",
        one_table("vacuum: boolean", "checks:\n  t_v: 'VACUUM t'"),
        [("schema/app.yaml:8", "check t_v is not a valid SQL expression: 'VACUUM t' (expected an expression, "
                               "found a statement (VACUUM))", None)],
    ),
    Case(
        "keyword-column-not-in-table",
        one_table("a: boolean", "checks:\n  t_v: 'vacuum'"),
        [("schema/app.yaml:8", "check t_v reads vacuum, which is not a column of this table", None)],
    ),
    Case(
        "reg-array-unclosed",
        one_table("a: {type: 'regclass[]', default_sql: \"'{}'::regclass[\"}"),
        [("schema/app.yaml:6",
          "default_sql is not a valid SQL expression: \"'{}'::regclass[\" (a '[' is not closed", None)],
    ),
    Case(
        "invalid-index-where",
        one_table("a: int", "indexes:\n  i:\n    columns: [a]\n    where: a IS NOT"),
        [("schema/app.yaml:10", "index i where is not a valid SQL expression: 'a IS NOT'", None)],
    ),
    Case(
        "invalid-index-expression",
        one_table("a: text", "indexes:\n  i: {columns: ['lower(a']}"),
        [("schema/app.yaml:8", "index i element is not a valid SQL expression: 'lower(a'", None)],
    ),
    Case(
        "default-sql-is-one-expression",
        one_table("a: {type: text, default_sql: \"'x'; DROP TABLE t\"}"),
        [("schema/app.yaml:6", "column a: default_sql is not a valid SQL expression: \"'x'; DROP TABLE t\"", None)],
    ),
    Case(
        "identity-with-default",
        one_table("id: {type: int, identity: always, default: 1}"),
        [("schema/app.yaml:6", "column id: identity and default cannot be combined", "sequence")],
    ),
    Case(
        "identity-on-text",
        one_table("id: {type: text, identity: always}"),
        [("schema/app.yaml:6", "identity needs smallint, integer or bigint, not text", None)],
    ),
    Case(
        "default-and-default-sql",
        one_table("a: {type: text, default: x, default_sql: \"'x'\"}"),
        [("schema/app.yaml:6", "default and default_sql cannot be combined", "keep one")],
    ),
    Case(
        "bad-on-delete",
        one_table("a: {type: int, references: {table: t, column: a, on_delete: casade}}"),
        [
            (
                "schema/app.yaml:6",
                "column public.t.a: references.on_delete: 'casade' is not one of: no action, "
                "restrict, cascade, set null, set default; did you mean 'cascade'?",
                None,
            )
        ],
    ),
    Case(
        "bad-identity",
        one_table("a: {type: int, identity: sometimes}"),
        [("schema/app.yaml:6", "identity: 'sometimes' is not one of: always, by default", None)],
    ),
    Case(
        "bad-index-method",
        one_table("a: int", "indexes:\n  i: {columns: [a], method: gni}"),
        [("schema/app.yaml:8", "index public.t.i: method: 'gni' is not one of: btree, hash, gin", None)],
    ),
    Case(
        "wrong-value-type-bool",
        one_table("a: {type: int, nullable: yes please}"),
        [("schema/app.yaml:6", "column public.t.a: nullable must be true or false, got 'yes please'", None)],
    ),
    Case(
        "wrong-value-type-text",
        {"app.yaml": "schemas:\n  public:\n    enums:\n      e: [a, 1]\n"},
        [("schema/app.yaml:4", "enum public.e: values.#2 must be text, got 1", "quote")],
    ),
    Case(
        "wrong-value-type-mapping",
        one_table("a: [int]"),
        [("schema/app.yaml:6", "column public.t.a must be a mapping (key: value), got a list", None)],
    ),
    Case(
        "column-without-type",
        one_table("a: {nullable: false}"),
        [("schema/app.yaml:6", "column public.t.a: missing required key 'type'", None)],
    ),
    Case(
        "column-left-empty",
        one_table("a:"),
        [
            (
                "schema/app.yaml:6",
                "column public.t.a must be a mapping (key: value), got nothing",
                "a column needs a type",
            )
        ],
    ),
    Case(
        "unsupported-version",
        {"app.yaml": "version: 2\nschemas: {}\n"},
        [("schema/app.yaml:1", "unsupported version 2: this pgreconcile reads version 1", "version: 1")],
    ),
    Case(
        "file-is-a-list",
        {"app.yaml": "- a\n- b\n"},
        [("schema/app.yaml:1", "must be a mapping (key: value), got a list", None)],
    ),
    Case(
        "duplicate-key-in-mapping",
        one_table("a: int\nb: int\na: text"),
        [("schema/app.yaml:8", "key 'a' appears twice in the same mapping (first at line 6)", None)],
    ),
    Case(
        "enum-default-not-a-label",
        {
            "app.yaml": "schemas:\n  public:\n    enums: {user_role: [sysadmin, admin, user]}\n    tables:\n"
            "      t: {columns: {role: {type: user_role, default: USER}}}\n"
        },
        [
            (
                "schema/app.yaml:5",
                "default 'USER' is not a label of public.user_role (labels: sysadmin, admin, user); "
                "did you mean 'user'?",
                "spelled exactly",
            )
        ],
    ),
    Case(
        "default-not-a-number",
        one_table("n: {type: integer, default: many}"),
        [("schema/app.yaml:6", "default 'many' is not a number but the column is integer", "default_sql")],
    ),
    Case(
        "default-bool-for-text",
        one_table("n: {type: text, default: true}"),
        [("schema/app.yaml:6", "default true is a boolean but the column is text", "quote it")],
    ),
    Case(
        "default-bad-uuid",
        one_table("n: {type: uuid, default: nope}"),
        [("schema/app.yaml:6", "default 'nope' is not a valid uuid", None)],
    ),
    Case(
        "pk-cannot-be-nullable",
        one_table("id: {type: int, primary_key: true, nullable: true}"),
        [("schema/app.yaml:6", "column id is a primary key column, which cannot be nullable", None)],
    ),
    Case(
        "two-column-level-pks",
        one_table("a: {type: int, primary_key: true}\nb: {type: int, primary_key: true}"),
        [("schema/app.yaml:7", "primary_key: true on several columns (a, b)", "primary_key: [a, b]")],
    ),
    Case(
        "pk-declared-twice",
        one_table("a: {type: int, primary_key: true}", "primary_key: [a]"),
        [("schema/app.yaml:7", "primary key declared both here and on column(s) a", None)],
    ),
    Case(
        "name-too-long",
        one_table("a_column_name_that_is_much_too_long_to_be_stored_by_postgresql_x: int"),
        [
            (
                "schema/app.yaml:6",
                "is longer than 63 bytes; PostgreSQL would store it as "
                "'a_column_name_that_is_much_too_long_to_be_stored_by_postgresql_'",
                "shorten",
            )
        ],
    ),
    Case(
        "implicit-name-collision",
        one_table("price: {type: int, check: price > 0}\nother: {type: int, check: price < 9}"),
        [
            (
                "schema/app.yaml:7",
                "check name 't_price_check' is already used by another constraint (at schema/app.yaml:6)",
                "different name",
            )
        ],
    ),
    Case(
        "unique-index-needs-btree",
        one_table("a: int", "indexes:\n  i: {columns: [a], unique: true, method: hash}"),
        [("schema/app.yaml:8", "index i: only btree indexes can be unique", None)],
    ),
    Case(
        "include-needs-btree",
        one_table("a: int", "indexes:\n  i: {columns: [a], include: [a], method: gin}"),
        [("schema/app.yaml:8", "index i: gin indexes do not support include", None)],
    ),
    Case(
        "index-named-like-table",
        one_table("a: int", "indexes:\n  t: [a]"),
        [
            (
                "schema/app.yaml:8",
                "index t of table public.t: the name 't' is already used in schema public by "
                "table public.t (at schema/app.yaml:4)",
                "one namespace per schema",
            )
        ],
    ),
    Case(
        "enum-named-like-table",
        {"app.yaml": "schemas:\n  public:\n    enums: {t: [a]}\n    tables:\n      t: {columns: {a: int}}\n"},
        [
            (
                "schema/app.yaml:5",
                "table public.t: the name 't' is already used in schema public by enum public.t",
                None,
            )
        ],
    ),
    Case(
        "enum-label-twice",
        {"app.yaml": "schemas:\n  public:\n    enums:\n      e:\n        - a\n        - a\n"},
        [("schema/app.yaml:6", "enum public.e: label 'a' is listed twice", None)],
    ),
    Case(
        "renamed-value-target-missing",
        {
            "app.yaml": "schemas:\n  public:\n    enums:\n      e:\n        values: [a]\n"
            "        renamed_values: {A: b}\n"
        },
        [("schema/app.yaml:6", "renamed_values maps 'A' to 'b', which is not a label", None)],
    ),
    Case(
        "references-shorthand-needs-dot",
        one_table("a: {type: int, references: users}"),
        [("schema/app.yaml:6", "references: 'users' must be 'table.column' or 'schema.table.column'", None)],
    ),
    Case(
        "convert-unknown-word",
        one_table("a: {type: int, convert: magic}"),
        [("schema/app.yaml:6", "convert: 'magic' is not a conversion", "regenerate")],
    ),
    Case(
        "convert-two-ways",
        one_table("a: {type: timestamptz, convert: {from: epoch_seconds, time_zone: UTC}}"),
        [("schema/app.yaml:6", "`convert:` needs exactly one of on_invalid, time_zone, from, using", "write one")],
    ),
    Case(
        "convert-using-not-sql",
        one_table("a: {type: int, convert: {using: \"a +* 2\"}}"),
        [("schema/app.yaml:6", "convert using is not a valid SQL expression", None)],
    ),
    Case(
        "unsupported-tag",
        one_table("a: !!binary aGk="),
        [("schema/app.yaml:6", "unsupported YAML tag 'tag:yaml.org,2002:binary'", None)],
    ),
    Case(
        "initially-deferred-but-not-deferrable",
        one_table(
            "a: {type: int, unique: true}",
            "unique:\n  u: {columns: [a], deferrable: false, initially_deferred: true}",
        ),
        [("schema/app.yaml:8", "initially_deferred needs deferrable", None)],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_declaration_errors(schema_dir: SchemaDir, case: Case) -> None:
    for name, text in case.files.items():
        schema_dir.write(name, text)
    errors = schema_dir.errors()
    got = [(e.where, e.message, e.hint) for e in errors]
    assert len(got) == len(case.expected), got
    for (where, message, hint), (want_where, want_text, want_hint) in zip(got, case.expected, strict=True):
        assert where == want_where, got
        assert want_text in message, got
        if want_hint is not None:
            assert hint is not None and want_hint in hint, got


def test_several_errors_are_reported_together(schema_dir: SchemaDir) -> None:
    schema_dir.write("a.yaml", "schemas:\n  public:\n    tables:\n      t: {columns: {a: intt}}\n")
    schema_dir.write("b.yaml", "schemas:\n  public:\n    tables:\n      u: {columns: {a: {type: int, nulable: x}}}\n")
    schema_dir.write("c.yaml", "schemas: [\n")
    errors = schema_dir.errors()
    # Files that do not validate stop before building, so the unknown type in a.yaml waits.
    assert [e.where for e in errors] == ["schema/b.yaml:4", "schema/c.yaml:2"]


def test_the_rendered_message_has_location_and_hint(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.yaml", "schemas:\n  public:\n    tables:\n      t: {columns: {id: 'serial[]'}}\n")
    with pytest.raises(DeclarationErrors) as caught:
        schema_dir.load()
    text = str(caught.value)
    assert text.startswith("schema/app.yaml:4: table public.t: column id: 'serial[]' is not a type")
    assert "\n  hint: identity columns" in text
    assert "Traceback" not in text and "pydantic" not in text.lower()


def test_unreadable_file_is_an_error(schema_dir: SchemaDir) -> None:
    path = schema_dir.write("app.yaml", "")
    path.write_bytes(b"schemas: {\xff}\n")
    errors = schema_dir.errors()
    assert [e.where for e in errors] == ["schema/app.yaml"]
    assert "cannot read the file" in errors[0].message


def test_missing_directory_is_an_error(schema_dir: SchemaDir) -> None:
    errors = schema_dir.errors()
    assert [e.where for e in errors] == ["schema"]
    assert "does not exist" in errors[0].message


def test_load_files_reports_the_path_as_given(schema_dir: SchemaDir) -> None:
    path = schema_dir.write("nested/x.yml", "schemas: {public: {tables: {t: {columns: {a: txet}}}}}\n")
    with pytest.raises(DeclarationErrors) as caught:
        load_files([path])
    assert [e.where for e in caught.value.errors] == ["schema/nested/x.yml:1"]
    assert "did you mean 'text'" in caught.value.errors[0].message
