"""A column whose type is a declared table's row type (``origin: points``, ``points[]``), in YAML
and Python alike; a name that is no table nor type is still refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from declare_helpers import SchemaDir

pytest_plugins = ["declare_helpers"]  # the schema_dir fixture

YAML = """
version: 1
schemas:
  public:
    tables:
      shapes:
        columns:
          id: {type: bigint, primary_key: true}
          origin: points
          corners: "points[]"
      points:
        columns:
          x: integer
"""

PYTHON = '''
from pgreconcile.declare import Table, column


class Shape(Table, name="shapes"):
    id: int = column(primary_key=True)
    origin: object | None = column(type="points")
    corners: object | None = column(type="points[]")


class Point(Table, name="points"):
    x: int | None = None
'''


def _types(schema_dir: SchemaDir) -> dict[str, str]:
    table = schema_dir.load().table("public", "shapes")
    assert table is not None
    return {c.name: c.type for c in table.columns}


def test_yaml_and_python_name_a_table_row_type(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.yaml", YAML)
    expected = {"id": "bigint", "origin": "public.points", "corners": "public.points[]"}
    assert _types(schema_dir) == expected
    (schema_dir.path / "app.yaml").unlink()
    schema_dir.write("app.py", PYTHON)
    assert _types(schema_dir) == expected


def test_a_name_that_is_no_table_is_still_unknown(schema_dir: SchemaDir) -> None:
    schema_dir.write("app.yaml", YAML.replace("origin: points", "origin: pointz"))
    errors = schema_dir.errors()
    assert len(errors) == 1, errors
    assert errors[0].message.startswith("table public.shapes: column origin: unknown type 'pointz'; "
                                        "did you mean 'points'"), errors
