"""Serial columns, sequences, generated columns and table options (replica identity, CLUSTER ON
too) survive ``reconcile inspect`` in every format and plan into another database (issue 17's
most common failure: a serial column planned elsewhere without its sequence).

For each format: a live database is inspected; the output is loaded as the desired state of an
empty database; the plan is applied; the result plans again to nothing, and the columns draw
their values from their sequences."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from conftest import inspected_schema, run_sql
from pgreconcile.apply.runner import apply_plan
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.plan import make_plan
from pgreconcile.render import render_text

LIVE = """
CREATE TABLE public.users (id serial PRIMARY KEY, email text COLLATE "C", bio text COMPRESSION pglz);
ALTER TABLE public.users ALTER COLUMN bio SET STORAGE EXTERNAL;
CREATE TABLE public.events (
    id bigserial PRIMARY KEY,
    position smallserial,
    user_id integer REFERENCES public.users (id),
    title text NOT NULL,
    title_length integer GENERATED ALWAYS AS (length(title)) STORED
);
CREATE SEQUENCE public.invoice_no AS integer START WITH 1000 INCREMENT BY 10 CACHE 5;
CREATE SEQUENCE public.orphan_counter MINVALUE 0 MAXVALUE 99 CYCLE;
COMMENT ON SEQUENCE public.orphan_counter IS 'Counts, then wraps';
CREATE UNLOGGED TABLE public.invoices (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 500 INCREMENT BY 5) PRIMARY KEY,
    no integer NOT NULL DEFAULT nextval('public.invoice_no')
) WITH (fillfactor = 80, autovacuum_enabled = false);
ALTER SEQUENCE public.invoice_no OWNED BY public.invoices.no;
INSERT INTO public.users (email) VALUES ('a@example.com');
ALTER TABLE public.invoices REPLICA IDENTITY FULL;
CREATE UNIQUE INDEX users_id_idx ON public.users (id);
ALTER TABLE public.users REPLICA IDENTITY USING INDEX users_id_idx;
ALTER TABLE public.events CLUSTER ON events_pkey;
"""




@pytest.mark.parametrize("fmt", ["yaml", "python", "sql"])
def test_inspected_serials_plan_into_an_empty_database(
    fmt: str, db_url: str, other_db_url: str, tmp_path: Path
) -> None:
    run_sql(db_url, LIVE)
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, ["public"])
    assert set(live.sequences) == {
        ("public", "users_id_seq"), ("public", "events_id_seq"), ("public", "events_position_seq"),
        ("public", "invoice_no"), ("public", "orphan_counter"),
    }
    users, invoices = live.tables[("public", "users")], live.tables[("public", "invoices")]
    assert (users.replica_identity, users.replica_index, invoices.replica_identity) == ("index", "users_id_idx", "full")
    assert live.tables[("public", "events")].cluster_on == "events_pkey"
    desired = inspected_schema(fmt, live, tmp_path / fmt, other_db_url)
    assert desired.sequences == live.sequences
    assert desired.tables == live.tables

    with psycopg.connect(other_db_url, autocommit=True) as conn:
        plan = make_plan(desired, read_schema(conn, desired.managed), source=fmt, target="an empty database")
        apply_plan(conn, plan, allow_destroy=False)
        after = read_schema(conn, desired.managed)
        again = make_plan(desired, after, source=fmt, target="the applied database")
        assert not again.has_changes, render_text(again)
        assert after.sequences == live.sequences
        assert after.tables == live.tables
        # The defaults work: each column draws from its own, owned sequence.
        conn.execute("INSERT INTO public.users (email) VALUES ('b@example.com')")
        conn.execute("INSERT INTO public.events (user_id, title) VALUES (1, 'hello')")
        conn.execute("INSERT INTO public.invoices DEFAULT VALUES")
        assert conn.execute("SELECT id FROM public.users").fetchall() == [(1,)]
        assert conn.execute("SELECT id, position, title_length FROM public.events").fetchall() == [(1, 1, 5)]
        assert conn.execute("SELECT id, no FROM public.invoices").fetchall() == [(500, 1000)]
        # Dropping the table takes its serials' sequences with it: they were owned.
        conn.execute("DROP TABLE public.events")
        left = {r[0] for r in conn.execute("SELECT relname FROM pg_class WHERE relkind = 'S'").fetchall()}
        assert left == {"users_id_seq", "invoice_no", "orphan_counter", "invoices_id_seq"}


def test_changing_options_keeps_the_current_value(db_url: str, tmp_path: Path) -> None:
    run_sql(db_url, "CREATE SEQUENCE public.tickets; SELECT nextval('public.tickets') FROM generate_series(1, 5);")
    declared = tmp_path / "schema.yaml"
    declared.write_text(
        "schemas:\n  public:\n    sequences:\n      tickets: {increment: 5, start: 100, max_value: 100000, cache: 3}\n",
        encoding="utf-8",
    )
    desired = load_files([declared])
    with psycopg.connect(db_url, autocommit=True) as conn:
        plan = make_plan(desired, read_schema(conn, desired.managed), source="schema.yaml", target="test")
        statements = [s for step in plan.steps for s in step.statements]
        assert statements == ["ALTER SEQUENCE public.tickets INCREMENT BY 5 MAXVALUE 100000 START WITH 100 CACHE 3"]
        apply_plan(conn, plan, allow_destroy=False)
        # 5 was the last value handed out; the next one steps by the new increment from there.
        assert conn.execute("SELECT nextval('public.tickets')").fetchone() == (10,)
        assert not make_plan(desired, read_schema(conn, desired.managed), source="s", target="t").has_changes


def test_undeclared_standalone_sequence_is_dropped_and_the_plan_says_its_counter_goes(
    db_url: str, tmp_path: Path
) -> None:
    run_sql(db_url, "CREATE SEQUENCE public.old_counter; CREATE TABLE public.t (id serial PRIMARY KEY);")
    declared = tmp_path / "schema.yaml"
    declared.write_text(
        "schemas:\n  public:\n    tables:\n      t:\n        columns:\n"
        "          id: {type: serial, primary_key: true}\n"
    )
    desired = load_files([declared])
    with psycopg.connect(db_url, autocommit=True) as conn:
        plan = make_plan(desired, read_schema(conn, desired.managed), source="schema.yaml", target="test")
    assert [s.label for s in plan.steps] == ["sequence public.old_counter"]
    assert "its counter (current value) is lost" in render_text(plan)
    # The serial's own sequence is declared by the column: it is neither dropped nor created.
    assert "t_id_seq" not in render_text(plan)


def test_a_sequence_only_named_in_a_default_is_kept_live_and_refused_where_missing(
    db_url: str, other_db_url: str, tmp_path: Path
) -> None:
    # Declarations written before sequences were managed: the serial as an integer with its default.
    declared = tmp_path / "schema.yaml"
    declared.write_text(
        "schemas:\n  public:\n    tables:\n      t:\n        columns:\n"
        "          id: {type: integer, primary_key: true, default_sql: \"nextval('t_id_seq'::regclass)\"}\n"
    )
    desired = load_files([declared])
    run_sql(db_url, "CREATE TABLE public.t (id serial PRIMARY KEY);")
    with psycopg.connect(db_url) as conn:
        kept = make_plan(desired, read_schema(conn, desired.managed), source="schema.yaml", target="test")
    assert not kept.has_changes and not kept.refusals, render_text(kept)
    with psycopg.connect(other_db_url) as conn:
        refused = make_plan(desired, read_schema(conn, desired.managed), source="schema.yaml", target="empty")
    assert refused.refusals and "sequence public.t_id_seq" in refused.refusals[0]
    assert "type: serial" in refused.refusals[0]


def test_a_generated_column_is_added_after_the_columns_it_reads(db_url: str, tmp_path: Path) -> None:
    run_sql(db_url, "CREATE TABLE public.items (id bigint PRIMARY KEY); INSERT INTO public.items VALUES (1);")
    declared = tmp_path / "schema.yaml"
    declared.write_text(
        "schemas:\n  public:\n    tables:\n      items:\n        columns:\n"
        "          id: {type: bigint, primary_key: true}\n"
        "          label_upper: {type: text, generated: upper(label)}\n"
        "          label: {type: text, default: item}\n"
    )
    desired = load_files([declared])
    with psycopg.connect(db_url, autocommit=True) as conn:
        plan = make_plan(desired, read_schema(conn, desired.managed), source="schema.yaml", target="test")
        assert [s.label for s in plan.steps] == [
            "column label text default 'item'::text",
            "column label_upper text generated always as (upper(label)) stored",
        ]
        apply_plan(conn, plan, allow_destroy=False)
        assert conn.execute("SELECT label_upper FROM public.items").fetchall() == [("ITEM",)]


@pytest.mark.parametrize("fmt,file", [("yaml", "app.yaml"), ("python", "app.py"), ("sql", "app.sql")])
def test_cli_inspect_plan_apply_into_another_database(
    fmt: str, file: str, db_url: str, other_db_url: str, tmp_path: Path
) -> None:
    """The corpus failure, through the CLI: inspect a database with serial columns, apply the
    output to an empty database, and plan again with nothing left to do."""
    from click.testing import CliRunner

    from pgreconcile.cli import cli

    def invoke(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        return result.exit_code, result.output

    run_sql(db_url, LIVE)
    schema = tmp_path / "schema"
    schema.mkdir()
    code, output = invoke("inspect", "--database-url", db_url, "--format", fmt, "-o", str(schema / file))
    assert code == 0, output
    common = ("--schema-dir", str(schema), "--database-url", other_db_url)
    code, output = invoke("apply", *common, "--auto-approve")
    assert code == 0, output
    assert "sequence public.users_id_seq" in output  # created before the table, not assumed
    code, output = invoke("plan", *common, "--detailed-exitcode")
    assert "No changes. The database matches the declarations." in output, output
