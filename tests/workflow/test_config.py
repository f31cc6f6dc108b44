"""Configuration: reconcile.toml or [tool.pgreconcile] in pyproject.toml, found in the current
directory; flags > environment > file > defaults; unknown keys name the file; ignore patterns
and managed_schemas change what is compared."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from workflow_helpers import NOTES, NOTES_DESIRED, invoke, schema_dir

from conftest import run_sql
from pgreconcile.apply.lock import ADVISORY_LOCK_KEY
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.config import Config, ConfigError, load_config, parse_duration


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory with no configuration and no DATABASE_URL."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return tmp_path


# --- finding and reading the file --------------------------------------------------------------


def test_no_file_means_no_configuration(here: Path) -> None:
    assert load_config() == Config()
    (here / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert load_config() == Config()


def test_reconcile_toml_and_pyproject_are_read_the_same(here: Path) -> None:
    body = ('schema_dir = "db/schema"\nmanaged_schemas = ["public"]\nlock_timeout = "3s"\nstatement_timeout = 5000\n'
            'retries = 2\nretry_delay = "500ms"\n')
    (here / "reconcile.toml").write_text(body)
    own = load_config()
    (here / "reconcile.toml").unlink()
    (here / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.pgreconcile]\n" + body)
    from_pyproject = load_config()
    for config in (own, from_pyproject):
        assert config.schema_dir == Path("db/schema")
        assert config.managed_schemas == ("public",)
        assert (config.lock_timeout_ms, config.statement_timeout_ms) == (3000, 5000)
        assert (config.retries, config.retry_delay_ms) == (2, 500)
    assert own.path == Path("reconcile.toml") and from_pyproject.path == Path("pyproject.toml")


def test_two_files_configuring_pgreconcile_are_an_error(here: Path) -> None:
    (here / "reconcile.toml").write_text('schema_dir = "a"\n')
    (here / "pyproject.toml").write_text('[tool.pgreconcile]\nschema_dir = "b"\n')
    with pytest.raises(ConfigError, match="configure pgreconcile"):
        load_config()


BAD_FILES = [
    pytest.param('schema_dir = "schema"\nshema_dir = "x"\n', "reconcile.toml:2: shema_dir: unknown key", id="unknown"),
    pytest.param(
        'database_url = "postgresql://app:secret@db/app"\n',
        "reconcile.toml:1: database_url: unknown key\n  hint: the URL, with its password, does not belong in a file",
        id="url",
    ),
    pytest.param(
        "managed_schemas = 'public'\n", "reconcile.toml:1: managed_schemas: expected a list of strings", id="list"
    ),
    pytest.param('lock_timeout = "soon"\n', "reconcile.toml:1: lock_timeout: not a duration: 'soon'", id="duration"),
    pytest.param("retries = -1\n", "reconcile.toml:1: retries: expected a whole number, 0 or more, got -1",
                 id="retries"),
    pytest.param('retries = "3"\n', "reconcile.toml:1: retries: expected a whole number, 0 or more", id="retries-text"),
    pytest.param('retry_delay = "1h"\n', "reconcile.toml:1: retry_delay: not a duration: '1h'", id="retry-delay"),
    pytest.param(
        'ignore = ["widget:public.x"]\n', "reconcile.toml:1: ignore pattern 'widget:public.x' is not valid", id="kind"
    ),
    pytest.param("schema_dir = [\n", "reconcile.toml: not valid TOML", id="toml"),
]


@pytest.mark.parametrize(("text", "expected"), BAD_FILES)
def test_a_bad_file_is_one_clear_error_naming_it(here: Path, text: str, expected: str) -> None:
    (here / "reconcile.toml").write_text(text)
    result = invoke("validate")
    assert result.exit_code == Exit.ERROR
    assert result.output.startswith(f"Error: {expected}"), result.output
    assert "Traceback" not in result.output
    assert "secret" not in result.output


def test_durations() -> None:
    assert [parse_duration(v) for v in (250, "250", "250ms", "3s", " 2min ", "1h", -1, True)] == [
        250, 250, 250, 3000, 120_000, None, None, None,
    ]  # fmt: skip


def test_an_explicit_config_file_and_paths_relative_to_it(here: Path) -> None:
    config_dir = here / "deploy"
    config_dir.mkdir()
    schema_dir(config_dir, NOTES_DESIRED)
    (config_dir / "reconcile.toml").write_text('schema_dir = "schema"\n')
    result = invoke("--config", str(config_dir / "reconcile.toml"), "validate")
    assert result.exit_code == 0, result.output
    assert "deploy/schema/ (1 file) are valid" in result.output


# --- precedence: flags > environment > file > defaults -----------------------------------------


def test_schema_dir_flag_beats_the_file_which_beats_the_default(here: Path) -> None:
    schema_dir(here, NOTES_DESIRED, "from_file")
    schema_dir(here, NOTES_DESIRED, "from_flag")
    schema_dir(here, NOTES_DESIRED, "schema")
    assert "schema/ (1 file)" in invoke("validate").output
    (here / "reconcile.toml").write_text('schema_dir = "from_file"\n')
    assert "from_file/ (1 file)" in invoke("validate").output
    assert "from_flag/ (1 file)" in invoke("validate", "-s", "from_flag").output


def test_database_url_flag_beats_the_environment_variable_the_file_names(here: Path, db_url: str) -> None:
    run_sql(db_url, NOTES)
    schema_dir(here, NOTES_DESIRED)
    unreachable = "postgresql://nobody@127.0.0.1:1/none"
    result = invoke("plan", env={"DATABASE_URL": db_url})
    assert result.exit_code == 0, result.output
    assert "Error: no database given" in invoke("plan").output
    (here / "reconcile.toml").write_text('database_url_env = "APP_DATABASE_URL"\n')
    # The file names the variable; DATABASE_URL is then not consulted.
    result = invoke("plan", env={"DATABASE_URL": db_url})
    assert result.exit_code == Exit.ERROR
    assert "set APP_DATABASE_URL (named by database_url_env in " in result.output
    assert invoke("plan", env={"APP_DATABASE_URL": db_url}).exit_code == 0
    result = invoke("plan", "-d", db_url, env={"APP_DATABASE_URL": unreachable})
    assert result.exit_code == 0, result.output


def test_lock_timeout_flag_beats_the_file_which_beats_the_default(here: Path, db_url: str) -> None:
    run_sql(db_url, NOTES)
    schema_dir(here, NOTES_DESIRED)
    with psycopg.connect(db_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
        (here / "reconcile.toml").write_text('lock_timeout = "150ms"\n')
        result = invoke("apply", "--auto-approve", "-d", db_url)
        assert "waited 150 ms" in result.output
        result = invoke("apply", "--auto-approve", "-d", db_url, "--lock-timeout", "0.3s")
        assert result.exit_code == 2 and "is not a duration" in result.output  # bad flag: usage error
        result = invoke("apply", "--auto-approve", "-d", db_url, "--lock-timeout", "300ms")
        assert "waited 300 ms" in result.output
        assert "pid " in result.output and "application_name" in result.output  # the holder: this test


# --- what the configuration changes ------------------------------------------------------------

LEGACY = NOTES + "CREATE TABLE public.legacy_orders (id integer); CREATE TYPE public.old_state AS ENUM ('x');"


def test_ignored_objects_are_left_alone_on_both_sides(here: Path, db_url: str) -> None:
    run_sql(db_url, LEGACY)
    declared_legacy = NOTES_DESIRED + "      legacy_invoices:\n        columns:\n          id: integer\n"
    schema_dir(here, declared_legacy)
    text = invoke("plan", "-d", db_url).output
    assert "- table public.legacy_orders" in text and "- enum public.old_state" in text
    assert "+ table public.legacy_invoices" in text

    (here / "reconcile.toml").write_text('ignore = ["public.legacy_*", "enum:public.old_*"]\n')
    text = invoke("plan", "-d", db_url).output
    assert "legacy" not in text.split("Plan:")[0].split("\n", 2)[2]
    assert "old_state" not in text
    result = invoke("apply", "--auto-approve", "-d", db_url)
    assert result.exit_code == 0, result.output
    assert invoke("plan", "-d", db_url, "--detailed-exitcode").exit_code == Exit.OK
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT to_regclass('public.legacy_orders') IS NOT NULL").fetchone() == (True,)
        assert conn.execute("SELECT to_regclass('public.legacy_invoices') IS NULL").fetchone() == (True,)


# One object of each kind added to the ignore patterns, with a grant where the kind has one.
LEGACY_KINDS = NOTES + """
CREATE SEQUENCE public.legacy_counter;
GRANT USAGE ON SEQUENCE public.legacy_counter TO PUBLIC;
CREATE DOMAIN public.legacy_code AS text CHECK (VALUE <> '');
CREATE TYPE public.legacy_pair AS (a integer, b integer);
GRANT USAGE ON TYPE public.legacy_pair TO PUBLIC;
CREATE TYPE public.legacy_span AS RANGE (subtype = integer);
CREATE COLLATION public.legacy_c (provider = libc, locale = 'C');
CREATE TEXT SEARCH CONFIGURATION public.legacy_search (COPY = pg_catalog.simple);
CREATE FUNCTION public.legacy_join(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT a || b';
CREATE OPERATOR public.||| (LEFTARG = text, RIGHTARG = text, FUNCTION = public.legacy_join);
CREATE AGGREGATE public.legacy_concat(text) (SFUNC = public.legacy_join, STYPE = text);
"""
KIND_PATTERNS = [
    "sequence:public.legacy_*", "domain:public.legacy_*", "type:public.legacy_*", "collation:public.legacy_*",
    "text_search:public.legacy_*", "function:public.legacy_*", "aggregate:public.legacy_*", "operator:public.|||",
]


def test_every_kind_of_ignored_object_is_left_alone(here: Path, db_url: str) -> None:
    run_sql(db_url, LEGACY_KINDS)
    schema_dir(here, NOTES_DESIRED)
    text = invoke("plan", "-d", db_url).output
    for dropped in ("- sequence public.legacy_counter", "- domain public.legacy_code", "public.legacy_pair",
                    "public.legacy_span", "public.legacy_c", "public.legacy_search", "public.legacy_concat",
                    "public.|||"):
        assert dropped in text, (dropped, text)

    patterns = ", ".join(f'"{p}"' for p in KIND_PATTERNS)
    (here / "reconcile.toml").write_text(f"ignore = [{patterns}]\n")
    text = invoke("plan", "-d", db_url).output
    assert "legacy" not in text and "|||" not in text, text
    # inspect leaves out every ignored object, not only tables (as its --help says).
    for output_format in ("yaml", "sql"):
        inspected = invoke("inspect", "-d", db_url, "--schema", "public", "--format", output_format)
        assert inspected.exit_code == 0, inspected.output
        assert "legacy" not in inspected.output and "|||" not in inspected.output, inspected.output
    result = invoke("apply", "--auto-approve", "-d", db_url)
    assert result.exit_code == 0, result.output
    assert invoke("plan", "-d", db_url, "--detailed-exitcode").exit_code == Exit.OK
    with psycopg.connect(db_url) as conn:
        kept = conn.execute(
            "SELECT to_regclass('public.legacy_counter') IS NOT NULL, to_regtype('public.legacy_code') IS NOT NULL,"
            " to_regtype('public.legacy_pair') IS NOT NULL, to_regtype('public.legacy_span') IS NOT NULL,"
            " to_regoperator('public.|||(text,text)') IS NOT NULL,"
            " has_sequence_privilege('public', 'public.legacy_counter', 'USAGE')"
        ).fetchone()
    assert kept == (True, True, True, True, True, True)


def test_managed_schemas_extend_and_restrict(here: Path, db_url: str) -> None:
    run_sql(db_url, NOTES + "CREATE SCHEMA scratch; CREATE TABLE scratch.tmp (id integer);")
    billing = "  billing:\n    tables:\n      invoices:\n        columns:\n          id: integer\n"
    schema_dir(here, NOTES_DESIRED + billing)
    (here / "reconcile.toml").write_text('managed_schemas = ["public", "scratch"]\n')
    result = invoke("plan", "-d", db_url)
    assert result.exit_code == 0, result.output
    # Extend: scratch is managed with nothing declared, so its table is planned for removal.
    assert "- table scratch.tmp" in result.output
    # Restrict: billing is declared but not managed, and the plan says nothing of it.
    assert "billing" not in result.stdout
    assert "Note: schema billing is declared but not in managed_schemas" in result.stderr


def test_every_help_shows_examples() -> None:
    for args in ([], ["validate"], ["inspect"], ["plan"], ["apply"]):
        result = invoke(*args, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output, args
    assert "reconcile apply plans/" in invoke("apply", "--help").output
    assert "-out, --out" in invoke("plan", "--help").output
