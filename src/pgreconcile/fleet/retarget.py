"""Schema per tenant: the declarations of the template schema, as one tenant's schema.

The declarations name one schema (``template``, say ``tenant``); each tenant's schema
(``tenant_0042``) must hold the same objects. Everything that names the template schema is
renamed: the namespace, the keys of enums and tables, foreign keys between the tenant's tables,
types of columns (``tenant.mood`` → ``tenant_0042.mood``), and qualified names inside SQL
expressions (defaults, checks, index predicates, policies). Expressions are rewritten only
outside string literals and only where the template name is followed by a dot, so a literal
``'tenant.x'`` or a column called ``tenant`` is left alone.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from pgreconcile.model import Schema
from pgreconcile.quoting import ident

# Single-quoted SQL string literals ('' escapes a quote); everything else is rewritten.
_LITERAL = re.compile(r"'(?:[^']|'')*'")


def _rename_in_sql(sql: str, old: str, new: str) -> str:
    names = {old, ident(old)}
    pattern = re.compile(
        r"(?<![\w.\"])(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\.(?=[\w\"])"
    )
    out, last = [], 0
    for match in _LITERAL.finditer(sql):
        out.append(pattern.sub(ident(new) + ".", sql[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(pattern.sub(ident(new) + ".", sql[last:]))
    return "".join(out)


def _rename_type(text: str, old: str, new: str) -> str:
    return f"{new}.{text[len(old) + 1:]}" if text.startswith(old + ".") else text


def _walk(value: Any, old: str, new: str) -> Any:
    """A model object with every schema reference renamed (dataclasses, tuples and strings)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            current = getattr(value, field.name)
            if field.name in ("schema", "ref_schema") and current == old:
                changes[field.name] = new
            elif field.name == "type" and isinstance(current, str):
                changes[field.name] = _rename_type(current, old, new)
            elif field.name in ("default", "expression", "where", "using", "with_check") and isinstance(current, str):
                changes[field.name] = _rename_in_sql(current, old, new)
            elif field.name == "elements" and isinstance(current, tuple):
                changes[field.name] = tuple(_rename_in_sql(e, old, new) for e in current)
            elif isinstance(current, tuple) and current and dataclasses.is_dataclass(current[0]):
                changes[field.name] = tuple(_walk(item, old, new) for item in current)
            elif dataclasses.is_dataclass(current) and not isinstance(current, type):
                changes[field.name] = _walk(current, old, new)
        return dataclasses.replace(value, **changes) if changes else value
    return value


def retarget(desired: Schema, template: str, schema: str) -> Schema:
    """``desired`` (declaring ``template``) as it would be declared for ``schema``; only that
    schema is managed."""
    namespaces = {}
    if template in desired.namespaces:
        namespaces[schema] = dataclasses.replace(desired.namespaces[template], name=schema)
    enums = {(schema, k[1]): _walk(e, template, schema) for k, e in desired.enums.items() if k[0] == template}
    tables = {(schema, k[1]): _walk(t, template, schema) for k, t in desired.tables.items() if k[0] == template}
    return dataclasses.replace(
        desired, namespaces=namespaces, enums=enums, tables=tables, managed=frozenset({schema})
    )
