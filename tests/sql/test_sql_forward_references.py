"""SQL files need not be in dependency order: a statement that names what the file creates
further down runs again after the rest of the file, and tables whose foreign keys reference each
other in a cycle are made without them, added last. What never comes is still an error at its
file:line, and a DROP of what is not there is never put off. Real server, through the CLI."""

from __future__ import annotations

from pathlib import Path

import psycopg
from click.testing import CliRunner

from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

OUT_OF_ORDER = """
CREATE TABLE public.users (
    id integer PRIMARY KEY,
    department_id integer REFERENCES public.departments (id)
);
CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE VIEW public.staff AS SELECT u.id, d.name FROM public.users u JOIN public.departments d ON d.id = u.department_id;
CREATE TABLE public.orders (id serial PRIMARY KEY, LIKE public.template INCLUDING DEFAULTS);
CREATE TABLE public.departments (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE public.template (note text DEFAULT 'none');
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
"""


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _write(tmp_path: Path, text: str) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir()
    (directory / "app.sql").write_text(text, encoding="utf-8")
    return directory


def test_statements_naming_what_comes_later_converge(tmp_path: Path, db_url: str) -> None:
    directory = _write(tmp_path, OUT_OF_ORDER)
    args = ("--schema-dir", str(directory), "--database-url", db_url)
    code, output = _run("apply", *args, "--auto-approve")
    assert code == Exit.OK, output
    with psycopg.connect(db_url) as conn:
        columns = conn.execute(
            "SELECT column_name, column_default FROM information_schema.columns "
            "WHERE table_name = 'orders' ORDER BY ordinal_position").fetchall()
        triggers = conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").fetchall()
        views = conn.execute("SELECT viewname FROM pg_views WHERE schemaname = 'public'").fetchall()
    assert columns[1] == ("note", "'none'::text")
    assert triggers == [("users_touch",)] and views == [("staff",)]
    code, output = _run("plan", *args, "--detailed-exitcode")
    assert code == Exit.OK, output


CYCLE = """
CREATE TABLE public.departments (
    id integer PRIMARY KEY,
    manager_id integer REFERENCES public.employees (id) ON DELETE SET NULL,
    CONSTRAINT departments_head_office FOREIGN KEY (id) REFERENCES public.offices (department_id)
);
CREATE TABLE public.employees (
    id integer PRIMARY KEY,
    department_id integer NOT NULL,
    CONSTRAINT fk_employee_department FOREIGN KEY (department_id) REFERENCES public.departments (id)
);
CREATE TABLE public.offices (department_id integer PRIMARY KEY REFERENCES public.departments (id) DEFERRABLE);
CREATE VIEW public.staff AS
    SELECT e.id, d.manager_id FROM public.employees e JOIN public.departments d ON d.id = e.department_id;
"""


def test_tables_whose_foreign_keys_form_a_cycle_converge(tmp_path: Path, db_url: str) -> None:
    # Each table waits for another: one is made without its foreign keys, added at the end
    # under the names the CREATE TABLE gives (the unnamed ones too).
    directory = _write(tmp_path, CYCLE)
    args = ("--schema-dir", str(directory), "--database-url", db_url)
    code, output = _run("apply", *args, "--auto-approve")
    assert code == Exit.OK, output
    with psycopg.connect(db_url) as conn:
        names = conn.execute("SELECT conname, condeferrable FROM pg_constraint WHERE contype = 'f' "
                             "ORDER BY conname").fetchall()
    assert names == [("departments_head_office", False), ("departments_manager_id_fkey", False),
                     ("fk_employee_department", False), ("offices_department_id_fkey", True)]
    code, output = _run("plan", *args, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_what_never_comes_is_an_error_at_its_line(tmp_path: Path, db_url: str) -> None:
    directory = _write(tmp_path, "CREATE TABLE public.a (id integer);\n"
                                 "CREATE TABLE public.b (a_id integer REFERENCES public.nowhere (id));\n"
                                 "CREATE TABLE public.c (id integer);\n")
    code, output = _run("plan", "--schema-dir", str(directory), "--database-url", db_url)
    assert code == Exit.ERROR, output
    expected = f"Error: {directory}/app.sql:2: the SQL failed: relation \"public.nowhere\" does not exist"
    assert output.startswith(expected), output


def test_a_drop_of_what_is_not_there_is_not_put_off(tmp_path: Path, db_url: str) -> None:
    # Run later, the DROP would remove the table the next statement creates.
    directory = _write(tmp_path, "DROP TABLE public.t;\nCREATE TABLE public.t (id integer);\n")
    code, output = _run("plan", "--schema-dir", str(directory), "--database-url", db_url)
    assert code == Exit.ERROR, output
    assert f"{directory}/app.sql:1: the SQL failed: table \"t\" does not exist" in output
