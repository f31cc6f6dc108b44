"""Loading the declarations for a command: the directory, warnings, conventions, and how the plan
names its source. Kept apart from :mod:`.pipeline` so that ``reconcile validate`` imports no
database machinery."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

import click

from pgreconcile import cache
from pgreconcile.errors import DeclarationError
from pgreconcile.model import Schema

if TYPE_CHECKING:
    from pgreconcile.declare.documents import Document
    from pgreconcile.declare.sql.scratch import ScratchMode

TARGET_SCRATCH_FLAG = "*.sql declarations ran on the target server, running declaration SQL with the role's privileges"


def declarations_key(schema_dir: Path, *, check_sql: bool, conventions: bool, sqlalchemy: str | None) -> str | None:
    """The cache key of loading ``schema_dir`` so (pgreconcile/cache.py), or None: the cache is
    off, or the directory holds other files than YAML, or declarations come from SQLAlchemy.
    The key is the same whether the entry exists or not."""
    if sqlalchemy or cache.cache_dir() is None or not schema_dir.is_dir():
        return None
    yaml_only = cache.cacheable_files(schema_dir)
    return cache.cache_key(yaml_only, check_sql=check_sql, conventions=conventions) if yaml_only else None


def load_desired(
    schema_dir: Path,
    *,
    check_sql: bool = True,
    conventions: bool = False,
    url: str | None = None,
    scratch: ScratchMode | str = "local",
    sqlalchemy: str | None = None,
    meanwhile: Callable[[], None] | None = None,
    known_key: str | None = None,
) -> tuple[Schema, str]:
    """The declarations under ``schema_dir`` and how the plan names them (``schema/ (2 files)``).
    With ``conventions``, declarations that break their own conventions are refused. ``url`` and
    ``scratch`` say where ``*.sql`` files run (docs/sql-desired-state.md). ``meanwhile``: the
    caller's own work, done once, while SQL files run on the server or else first.
    ``known_key``: what :func:`declarations_key` gave the caller for the same options a moment
    ago; its entry, if there is one, is taken without hashing every file again (it holds what
    those bytes declare), and on a miss the key is worked out afresh as always."""
    if not schema_dir.is_dir() and not sqlalchemy:
        raise DeclarationError(
            f"schema directory {schema_dir} does not exist",
            hint="pass --schema-dir, set schema_dir in the config file, or create it with "
            "`reconcile inspect > schema/app.yaml`",
        )
    # A directory of YAML files only, loaded before with the same bytes, is read from the cache
    # (pgreconcile/cache.py): same model, without parsing. Everything else loads as usual.
    # With the cache off, no key: hashing every file and pgreconcile's modules would be for nothing.
    hit = cache.lookup(known_key) if known_key is not None else None
    yaml_only: list[Path] | None = None
    key: str | None = None
    if not _is_entry(hit):
        yaml_only = None if sqlalchemy or cache.cache_dir() is None else cache.cacheable_files(schema_dir)
        key = cache.cache_key(yaml_only, check_sql=check_sql, conventions=conventions) if yaml_only else None
        hit = cache.lookup(key)
    if _is_entry(hit):
        schema, files = hit
        if meanwhile is not None:
            meanwhile()
        return schema, _source(schema_dir, files, scratch, sqlalchemy)
    # Imported here: a cache hit needs neither the declaration language nor the YAML reader.
    from pgreconcile.declare.directory import load_directory

    loaded = load_directory(schema_dir, check_sql=check_sql, target_url=url, scratch=scratch, sqlalchemy=sqlalchemy,
                            meanwhile=meanwhile)
    for note in loaded.notes:
        click.echo(f"Warning: {note}", err=True)
    if conventions:
        from pgreconcile.conventions import require_conventions

        # No plan from declarations that break their own rules.
        require_conventions(list(loaded.documents), loaded.schema)
    if sqlalchemy:
        _warn_traps(sqlalchemy, loaded.schema, loaded.documents)
    if key is not None and not loaded.notes and yaml_only == list(loaded.files):
        # Only what the key's bytes declare: the files are hashed again after the load.
        again = cache.cacheable_files(schema_dir)
        if again is not None and cache.cache_key(again, check_sql=check_sql, conventions=conventions) == key:
            cache.store_later(key, (loaded.schema, loaded.files))
    return loaded.schema, _source(schema_dir, loaded.files, scratch, sqlalchemy)


def _is_entry(hit: object) -> TypeGuard[tuple[Schema, tuple[Path, ...]]]:
    """Whether a cache entry is what :func:`load_desired` stores: the model and its files."""
    return isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], Schema)


def _source(schema_dir: Path, files: tuple[Path, ...], scratch: ScratchMode | str, sqlalchemy: str | None) -> str:
    """How the plan names the declarations: ``schema/ (2 files)``, and any opt-in it ran with."""
    noun = "file" if len(files) == 1 else "files"
    models = f" + {sqlalchemy}" if sqlalchemy else ""
    source = f"{schema_dir}/ ({len(files)} {noun}){models}"
    if scratch == "target" and any(path.suffix == ".sql" for path in files):
        # The opt-in is visible wherever the plan is: text header, JSON source, PR comment.
        source += f"; {TARGET_SCRATCH_FLAG}"
        click.echo(f"Warning: --scratch target: {TARGET_SCRATCH_FLAG}.", err=True)
    return source


def _warn_traps(target: str, desired: Schema, documents: Sequence[Document]) -> None:
    """The SQLAlchemy traps that are not conventions (docs/sqlalchemy.md), as warnings: a plan
    is still made, but the models say something the database will not do."""
    from pgreconcile.conventions.sqlalchemy_traps import find_traps
    from pgreconcile.declare.build.conventions import read_conventions
    from pgreconcile.declare.spec.convention_specs import EnumLabelConvention
    from pgreconcile.declare.spec.problems import Problems
    from pgreconcile.declare.sqlalchemy import import_metadata

    enum_values = read_conventions(documents, Problems()).settings.enum_labels is EnumLabelConvention.VALUES
    for trap in find_traps(import_metadata(target), desired, timestamps=False, uuid_keys=False,
                           enum_values=enum_values):
        where = f"{trap.where}  " if trap.where is not None else ""
        click.echo(f"Warning: {where}{trap.object}  {trap.message}  [{trap.rule}]\n  fix: {trap.fix}", err=True)
