"""Functions, procedures and triggers from every source, against a real server.

* A Supabase-style schema — ``handle_new_user()`` SECURITY DEFINER on ``auth.users`` and
  ``set_updated_at()`` on three tables — declared in YAML, in Python and in SQL files gives
  byte-identical plans; applied, it converges, and ``inspect`` (YAML and Python) plans to nothing.
* Every attribute the catalog reads survives inspect → load (YAML and Python).
* Bad declarations are one clear message at file:line.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import psycopg
import pytest

from conftest import run_sql
from pgreconcile.apply.runner import apply_plan
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.declare.directory import load_directory
from pgreconcile.emit.to_python import emit_python
from pgreconcile.emit.to_yaml import emit_yaml
from pgreconcile.errors import DeclarationErrors
from pgreconcile.model import Schema
from pgreconcile.plan import make_plan
from pgreconcile.render import render_sql, render_text

PLATFORM = """
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
"""

TOUCH = "\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n"
NEW_USER = "\nBEGIN\n  INSERT INTO public.profiles (id, email) VALUES (NEW.id, NEW.email);\n  RETURN NEW;\nEND\n"
TABLES = ("profiles", "posts", "comments")

YAML = f"""version: 1
schemas:
  public:
    functions:
      set_updated_at():
        returns: trigger
        language: plpgsql
        body: {json.dumps(TOUCH)}
      handle_new_user():
        returns: trigger
        language: plpgsql
        security_definer: true
        set: {{search_path: ''}}
        body: {json.dumps(NEW_USER)}
    triggers:
      on_auth_user_created:
        {{table: auth.users, timing: after, events: [insert], for_each: row, function: handle_new_user()}}
    tables:
""" + "".join(
    f"""      {t}:
        columns:
          id: {{type: uuid, primary_key: true}}
          email: text
          updated_at: timestamptz
        triggers:
          {t}_updated_at: {{timing: before, events: [update], for_each: row, function: set_updated_at()}}
"""
    for t in TABLES
)

PYTHON = f"""import datetime
import uuid
from pgreconcile.declare import Table, column, function, trigger

__functions__ = [
    function("set_updated_at()", returns="trigger", language="plpgsql", body={TOUCH!r}),
    function("handle_new_user()", returns="trigger", language="plpgsql", security_definer=True,
             set={{"search_path": ""}}, body={NEW_USER!r}),
]
__triggers__ = [
    trigger("on_auth_user_created", table="auth.users", timing="after", events=["insert"], for_each="row",
            function="handle_new_user()"),
]
""" + "".join(
    f"""

class {t.title()}(Table, name="{t}"):
    id: uuid.UUID = column(primary_key=True)
    email: str | None
    updated_at: datetime.datetime | None
    __triggers__ = [trigger("{t}_updated_at", timing="before", events="update", for_each="row",
                            function="set_updated_at()")]
"""
    for t in TABLES
)

SQL = f"""
CREATE FUNCTION public.set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $${TOUCH}$$;
CREATE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = '' AS $${NEW_USER}$$;
CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users FOR EACH ROW
    EXECUTE FUNCTION public.handle_new_user();
""" + "".join(
    f"""
CREATE TABLE public.{t} (id uuid PRIMARY KEY, email text, updated_at timestamptz);
CREATE TRIGGER {t}_updated_at BEFORE UPDATE ON public.{t} FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
"""
    for t in TABLES
)


def _plan_text(desired: Schema, db_url: str) -> str:
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, desired.managed)
    plan = make_plan(desired, live, source="schema/", target="db")
    return render_text(plan) + "\n" + render_sql(plan)


def _directory(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def test_supabase_style_schema_plans_the_same_from_yaml_python_and_sql(db_url: str, tmp_path: Path) -> None:
    run_sql(db_url, PLATFORM)
    from_yaml = load_directory(_directory(tmp_path, "yaml", {"app.yaml": YAML})).schema
    from_python = load_directory(_directory(tmp_path, "python", {"app.py": PYTHON})).schema
    from_sql = load_directory(_directory(tmp_path, "sql", {"app.sql": SQL}), target_url=db_url).schema
    texts = [_plan_text(s, db_url) for s in (from_yaml, from_python, from_sql)]
    assert texts[0] == texts[1] == texts[2]
    assert "+ trigger on_auth_user_created after insert for each row → public.handle_new_user()" in texts[0]
    assert texts[0].count("\n      + trigger ") == 4  # three set_updated_at() and on_auth_user_created

    with psycopg.connect(db_url, autocommit=True) as conn:
        live = read_schema(conn, from_yaml.managed)
        apply_plan(conn, make_plan(from_yaml, live, source="schema/", target="db"), allow_destroy=False)
        conn.execute("INSERT INTO auth.users VALUES ('00000000-0000-0000-0000-000000000001', 'a@b.c')")
        created = conn.execute("SELECT email FROM public.profiles").fetchall()
        after = read_schema(conn, from_yaml.managed)
    assert created == [("a@b.c",)], "the trigger on auth.users ran handle_new_user()"
    for source in (from_yaml, from_python, from_sql):
        assert not make_plan(source, after, source="schema/", target="db").has_changes

    # inspect → plan is empty, in both languages.
    inspected_yaml = load_directory(_directory(tmp_path, "inspected_yaml", {"app.yaml": emit_yaml(after)})).schema
    inspected_py = load_directory(_directory(tmp_path, "inspected_py", {"app.py": emit_python(after)})).schema
    for inspected in (inspected_yaml, inspected_py):
        assert not make_plan(inspected, after, source="schema/", target="db").has_changes
        assert set(inspected.triggers) == set(from_yaml.triggers)


RICH = """
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('happy', 'sad');
CREATE TABLE app.t (id integer PRIMARY KEY, name text, updated_at timestamptz);
CREATE FUNCTION app.f(a integer, b text DEFAULT 'x', OUT c integer, VARIADIC d integer[] DEFAULT '{}')
    RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 7 AS $$ SELECT 1 $$;
