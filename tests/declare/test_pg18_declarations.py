"""PostgreSQL 17/18 constraint forms in YAML and Python: ``enforced: false`` (NOT ENFORCED),
``without_overlaps: true`` / ``period: true`` (temporal keys) and ``not_null: <name>`` (named NOT
NULL of a column or a domain). What PostgreSQL refuses of them is refused while loading, at
file:line; a server older than a declaration needs is refused while planning, before anything
runs (plan/server_support.py). Round trips through inspect on a real 18 are the golden cases'
live.sql (check/not-enforced, primary-key/temporal-without-overlaps, column/not-null-name,
domain/not-null-name) in test_declare_inspect_roundtrip.py and test_declare_python_roundtrip.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors
from pgreconcile.plan.server_support import unsupported

TABLES = "version: 1\nschemas:\n  public:\n    tables:\n"
BAD = {
    "temporal-key-of-one-column": (
        "      t:\n        columns: {r: tstzrange}\n        primary_key: {columns: [r], without_overlaps: true}\n",
        ":7: table public.t: primary key: without_overlaps needs at least two columns",
    ),
    "temporal-unique-of-one-column": (
        "      t:\n        columns: {r: tstzrange}\n"
        "        unique: {t_r_key: {columns: [r], without_overlaps: true}}\n",
        ":7: table public.t: unique constraint: without_overlaps needs at least two columns",
    ),
    "not-enforced-and-validated": (
        "      t:\n        columns: {n: integer}\n"
        "        checks:\n          t_n: {expression: n > 0, enforced: false, validated: true}\n",
        ":8: table public.t: check t_n: a NOT ENFORCED constraint is never validated",
    ),
    "period-with-cascade": (
        "      p:\n        columns: {id: integer, r: tstzrange}\n"
        "        primary_key: {columns: [id, r], without_overlaps: true}\n"
        "      c:\n        columns: {id: integer, r: tstzrange}\n        foreign_keys:\n"
        "          c_fk: {columns: [id, r], references: p, period: true, on_delete: cascade}\n",
        ":11: table public.c: foreign key c_fk: a PERIOD foreign key allows no on_delete action but `no action`",
    ),
    "period-to-a-plain-key": (
        "      p:\n        columns: {id: integer, r: tstzrange}\n        primary_key: [id, r]\n"
        "      c:\n        columns: {id: integer, r: tstzrange}\n        foreign_keys:\n"
        "          c_fk: {columns: [id, r], references: p, period: true}\n",
        "foreign key c_fk: (id, r) of public.p is not a temporal key (WITHOUT OVERLAPS)",
    ),
    "plain-key-to-a-temporal-one": (
        "      p:\n        columns: {id: integer, r: tstzrange}\n"
        "        primary_key: {columns: [id, r], without_overlaps: true}\n"
        "      c:\n        columns: {id: integer, r: tstzrange}\n        foreign_keys:\n"
        "          c_fk: {columns: [id, r], references: p}\n",
        "foreign key c_fk: (id, r) of public.p is a temporal key (WITHOUT OVERLAPS)",
    ),
    "not-null-name-on-a-nullable-column": (
        "      t:\n        columns:\n          n: {type: integer, nullable: true, not_null: n_required}\n",
        ":7: table public.t: column n: not_null and nullable: true contradict each other",
    ),
    "not-null-no-inherit-on-a-partitioned-table": (
        "      t:\n        columns:\n          n: {type: integer, not_null: {no_inherit: true}}\n"
        "        partition_by: range (n)\n",
        ":7: table public.t: column n: a partitioned table's NOT NULL cannot be NO INHERIT",
    ),
    "not-null-name-taken-by-a-check": (
        "      t:\n        columns:\n          n: {type: integer, not_null: t_n}\n        checks: {t_n: n > 0}\n",
        "check name 't_n' is already used by another constraint",
    ),
}


@pytest.mark.parametrize(("body", "message"), BAD.values(), ids=list(BAD))
def test_refused_while_loading(body: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(TABLES + body, encoding="utf-8")
    with pytest.raises(DeclarationErrors) as caught:
        load_files([path])
    assert message in str(caught.value)


def test_domain_not_null_name_and_nullable_contradict(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "version: 1\nschemas:\n  public:\n    domains:\n      d: {type: integer, nullable: true, not_null: d_nn}\n",
        encoding="utf-8",
    )
    with pytest.raises(DeclarationErrors, match=r":5: domain public.d: not_null and nullable: true contradict"):
        load_files([path])


def test_domain_not_null_cannot_be_not_valid(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "version: 1\nschemas:\n  public:\n    domains:\n      d: {type: integer, not_null: {validated: false}}\n",
        encoding="utf-8",
    )
    with pytest.raises(DeclarationErrors, match=r":5: domain public.d: a domain's NOT NULL can be neither NOT VALID"):
        load_files([path])


def test_python_not_null_name_on_an_optional_field(tmp_path: Path) -> None:
    path = tmp_path / "schema" / "app.py"
    path.parent.mkdir()
    path.write_text(
        "from pgreconcile.declare import Table, column\n\n\nclass T(Table):\n"
        "    id: int\n    n: int | None = column(not_null='t_n_required')\n",
        encoding="utf-8",
    )
    with pytest.raises(DeclarationErrors, match=r"app.py:6: .*field n is declared NOT NULL \(not_null=\)"):
        load_files([path])


EVERY_FEATURE = TABLES.replace("    tables:\n", "    domains:\n      d: {type: integer, not_null: d_required}\n"
                                "    tables:\n") + """\
      p:
        columns:
          id: {type: integer, not_null: p_id_required}
          r: tstzrange
          v: {type: integer, generated: id * 2, virtual: true}
        primary_key: {columns: [id, r], without_overlaps: true}
        checks:
          p_id: {expression: id > 0, enforced: false}
      c:
        columns: {id: integer, r: tstzrange, plain: {type: integer, nullable: false},
                  q: {type: integer, not_null: {validated: false, no_inherit: true}}}
        foreign_keys:
          c_fk: {columns: [id, r], references: p, period: true, enforced: false}
