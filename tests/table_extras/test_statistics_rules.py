"""Extended statistics and rules: declared in YAML, Python or SQL files, inspected in every
format, planned to nothing once applied, and refused where CREATE STATISTICS / CREATE RULE
would be."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.catalog.canonical import canonicalize
from pgreconcile.catalog.reader import read_schema
from pgreconcile.cli import cli
from pgreconcile.declare import load_files
from pgreconcile.errors import DeclarationErrors
from pgreconcile.localpg import LocalServer, create_database, drop_database
from pgreconcile.model.rules import RuleEnabled, RuleEvent
from pgreconcile.model.statistics import STATISTICS_KINDS
from pgreconcile.plan import make_plan

LIVE = """
CREATE SCHEMA app;
CREATE TABLE app.orders (id integer PRIMARY KEY, city text, zip text, amount numeric, deleted boolean DEFAULT false);
CREATE TABLE app.audit (order_id integer, note text);
CREATE STATISTICS app.orders_city_zip ON city, zip FROM app.orders;
CREATE STATISTICS app.orders_mixed (ndistinct, mcv) ON (lower(city)), zip, (amount * 2) FROM app.orders;
CREATE STATISTICS app.orders_one ON (upper(zip)) FROM app.orders;
ALTER STATISTICS app.orders_city_zip SET STATISTICS 300;
COMMENT ON STATISTICS app.orders_mixed IS 'mixed';
CREATE RULE orders_soft_delete AS ON DELETE TO app.orders
  DO INSTEAD UPDATE app.orders SET deleted = true WHERE id = old.id;
CREATE RULE orders_audit AS ON UPDATE TO app.orders WHERE old.amount IS DISTINCT FROM new.amount
  DO ALSO (INSERT INTO app.audit VALUES (new.id, 'amount; changed'); INSERT INTO app.audit VALUES (new.id, 'done'));
CREATE RULE orders_quiet AS ON INSERT TO app.orders DO ALSO NOTHING;
ALTER TABLE app.orders DISABLE RULE orders_quiet;
COMMENT ON RULE orders_audit ON app.orders IS 'amount changes';
"""

OBJECTS = """
SELECT 'statistics', s.stxname::text, pg_get_statisticsobjdef(s.oid), s.stxstattarget::int::text,
       obj_description(s.oid, 'pg_statistic_ext')
FROM pg_statistic_ext s WHERE s.stxnamespace = 'app'::regnamespace
UNION ALL
SELECT 'rule', r.rulename::text, pg_get_ruledef(r.oid, true), r.ev_enabled::text, obj_description(r.oid, 'pg_rewrite')
FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
WHERE c.relnamespace = 'app'::regnamespace AND r.rulename <> '_RETURN'
ORDER BY 1, 2
"""


def _objects(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        conn.execute("SET search_path = pg_catalog")
        return [tuple(row) for row in conn.execute(OBJECTS).fetchall()]


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_the_catalog_reads_statistics_and_rules(db_url: str) -> None:
    run_sql(db_url, LIVE)
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, ["app"])
    assert sorted(live.statistics) == [("app", "orders_city_zip"), ("app", "orders_mixed"), ("app", "orders_one")]
    pair, mixed, one = (live.statistics[("app", n)] for n in ("orders_city_zip", "orders_mixed", "orders_one"))
    assert (pair.columns, pair.expressions, pair.kinds, pair.target) == (("city", "zip"), (), STATISTICS_KINDS, 300)
    assert (mixed.columns, mixed.expressions, mixed.kinds, mixed.comment) == (
        ("zip",), ("lower(city)", "(amount * (2)::numeric)"), ("ndistinct", "mcv"), "mixed")
    assert (one.columns, one.expressions, one.kinds) == ((), ("upper(zip)",), ())
    audit = live.rules[("app", "orders", "orders_audit")]
    assert (audit.event, audit.instead, audit.where, audit.comment) == (
        RuleEvent.UPDATE, False, "old.amount IS DISTINCT FROM new.amount", "amount changes")
    assert len(audit.actions) == 2 and "'amount; changed'" in audit.actions[0]
    assert "column:app.orders.amount" in audit.reads and "table:app.audit" in audit.reads
    quiet = live.rules[("app", "orders", "orders_quiet")]
    assert (quiet.actions, quiet.enabled) == ((), RuleEnabled.DISABLED)
    assert live.rules[("app", "orders", "orders_soft_delete")].instead
    # Managed now: not listed among the objects left alone.
    assert not [u for u in live.unmanaged if u.kind in ("rule", "statistics")]


@pytest.mark.parametrize("fmt,name", [("yaml", "app.yaml"), ("python", "app.py"), ("sql", "app.sql")])
def test_inspected_statistics_and_rules_build_the_same_database(
    fmt: str, name: str, tmp_path: Path, db_url: str, pg_server: LocalServer
) -> None:
    run_sql(db_url, LIVE)
    expected = _objects(db_url)
    assert len(expected) == 6
    directory = tmp_path / "schema"
    directory.mkdir()
    code, output = _invoke("inspect", "-d", db_url, "--schema", "app", "--format", fmt, "-o", str(directory / name))
    assert code == 0, output
    scratch = ("--scratch", "local") if fmt == "sql" else ()
    code, output = _invoke("plan", "-s", str(directory), "-d", db_url, "--detailed-exitcode", *scratch)
    assert code == 0, output
    assert "Not managed" not in output
    fresh = f"pgr_extras_{uuid.uuid4().hex[:10]}"
    fresh_url = create_database(pg_server.url, fresh)
    try:
        code, output = _invoke("apply", "-s", str(directory), "-d", fresh_url, "--auto-approve", *scratch)
        assert code == 0, output
        assert _objects(fresh_url) == expected
        code, output = _invoke("plan", "-s", str(directory), "-d", fresh_url, "--detailed-exitcode", *scratch)
        assert code == 0, output
    finally:
        drop_database(pg_server.url, fresh)


PYTHON = '''
from pgreconcile.declare import Table, column, rule, statistics

__schema__ = "app"


class Orders(Table):
    id: int = column(primary_key=True)
    city: str | None = None
    zip: str | None = None
    __statistics__ = [
        statistics("orders_city_zip", columns=["zip", "city"], target=300),
        statistics("orders_lower", expressions=["lower(city)"], comment="one expression"),
    ]
    __rules__ = [
        rule("orders_keep", event="delete", instead=True),
        rule("orders_off", event="insert", where="new.city IS NULL", actions=["SELECT 1"], enabled=False),
    ]
'''

YAML = """
version: 1
schemas:
  app:
    tables:
      orders:
        columns:
          id: {type: integer, primary_key: true}
          city: text
          zip: text
        statistics:
          orders_city_zip: {columns: [city, zip], target: 300}
          orders_lower: {expressions: [lower(city)], comment: one expression}
        rules:
          orders_keep: {event: delete, instead: true}
          orders_off: {event: insert, where: new.city IS NULL, actions: SELECT 1, enabled: disabled}