CREATE FUNCTION app.g(p integer) RETURNS TABLE(x integer, "Y" app.mood) LANGUAGE plpgsql
    SECURITY DEFINER LEAKPROOF ROWS 20 SET search_path = '' SET work_mem = '64MB'
    AS $b$
  BEGIN RETURN; END $b$;
CREATE FUNCTION app.h(a integer, b integer) RETURNS integer LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT a + b; END;
CREATE FUNCTION app.h2(a integer) RETURNS integer LANGUAGE sql RETURN a * 2;
CREATE FUNCTION app.h3(a text) RETURNS text LANGUAGE sql SUPPORT pg_catalog.textlike_support RETURN a;
CREATE PROCEDURE app.p(INOUT x integer) LANGUAGE plpgsql SET search_path = "$user", public
    AS $$ BEGIN x := 1; END $$;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$	BEGIN RETURN NEW; END
$$;
COMMENT ON FUNCTION app.touch() IS 'keeps updated_at';
CREATE TRIGGER tr BEFORE UPDATE OF name, updated_at OR INSERT ON app.t FOR EACH ROW WHEN (NEW.id > 0)
    EXECUTE FUNCTION app.touch('a', 'it''s');
CREATE CONSTRAINT TRIGGER ctr AFTER INSERT ON app.t FROM app.t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION app.touch();
CREATE TRIGGER st AFTER INSERT ON app.t REFERENCING NEW TABLE AS newrows FOR EACH STATEMENT
    EXECUTE FUNCTION app.touch();
