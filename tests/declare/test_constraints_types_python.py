"""The Python API for constraints-types (issue 17) declares the same model as the YAML language."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pgreconcile.declare import load_files

PYTHON = '''
import typing
from pgreconcile.declare import Table, check, column, exclusion, foreign_key, unique

__extensions__ = ["btree_gist"]
__schemas__ = {
    "public": {
        "domains": {"email_address": {"type": "text", "checks": {"email_has_at": "VALUE ~ '@'"}}},
        "types": {"address": {"fields": {"street": "text", "zip": "varchar(10)"}},
                  "floatrange": {"range": {"subtype": "float8", "subtype_diff": "float8mi"}}},
    },
}


class Room(Table):
    id: int = column(primary_key=True)


class Booking(Table):
    id: int = column(primary_key=True)
    room_id: int
    during: typing.Any = column(type="tstzrange")
    email: typing.Any = column(type="email_address")
    home: typing.Any = column(type="address")
    __unique__ = [unique("email", nulls_not_distinct=True)]
    __checks__ = [check("booking_room_positive", "room_id > 0", no_inherit=True, validated=False)]
    __foreign_keys__ = [foreign_key("booking_room_fkey", "room_id", Room, validated=False)]
    __exclusions__ = [exclusion("booking_no_overlap", "room_id WITH =", "during WITH &&", where="room_id > 0")]
'''

YAML = """
version: 1
extensions: {btree_gist: {}}
schemas:
  public:
    domains:
      email_address: {type: text, checks: {email_has_at: "VALUE ~ '@'"}}
    types:
      address: {fields: {street: text, zip: varchar(10)}}
      floatrange: {range: {subtype: float8, subtype_diff: float8mi}}
    tables:
      room:
        columns:
          id: {type: bigint, primary_key: true}
      booking:
        columns:
          id: {type: bigint, primary_key: true}
          room_id: {type: bigint, nullable: false}
          during: {type: tstzrange, nullable: false}
          email: {type: email_address, nullable: false}
          home: {type: address, nullable: false}
        unique:
          booking_email_key: {columns: [email], nulls_not_distinct: true}
        checks:
          booking_room_positive: {expression: room_id > 0, no_inherit: true, validated: false}
        foreign_keys:
          booking_room_fkey: {columns: [room_id], references: room, validated: false}
        exclusions:
          booking_no_overlap: {elements: [room_id WITH =, during WITH &&], where: room_id > 0}
"""


def test_python_declares_what_yaml_declares(tmp_path: Path) -> None:
    (tmp_path / "py").mkdir()
    (tmp_path / "py" / "app.py").write_text(textwrap.dedent(PYTHON), encoding="utf-8")
    (tmp_path / "app.yaml").write_text(YAML, encoding="utf-8")
    from_python = load_files([tmp_path / "py" / "app.py"])
    from_yaml = load_files([tmp_path / "app.yaml"])
    assert from_python.domains == from_yaml.domains and from_python.domains
    assert from_python.composite_types == from_yaml.composite_types and from_python.composite_types
    assert from_python.range_types == from_yaml.range_types and from_python.range_types
    assert from_python.tables == from_yaml.tables
    booking = from_python.tables[("public", "booking")]
    assert booking.exclusions[0].where == "room_id > 0"
    assert not booking.checks[0].validated and booking.checks[0].no_inherit
    assert booking.uniques[0].nulls_not_distinct and not booking.foreign_keys[0].validated
