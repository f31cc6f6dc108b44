"""A remembered no-op plan (cli/noop_memo.py): shown again only while the declarations, the
settings and every catalog row are the same; anything else plans in full.

Whether a plan was remembered or made is told by counting the declaration loads: a remembered
plan loads nothing. Cache entries are written in-process, before the next command (``flush``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile import cache
from pgreconcile.cli import cli, noop_memo, pipeline
from pgreconcile.cli.exitcodes import Exit

YAML = """\
version: 1
schemas:
  public:
    tables:
      notes:
        columns:
          id: {type: bigint, primary_key: true}
          body: text
"""


@pytest.fixture
def loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """A cache of the test's own, and the list of declaration loads made through the CLI."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    seen: list[Path] = []
    real = pipeline.load_desired

    def counting(schema_dir: Path, **kwargs: Any) -> Any:
        seen.append(schema_dir)
        return real(schema_dir, **kwargs)

    monkeypatch.setattr(pipeline, "load_desired", counting)
    # The command writes its entries from a forked child it does not wait for: here, in-process,
    # so that the next command (or an assertion) finds them.
    real_flush = cache.flush
    monkeypatch.setattr(cache, "flush", lambda background=True: real_flush(background=False))
    yield seen


def _schema(tmp_path: Path, text: str = YAML) -> Path:
    schema = tmp_path / "schema"
    schema.mkdir(exist_ok=True)
    (schema / "app.yaml").write_text(text)
    return schema


def _plan(schema: Path, url: str, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["plan", "--schema-dir", str(schema), "--database-url", url, *extra],
                                catch_exceptions=False)
    return result.exit_code, result.output


def _remembered(tmp_path: Path) -> list[Any]:
    entries = sorted((tmp_path / "cache").glob("*.pickle"))
    return [value for e in entries if isinstance(value := cache.lookup(e.stem), noop_memo.Remembered)]


def test_a_no_op_plan_is_shown_again_without_loading_anything(tmp_path: Path, db_url: str, loads: list[Path]) -> None:
    run_sql(db_url, "CREATE TABLE public.notes (id bigint PRIMARY KEY, body text)")
    schema = _schema(tmp_path)
    code, first = _plan(schema, db_url)
    assert code == Exit.OK and "No changes" in first, first
    assert len(loads) == 1 and len(_remembered(tmp_path)) == 1
    code, again = _plan(schema, db_url, "--detailed-exitcode")
    assert code == Exit.OK, again
    assert again == first
    assert len(loads) == 1, "the remembered plan was shown: nothing was loaded"


def test_one_changed_catalog_row_plans_in_full(tmp_path: Path, db_url: str, loads: list[Path]) -> None:
    run_sql(db_url, "CREATE TABLE public.notes (id bigint PRIMARY KEY, body text)")
    schema = _schema(tmp_path)
    assert _plan(schema, db_url)[0] == Exit.OK
    run_sql(db_url, "COMMENT ON COLUMN public.notes.body IS 'changed behind our back'")
    code, output = _plan(schema, db_url, "--detailed-exitcode")
    assert code == Exit.CHANGES, output
    assert "column body comment" in output, output
    assert len(loads) == 2


def test_changed_declarations_or_options_plan_in_full(tmp_path: Path, db_url: str, loads: list[Path]) -> None:
    run_sql(db_url, "CREATE TABLE public.notes (id bigint PRIMARY KEY, body text)")
    schema = _schema(tmp_path)
    assert _plan(schema, db_url)[0] == Exit.OK
    assert _plan(schema, db_url, "--concurrently")[0] == Exit.OK  # another option: another key
    assert len(loads) == 2
    _schema(tmp_path, YAML.replace("body: text", "body: {type: text, comment: Words.}"))
    code, output = _plan(schema, db_url, "--detailed-exitcode")
    assert code == Exit.CHANGES and "comment" in output, output
    assert len(loads) == 3


def test_kept_plans_and_plans_with_changes_are_always_made(tmp_path: Path, db_url: str, loads: list[Path]) -> None:
    run_sql(db_url, "CREATE TABLE public.notes (id bigint PRIMARY KEY)")
    schema = _schema(tmp_path)
    code, output = _plan(schema, db_url, "--detailed-exitcode")
    assert code == Exit.CHANGES, output
    assert _remembered(tmp_path) == [], "a plan with changes is never remembered"
    run_sql(db_url, "ALTER TABLE public.notes ADD COLUMN body text")
    assert _plan(schema, db_url)[0] == Exit.OK
    assert len(_remembered(tmp_path)) == 1
    saved = tmp_path / "noop.plan.json"
    code, output = _plan(schema, db_url, "-out", str(saved))
    assert code == Exit.OK and saved.exists(), output
    code, output = _plan(schema, db_url, "--json")
    assert code == Exit.OK, output
    assert len(loads) == 4, "a saved or JSON plan carries the declarations' digest: made in full"


def test_another_database_with_the_same_catalog_is_planned_on_its_own(
    tmp_path: Path, db_url: str, other_db_url: str, loads: list[Path]
) -> None:
    for url in (db_url, other_db_url):
        run_sql(url, "CREATE TABLE public.notes (id bigint PRIMARY KEY, body text)")
    schema = _schema(tmp_path)
    assert _plan(schema, db_url)[0] == Exit.OK
    code, output = _plan(schema, other_db_url)
    assert code == Exit.OK and other_db_url.rsplit("/", 1)[1] in output, output
    assert len(loads) == 2


def test_the_memo_can_be_switched_off_alone(
    tmp_path: Path, db_url: str, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_sql(db_url, "CREATE TABLE public.notes (id bigint PRIMARY KEY, body text)")
    schema = _schema(tmp_path)
    monkeypatch.setenv(noop_memo.MEMO_ENV, "off")
    for _ in range(2):
        assert _plan(schema, db_url)[0] == Exit.OK
    assert len(loads) == 2 and _remembered(tmp_path) == []


def test_declarations_edited_while_planning_are_not_remembered(
    tmp_path: Path, db_url: str, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key hashes the files before the load; a file changed before the load ends would pair
    that key with a plan of other bytes, so such a plan is not remembered."""
    run_sql(db_url, "CREATE TABLE public.notes (id bigint PRIMARY KEY, body text)")
    schema = _schema(tmp_path)
    counting = pipeline.load_desired

    def edited_meanwhile(schema_dir: Path, **kwargs: Any) -> Any:
        (schema_dir / "app.yaml").write_text(YAML + "# edited while the catalog was read\n")
        return counting(schema_dir, **kwargs)

    monkeypatch.setattr(pipeline, "load_desired", edited_meanwhile)
    code, output = _plan(schema, db_url)
    assert code == Exit.OK and "No changes" in output, output
    assert _remembered(tmp_path) == []
