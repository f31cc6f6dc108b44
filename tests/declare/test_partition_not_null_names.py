"""PostgreSQL 18: a partition's NOT NULL names in YAML and Python (``not_null_names: {column:
name}`` under a partition), and ``reconcile inspect`` writing them back where they differ from
what a new partition would get. Each declaration is planned, applied, read back and planned
again (no changes); a database whose partitions hold names of their own is inspected as YAML,
Python and SQL and planned against itself (no changes). What PostgreSQL cannot do (rename a NOT
NULL a live partition inherits) is said in the plan, never attempted. Older servers refuse the
declaration before anything runs (plan/server_support.py). Real server (18+) where one is needed."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import not_null_constraint_names, run_sql, skip_below
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors
from pgreconcile.plan.server_support import unsupported

NEEDS_18 = "NOT NULL constraints have names from PostgreSQL 18 on"

LIVE = """
CREATE TABLE public.orders (id integer NOT NULL, region text NOT NULL, note text) PARTITION BY LIST (region);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('eu');
CREATE TABLE public.orders_us (id integer CONSTRAINT orders_us_id_mine NOT NULL, region text NOT NULL,
                               note text CONSTRAINT orders_us_note_mine NOT NULL);
ALTER TABLE public.orders ATTACH PARTITION public.orders_us FOR VALUES IN ('us');
INSERT INTO public.orders VALUES (1, 'eu', 'a'), (2, 'us', 'b');
"""

YAML = """
version: 1
schemas:
  public:
    tables:
      orders:
        columns:
          id: {type: integer, nullable: false}
          region: {type: text, nullable: false}
          note: text
        partition_by: list (region)
        partitions:
          orders_eu:
            in: [eu]
            not_null: [note]
            not_null_names: {note: orders_eu_note_given}
          orders_us:
            in: [us]
            not_null: [note]
            not_null_names: {note: orders_us_note_renamed, id: orders_us_id_wanted}
          orders_uk:
            in: [uk]
            not_null_names: {id: orders_uk_id_named}
"""

PYTHON = '''
from pgreconcile.declare import Table, column


class Order(Table, name="orders"):
    id: int = column(type="integer")
    region: str
    note: str | None
    __partition_by__ = "list (region)"
    __partitions__ = {
        "orders_eu": {"in": ["eu"], "not_null": ["note"], "not_null_names": {"note": "orders_eu_note_given"}},
        "orders_us": {"in": ["us"], "not_null": ["note"],
                      "not_null_names": {"note": "orders_us_note_renamed", "id": "orders_us_id_wanted"}},
        "orders_uk": {"in": ["uk"], "not_null_names": {"id": "orders_uk_id_named"}},
    }
'''

# What both declarations leave: orders_us inherits id's NOT NULL, whose name PostgreSQL cannot change.
APPLIED = {
    "orders_eu.note": "orders_eu_note_given", "orders_eu.id": "orders_id_not_null",
    "orders_us.note": "orders_us_note_renamed", "orders_us.id": "orders_us_id_mine",
    "orders_uk.id": "orders_uk_id_named", "orders_uk.region": "orders_region_not_null",
}


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output + result.stderr


def _schema_dir(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "schema"
    folder.mkdir()
    (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("file_name", "text"), [("app.yaml", YAML), ("app.py", PYTHON)], ids=["yaml", "python"])
def test_declared_partition_not_null_names_are_given(file_name: str, text: str, tmp_path: Path, db_url: str) -> None:
    skip_below(db_url, 180000, NEEDS_18)
    run_sql(db_url, LIVE)
    schema = _schema_dir(tmp_path, file_name, text)
    code, plan = _cli("plan", "-s", str(schema), "-d", db_url, "--sql")
    assert code == Exit.OK, plan
    assert "ALTER TABLE public.orders_eu ADD CONSTRAINT orders_eu_note_given NOT NULL note" in plan, plan
    assert "ALTER TABLE public.orders_us RENAME CONSTRAINT orders_us_note_mine TO orders_us_note_renamed" in plan
    assert "PARTITION OF public.orders (id CONSTRAINT orders_uk_id_named NOT NULL) FOR VALUES IN ('uk')" in plan
    assert "orders_us_id_wanted" not in plan, plan  # inherited: PostgreSQL cannot rename it

    code, shown = _cli("plan", "-s", str(schema), "-d", db_url)
    assert code == Exit.OK, shown
    assert "public.orders_us: orders_us_id_mine declared as orders_us_id_wanted" in shown, shown

    code, output = _cli("apply", "-s", str(schema), "-d", db_url, "--auto-approve")
    assert code == Exit.OK, output
    names = not_null_constraint_names(db_url)
    assert {k: names[k] for k in APPLIED} == APPLIED

    code, again = _cli("plan", "-s", str(schema), "-d", db_url, "--detailed-exitcode")
    assert code == Exit.OK, again  # the one left untouched is a note, not a change


NAMED = """
CREATE TABLE public.events (id integer NOT NULL, region text CONSTRAINT events_region_required NOT NULL, note text)
    PARTITION BY LIST (region);
