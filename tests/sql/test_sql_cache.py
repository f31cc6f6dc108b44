"""SQL files loaded before are read from the declaration cache without running them again, and
only when everything their result depends on is unchanged: the files, the scratch server, the
target's platform objects (declare/sql/source.py, _cache_key)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from conftest import run_sql
from pgreconcile import cache
from pgreconcile.declare.sql import source as sql_source
from pgreconcile.declare.sql.scratch import SCRATCH_URL_ENV, ScratchMode
from pgreconcile.errors import ReconcileError

FILES = "CREATE TABLE public.notes (id bigint PRIMARY KEY, body text NOT NULL);\n"


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A declaration cache of this test's own."""
    directory = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(directory))
    return directory


@pytest.fixture
def scratch_role(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A role allowed to create databases, used as the scratch server's ($RECONCILE_SCRATCH_URL)."""
    role = f"scratch_{uuid.uuid4().hex[:8]}"
    run_sql(db_url, f'CREATE ROLE "{role}" LOGIN CREATEDB')
    admin = psycopg.conninfo.make_conninfo(db_url, user=role, dbname="postgres")
    monkeypatch.setenv(SCRATCH_URL_ENV, admin)
    try:
        yield role
    finally:
        run_sql(db_url, f'DROP ROLE "{role}"')


def _files(tmp_path: Path, text: str) -> list[Path]:
    path = tmp_path / "schema" / "app.sql"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return [path]


def test_unchanged_files_are_not_run_again(tmp_path: Path, db_url: str, own_cache: Path, scratch_role: str) -> None:
    paths = _files(tmp_path, FILES)
    first = sql_source.load_sql(paths, mode=ScratchMode.LOCAL, target_url=db_url)
    cache.flush(background=False)
    assert ("public", "notes") in first.schema.tables
    # Without CREATEDB no scratch database can be made: a second load that ran the files fails.
    run_sql(db_url, f'ALTER ROLE "{scratch_role}" NOCREATEDB')
    again = sql_source.load_sql(paths, mode=ScratchMode.LOCAL, target_url=db_url)
    assert again == first
    # A changed file is a new key: it runs, and here that is refused.
    paths[0].write_text(FILES + "CREATE INDEX notes_body_idx ON public.notes (body);\n")
    with pytest.raises(ReconcileError, match="no CREATEDB privilege"):
        sql_source.load_sql(paths, mode=ScratchMode.LOCAL, target_url=db_url)


def test_the_key_follows_the_target_platform_and_the_scratch_server(
    tmp_path: Path, db_url: str, own_cache: Path, scratch_role: str
) -> None:
    paths = _files(tmp_path, FILES)
    key = sql_source._cache_key(paths, ScratchMode.LOCAL, db_url, True)
    assert key is not None
    assert sql_source._cache_key(paths, ScratchMode.LOCAL, db_url, True) == key
    # Beside YAML, the files may manage fewer schemas (sql/source.py _managed): a new key.
    assert sql_source._cache_key(paths, ScratchMode.LOCAL, db_url, False) not in (None, key)
    # The target gains a platform object the files could use (copied as a stub): a new key.
    run_sql(db_url, "CREATE SCHEMA auth; CREATE TABLE auth.users (id uuid PRIMARY KEY)")
    with_platform = sql_source._cache_key(paths, ScratchMode.LOCAL, db_url, True)
    assert with_platform not in (None, key)
    # A role the files could grant to appears on the scratch server: a new key.
    other = f"reader_{uuid.uuid4().hex[:8]}"
    run_sql(db_url, f'CREATE ROLE "{other}"')
    try:
        assert sql_source._cache_key(paths, ScratchMode.LOCAL, db_url, True) not in (None, with_platform)
    finally:
        run_sql(db_url, f'DROP ROLE "{other}"')


def test_not_cached_when_the_scratch_server_is_not_known_yet(
    tmp_path: Path, db_url: str, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SCRATCH_URL_ENV, raising=False)
    paths = _files(tmp_path, FILES)
    # --scratch local would start a server of its own: which one is not known before it runs.
    assert sql_source._cache_key(paths, ScratchMode.LOCAL, db_url, True) is None
    # --scratch target runs them on the target's server, which is known.
    assert sql_source._cache_key(paths, ScratchMode.TARGET, db_url, True) is not None


def test_not_cached_with_the_cache_off(
    tmp_path: Path, db_url: str, scratch_role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert sql_source._cache_key(_files(tmp_path, FILES), ScratchMode.LOCAL, db_url, True) is None
