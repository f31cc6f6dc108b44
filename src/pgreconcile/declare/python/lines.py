"""Where things are written in a Python declaration file, read from its syntax tree.

A class object knows neither its line nor the lines of its fields (an annotation without a value
leaves nothing behind at run time), so the file is parsed once with :mod:`ast` and every class
(by qualified name), field, class-body assignment, keyword argument of a ``column(...)`` call and
key of a literal dict is given its line. Errors then point at ``schema/app.py:12``.
"""

from __future__ import annotations

import ast
import types
from dataclasses import dataclass, field


@dataclass
class Lines:
    """Lines inside one class body (or the module body): ``names`` for every annotated or
    assigned name, ``keywords`` for the keyword arguments of the call assigned to a name, and
    ``keys`` for the string keys (or list items) of a literal dict or list assigned to a name."""

    line: int | None = None
    names: dict[str, int] = field(default_factory=dict)
    keywords: dict[str, dict[str, int]] = field(default_factory=dict)
    keys: dict[str, dict[str | int, int]] = field(default_factory=dict)
    class_keywords: dict[str, int] = field(default_factory=dict)


@dataclass
class FileLines:
    """Every class of one file by qualified name, and the module body itself."""

    module: Lines = field(default_factory=Lines)
    classes: dict[str, Lines] = field(default_factory=dict)

    def of(self, qualname: str) -> Lines:
        """The lines of class ``qualname`` (empty when it was not written as a class statement)."""
        return self.classes.get(qualname) or Lines()


def index_file(text: str) -> FileLines:
    """Index ``text`` (a file that has already compiled, so it parses)."""
    lines = FileLines()
    tree = ast.parse(text)
    _body(tree.body, lines.module, "", lines)
    return lines


def _body(statements: list[ast.stmt], into: Lines, prefix: str, lines: FileLines) -> None:
    for node in statements:
        if isinstance(node, ast.ClassDef):
            qualname = prefix + node.name
            own = Lines(node.lineno, class_keywords={k.arg: k.lineno for k in node.keywords if k.arg})
            lines.classes[qualname] = own
            _body(node.body, own, qualname + ".", lines)
            into.names.setdefault(node.name, node.lineno)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            _name(into, node.target.id, node.lineno, node.value)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    _name(into, target.id, node.lineno, node.value)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                into.names.setdefault(alias.asname or alias.name.split(".")[0], node.lineno)
        elif isinstance(node, ast.If | ast.Try | ast.With):
            # Declarations under `if TYPE_CHECKING:` or `try:` still belong to this body.
            for block in ("body", "orelse", "finalbody"):
                _body(getattr(node, block, []), into, prefix, lines)
            for handler in getattr(node, "handlers", []):
                _body(handler.body, into, prefix, lines)


def _name(into: Lines, name: str, line: int, value: ast.expr | None) -> None:
    into.names[name] = line
    if isinstance(value, ast.Call):
        into.keywords[name] = {k.arg: k.lineno for k in value.keywords if k.arg}
    elif isinstance(value, ast.Dict):
        into.keys[name] = {
            k.value: k.lineno for k in value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)
        }
    elif isinstance(value, ast.List | ast.Tuple):
        into.keys[name] = {i: item.lineno for i, item in enumerate(value.elts)}


@dataclass(frozen=True, slots=True)
class LoadedModule:
    """One imported declaration file: its path as given (used in messages), the module and
    its line index."""

    file: str
    module: types.ModuleType
    lines: FileLines
