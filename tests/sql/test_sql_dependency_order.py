"""Order of functions, domains, composite types, views and triggers, with SQL files as the desired state, on a real
server: each transition builds the live state, plans, applies (``--allow-destroy``), reads the
catalog and plans again, which must find nothing. Each one failed to apply, or left a difference
behind, before the edge or the re-creation it exercises existed.

These use SQL files rather than golden YAML cases because they need what only SQL declares
here: triggers on partitions and on views, ``RETURN`` bodies whose dependencies PostgreSQL
records in pg_depend, and composite types over a table's row type.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit


@dataclass(frozen=True)
class Transition:
    name: str
    live: str
    desired: str
    # Lines of the first plan that must appear in this order (the order is the point).
    in_order: tuple[str, ...]
    # A query whose single value must be true after the apply.
    after: str


TRANSITIONS = [
    Transition(
        "trigger-on-partition-of-replaced-parent",
        live="""
            CREATE TABLE public.old_log (kind text NOT NULL, n integer) PARTITION BY LIST (kind);
            CREATE TABLE public.log_a PARTITION OF public.old_log FOR VALUES IN ('a');
            CREATE FUNCTION public.bump() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.n := 1; RETURN NEW; END$$;
            CREATE TRIGGER log_a_bump BEFORE INSERT ON public.log_a FOR EACH ROW EXECUTE FUNCTION public.bump();
        """,
        # The parent takes another name; its partition keeps its own: it is detached from the old
        # parent before that is dropped and attached to the new one, its trigger untouched.
        desired="""
            CREATE TABLE public.new_log (kind text NOT NULL, n integer) PARTITION BY LIST (kind);
            CREATE TABLE public.log_a PARTITION OF public.new_log FOR VALUES IN ('a');
            CREATE FUNCTION public.bump() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.n := 1; RETURN NEW; END$$;
            CREATE TRIGGER log_a_bump BEFORE INSERT ON public.log_a FOR EACH ROW EXECUTE FUNCTION public.bump();
        """,
        in_order=("- table public.old_log", "~ detach partition log_a", "+ table public.new_log",
                  "~ attach table log_a"),
        after="SELECT count(*) = 1 FROM pg_trigger WHERE tgname = 'log_a_bump' AND tgrelid = 'public.log_a'::regclass",
    ),
    Transition(
        "undeclared-triggers-on-parent-and-partition-dropped-before-their-function",
        live="""
            CREATE TABLE public.events (kind text NOT NULL, n integer) PARTITION BY LIST (kind);
            CREATE TABLE public.events_a PARTITION OF public.events FOR VALUES IN ('a');
            CREATE FUNCTION public.bump() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.n := 1; RETURN NEW; END$$;
            CREATE TRIGGER events_bump BEFORE UPDATE ON public.events FOR EACH ROW EXECUTE FUNCTION public.bump();
            CREATE TRIGGER events_a_bump BEFORE UPDATE ON public.events_a FOR EACH ROW EXECUTE FUNCTION public.bump();
        """,
        # The parent's trigger has a clone on the partition, which goes with it; the partition's
        # own trigger is dropped by name; then the function.
        desired="""
            CREATE TABLE public.events (kind text NOT NULL, n integer) PARTITION BY LIST (kind);
            CREATE TABLE public.events_a PARTITION OF public.events FOR VALUES IN ('a');
        """,
        in_order=("- trigger events_a_bump", "- function public.bump()"),
        after="SELECT NOT EXISTS (SELECT FROM pg_trigger WHERE NOT tgisinternal)"
              " AND to_regproc('public.bump') IS NULL",
    ),
    Transition(
        "instead-of-trigger-on-recreated-view",
        live="""
            CREATE TABLE public.entries (body text, hits integer);
            CREATE VIEW public.entry_view AS SELECT body, hits FROM public.entries;
            CREATE FUNCTION public.entry_insert() RETURNS trigger LANGUAGE plpgsql
                AS $$BEGIN INSERT INTO public.entries (body) VALUES (NEW.body); RETURN NEW; END$$;
            CREATE TRIGGER entry_view_insert INSTEAD OF INSERT ON public.entry_view
                FOR EACH ROW EXECUTE FUNCTION public.entry_insert();
        """,
        # A column in the middle of the view: dropped and created again, so is its trigger.
        desired="""
            CREATE TABLE public.entries (body text, added_at timestamp, hits integer);
            CREATE VIEW public.entry_view AS SELECT body, added_at, hits FROM public.entries;
            CREATE FUNCTION public.entry_insert() RETURNS trigger LANGUAGE plpgsql
                AS $$BEGIN INSERT INTO public.entries (body) VALUES (NEW.body); RETURN NEW; END$$;
            CREATE TRIGGER entry_view_insert INSTEAD OF INSERT ON public.entry_view
                FOR EACH ROW EXECUTE FUNCTION public.entry_insert();
        """,
        in_order=("-/+ view public.entry_view", "re-created: entry_view is re-created"),
        after="SELECT count(*) = 1 FROM pg_trigger WHERE tgrelid = 'public.entry_view'::regclass",
    ),
    Transition(
        "return-body-calls-quoted-function-in-new-schema",
        live="CREATE TABLE public.keep (id integer);",
        # a_total sorts first by name, but its body (checked at CREATE) calls both others.
        desired="""
            CREATE TABLE public.keep (id integer);
            CREATE SCHEMA calc;
            CREATE FUNCTION calc.sum_of(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a + b;
            CREATE FUNCTION calc."the increment"(i integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE
                AS $$BEGIN RETURN i + 1; END$$;
            CREATE FUNCTION calc.a_total(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE
                RETURN calc.sum_of(a, b) + calc."the increment"(a);
        """,
        in_order=("+ function calc.the increment(integer)", "+ function calc.a_total(integer, integer)"),
        after="SELECT calc.a_total(1, 2) = 5",
    ),
    Transition(
        "body-reads-new-column-named-like-an-argument",
        live="""
            CREATE TABLE public.people ();
            CREATE PROCEDURE public.add_person(name text) LANGUAGE sql AS $$INSERT INTO public.people DEFAULT VALUES$$;
        """,
        # The new body writes column `name`, which the plan adds; the argument is called `name`
        # too, which must not hide the column from the ordering.
        desired="""
            CREATE TABLE public.people (name text);
            CREATE PROCEDURE public.add_person(name text) LANGUAGE sql
                AS $$INSERT INTO public.people (name) VALUES (name)$$;
        """,
        in_order=("+ column name text", "~ procedure public.add_person(text) body"),
        after="SELECT prosrc LIKE '%(name)%' FROM pg_proc WHERE proname = 'add_person'",
    ),
    Transition(
        "composite-types-over-new-table-row-types-follow-the-table",
        live="""
            CREATE TYPE public.wrapper AS (note text);
        """,
        # A table's row type is a type named like the table: a composite type with an attribute
        # of it is created after the table, and a table storing that composite after both; an
        # attribute of it is added to an existing composite type after the table too.
        desired="""
            CREATE TABLE public.accounts (id integer PRIMARY KEY, name text);
            CREATE TYPE public.account_pair AS (a public.accounts, b public.accounts);
            CREATE TABLE public.ledgers (id integer PRIMARY KEY, pair public.account_pair);
            CREATE TYPE public.wrapper AS (note text, account public.accounts);
        """,
        in_order=("+ table public.accounts", "+ composite type public.account_pair", "+ table public.ledgers"),
        after="SELECT to_regtype('public.account_pair') IS NOT NULL AND EXISTS ("
              "SELECT FROM pg_attribute WHERE attrelid = 'public.wrapper'::regclass AND attname = 'account')",
    ),
    Transition(
        "composite-type-over-a-dropped-table-row-type-goes-first",
        live="""
            CREATE TABLE public.old_events (id integer NOT NULL, at timestamptz);
            CREATE TYPE public.event_pair AS (first public.old_events, second public.old_events);
            CREATE TABLE public.keep (id integer);
        """,
        desired="""
            CREATE TABLE public.keep (id integer);
        """,
        in_order=("- composite type public.event_pair", "- table public.old_events"),
        after="SELECT to_regclass('public.old_events') IS NULL AND to_regtype('public.event_pair') IS NULL",
    ),
]


def _schema_dir(tmp_path: Path, text: str) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir()
    (directory / "schema.sql").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return directory


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("transition", TRANSITIONS, ids=[t.name for t in TRANSITIONS])
def test_transition_applies_and_converges(transition: Transition, db_url: str, tmp_path: Path) -> None:
    run_sql(db_url, textwrap.dedent(transition.live))
    common = ("--schema-dir", str(_schema_dir(tmp_path, transition.desired)), "--database-url", db_url)
    code, first = _run("plan", *common, "--detailed-exitcode")
    assert code == Exit.CHANGES, first
    positions = [first.find(line) for line in transition.in_order]
    assert -1 not in positions, first
    assert positions == sorted(positions), first
    code, output = _run("apply", *common, "--auto-approve", "--allow-destroy")
    assert code == Exit.OK, output
    with psycopg.connect(db_url) as conn:
        row = conn.execute(transition.after).fetchone()
    assert row is not None and row[0] is True
    code, again = _run("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, again
