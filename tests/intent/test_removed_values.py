"""``removed_values`` reads the same from YAML, Python and an intent overlay, and is checked:
a replacement that is not a declared label, or a removed label that is still declared, is an
error at its file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgreconcile.declare import load_schema
from pgreconcile.errors import DeclarationErrors

YAML = """version: 1
schemas:
  public:
    enums:
      status:
        values: [open, closed]
        removed_values: {archived: closed, spam: null}
"""
PYTHON = """import enum
from pgreconcile.declare import enum_type, Table, column

@enum_type(removed_values={"archived": "closed", "spam": None})
class Status(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"

class Ticket(Table, name="tickets"):
    id: int = column(primary_key=True)
    status: Status
"""
OVERLAY = """schemas:
  public:
    enums:
      status: {removed_values: {archived: closed, spam: null}}
"""


def _load(tmp_path: Path, files: dict[str, str]) -> object:
    directory = tmp_path / "schema"
    directory.mkdir(parents=True)
    for name, text in files.items():
        (directory / name).write_text(text)
    return load_schema(directory)


WANT = (("archived", "closed"), ("spam", None))


def test_yaml_python_and_overlay_give_the_same_mapping(tmp_path: Path) -> None:
    from_yaml = _load(tmp_path / "y", {"app.yaml": YAML})
    from_python = _load(tmp_path / "p", {"app.py": PYTHON})
    plain = YAML.replace("        removed_values: {archived: closed, spam: null}\n", "")
    from_overlay = _load(tmp_path / "o", {"app.yaml": plain, "app.intent.yaml": OVERLAY})
    for schema in (from_yaml, from_python, from_overlay):
        assert schema.enums[("public", "status")].removed_values == WANT  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("{archived: gone}", "removed_values maps 'archived' to 'gone', which is not a label"),
        ("{open: closed}", "removed_values names 'open', which is still a declared label"),
    ],
)
def test_a_bad_mapping_is_an_error_at_its_line(tmp_path: Path, mapping: str, message: str) -> None:
    text = YAML.replace("{archived: closed, spam: null}", mapping)
    with pytest.raises(DeclarationErrors) as raised:
        _load(tmp_path, {"app.yaml": text})
    assert message in str(raised.value)
    assert "app.yaml:7" in str(raised.value)


MODELS = '''
from datetime import datetime

from sqlalchemy import DateTime, MetaData, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData(schema="shop")


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    joined: Mapped[datetime] = mapped_column(DateTime(timezone=True))
'''


def test_an_overlay_gives_hints_to_sqlalchemy_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("sqlalchemy", reason="SQLAlchemy is optional: pip install 'pgreconcile[sqlalchemy]'")
    from pgreconcile.declare.directory import load_directory

    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "intent_models_xyz.py").write_text(MODELS)
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "shop.intent.yaml").write_text(
        "schemas:\n  shop:\n    tables:\n      customers:\n        columns:\n"
        "          name: {renamed_from: full_name}\n          joined: {convert: {time_zone: UTC}}\n"
    )
    loaded = load_directory(Path("schema"), sqlalchemy="intent_models_xyz:Base.metadata")
    table = loaded.schema.tables[("shop", "customers")]
    columns = {c.name: c for c in table.columns}
    assert columns["name"].renamed_from == "full_name"
    assert columns["joined"].convert is not None and columns["joined"].convert.time_zone == "UTC"
