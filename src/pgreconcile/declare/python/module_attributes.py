"""The module-level ``__dunder__`` attributes of a Python declaration file, and misspelt ones.

:func:`module_keys` writes what a module declares outside its table classes
(``__conventions__``, ``__extensions__``, ``__schemas__``, publications, subscriptions, roles,
foreign data wrappers and servers) as the keys a YAML file would hold; :func:`report_typos` reports a
``__dunder__`` name, in a module or a table class, that is close to a known attribute — a
misspelling would otherwise be an ordinary Python name that declares nothing. Table classes are
read by :mod:`.tables`, which calls both.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from pgreconcile.declare.python.data import child, data, put, with_lines
from pgreconcile.declare.python.lines import Lines, LoadedModule
from pgreconcile.declare.python.routines import MODULE_LISTS, TOP_LEVEL_LISTS  # [routines]
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.yaml.source import YamlMap

#: Module-level attributes a declaration file may set.
MODULE_ATTRIBUTES = (
    "__schema__", "__conventions__", "__extensions__", "__schemas__", "__enums__",
    *MODULE_LISTS, *TOP_LEVEL_LISTS,  # [routines]
    "__publications__", "__roles__",  # [privileges]
    "__subscriptions__",  # [subscriptions]
    "__foreign_data_wrappers__", "__foreign_servers__",  # [foreign]
)
# What `__schemas__` may say about a schema ([privileges]: its grants, owner and default privileges).
_SCHEMA_KEYS = frozenset(
    {"comment", "grants", "owner", "default_privileges", "domains", "types", "sequences", "collations",
     "text_search_dictionaries", "text_search_configurations", "operators",
     "casts"}
)


def report_typos(
    namespace: Mapping[str, Any], known: Sequence[str], file: str, lines: Lines, problems: Problems
) -> None:
    """A ``__polices__`` is almost certainly a misspelt attribute, not a Python name."""
    for name in namespace:
        if not (name.startswith("__") and name.endswith("__")) or name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.85)
        if close:
            problems.add(
                f"{name} is not a declaration attribute; did you mean {close[0]}?",
                file,
                lines.names.get(name, lines.line),
                f"attributes read here: {', '.join(known)}",
            )


def module_keys(loaded: LoadedModule, root: YamlMap, problems: Problems) -> None:
    """Write ``loaded``'s module-level keys into ``root``: ``__conventions__``, ``__extensions__``,
    publications, roles, foreign data wrappers and servers as given, and ``__schemas__``
    (comments, empty schemas, grants)."""
    module, lines = loaded.module, loaded.lines.module
    listed: tuple[tuple[str, str], ...] = (("__conventions__", "conventions"), ("__extensions__", "extensions"))
    listed += (("__publications__", "publications"), ("__roles__", "roles"))  # [privileges]
    listed += (("__subscriptions__", "subscriptions"),)  # [subscriptions]
    listed += (("__foreign_data_wrappers__", "foreign_data_wrappers"), ("__foreign_servers__", "foreign_servers"))
    for attribute, key in listed:
        if hasattr(module, attribute):
            line = lines.names.get(attribute)
            put(root, key, with_lines(data(getattr(module, attribute)), line, lines.keys.get(attribute)), line)
    declared = getattr(module, "__schemas__", None)
    if declared is None:
        return
    line = lines.names.get("__schemas__")
    if not isinstance(declared, Mapping):
        problems.add("__schemas__ must map schema names to {'comment': ...} or None", loaded.file, line)
        return
    key_lines = lines.keys.get("__schemas__", {})
    for name, body in declared.items():
        at = key_lines.get(name, line)
        body = {} if body is None else body
        if not isinstance(body, Mapping) or set(body) - _SCHEMA_KEYS:
            problems.add(
                f"__schemas__[{name!r}]: only {', '.join(sorted(_SCHEMA_KEYS))} can be declared here",
                loaded.file,
                at,
                "tables are Table classes and enums are enum.Enum classes",
            )
            continue
        schema = child(child(root, "schemas", line), str(name), at)
        for key in sorted(_SCHEMA_KEYS):
            # [constraints-types], [sequences]: the YAML shape, as Python data
            if key in ("domains", "types", "sequences") and key in body:
                put(schema, key, with_lines(data(body[key]), at), at)
            elif key in body:
                put(schema, key, data(body[key]), at)
