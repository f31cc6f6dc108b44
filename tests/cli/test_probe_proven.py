"""Probe-proven type changes from the command line: planned without `convert:` when every value
converts, refused with the count otherwise; the values themselves only with --show-values."""

from __future__ import annotations

from pathlib import Path

import psycopg
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE TABLE public.accounts (id integer PRIMARY KEY, tier text NOT NULL);
INSERT INTO public.accounts SELECT i, (ARRAY['free', 'pro', 'team'])[1 + i % 3] FROM generate_series(1, 300) AS i;
"""
TOO_LONG = "INSERT INTO public.accounts VALUES (301, 'enterprise-annual-with-support');"
DECLARED = """version: 1
schemas:
  public:
    tables:
      accounts:
        columns:
          id: {type: integer, primary_key: true}
          tier: {type: varchar(20), nullable: false}
"""


def _run(tmp_path: Path, db_url: str, *args: str) -> tuple[int, str]:
    directory = tmp_path / "schema"
    directory.mkdir(exist_ok=True)
    (directory / "app.yaml").write_text(DECLARED)
    result = CliRunner().invoke(cli, [*args, "--schema-dir", str(directory), "--database-url", db_url])
    return result.exit_code, result.output


def _tiers(url: str) -> list[tuple[int, str]]:
    with psycopg.connect(url) as conn:
        return [(r[0], r[1]) for r in conn.execute("SELECT id, tier FROM public.accounts ORDER BY id")]


def test_a_narrowing_every_value_fits_is_planned_and_applied_without_convert(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    before = _tiers(db_url)
    code, output = _run(tmp_path, db_url, "plan")
    assert code == 0, output
    assert "all 300 values fit character varying(20)" in output
    code, output = _run(tmp_path, db_url, "apply", "--auto-approve")
    assert code == 0, output
    assert _tiers(db_url) == before
    code, output = _run(tmp_path, db_url, "plan", "--detailed-exitcode")
    assert code == 0, output


def test_values_that_do_not_fit_refuse_with_the_count_and_show_only_when_asked(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE + TOO_LONG)
    code, output = _run(tmp_path, db_url, "plan")
    assert code == Exit.ERROR
    assert "1 of 301 values are longer than 20 characters: apply will fail" in output
    assert "enterprise-annual" not in output
    code, output = _run(tmp_path, db_url, "plan", "--json")
    assert "1 of 301 values are longer than 20 characters" in output
    assert "enterprise-annual" not in output
    assert '"values too long"' in output  # the fact, typed, without the values
    code, output = _run(tmp_path, db_url, "plan", "--show-values")
    assert code == Exit.ERROR
    assert "(e.g. 'enterprise-annual-with-support')" in output
    code, output = _run(tmp_path, db_url, "apply", "--auto-approve")
    assert code == Exit.ERROR
    assert len(_tiers(db_url)) == 301
    with psycopg.connect(db_url) as conn:
        kind = conn.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = 'public.accounts'::regclass AND attname = 'tier'"
        ).fetchone()
    assert kind == ("text",)  # nothing ran


def test_without_probes_a_probe_proven_change_is_refused_with_the_way_out(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    code, output = _run(tmp_path, db_url, "plan", "--probe-timeout", "0")
    assert code == Exit.ERROR
    assert "its values were not measured" in output
    assert "--probe-timeout" in output and "convert: {on_invalid: fail}" in output


def test_a_fleet_without_probes_refuses_it_too(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    directory = tmp_path / "schema"
    directory.mkdir()
    (directory / "app.yaml").write_text(DECLARED)
    fleet = tmp_path / "fleet.toml"
    fleet.write_text(f'[[database]]\nname = "one"\nurl = "{db_url}"\n')

    def plan(*args: str) -> str:
        result = CliRunner().invoke(cli, ["plan", "--fleet", str(fleet), "--schema-dir", str(directory), *args])
        return result.output

    assert "its values were not measured" in plan("--probe-timeout", "0")
    # With probes, the same fleet plans the change (every value fits).
    output = plan()
    assert "its values were not measured" not in output, output
    assert "all 300 values fit character varying(20)" in output, output
