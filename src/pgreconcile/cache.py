"""A content-addressed cache of loaded declarations: a repeated plan skips parsing YAML.

Reading, validating and building 2,000 tables of YAML takes about a second; unpickling the
model built from them takes a fifth of that. An entry is keyed by a SHA-256 of everything the
result depends on:

- each declaration file's path as given (messages name it) and the SHA-256 of its bytes, and
  the list of files itself (a new or deleted file is a new key);
- how it was loaded (``check_sql``, conventions checked or not);
- the Python version and pgreconcile's own code (version, and the size and modification time
  of every module of the package), so an upgrade or an edit of pgreconcile never reads an entry
  written by other code.

So a changed file is never trusted: its hash is a different key. The files are hashed again
after a load and the entry is written only if nothing changed meanwhile, so an entry always
holds what its key's bytes declare. Only directories of YAML files are cached: a Python file
may import other code, and SQL files run on a server, neither of which the key could see.
Errors are never cached (a load that fails raises before anything is stored).

It is a module of its own, outside :mod:`pgreconcile.declare`, so that a hit imports neither
the declaration language (pydantic) nor the YAML reader.

Where: ``$RECONCILE_CACHE_DIR``, else ``$XDG_CACHE_HOME/pgreconcile``, else
``~/.cache/pgreconcile``; ``RECONCILE_CACHE_DIR=off`` switches the cache off. The directory is
private to the user (0700) and is ignored when someone else owns it or others may write it
(an entry is a pickle). Deleting it, or any entry, is always safe. At most
:data:`MAX_ENTRIES` entries are kept, the least recently used going first.

Writing an entry costs about as much as reading the YAML did, so on Linux it is done by a
forked child after the command's output is complete (:func:`flush`): the command does not wait
for it. Elsewhere the entry is written in-process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import pickle
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pgreconcile import __version__
from pgreconcile.gc_pause import paused_gc

CACHE_ENV = "RECONCILE_CACHE_DIR"
OFF = frozenset({"off", "0", "no", "false"})
MAX_ENTRIES = 16
#: Bumped when the layout of an entry changes.
FORMAT = 1
_SUFFIX = ".pickle"

_pending: list[tuple[Path, str, Any]] = []
_code_fingerprint: str | None = None


def cache_dir() -> Path | None:
    """The cache directory in use, or None when the cache is off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        if configured.strip().lower() in OFF or not configured.strip():
            return None
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pgreconcile"


def _private(directory: Path) -> bool:
    """True when ``directory`` exists (created 0700 if missing), is ours and only we may write it."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = directory.stat()
    except OSError:
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _code() -> str:
    """A fingerprint of the running pgreconcile: version, Python, and every module's size and
    modification time (a developer's edit counts as new code)."""
    global _code_fingerprint
    if _code_fingerprint is None:
        package = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0{package}".encode())
        for root, dirs, files in os.walk(package):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".py"):
                    info = os.stat(os.path.join(root, name))
                    digest.update(f"{root}/{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        _code_fingerprint = digest.hexdigest()
    return _code_fingerprint


#: Suffixes of declaration files (:data:`pgreconcile.declare.files.SUFFIXES`; a test keeps
#: them equal), and the ones of them whose directories are cached.
DECLARATION_SUFFIXES = frozenset({".yaml", ".yml", ".py", ".sql"})
CACHED_SUFFIXES = frozenset({".yaml", ".yml"})


def cacheable_files(directory: Path) -> list[Path] | None:
    """Every declaration file under ``directory`` when all of them are YAML (sorted), else None."""
    found = []
    for path in directory.rglob("*"):
        if path.suffix in DECLARATION_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            if path.suffix not in CACHED_SUFFIXES:
                return None
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(directory).parts)


def cache_key(files: Sequence[Path], **how: object) -> str | None:
    """The key of loading ``files`` (every declaration file of the directory) ``how``; None when
    a file cannot be read (the load itself will say why)."""
    digest = hashlib.sha256(_code().encode())
    digest.update(repr(sorted(how.items())).encode())
    for path in files:
        try:
            content = path.read_bytes()
        except OSError:
            return None
        digest.update(f"\0{path}\0{len(content)}\0".encode())
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


