"""Bad declarations of constraints-types kinds: one clear message each, naming file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors

CASES = {
    "type-with-fields-and-range": (
        "    types:\n      both: {fields: {a: int}, range: int4}\n",
        ":5: schema public: types.both: a type has either `fields:` (composite) or `range:`",
    ),
    "exclusion-element-without-operator": (
        "    tables:\n      t:\n        columns: {id: bigint}\n        exclusions: {t_x: [id]}\n",
        ":7: table public.t: exclusion constraint t_x: element 'id' has no operator",
    ),
    "exclusion-unknown-column": (
        "    tables:\n      t:\n        columns: {id: bigint}\n        exclusions: {t_y: [nope WITH =]}\n",
        ":7: table public.t: exclusion constraint t_y: column 'nope' does not exist",
    ),
    "domain-unknown-base-type": (
        "    domains:\n      d: nosuchtype\n",
        ":5: domain public.d: unknown type 'nosuchtype'",
    ),
    "domain-name-taken-by-table": (
        "    domains:\n      t: text\n    tables:\n      t:\n        columns: {id: bigint}\n",
        "the name 't' is already used in schema public by domain public.t",
    ),
}


@pytest.mark.parametrize(("body", "message"), CASES.values(), ids=list(CASES))
def test_bad_declaration(body: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\nschemas:\n  public:\n" + body, encoding="utf-8")
    with pytest.raises(DeclarationErrors) as caught:
        load_files([path])
    assert message in str(caught.value)
