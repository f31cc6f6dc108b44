"""SQL files as a desired state, end to end through the CLI on a real server: plan, apply, plan
again; mixed with YAML; errors at file:line; statements refused; stubs of platform schemas."""

from __future__ import annotations

import textwrap
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare.directory import load_directory
from pgreconcile.errors import DeclarationErrors


def _schema_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir()
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return directory


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _converges(schema_dir: Path, url: str) -> str:
    """Plan (changes expected), apply, plan again (none); returns the first plan's text."""
    common = ("--schema-dir", str(schema_dir), "--database-url", url)
    code, first = _run("plan", *common, "--detailed-exitcode")
    assert code == Exit.CHANGES, first
    code, output = _run("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    assert "Apply complete!" in output
    code, output = _run("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output
    return first


def _relations(url: str, schema: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY 1",
            (schema,),
        ).fetchall()
    return [r[0] for r in rows]


TYPES_SQL = """
create schema app;
comment on schema app is 'the application';
create type app.role as enum ('admin', 'member');
"""

TABLES_SQL = """
create table app.users (
  id uuid primary key default gen_random_uuid(),
  email text not null unique,
  role app.role not null default 'member',
  created_at timestamptz not null default now()
);
comment on table app.users is 'people who sign in';

create table app.posts (
  id bigint generated always as identity primary key,
  author_id uuid not null references app.users (id) on delete cascade,
  title text not null check (length(title) > 0)
);
create index posts_author_idx on app.posts (author_id);
"""


def test_sql_files_plan_apply_and_converge(tmp_path: Path, db_url: str) -> None:
    schema_dir = _schema_dir(tmp_path, {"01_types.sql": TYPES_SQL, "02_tables.sql": TABLES_SQL})
    first = _converges(schema_dir, db_url)
    assert "(2 files)" in first
    assert "+ table app.users" in first and "+ table app.posts" in first
    assert _relations(db_url, "app") == ["posts", "users"]


def test_files_run_in_sorted_order_including_subfolders(tmp_path: Path, db_url: str) -> None:
    # 10_tables.sql needs the schema and type from 00_base/types.sql: sorted by path, folder first.
    schema_dir = _schema_dir(tmp_path, {"10_tables.sql": TABLES_SQL, "00_base/types.sql": TYPES_SQL})
    _converges(schema_dir, db_url)


def test_sql_beside_yaml_does_not_manage_public_unless_it_puts_objects_there(tmp_path: Path, db_url: str) -> None:
    # (Alone, SQL files describe the whole database: tests/sql/test_sql_whole_database.py.)
    run_sql(db_url, "CREATE TABLE public.legacy (id int PRIMARY KEY); INSERT INTO public.legacy VALUES (1);")
    schema_dir = _schema_dir(tmp_path, {"01_types.sql": TYPES_SQL, "02_tables.sql": TABLES_SQL,
                                        "03_more.yaml": "schemas:\n  more: {}\n"})
    first = _converges(schema_dir, db_url)
    assert "legacy" not in first
    assert _relations(db_url, "public") == ["legacy"]


APP_NOTES_YAML = """
version: 1
schemas:
  app:
    tables:
      notes:
        columns:
          id: {type: bigint, primary_key: true}
"""


def test_sql_files_of_public_alone_manage_it_even_with_nothing_left_in_it(tmp_path: Path, db_url: str) -> None:
    # Files that create no schema of their own describe public: the table they no longer
    # declare is dropped (the extension they create is not an object that keeps public managed
    # by itself: here it is the rule for files alone that does).
    run_sql(db_url, "CREATE TABLE public.legacy (id int PRIMARY KEY)")
    schema_dir = _schema_dir(tmp_path, {"extensions.sql": "create extension if not exists pgcrypto;\n"})
    common = ("--schema-dir", str(schema_dir), "--database-url", db_url)
    code, first = _run("plan", *common, "--detailed-exitcode")
    assert code == Exit.CHANGES, first
    assert "- table public.legacy" in first
    code, output = _run("apply", *common, "--auto-approve", "--allow-destroy")
    assert code == Exit.OK, output
    assert _relations(db_url, "public") == []
    code, output = _run("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_a_sequence_alone_puts_public_under_management(tmp_path: Path, db_url: str) -> None:
    # Beside a YAML file declaring app, SQL files manage public only by using it: a sequence counts.
    run_sql(db_url, "CREATE TABLE public.legacy (id int PRIMARY KEY)")
    yaml = APP_NOTES_YAML
    sql = "create sequence public.ticket_numbers start 100;\n"
    schema_dir = _schema_dir(tmp_path, {"seq.sql": sql, "app.yaml": yaml})
    code, first = _run("plan", "--schema-dir", str(schema_dir), "--database-url", db_url, "--detailed-exitcode")
    assert code == Exit.CHANGES, first
    assert "+ sequence public.ticket_numbers" in first
    assert "- table public.legacy" in first


def test_sql_files_beside_yaml_leave_public_alone_when_they_do_not_use_it(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, "CREATE TABLE public.legacy (id int PRIMARY KEY)")
    yaml = APP_NOTES_YAML
    sql = "create extension if not exists pgcrypto;\n"
    schema_dir = _schema_dir(tmp_path, {"extensions.sql": sql, "app.yaml": yaml})
    first = _converges(schema_dir, db_url)
    assert "legacy" not in first
    assert _relations(db_url, "public") == ["legacy"]


YAML_USING_SQL = """
version: 1
schemas:
  app:
    tables:
      comments:
        columns:
          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid()}
          user_id: {type: uuid, nullable: false, references: users.id}
          as_role: {type: role, nullable: false, default: member}
          body: text
  public:
    tables:
      audit:
        columns:
          id: {type: bigint, primary_key: true}
          user_id: {type: uuid, references: {table: app.users, column: id}}
"""


def test_yaml_may_use_types_and_tables_declared_in_sql(tmp_path: Path, db_url: str) -> None:
    schema_dir = _schema_dir(
        tmp_path, {"01_types.sql": TYPES_SQL, "02_tables.sql": TABLES_SQL, "more.yaml": YAML_USING_SQL}
    )
    first = _converges(schema_dir, db_url)
    assert "(3 files)" in first
    assert _relations(db_url, "app") == ["comments", "posts", "users"]
    assert _relations(db_url, "public") == ["audit"]
    desired = load_directory(schema_dir, target_url=db_url).schema
    fk = desired.tables[("app", "comments")].foreign_keys[0]
    assert (fk.ref_schema, fk.ref_table, fk.ref_columns) == ("app", "users", ("id",))
    assert desired.tables[("app", "comments")].column("as_role").type == "app.role"  # type: ignore[union-attr]


def test_yaml_foreign_key_to_a_table_no_source_declares_names_it(tmp_path: Path, db_url: str) -> None:
    yaml = YAML_USING_SQL.replace("references: users.id}", "references: user.id}")
    schema_dir = _schema_dir(tmp_path, {"01_types.sql": TYPES_SQL, "02_tables.sql": TABLES_SQL, "more.yaml": yaml})
    code, output = _run("plan", "-s", str(schema_dir), "-d", db_url)
    assert code == Exit.ERROR, output
    assert "references app.user, which is not declared; did you mean app.users?" in output


def test_same_object_in_yaml_and_sql_is_an_error_naming_both_files(tmp_path: Path, db_url: str) -> None:
    yaml = """
    version: 1
    schemas:
      app:
        enums:
          role: [admin, member]
        tables:
          users:
            columns:
              id: {type: uuid, primary_key: true}
    """
    schema_dir = _schema_dir(tmp_path, {"01_types.sql": TYPES_SQL, "02_tables.sql": TABLES_SQL, "app.yaml": yaml})
    code, output = _run("plan", "-s", str(schema_dir), "-d", db_url)
    assert code == Exit.ERROR, output
    assert "Traceback" not in output
    assert (
        f"enum app.role is declared twice: at {schema_dir}/app.yaml:5 and at {schema_dir}/01_types.sql:3"
        in output
    )
    assert (
        f"table app.users is declared twice: at {schema_dir}/app.yaml:7 and at {schema_dir}/02_tables.sql:1"
        in output
    )
    assert _relations(db_url, "app") == []


def test_origins_point_at_the_lines_that_create_each_object(tmp_path: Path, db_url: str) -> None:
    schema_dir = _schema_dir(tmp_path, {"01_types.sql": TYPES_SQL, "02_tables.sql": TABLES_SQL})
    desired = load_directory(schema_dir, target_url=db_url).schema
    types, tables = f"{schema_dir}/01_types.sql", f"{schema_dir}/02_tables.sql"
    assert str(desired.namespaces["app"].origin) == f"{types}:1"
    assert str(desired.enums[("app", "role")].origin) == f"{types}:3"
    users = desired.tables[("app", "users")]
    assert str(users.origin) == f"{tables}:1"
    assert [str(c.origin) for c in users.columns] == [f"{tables}:{n}" for n in (2, 3, 4, 5)]
    assert str(users.primary_key.origin) == f"{tables}:2"  # type: ignore[union-attr]  # inline: its column's line
    assert str(users.uniques[0].origin) == f"{tables}:3"
    posts = desired.tables[("app", "posts")]
    assert str(posts.foreign_keys[0].origin) == f"{tables}:11"
    assert str(posts.checks[0].origin) == f"{tables}:9"  # an unnamed CHECK: its table's line
    assert str(posts.indexes[0].origin) == f"{tables}:14"


BAD_SQL = [
    pytest.param(
        {"01_types.sql": TYPES_SQL, "02_tables.sql": "create table app.t (\n  id int,\n  name txet\n);\n"},
        "02_tables.sql:3: the SQL failed: type \"txet\" does not exist",
        id="unknown-type-with-position",
    ),
    pytest.param(
        {"01.sql": "create table a (id int primary key);\n\ncreat table b (id int);\n"},
        "01.sql:3: the SQL failed: syntax error at or near \"creat\"",
        id="syntax-error",
    ),
    pytest.param(
        {"01.sql": "create table a (id int primary key);\ncreate table b (\n  a_id int references nope (id)\n);\n"},
        "01.sql:2: the SQL failed: relation \"nope\" does not exist",
        id="missing-relation-without-position",
    ),
    pytest.param(
        {"01.sql": "create table a (id int);\n", "02.sql": "-- the same table again\n\ncreate table a (id int);\n"},
        "02.sql:3: the SQL failed: relation \"a\" already exists",
        id="same-table-in-two-sql-files",
    ),
    pytest.param(
        {
            "01.sql": "create table a (id int);\ncreate function f() returns int\nlanguage plpgsql as $$\n"
            "begin\n  retrun 1;\nend\n$$;\n"
        },
        "01.sql:5: the SQL failed: syntax error at or near \"retrun\"",
        id="error-inside-a-function-body",
    ),
    pytest.param(
        {"01.sql": "create table public.profiles (id uuid primary key references auth.users (id));\n"},
        "01.sql:1: the SQL failed: schema \"auth\" does not exist",
        id="platform-schema-absent-on-target",
    ),
]


@pytest.mark.parametrize(("files", "message"), BAD_SQL)
def test_sql_error_is_reported_at_file_and_line(
    files: dict[str, str], message: str, tmp_path: Path, db_url: str
) -> None:
    schema_dir = _schema_dir(tmp_path, files)
    code, output = _run("plan", "-s", str(schema_dir), "-d", db_url)
    assert code == Exit.ERROR, output
    assert "Traceback" not in output
    assert output.startswith(f"Error: {schema_dir}/{message}"), output
    assert _relations(db_url, "public") == [] and _relations(db_url, "app") == []


def test_missing_object_error_explains_the_scratch_database(tmp_path: Path, db_url: str) -> None:
    schema_dir = _schema_dir(tmp_path, dict([BAD_SQL[-1].values[0].popitem()]))  # type: ignore[union-attr]
    code, output = _run("plan", "-s", str(schema_dir), "-d", db_url)
    assert code == Exit.ERROR
    assert "hint: SQL files run in order in an empty scratch database" in output
    assert "stubs of the platform schemas" in output


def test_server_wide_statements_are_refused_before_anything_runs(tmp_path: Path, db_url: str) -> None:
    role = "pgr_test_refused_role"
    sql = f"create table public.t (id int);\ncreate role {role};\nalter system set work_mem = '1GB';\n"
    schema_dir = _schema_dir(tmp_path, {"01.sql": sql})
    code, output = _run("plan", "-s", str(schema_dir), "-d", db_url, "--scratch", "target")
    assert code == Exit.ERROR, output
    assert f"{schema_dir}/01.sql:2: CREATE ROLE changes the whole server, not only the scratch database" in output
    assert f"{schema_dir}/01.sql:3: ALTER SYSTEM changes the whole server" in output
    assert "--scratch local" in output
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s", (role,)).fetchone() == (0,)


def test_psql_meta_commands_are_refused(tmp_path: Path, db_url: str) -> None:
    schema_dir = _schema_dir(tmp_path, {"01.sql": "create table public.t (id int);\n\\ir other.sql\n"})
    code, output = _run("plan", "-s", str(schema_dir), "-d", db_url)
    assert code == Exit.ERROR, output
    assert f"{schema_dir}/01.sql:2: \\ir is a psql meta-command, not SQL" in output


PLATFORM = """
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text UNIQUE, created_at timestamptz);
CREATE TYPE auth.aal_level AS ENUM ('aal1', 'aal2');
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
INSERT INTO auth.users VALUES ('21a2151a-cd37-41d5-a1c7-124bb05e7a6a', 'a@example.com', now());
"""

PROFILES_SQL = """
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text references auth.users (email),
  owner uuid default auth.uid(),
  level auth.aal_level not null default 'aal1'
);
"""


def test_sql_may_refer_to_platform_tables_functions_and_types(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, PLATFORM)
    schema_dir = _schema_dir(tmp_path, {"profiles.sql": PROFILES_SQL})
    first = _converges(schema_dir, db_url)
    assert "+ table public.profiles" in first
    assert "auth.users" in first  # the foreign keys, created into the unmanaged schema
    assert _relations(db_url, "auth") == ["users"]  # the platform schema is never managed
    desired = load_directory(schema_dir, target_url=db_url).schema
    assert desired.managed == frozenset({"public"})
    assert desired.tables[("public", "profiles")].column("owner").default == "auth.uid()"  # type: ignore[union-attr]


def test_extension_in_a_platform_schema_is_available_without_being_declared(tmp_path: Path, db_url: str) -> None:
    with psycopg.connect(db_url) as conn:
        if conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'uuid-ossp'").fetchone() is None:
            pytest.skip("the test server has no uuid-ossp extension")
    run_sql(db_url, 'CREATE SCHEMA extensions; CREATE EXTENSION "uuid-ossp" SCHEMA extensions;')
    schema_dir = _schema_dir(
        tmp_path, {"t.sql": "create table public.t (id uuid primary key default extensions.uuid_generate_v4());\n"}
    )
    _converges(schema_dir, db_url)
    desired = load_directory(schema_dir, target_url=db_url).schema
    assert desired.extensions == {}  # a stub, not a declaration: the plan must not drop it


def test_extension_the_sql_creates_in_a_platform_schema_is_declared(tmp_path: Path, db_url: str) -> None:
    with psycopg.connect(db_url) as conn:
        if conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'citext'").fetchone() is None:
            pytest.skip("the test server has no citext extension")
    run_sql(db_url, "CREATE SCHEMA extensions;")
    schema_dir = _schema_dir(
        tmp_path,
        {"t.sql": "create extension if not exists citext with schema extensions;\n"
         "create table public.t (email extensions.citext primary key);\n"},
    )
    first = _converges(schema_dir, db_url)
    assert "+ extension citext" in first
    desired = load_directory(schema_dir, target_url=db_url).schema
    assert str(desired.extensions["citext"].origin) == f"{schema_dir}/t.sql:1"


def test_objects_the_model_does_not_hold_are_named_in_a_warning(tmp_path: Path, db_url: str) -> None:
    sql = TABLES_SQL + """
create function app.touch() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger users_touch before update on app.users for each row execute function app.touch();
create view app.active_users as select id from app.users;
"""
    schema_dir = _schema_dir(tmp_path, {"01_types.sql": TYPES_SQL, "02_tables.sql": sql})
    result = CliRunner().invoke(cli, ["plan", "-s", str(schema_dir), "-d", db_url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # Views, functions and triggers are managed: declared in SQL, the plan creates them instead
    # of warning.
    assert "function" not in result.stderr and "trigger" not in result.stderr and "view" not in result.stderr
    assert "+ view app.active_users" in result.output
    assert "+ function app.touch()" in result.output
    assert "Warning" not in result.stdout


def test_kinds_not_managed_are_named_in_a_warning_and_in_the_plan(tmp_path: Path, db_url: str) -> None:
    """Rules, extended statistics, table inheritance and text search configurations are managed:
    declared in SQL, the plan creates them, and nothing once they exist. A kind that is not
    managed (a text search template) is named by the SQL source's warning and listed by the plan
    as left alone."""
    extra = """
create statistics app.users_stats (dependencies) on id, email from app.users;
create rule users_no_delete as on delete to app.users do instead nothing;
create table app.admins (level integer) inherits (app.users);
create text search configuration app.plain_search (copy = pg_catalog.simple);
create text search template app.plain_template (init = dsimple_init, lexize = dsimple_lexize);
create operator class app.int_order for type integer using btree as operator 1 <, operator 3 =,
    function 1 btint4cmp(integer, integer);
create conversion app.latin_in for 'LATIN1' to 'UTF8' from iso8859_1_to_utf8;
create cast (app.role as integer) with inout;
"""
    schema_dir = _schema_dir(tmp_path, {"01_types.sql": TYPES_SQL, "02_tables.sql": TABLES_SQL + extra})
    result = CliRunner().invoke(cli, ["plan", "-s", str(schema_dir), "-d", db_url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "text search template in the SQL files (app.plain_template)" in result.stderr, result.stderr
    assert "+ cast (app.role AS integer) (with inout)" in result.output, result.output  # casts are managed
    assert "+ text search configuration app.plain_search (parser default, " in result.output, result.output
    for managed in ("statistics", "rule", "inheritance", "text search configuration", "cast"):
        assert f"{managed} in the SQL files" not in result.stderr, result.stderr
    assert "+ statistics users_stats (dependencies) on email, id" in result.output, result.output
    assert "+ rule users_no_delete on delete do instead nothing" in result.output, result.output
    assert "+ table app.admins" in result.output and "inherits app.users" in result.output
    run_sql(db_url, TYPES_SQL + TABLES_SQL + extra)
    result = CliRunner().invoke(cli, ["plan", "-s", str(schema_dir), "-d", db_url], catch_exceptions=False)
    assert "Not managed, left untouched: " in result.output and "plain_template" in result.output, result.output
    for unmanaged in ("operator class app.int_order using btree", "conversion app.latin_in"):
        assert unmanaged in result.output, result.output
    assert "No changes." in result.output, result.output


def test_load_directory_reports_duplicates_together(tmp_path: Path, db_url: str) -> None:
    yaml = "version: 1\nextensions:\n  citext: {}\nschemas:\n  app:\n    comment: twice\n"
    schema_dir = _schema_dir(tmp_path, {"01_types.sql": TYPES_SQL + "create extension citext;\n", "x.yaml": yaml})
    with pytest.raises(DeclarationErrors) as caught:
        load_directory(schema_dir, target_url=db_url)
    messages = [e.message for e in caught.value.errors]
    assert any(m.startswith("extension citext is declared twice") for m in messages), messages
    assert any(m.startswith("the comment of schema app is declared twice") for m in messages), messages


def test_files_run_with_psql_semantics(tmp_path: Path, db_url: str) -> None:
    """Transaction control, CONCURRENTLY and a new enum label used at once all work, as in psql;
    a SET in one file does not reach the next."""
    schema_dir = _schema_dir(
        tmp_path,
        {
            "01.sql": """
            set search_path to app;
            create schema app;
            begin;
            create type mood as enum ('ok');
            create table notes (id int primary key, body text);
            commit;
            alter type mood add value 'meh';
            alter table notes add column mood mood not null default 'meh';
            create index concurrently notes_body_idx on notes (body);
            """,
            "02.sql": "create table counters (id int primary key);\n",
        },
    )
    desired = load_directory(schema_dir, target_url=db_url).schema
    assert desired.enums[("app", "mood")].values == ("ok", "meh")
    assert [i.name for i in desired.tables[("app", "notes")].indexes] == ["notes_body_idx"]
    assert ("public", "counters") in desired.tables  # 02.sql's unqualified name: back to public
    assert str(desired.tables[("app", "notes")].origin) == f"{schema_dir}/01.sql:5"
    _converges(schema_dir, db_url)


def test_file_ending_inside_a_transaction_is_an_error(tmp_path: Path, db_url: str) -> None:
    schema_dir = _schema_dir(tmp_path, {"01.sql": "begin;\ncreate table public.t (id int);\n"})
    code, output = _run("plan", "-s", str(schema_dir), "-d", db_url)
    assert code == Exit.ERROR, output
    assert f"{schema_dir}/01.sql: the file ends inside a transaction block: a BEGIN has no COMMIT" in output


def test_dropping_a_table_referenced_from_an_unmanaged_schema_is_refused_at_plan_time(
    tmp_path: Path, db_url: str
) -> None:
    # Through the CLI, which reads every schema before it knows the managed ones: the foreign key
    # of ledger (not managed) must still be seen as outside the model, not as one it holds.
    run_sql(
        db_url,
        "CREATE TABLE public.customers (id int PRIMARY KEY); CREATE SCHEMA ledger; "
        "CREATE TABLE ledger.entries (id int PRIMARY KEY, customer_id int REFERENCES public.customers (id));",
    )
    schema_dir = _schema_dir(tmp_path, {"app.sql": "create table public.orders (id int primary key);\n"})
    # Alone, the files would describe ledger too (and drop it): managed_schemas leaves it out.
    config = tmp_path / "reconcile.toml"
    config.write_text('managed_schemas = ["public"]\n', encoding="utf-8")
    code, output = _run("--config", str(config), "plan", "--schema-dir", str(schema_dir), "--database-url", db_url)
    assert code == Exit.ERROR, output
    assert "foreign key entries_customer_id_fkey on ledger.entries reads table public.customers" in output
    code, output = _run("--config", str(config), "apply", "--schema-dir", str(schema_dir), "--database-url", db_url,
                        "--auto-approve", "--allow-destroy")
    assert code == Exit.ERROR, output
    assert _relations(db_url, "public") == ["customers"]