"""


@pytest.mark.parametrize(
    ("version", "count", "expected"),
    [
        (160004, 9, [
            ":5: domain public.d: a named NOT NULL constraint on a domain needs PostgreSQL 17",
            ":9: table public.p: column id: a named NOT NULL constraint needs PostgreSQL 18 or later (this server is",
            ":11: table public.p: column v: a VIRTUAL generated column needs PostgreSQL 18",
            ":12: table public.p: primary key p_pkey: a temporal key (WITHOUT OVERLAPS) needs PostgreSQL 18",
            ":14: table public.p: check p_id: NOT ENFORCED needs PostgreSQL 18",
            ":19: table public.c: foreign key c_fk: NOT ENFORCED needs PostgreSQL 18",
            ":19: table public.c: foreign key c_fk: a temporal foreign key (PERIOD) needs PostgreSQL 18",
        ]),
        (170002, 8, [
            ":17: table public.c: column q: a NOT VALID NOT NULL constraint needs PostgreSQL 18",
            ":17: table public.c: column q: a NO INHERIT NOT NULL constraint needs PostgreSQL 18",
":9: table public.p: column id: a named NOT NULL constraint needs PostgreSQL 18"]),
        (180001, 0, []),
    ],
    ids=["16", "17", "18"],
)
def test_a_server_too_old_is_refused_for_each_declaration(
    version: int, count: int, expected: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(EVERY_FEATURE, encoding="utf-8")
    errors = unsupported(load_files([path]), version)
    rendered = [e.render() for e in errors]
    assert len(rendered) == count, rendered
    assert rendered == sorted(rendered, key=lambda text: int(text.split(":")[1])), "in file and line order"
    for message in expected:
        assert any(message in text for text in rendered), (message, rendered)
    assert all("hint: remove `" in text and "nothing was run" in text for text in rendered)


def test_plan_and_apply_refuse_on_an_older_server(tmp_path: Path, db_url: str) -> None:
    """Through the CLI on a real server older than 18 (the suite's default is 15): exit 1, the
    file:line of each declaration, and nothing run — not even the table the file also declares."""
    import psycopg
    from click.testing import CliRunner

    from pgreconcile.cli import cli
    from pgreconcile.cli.exitcodes import Exit

    with psycopg.connect(db_url) as conn:
        if conn.info.server_version >= 180000:
            pytest.skip("the server has every PostgreSQL 18 feature")
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text(
        TABLES + "      t:\n        columns: {n: integer}\n        checks:\n"
        "          t_n: {expression: n > 0, enforced: false}\n",
        encoding="utf-8",
    )
    common = ["--schema-dir", str(schema), "--database-url", db_url]
    for command in (["plan", "--detailed-exitcode"], ["apply", "--auto-approve"]):
        result = CliRunner().invoke(cli, [*command[:1], *common, *command[1:]], catch_exceptions=False)
        assert result.exit_code == Exit.ERROR, result.output
        assert "app.yaml:8: table public.t: check t_n: NOT ENFORCED needs PostgreSQL 18 or later" in result.output
        assert "hint: remove `enforced: false`" in result.output
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT to_regclass('public.t')").fetchone() == (None,)


def test_unlogged_sequences_before_15(tmp_path: Path) -> None:
    """Before PostgreSQL 15: a serial's sequence in an unlogged table is an ordinary one (what
    the server makes), and a sequence declared unlogged is refused with its place."""
    from pgreconcile.declare import load_files
    from pgreconcile.plan.server_support import for_server, unsupported

    path = tmp_path / "app.yaml"
    path.write_text("""version: 1
schemas:
  public:
    tables:
      cache:
        unlogged: true
        columns:
          id: {type: serial, primary_key: true}
    sequences:
      tickets: {unlogged: true}
""")
    desired = load_files([path])
    assert desired.sequences[("public", "cache_id_seq")].unlogged
    on_14 = for_server(desired, 140000)
    assert not on_14.sequences[("public", "cache_id_seq")].unlogged
    assert on_14.sequences[("public", "tickets")].unlogged
    assert for_server(desired, 150000) is desired
    errors = unsupported(on_14, 140000)
    assert [e.message.split(":")[0] for e in errors] == ["sequence public.tickets"]
    assert "needs PostgreSQL 15" in errors[0].message and "app.yaml:" in str(errors[0].where)
    assert unsupported(desired, 150000) == []
