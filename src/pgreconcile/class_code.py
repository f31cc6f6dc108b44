"""The compiled code of the methods ``dataclasses`` writes, kept from one run of the command to the next.

For every dataclass, Python's ``dataclasses`` writes ``__init__``, ``__repr__``, ``__eq__`` and
``__hash__`` (and, when frozen, ``__setattr__`` and ``__delattr__``) as source text and compiles
it when the class is defined. A plan imports about 230 dataclasses: 1,100 small compilations,
0.13 s, close to half of its imports and over a tenth of a no-op plan at 2,000 tables. Python
keeps the compiled code of modules (``__pycache__``) but not this.

So the ``reconcile`` command (``cli.main``) gives ``dataclasses`` an ``exec`` of its own, which
compiles a text only the first time it sees it and otherwise runs the code compiled then. The
code is stored in the declaration cache (:mod:`pgreconcile.cache`: a private directory, whole
files renamed into place, written after the command's output) under a key naming the Python
that compiled it, and looked up by a hash of the exact text. The same text compiles to the same
code on the same Python, so a hit runs what compiling would have given; a new or edited class
is a text not seen before, compiled as usual and stored for the next run. Nothing else changes:
``dataclasses`` still writes the text, and runs the code with its own globals and locals.

``RECONCILE_CACHE_DIR=off`` turns this off with the cache. Library callers (tests, the pytest
plugin) never get it: only :func:`pgreconcile.cli.main.main` installs it.
"""

from __future__ import annotations

import builtins
import dataclasses
import hashlib
import marshal
import sys
from importlib.util import MAGIC_NUMBER
from types import CodeType
from typing import Any

from pgreconcile import cache

#: Beyond this many codes, a write keeps only those this run used (old versions' classes go).
MAX_CODES = 5_000

_codes: dict[bytes, CodeType] = {}
_used: set[bytes] = set()
_compiled = 0
_installed = False


def entry_key() -> str:
    """The cache key of the stored codes: bytecode is only valid for the Python that wrote it."""
    return hashlib.sha256(b"dataclass methods\0" + MAGIC_NUMBER + sys.version.encode()).hexdigest()


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _exec(source: Any, globals: dict[str, Any] | None = None, locals: dict[str, Any] | None = None) -> None:
    """``exec`` as ``dataclasses`` calls it, a text compiled once per Python."""
    global _compiled
    if type(source) is not str:
        builtins.exec(source, globals, locals)
        return
    key = _digest(source)
    code = _codes.get(key)
    if code is None:
        # dont_inherit: compiled as dataclasses' own exec would (no `from __future__` of this
        # module, whose `annotations` would turn the generated annotations into strings).
        code = _codes[key] = compile(source, "<string>", "exec", dont_inherit=True)
        _compiled += 1
    _used.add(key)
    builtins.exec(code, globals, locals)


def _load() -> dict[bytes, CodeType]:
    """The stored codes, or none (no entry, or one that is not what this module writes)."""
    stored = cache.lookup(entry_key())
    if not isinstance(stored, bytes):
        return {}
    try:
        table = marshal.loads(stored)
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict) or not all(
        type(k) is bytes and type(v) is CodeType for k, v in table.items()
    ):
        return {}
    return table


def install() -> bool:
    """Give ``dataclasses`` the caching ``exec`` (and load the stored codes). False when the
    cache is off, or ``dataclasses`` has an ``exec`` of its own already."""
    global _installed, _codes
    if _installed:
        return True
    if cache.cache_dir() is None or "exec" in vars(dataclasses):
        return False
    _codes = _load()
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # found before the builtin
    _installed = True
    return True


def uninstall() -> None:
    """Give ``dataclasses`` back the builtin ``exec`` and forget the codes (tests)."""
    global _installed, _compiled
    if _installed:
        del dataclasses.exec  # type: ignore[attr-defined]
        _installed = False
    _codes.clear()
    _used.clear()
    _compiled = 0


def store_later() -> None:
    """Have the codes written with the cache's other entries, if this run compiled new ones."""
    if not _installed or not _compiled:
        return
    table = _codes if len(_codes) <= MAX_CODES else {key: _codes[key] for key in _used}
    cache.store_later(entry_key(), marshal.dumps(table))


def statistics() -> tuple[int, int]:
    """How many distinct texts ``dataclasses`` ran through here, and how many of them had to be
    compiled (none had been stored), in this process so far: for tests."""
    return len(_used), _compiled