# -- pickling the model -----------------------------------------------------------------------
# The dataclasses' own pickle support looks their fields up for every object, which made
# writing 120,000 model objects take 0.7 s and reading them 0.2 s. Here an object is pickled as
# its class and its field values, and rebuilt by a function made once per class that sets each
# field directly (frozen dataclasses refuse ordinary assignment): reading takes 0.12 s.

_FIELDS: dict[type, tuple[str, ...]] = {}
_BUILDERS: dict[type, Callable[..., Any]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _builder(cls: type) -> Callable[..., Any]:
    """A function taking ``cls``'s field values in order and returning the instance."""
    names = _field_names(cls)
    arguments = [f"v{number}" for number in range(len(names))]
    lines = [f"def build({', '.join(arguments)}):", "    obj = new(cls)"]
    lines += [f"    set_field(obj, {name!r}, {argument})" for name, argument in zip(names, arguments, strict=True)]
    lines.append("    return obj")
    namespace: dict[str, Any] = {"new": object.__new__, "set_field": object.__setattr__, "cls": cls}
    exec("\n".join(lines), namespace)  # field names are identifiers: nothing here comes from the data
    build: Callable[..., Any] = namespace["build"]
    return build


def _rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    """An instance of dataclass ``cls`` with ``values`` for its fields, in order, as it was."""
    build = _BUILDERS.get(cls)
    if build is None:
        build = _BUILDERS[cls] = _builder(cls)
    return build(*values)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if dataclasses.is_dataclass(cls):
            return _rebuild, (cls, tuple([getattr(obj, name) for name in _field_names(cls)]))
        return NotImplemented


def _dumps(value: Any) -> bytes:
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


# -- reading and writing entries --------------------------------------------------------------


def lookup(key: str | None) -> Any:
    """The value stored under ``key``, or None (no key, cache off, no entry, unreadable entry)."""
    directory = cache_dir()
    if key is None or directory is None or not _private(directory):
        return None
    entry = directory / f"{key}{_SUFFIX}"
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        with paused_gc():
            value = pickle.loads(data)
    except Exception:
        # A damaged or foreign entry is a miss; a fresh one replaces it.
        entry.unlink(missing_ok=True)
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # recently used: pruned last
    return value


def known(key: str | None) -> bool:
    """Whether an entry is stored under ``key``, or is to be (by :func:`store_later`)."""
    directory = cache_dir()
    if key is None or directory is None:
        return False
    return any(pending == key for _, pending, _ in _pending) or (directory / f"{key}{_SUFFIX}").is_file()


def store_later(key: str | None, value: Any) -> None:
    """Remember ``value`` under ``key``; written by :func:`flush` (when the command is done)."""
    directory = cache_dir()
    if key is not None and directory is not None:
        _pending.append((directory, key, value))


def flush(*, background: bool = True) -> None:
    """Write the entries remembered by :func:`store_later`: in a forked child that the caller
    does not wait for (Linux, ``background``), else here and now. Never raises."""
    if not _pending:
        return
    pending = list(_pending)
    _pending.clear()
    if background and sys.platform == "linux" and hasattr(os, "fork"):
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid > 0:
            # The child forks the writer and exits at once: reaped here, so no zombie is left,
            # and the writer, an orphan, is reaped by init.
            os.waitpid(pid, 0)
            return
        if pid == 0:
            # Leave without running anything of the parent's (no atexit handlers, no flushing
            # of its buffers, no pytest teardown).
            try:
                if os.fork() == 0:
                    _write_all(pending)
            finally:
                os._exit(0)
    _write_all(pending)


def _write_all(pending: list[tuple[Path, str, Any]]) -> None:
    for directory, key, value in pending:
        # A cache that cannot be written only means that the next run parses again.
        with contextlib.suppress(Exception):
            _write(directory, key, value)


def _write(directory: Path, key: str, value: Any) -> None:
    if not _private(directory):
        return
    import tempfile  # only where an entry is written: a run with the cache off never needs it

    data = _dumps(value)
    # Written whole under a temporary name, then renamed: a reader sees all of it or nothing.
    handle, temporary = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, directory / f"{key}{_SUFFIX}")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _prune(directory)


def _prune(directory: Path) -> None:
    """Keep the :data:`MAX_ENTRIES` most recently used entries."""
    entries = []
    for path in directory.glob(f"*{_SUFFIX}"):
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, path in entries[MAX_ENTRIES:]:
        path.unlink(missing_ok=True)
