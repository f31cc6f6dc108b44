"""Views in YAML and Python declarations: the model they build, and the errors they give."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors
from pgreconcile.model import CheckOption

YAML = """version: 1
schemas:
  app:
    tables:
      notes: {columns: {id: integer, title: text}}
    views:
      titles:
        query: SELECT id, title FROM notes;
        check_option: LOCAL
        columns: {title: The title, id: {comment: The id}}
        renamed_from: old.titles
      bare: SELECT 1 AS one
    materialized_views:
      counts:
        query: SELECT count(*) AS n FROM notes
        storage: {fillfactor: 70, autovacuum_enabled: false}
        indexes: {counts_n: [n]}
"""


def test_yaml_views_build_the_model(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(YAML)
    schema = load_files([path])
    titles = schema.views[("app", "titles")]
    assert titles.query == "SELECT id, title FROM notes"
    assert titles.check_option is CheckOption.LOCAL
    assert titles.column_comments == (("id", "The id"), ("title", "The title"))
    assert titles.renamed_from == ("old", "titles")
    assert str(titles.origin) == f"{path}:7"
    assert schema.views[("app", "bare")].query == "SELECT 1 AS one"
    counts = schema.materialized_views[("app", "counts")]
    assert counts.storage == (("autovacuum_enabled", "false"), ("fillfactor", "70"))
    assert [(i.name, i.elements) for i in counts.indexes] == [("counts_n", ("n",))]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("    views:\n      notes: SELECT 1\n", "view app.notes: the name is already used by table app.notes"),
        ("    views:\n      v: {query: SELECT 1, check_option: sometimes}\n", "check_option"),
        ("    views:\n      v: {query: ' ; '}\n", "the query is empty"),
        ("    views:\n      v: {query: SELECT 1, secrity_invoker: true}\n", "secrity_invoker"),
    ],
    ids=["name-taken", "bad-check-option", "empty", "typo"],
)
def test_bad_view_declarations_are_errors(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "app.yaml"
    path.write_text("version: 1\nschemas:\n  app:\n    tables:\n      notes: {columns: {id: integer}}\n" + body)
    with pytest.raises(DeclarationErrors) as caught:
        load_files([path])
    assert message in str(caught.value)


def test_python_views_match_yaml(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from pgreconcile.declare import Table, index, materialized_view, view\n"
        "__schema__ = 'app'\n"
        "class Notes(Table):\n"
        "    id: int | None\n"
        "    title: str | None\n"
        "titles = view('SELECT id, title FROM notes;', check_option='local',\n"
        "              columns={'title': 'The title', 'id': 'The id'}, renamed_from='old.titles')\n"
        "something = view('SELECT 1 AS one', name='bare')\n"
        "counts = materialized_view('SELECT count(*) AS n FROM notes',\n"
        "                           storage={'fillfactor': 70, 'autovacuum_enabled': False},\n"
        "                           indexes=[index('counts_n', 'n')])\n"
    )
    (tmp_path / "app.yaml").write_text(YAML)
    from_python = load_files([tmp_path / "app.py"])
    from_yaml = load_files([tmp_path / "app.yaml"])
    assert from_python.views == from_yaml.views
    assert from_python.materialized_views == from_yaml.materialized_views
    assert from_python.views[("app", "bare")].origin is not None