"""


def test_python_declares_what_yaml_declares(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(PYTHON)
    (tmp_path / "app.yaml").write_text(YAML)
    from_python = load_files([tmp_path / "app.py"])
    from_yaml = load_files([tmp_path / "app.yaml"])
    assert from_python.statistics == from_yaml.statistics and len(from_yaml.statistics) == 2
    assert from_python.rules == from_yaml.rules and len(from_yaml.rules) == 2
    off = from_yaml.rules[("app", "orders", "orders_off")]
    assert (off.enabled, off.actions, off.where) == (RuleEnabled.DISABLED, ("SELECT 1",), "new.city IS NULL")
    assert from_yaml.statistics[("app", "orders_lower")].kinds == ()


def test_a_declared_rule_is_compared_in_the_servers_form(tmp_path: Path, db_url: str) -> None:
    """Written unqualified and in lower case, the rule is the live one: no change, and planning
    left nothing behind (the canonical form is made in a rolled-back transaction)."""
    run_sql(db_url, LIVE)
    path = tmp_path / "app.yaml"
    path.write_text("""
version: 1
schemas:
  app:
    tables:
      orders:
        columns:
          id: {type: integer, primary_key: true}
          city: text
          zip: text
          amount: numeric
          deleted: {type: boolean, default: false}
        rules:
          orders_soft_delete:
            event: delete
            instead: true
            actions: update orders set deleted = true where id = old.id
      audit:
        columns: {order_id: integer, note: text}
""")
    declared = load_files([path])
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, ["app"])
        desired, _ = canonicalize(conn, declared, live)
        plan = make_plan(desired, live, source="app.yaml", target="db")
        temp = conn.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'pgreconcile_rule_%'").fetchone()
    rule = desired.rules[("app", "orders", "orders_soft_delete")]
    assert rule.canonical and rule.written == (None, ("update orders set deleted = true where id = old.id",))
    assert rule.actions == live.rules[("app", "orders", "orders_soft_delete")].actions
    keys = {step.key for step in plan.steps}
    assert not any(k.startswith("rule:app.orders.orders_soft_delete") for k in keys), keys
    # Undeclared: dropped, and named (no --allow-destroy needed: nothing holds data).
    assert {"rule:app.orders.orders_audit", "rule:app.orders.orders_quiet"} <= keys
    assert {"statistics:app.orders_city_zip", "statistics:app.orders_mixed"} <= keys
    assert not plan.destroys_data
    assert temp == (0,)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("statistics: {s: [city]}", "need at least two of them"),
        ("statistics: {s: [city, nope]}", "names nope, which app.orders does not declare"),
        ("statistics: {s: {}}", "covers nothing"),
        ("statistics: {s: {expressions: [lower(city)], kinds: [mcv]}}", "a single expression takes no `kinds`"),
        ("statistics: {s: {columns: [city, zip], kinds: [histogram]}}", "kinds"),
        ("rules: {r: {event: update, actions: 'SELECT 1; DROP TABLE app.orders'}}", "holds a `;` outside"),
        ("rules: {r: {event: truncate}}", "event"),
        ("rules: {r: {instead: true}}", "event"),
    ],
)
def test_what_postgresql_would_refuse_is_an_error(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(
        "version: 1\nschemas:\n  app:\n    tables:\n      orders:\n"
        f"        columns: {{id: integer, city: text, zip: text}}\n        {body}\n"
    )
    with pytest.raises(DeclarationErrors) as caught:
        load_files([path])
    assert message in str(caught.value)
    assert "app.yaml" in str(caught.value)