CREATE TABLE public.events_eu PARTITION OF public.events FOR VALUES IN ('eu');
CREATE TABLE public.events_fr PARTITION OF public.events (id CONSTRAINT events_fr_id_named NOT NULL,
                                                          note CONSTRAINT events_fr_note_nn NOT NULL)
    FOR VALUES IN ('fr');
CREATE TABLE public.events_us (id integer CONSTRAINT events_us_id_mine NOT NULL, region text NOT NULL, note text);
ALTER TABLE public.events ATTACH PARTITION public.events_us FOR VALUES IN ('us');
CREATE TABLE public.events_asia PARTITION OF public.events (note NOT NULL) FOR VALUES IN ('asia')
    PARTITION BY HASH (id);
CREATE TABLE public.events_asia_0 PARTITION OF public.events_asia FOR VALUES WITH (modulus 2, remainder 0);
CREATE TABLE public.events_asia_1 PARTITION OF public.events_asia (region CONSTRAINT events_asia_1_region_nn NOT NULL)
    FOR VALUES WITH (modulus 2, remainder 1);
"""


@pytest.mark.parametrize(("fmt", "name"), [("yaml", "app.yaml"), ("python", "app.py"), ("sql", "app.sql")])
def test_inspect_writes_partition_not_null_names_back(fmt: str, name: str, tmp_path: Path, db_url: str) -> None:
    skip_below(db_url, 180000, NEEDS_18)
    run_sql(db_url, NAMED)
    before = not_null_constraint_names(db_url)
    directory = tmp_path / fmt
    code, output = _cli("inspect", "-d", db_url, "--schema", "public", "--format", fmt, "-o", str(directory / name))
    assert code == Exit.OK, output
    text = (directory / name).read_text(encoding="utf-8")
    if fmt != "sql":
        # Only the names a new partition would not get: not events_eu's (the table's), not
        # events_asia_0's (events_asia's), not events_asia's own note (its default name).
        for written in ("events_fr_id_named", "events_fr_note_nn", "events_us_id_mine", "events_us_region_not_null",
                        "events_asia_1_region_nn"):
            assert written in text, (written, text)
        for default in ("events_asia_note_not_null", "events_id_not_null", "events_eu_id_not_null"):
            assert default not in text, (default, text)
        assert text.count("not_null_names") == 3, text  # events_fr, events_us, events_asia_1
    code, output = _cli("plan", "-s", str(directory), "-d", db_url, "--detailed-exitcode")
    assert code == Exit.OK, f"{fmt}: {output}"
    assert not_null_constraint_names(db_url) == before


@pytest.mark.parametrize(("body", "message"), [
    ("not_null_names: {nope: x}", "partition t1: not_null_names: column 'nope' does not exist"),
    ("not_null_names: {note: x}", "partition t1: not_null_names: column 'note' is not NOT NULL there"),
    ("not_null_names: {id: same, k: same}", "'same' names the NOT NULLs of both id and k"),
    ("checks: {t1_c: id > 0}\n                    not_null_names: {id: t1_c}",
     "'t1_c' is already the name of one of its"),
    ("not_null_names: {id: ''}", "not-null constraint has an empty name"),
])
def test_bad_names_are_refused_while_loading(body: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(f"""\
        version: 1
        schemas:
          public:
            tables:
              t:
                columns: {{id: {{type: integer, nullable: false}}, k: {{type: integer, nullable: false}}, note: text}}
                partition_by: list (k)
                partitions:
                  t1:
                    in: [1]
                    {body}
        """), encoding="utf-8")
    with pytest.raises(DeclarationErrors) as caught:
        load_files([path])
    assert message in str(caught.value)


def test_refused_before_18_unless_postgresql_gives_the_name(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(YAML.lstrip("\n").replace(
        "            in: [uk]\n",
        "            in: [uk]\n            not_null: [note]\n").replace(
        "{id: orders_uk_id_named}", "{id: orders_uk_id_named, region: orders_region_not_null, "
        "note: orders_uk_note_not_null}"), encoding="utf-8")
    desired = load_files([path])
    errors = [str(e) for e in unsupported(desired, 170006)]
    assert len(errors) == 4, errors  # orders_eu.note, orders_us.id and .note, orders_uk.id
    assert any(":12: table public.orders: partition orders_eu: column note: a named NOT NULL constraint on a "
               "partition needs PostgreSQL 18 or later (this server is 17)" in e for e in errors), errors
    assert not any("region" in e or "orders_uk: column note" in e for e in errors), errors
    assert unsupported(desired, 180000) == []


RETYPE_LIVE = """
CREATE TABLE public.events (id integer NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE public.events_eu PARTITION OF public.events (id NOT NULL) FOR VALUES IN ('eu');
CREATE TABLE public.events_us (id integer CONSTRAINT events_us_id_mine NOT NULL, region text NOT NULL);
ALTER TABLE public.events ATTACH PARTITION public.events_us FOR VALUES IN ('us');
CREATE TABLE public.events_uk PARTITION OF public.events FOR VALUES IN ('uk');
INSERT INTO public.events VALUES (1, 'eu'), (2, 'us'), (3, 'uk');
"""

RETYPED_YAML = """
version: 1
schemas:
  public:
    tables:
      events:
        columns:
          id: {type: bigint, nullable: false}
          region: {type: text, nullable: false}
        partition_by: list (region)
        partitions:
          events_eu: {in: [eu]}
          events_uk: {in: [uk]}
          events_us: {in: [us]}
"""


def test_a_retype_declared_in_yaml_keeps_the_partitions_not_null_names(tmp_path: Path, db_url: str) -> None:
    """The names come from the live partitions (YAML names none): the one PostgreSQL 18 would fail
    the ALTER on (events_eu, made with its own NOT NULL) and the attached one it would rename
    are taken out around the change."""
    skip_below(db_url, 180000, NEEDS_18)
    run_sql(db_url, RETYPE_LIVE)
    folder = _schema_dir(tmp_path, "app.yaml", RETYPED_YAML)
    code, plan = _cli("plan", "-s", str(folder), "-d", db_url, "--sql")
    assert code == Exit.OK, plan
    assert "ALTER TABLE public.events DETACH PARTITION public.events_eu" in plan, plan
    assert "ALTER TABLE public.events DETACH PARTITION public.events_us" in plan, plan
    assert "events_uk" not in plan, plan  # it holds the table's name: retyped with the table
    code, output = _cli("apply", "-s", str(folder), "-d", db_url, "--auto-approve")
    assert code == Exit.OK, output
    names = not_null_constraint_names(db_url)
    assert (names["events_eu.id"], names["events_us.id"], names["events_uk.id"]) == (
        "events_eu_id_not_null", "events_us_id_mine", "events_id_not_null")
    code, again = _cli("plan", "-s", str(folder), "-d", db_url, "--detailed-exitcode")
    assert code == Exit.OK, again
