"""Importing Python declaration files, and turning what they declare into language data.

Each file is imported like a module, under a fresh package name made for this one load, so that
two loads never share module state, a file may import its neighbours (``from .enums import
UserRole``), and nothing is left behind in ``sys.modules`` afterwards. No ``__pycache__`` is
written into the schema directory. An exception while importing — a syntax error, a failing
statement, a missing package — becomes a :class:`~pgreconcile.errors.DeclarationError` at the
file and line in the schema directory where it happened, never a traceback.

What the modules declare is handed to :mod:`pgreconcile.declare.python.tables`, which writes it
as the same plain data a YAML file holds (with the line of every key), so that validation, error
messages and every later stage are shared with YAML.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
import traceback
import types
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pgreconcile.declare.python.lines import FileLines, LoadedModule, index_file
from pgreconcile.declare.python.tables import module_documents
from pgreconcile.declare.spec.problems import Problems

_HINT = "declaration files are imported as Python modules; fix the error at this line"


class _FileProblems(Problems):
    """Problems that remember which files they were found in."""

    def __init__(self, into: Problems) -> None:
        super().__init__()
        self.errors = into.errors  # shared: every problem lands in the caller's collection
        self.files: set[str] = set()

    def add(self, message: str, file: str, line: int | None = None, hint: str | None = None) -> None:
        self.files.add(file)
        super().add(message, file, line, hint)


def load_python(paths: Sequence[Path], problems: Problems) -> dict[Path, Any]:
    """The declaration data of every file in ``paths`` that imported and was read without a
    problem, by path.

    Problems (import errors, unsupported annotations, enums with non-text values, ...) are
    recorded in ``problems`` at the file and line they concern. A file with such a problem is
    left out rather than validated: its data would be incomplete (a column without a type), and
    the errors that follow from that would only bury the real one."""
    if not paths:
        return {}
    root = Path(os.path.commonpath([str(p.resolve().parent) for p in paths]))
    package = f"_pgreconcile_declarations_{uuid.uuid4().hex}"
    loaded: dict[Path, LoadedModule] = {}
    found = _FileProblems(problems)
    with _isolated(package):
        importer = _Importer(package, root, paths, found)
        for path in paths:
            module = importer.load(path)
            if module is not None:
                loaded[path] = LoadedModule(str(path), module, importer.lines(path))
        # Annotations are evaluated against module globals, so read while the modules are loaded.
        documents = module_documents(list(loaded.values()), found)
    return {
        path: data
        for (path, module), data in zip(loaded.items(), documents, strict=True)
        if module.file not in found.files
    }


@contextmanager
def _isolated(package: str) -> Iterator[None]:
    """Modules of this load live under ``package`` and are removed at the end; no bytecode is
    written next to the user's files."""
    was = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    importlib.invalidate_caches()  # files written a moment ago must be seen
    try:
        yield
    finally:
        sys.dont_write_bytecode = was
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


def _identifier(part: str) -> str:
    text = re.sub(r"\W", "_", part)
    return text if text[:1].isalpha() or text[:1] == "_" else "_" + text


class _Importer:
    """Imports files below ``root`` as modules of ``package``, recording problems."""

    def __init__(self, package: str, root: Path, paths: Sequence[Path], problems: Problems) -> None:
        self.package = package
        self.root = root
        self.problems = problems
        # Messages name files as the caller spelled them (``schema/app.py``, as for YAML).
        self.given = {p.resolve(): str(p) for p in paths}
        self.relative = not paths[0].is_absolute()
        self.reported: set[tuple[str, int | None, str]] = set()
        self.indexes: dict[Path, FileLines] = {}

    def dotted_name(self, parts: Sequence[str]) -> str:
        """The module name of a path below root. A part that is not an identifier
        (``001-users``, ``.hidden``, ``v1.2``) is made one: the file still loads; only a relative
        import of it is impossible, as it would be anyway."""
        return ".".join([self.package, *(_identifier(p) for p in parts)])

    def module_name(self, path: Path) -> str:
        parts = path.resolve().relative_to(self.root).with_suffix("").parts
        return self.dotted_name(parts[:-1] if parts[-1] == "__init__" else parts)

    def ensure_package(self, directory: Path) -> bool:
        """Make ``directory`` (at or below root) importable as a package; runs its __init__.py."""
        relative = directory.relative_to(self.root).parts
        name = self.dotted_name(relative)
        if name in sys.modules:
            return True
        if relative and not self.ensure_package(directory.parent):
            return False
        init = directory / "__init__.py"
        if init.is_file():
            spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(directory)])
        else:
            spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
            spec.submodule_search_locations = [str(directory)]
        assert spec is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        if spec.loader is not None:
            try:
                spec.loader.exec_module(module)
            except (Exception, SystemExit) as err:  # the user's code: any error is theirs to fix
                del sys.modules[name]
                self.report(err, init)
                return False
        return True

    def load(self, path: Path) -> types.ModuleType | None:
        """Import one declaration file (or return it if a neighbour already imported it)."""
        resolved = path.resolve()
        name = self.module_name(path)
        if not self.ensure_package(resolved.parent):
            return None
        if name in sys.modules:
            return sys.modules[name]
        spec = importlib.util.spec_from_file_location(name, resolved)
        if spec is None or spec.loader is None:  # pragma: no cover - a .py path always has a loader
            self.problems.add("cannot be imported as a Python module", str(path))
            return None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except (Exception, SystemExit) as err:  # the user's code: any error is theirs to fix
            sys.modules.pop(name, None)
            self.report(err, path)
            return None
        return module

    def lines(self, path: Path) -> FileLines:
        """The syntax-tree line index of a file that imported."""
        if path not in self.indexes:
            self.indexes[path] = index_file(path.read_text(encoding="utf-8"))
        return self.indexes[path]

    def report(self, err: BaseException, path: Path) -> None:
        """One problem at the deepest line of the schema directory that the error passed through."""
        file, line = str(path), None
        if isinstance(err, SyntaxError) and err.filename:
            file, line = self.shown(Path(err.filename)) or file, err.lineno
            message = f"invalid Python: {err.msg}"
        else:
            for frame, frame_line in traceback.walk_tb(err.__traceback__):
                inside = self.shown(Path(frame.f_code.co_filename))
                if inside is not None:
                    file, line = inside, frame_line
            message = f"importing the declarations failed: {type(err).__name__}: {err}"
        hint = _HINT
        if isinstance(err, ModuleNotFoundError):
            hint = "install the package in the environment that runs reconcile, or fix the import"
            if err.name and err.name.startswith(self.package):
                hint = "a relative import names a file that does not exist next to this one"
                message = f"importing the declarations failed: no module {err.name.removeprefix(self.package)!r}"
        key = (file, line, message)
        if key not in self.reported:
            self.reported.add(key)
            self.problems.add(message, file, line, hint)

    def shown(self, file: Path) -> str | None:
        """``file`` as the user would name it, when it lies in the schema directory (else None)."""
        try:
            resolved = file.resolve()
            resolved.relative_to(self.root)
        except (ValueError, OSError):
            return None
        if resolved in self.given:
            return self.given[resolved]
        return os.path.relpath(resolved) if self.relative else str(resolved)
