"""Errors in Python declarations: each at the file:line of the .py file, with what to do, and
through the CLI as exit 1 without a traceback. Member names as enum labels are impossible."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

if TYPE_CHECKING:
    from declare_helpers import SchemaDir

pytest_plugins = ["declare_helpers"]  # the schema_dir fixture

IMPORTS = "import datetime, enum, typing, uuid\nfrom pgreconcile.declare import Table, check, column, index, policy\n"

CASES: list[tuple[str, dict[str, str], list[tuple[str, str, str | None]]]] = [
    (
        "syntax-error",
        {"app.py": IMPORTS + "class T(Table):\n    x: int =\n"},
        [("schema/app.py:4", "invalid Python", "imported as Python modules")],
    ),
    (
        "exception-at-import",
        {"app.py": IMPORTS + "\nLIMIT = 1 / 0\n"},
        [("schema/app.py:4", "ZeroDivisionError: division by zero", "fix the error at this line")],
    ),
    (
        "exception-in-a-neighbour",
        {
            "helpers.py": "def width():\n    return int('wide')\n",
            "app.py": IMPORTS
            + "from .helpers import width\nclass T(Table):\n    x: str = column(type=f'varchar({width()})')\n",
        },
        [("schema/helpers.py:2", "ValueError: invalid literal for int()", None)],
    ),
    (
        "unknown-keyword",
        {"app.py": IMPORTS + "class T(Table):\n    x: int = column(nulable=True)\n"},
        [("schema/app.py:4", "TypeError: column() got an unexpected keyword argument 'nulable'", None)],
    ),
    (
        "missing-package",
        {"app.py": "import not_installed_anywhere\n"},
        [("schema/app.py:1", "No module named 'not_installed_anywhere'", "install the package")],
    ),
    (
        "missing-neighbour",
        {"app.py": "from .nowhere import X\n"},
        [("schema/app.py:1", "no module '.nowhere'", "relative import")],
    ),
    (
        "unknown-annotation",
        {"app.py": IMPORTS + "class Point:\n    pass\nclass T(Table):\n    id: int\n    at: Point\n"},
        [("schema/app.py:7", "table public.t (class T): field at: Point has no column type", 'column(type="...")')],
    ),
    (
        "literal-annotation",
        {"app.py": IMPORTS + "class T(Table):\n    kind: typing.Literal['a', 'b']\n"},
        [("schema/app.py:4", "a Literal has no column type", "enum.Enum")],
    ),
    (
        "any-annotation",
        {"app.py": IMPORTS + "class T(Table):\n    blob: typing.Any\n"},
        [("schema/app.py:4", "Any says nothing about the column's type", 'column(type="...")')],
    ),
    (
        "two-types",
        {"app.py": IMPORTS + "class T(Table):\n    v: int | str | None\n"},
        [("schema/app.py:4", "a column has one type", None)],
    ),
    (
        "unresolvable-string-annotation",
        {"app.py": "from __future__ import annotations\n" + IMPORTS + "class T(Table):\n    v: Missing\n"},
        [("schema/app.py:5", "field v: the annotation 'Missing' fails: NameError", None)],
    ),
    (
        "int-enum-values",
        {
            "app.py": IMPORTS
            + "class Level(enum.Enum):\n    LOW = 1\n    HIGH = 'high'\nclass T(Table):\n    level: Level\n",
        },
        [("schema/app.py:4", "member LOW has the value 1 (int)", "auto() gives the lowercase member name")],
    ),
    (
        "member-name-as-default",
        {
            "app.py": IMPORTS
            + "class Role(enum.Enum):\n    ADMIN = 'admin'\n    USER = 'user'\n"
            + "class T(Table):\n    role: Role = column(\n        default='USER',\n    )\n",
        },
        [("schema/app.py:8", "default 'USER' is not a label of public.role (labels: admin, user); did you mean 'user'?",
          "spelled exactly")],
    ),
    (
        "bad-fk-action-at-its-keyword",
        {
            "app.py": IMPORTS
            + "class T(Table):\n    x: int = column(\n"
            + "        references='u.id',\n        on_delete='explode',\n    )\n",
        },
        [("schema/app.py:6", "references.on_delete: 'explode' is not one of", None)],
    ),
    (
        "on-delete-without-references",
        {"app.py": IMPORTS + "class T(Table):\n    x: int = column(on_delete='cascade')\n"},
        [("schema/app.py:4", "on_delete= needs references=", None)],
    ),
    (
        "nullable-primary-key",
        {"app.py": IMPORTS + "class T(Table):\n    id: uuid.UUID | None = column(primary_key=True)\n"},
        [("schema/app.py:4", "field id is a primary key column, which cannot be nullable", "remove `| None`")],
    ),
    (
        "same-column-twice",
        {"app.py": IMPORTS + "class T(Table):\n    a: int\n    b: int = column(name='a')\n"},
        [("schema/app.py:5", "two fields declare the column 'a'", None)],
    ),
    (
        "misspelt-attribute",
        {"app.py": IMPORTS + "class T(Table):\n    a: int\n    __polices__ = []\n"},
        [("schema/app.py:5", "__polices__ is not a declaration attribute; did you mean __policies__?", None)],
    ),
    (
        "misspelt-module-attribute",
        {"app.py": IMPORTS + "__conventons__ = {}\n"},
        [("schema/app.py:3", "__conventons__ is not a declaration attribute; did you mean __conventions__?", None)],
    ),
    (
        "wrong-helper-in-a-list",
        {"app.py": IMPORTS + "class T(Table):\n    a: int\n    __checks__ = [\n        index('i', 'a'),\n    ]\n"},
        [("schema/app.py:6", "__checks__ holds check(...) entries, not index(...)", None)],
    ),
    (
        "plain-value-in-a-keyed-list",
        {"app.py": IMPORTS + "class T(Table):\n    a: int\n    __indexes__ = ['a']\n"},
        [("schema/app.py:5", "__indexes__[0] must be made with index(...)", None)],
    ),
    (
        "duplicate-names-in-a-list",
        {
            "app.py": IMPORTS
            + "class T(Table):\n    a: int\n    __checks__ = [\n"
            + "        check('c', 'a > 0'),\n        check('c', 'a < 9'),\n    ]\n",
        },
        [("schema/app.py:7", "__checks__: the name 'c' is used twice", None)],
    ),
    (
        "table-inherits-a-table",
        {"app.py": IMPORTS + "class A(Table):\n    x: int\nclass B(A):\n    y: int\n"},
        [("schema/app.py:5", "inherits from the table class A", "abstract=True")],
    ),
    (
        "group-options-on-a-column",
        {"app.py": IMPORTS + "class T(Table):\n    a: str = column(index='gin')\n"},
        [("schema/app.py:4", "index= belongs to a JSONB group", "__indexes__")],
    ),
    (
        "schema-level-only-comments",
        {"app.py": IMPORTS + "__schemas__ = {\n    'app': {'tables': {}},\n}\n"},
        [(
            "schema/app.py:4",
            "only casts, collations, comment, default_privileges, domains, grants, operators, owner, sequences, "
            "text_search_configurations, text_search_dictionaries, types can be declared here",
            None,
        )],
    ),
    (
        "enum-name-collision",
        {
            "app.py": IMPORTS
            + "from pgreconcile.declare import enum_type\n"
            + "class Status(enum.Enum):\n    A = 'a'\n"
            + "@enum_type(name='status')\nclass Other(enum.Enum):\n    B = 'b'\n"
            + "class T(Table):\n    s: Status\n    o: Other\n",
        },
        [("schema/app.py:7", "the enum public.status is also declared by class Status (schema/app.py:4)", "enum_type")],
    ),
    (
        "validation-errors-after-python-checks-pass",
        {"app.py": IMPORTS + "class T(Table):\n    a: int = column(identity='sometimes')\n"},
        [("schema/app.py:4", "identity: 'sometimes' is not one of: always, by default", None)],
    ),
    (
        "build-errors-point-into-python",
        {
            "app.py": IMPORTS
            + "class T(Table):\n    a: int\n    __indexes__ = [\n"
            + "        index('t_idx', 'nope'),\n    ]\n",
        },
        [("schema/app.py:6", "index t_idx: column 'nope' does not exist", None)],
    ),
    (
        "default-of-the-wrong-type",
        {"app.py": IMPORTS + "class T(Table):\n    a: int = column(\n        default='many',\n    )\n"},
        [("schema/app.py:5", "default 'many' is not a number but the column is bigint", None)],
    ),
]


@pytest.mark.parametrize(("files", "expected"), [(f, e) for _, f, e in CASES], ids=[c[0] for c in CASES])
def test_error_points_into_the_python_file(
    schema_dir: SchemaDir, files: dict[str, str], expected: list[tuple[str, str, str | None]]
) -> None:
    for name, text in files.items():
        schema_dir.write(name, text)
    errors = schema_dir.errors()
    got = [(e.where, e.message, e.hint) for e in errors]
    assert len(errors) == len(expected), got
    for error, (where, message, hint) in zip(errors, expected, strict=True):
        assert error.where == where, got
        assert message in error.message, got
        if hint is not None:
            assert error.hint is not None and hint in error.hint, got


def test_cli_reports_python_errors_without_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    schema = Path("schema")
    schema.mkdir()
    (schema / "app.py").write_text(textwrap.dedent(IMPORTS + "\nraise RuntimeError('boom')\n"))
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == Exit.ERROR
    assert "schema/app.py:4: importing the declarations failed: RuntimeError: boom" in result.output
    assert "Traceback" not in result.output


def test_sys_exit_in_a_declaration_file_is_an_error_not_an_exit(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.py", "import sys\nsys.exit(3)\n")
    (error,) = schema_dir.errors()
    assert (error.where, "SystemExit: 3" in error.message) == ("schema/app.py:2", True)