ALTER TABLE app.t DISABLE TRIGGER st;
COMMENT ON TRIGGER tr ON app.t IS 'on write';
CREATE FUNCTION app.step(acc integer, x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT acc + x$$;
CREATE AGGREGATE app.mysum(integer) (SFUNC = app.step, STYPE = integer, INITCOND = '0', COMBINEFUNC = int4pl,
    PARALLEL = SAFE);
CREATE AGGREGATE app.shout(text) (SFUNC = textcat, STYPE = text, FINALFUNC = upper);
COMMENT ON AGGREGATE app.shout(text) IS 'loud';
CREATE FUNCTION app.vstep(acc integer, VARIADIC xs integer[]) RETURNS integer LANGUAGE sql IMMUTABLE
    AS $$SELECT acc + cardinality(xs)$$;
CREATE AGGREGATE app.vcount(VARIADIC integer[]) (SFUNC = app.vstep, STYPE = integer, INITCOND = '0',
    FINALFUNC = app.vstep, FINALFUNC_EXTRA);
CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN NULL; END$$;
CREATE EVENT TRIGGER app_on_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
    EXECUTE FUNCTION app.on_ddl();
ALTER EVENT TRIGGER app_on_ddl ENABLE ALWAYS;
"""


@pytest.mark.parametrize("language", ["yaml", "python"])
def test_every_attribute_survives_inspect(db_url: str, tmp_path: Path, language: str) -> None:
    run_sql(db_url, RICH)
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, ["app"])
    live = dataclasses.replace(live, triggers={k: t for k, t in live.triggers.items() if k[0] == "app"})
    assert (len(live.functions), len(live.triggers), len(live.aggregates), len(live.event_triggers)) == (10, 3, 3, 1)
    assert live.triggers[("app", "t", "ctr")].referenced_table == ("app", "t")
    assert live.functions["function:app.h3(text)"].support == ("pg_catalog", "textlike_support")
    vcount = live.aggregates["function:app.vcount(integer[])"]
    assert vcount.variadic and vcount.finalfunc_extra
    text = emit_yaml(live) if language == "yaml" else emit_python(live)
    path = tmp_path / ("app.yaml" if language == "yaml" else "app.py")
    path.write_text(text, encoding="utf-8")
    loaded = load_files([path])
    assert loaded.functions == live.functions
    assert loaded.triggers == live.triggers
    assert loaded.aggregates == live.aggregates
    assert loaded.event_triggers == live.event_triggers
    assert not make_plan(loaded, live, source="x", target="db").has_changes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("functions:\n      'f(a nosuchtype)': {returns: integer, body: SELECT 1}", "function public.f(a nosuchtype)"),
        ("functions:\n      f(): {body: SELECT 1}", "needs `returns:`"),
        ("procedures:\n      p(): {returns: integer, body: SELECT 1}", "a procedure returns nothing"),
        ("procedures:\n      p(): {support: textlike_support, body: SELECT 1}", "a procedure has no support"),
        ("triggers:\n      t: {timing: after, events: insert, function: f()}", "needs `table:`"),
        ("triggers:\n      t: {table: auth.users, timing: after, events: [insert, update], new_table: n,"
         " function: f()}", "transition tables need one event"),
        ("triggers:\n      t: {table: auth.users, timing: sometimes, events: insert, function: f()}", "timing"),
        ("triggers:\n      t: {table: auth.users, timing: after, events: insert, referenced_table: public.x,"
         " function: f()}", "only a constraint trigger has a `referenced_table`"),
        ("aggregates:\n      'a(integer)': {sfunc: int4pl, stype: integer, hypothetical: true}",
         "a hypothetical-set aggregate has ORDER BY"),
        ("aggregates:\n      'a(integer ORDER BY integer ORDER BY text)': {sfunc: int4pl, stype: integer}",
         "one ORDER BY"),
        ("aggregates:\n      'a(VARIADIC integer[], text)': {sfunc: int4pl, stype: integer}",
         "only the last argument can be VARIADIC"),
    ],
)
def test_bad_declarations_name_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f"version: 1\nschemas:\n  public:\n    {text}\n", encoding="utf-8")
    with pytest.raises(DeclarationErrors) as raised:
        load_files([path])
    assert message in str(raised.value)
    assert f"{path}:" in str(raised.value)


def test_security_definer_without_search_path_breaks_the_convention(tmp_path: Path) -> None:
    from pgreconcile.conventions.check import check_conventions
    from pgreconcile.declare import load_declarations

    (tmp_path / "app.yaml").write_text(
        "version: 1\nconventions: {security_definer_search_path: true}\nschemas:\n  public:\n    functions:\n"
        "      risky(): {returns: integer, security_definer: true, body: SELECT 1}\n"
        "      pinned(): {returns: integer, security_definer: true, set: {search_path: ''}, body: SELECT 1}\n"
        "      invoker(): {returns: integer, body: SELECT 1}\n",
        encoding="utf-8",
    )
    documents, schema = load_declarations(tmp_path)
    found = check_conventions(documents, schema)
    assert [(v.rule, v.object) for v in found] == [("security_definer_search_path", "function public.risky()")]
    assert str(found[0].where) == f"{tmp_path / 'app.yaml'}:6"


def test_a_function_a_declared_trigger_still_calls_is_not_dropped(db_url: str, tmp_path: Path) -> None:
    run_sql(db_url, """
        CREATE TABLE public.items (id integer PRIMARY KEY);
        CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
        CREATE TRIGGER items_touch BEFORE UPDATE ON public.items FOR EACH ROW EXECUTE FUNCTION public.touch();
    """)
    path = tmp_path / "app.yaml"
    path.write_text(
        "version: 1\nschemas:\n  public:\n    tables:\n      items:\n        columns:\n"
        "          id: {type: integer, primary_key: true}\n        triggers:\n"
        "          items_touch: {timing: before, events: update, for_each: row, function: touch()}\n",
        encoding="utf-8",
    )
    desired = load_files([path])
    with psycopg.connect(db_url) as conn:
        plan = make_plan(desired, read_schema(conn, desired.managed), source="x", target="db")
    assert any("function public.touch() is not declared" in r and "trigger public.items.items_touch" in r
               for r in plan.refusals), plan.refusals
