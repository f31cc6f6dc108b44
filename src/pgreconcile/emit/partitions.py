"""A table's partition key and partitions as declaration data (for the YAML and Python writers).

The catalog prints a bound as SQL (``FOR VALUES FROM ('2026-10-01 00:00:00+00') TO (…)``); the
language writes its values (``{from: '2026-10-01 00:00:00+00', to: …}``). Each value is kept as
the server printed it, so that it reads back to the same bound whatever the key's type and
whatever time zone a session that runs it later is in (hence the explicit ``+00``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from pgreconcile.declare.spec.literals import literal_value
from pgreconcile.emit.index_entries import index_entry, index_parameters
from pgreconcile.emit.policy_entries import policy_entry
from pgreconcile.emit.types_yaml import check_spec
from pgreconcile.model.objects import (
    FkAction,
    ForeignKey,
    PrimaryKey,
    Table,
    UniqueConstraint,
    given_to_partition,
    passed_to_partitions,
)
from pgreconcile.model.partitions import Partition
from pgreconcile.normalize.partitions import split_top_level

_RANGE = re.compile(r"^FOR VALUES FROM \((.*)\) TO \((.*)\)$", re.DOTALL)
_LIST = re.compile(r"^FOR VALUES IN \((.*)\)$", re.DOTALL)
_HASH = re.compile(r"^FOR VALUES WITH \(modulus (\d+), remainder (\d+)\)$")
_INTEGER = re.compile(r"-?\d+")

Value = str | int | float | bool | None


def _value(text: str) -> Value:
    text = text.strip()
    if text.startswith("'"):
        end = text.rfind("'")
        return text[1:end].replace("''", "'")
    bare = text.split("::", 1)[0].strip()
    upper = bare.upper()
    if upper in ("MINVALUE", "MAXVALUE"):
        return upper
    if upper in ("TRUE", "FALSE"):
        return upper == "TRUE"
    if upper == "NULL":
        return None
    if _INTEGER.fullmatch(bare):
        return int(bare)
    return bare  # a decimal: written as text, the key's type reads it back


def _values(text: str) -> list[Value]:
    return [_value(v) for v in split_top_level(text) or [text]]


def bound_data(bound: str) -> dict[str, object]:
    """A bound clause → ``{from:, to:}`` / ``{in:}`` / ``{modulus:, remainder:}`` / ``{default: true}``."""
    text = bound.strip()
    if text.upper() == "DEFAULT":
        return {"default": True}
    if match := _RANGE.match(text):
        low, high = _values(match.group(1)), _values(match.group(2))
        return {"from": low[0] if len(low) == 1 else low, "to": high[0] if len(high) == 1 else high}
    if match := _LIST.match(text):
        return {"in": _values(match.group(1))}
    if match := _HASH.match(text):
        return {"modulus": int(match.group(1)), "remainder": int(match.group(2))}
    raise ValueError(f"cannot read the partition bound {bound!r}")


def partition_data(
    part: Partition, schema: str, types: Mapping[str, str] | None = None, inherited: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """One partition as the language writes it (its own partitions nested); ``types`` are the
    table's column types, for writing its own defaults as values; ``inherited`` the names of the
    NOT NULLs its parent holds (PostgreSQL 18), which a plain ``PARTITION OF`` gives it."""
    data = bound_data(part.bound)
    names = dict(part.not_null_names) if part.not_null_names is not None else None
    if part.partition_by is not None:
        data["partition_by"] = part.partition_by
        data["partitions"] = {p.name: partition_data(p, part.schema or schema, types, names)
                              for p in part.partitions}
    if part.comment is not None:
        data["comment"] = part.comment
    data.update(own_data(part, schema))
    if part.column_defaults:
        data["column_defaults"] = {column: _default(sql, (types or {}).get(column))
                                   for column, sql in part.column_defaults}
    if names is not None and inherited is not None:
        named = not_null_names_data(part, names, inherited)
        if named:
            data["not_null_names"] = named
    return data


def not_null_names_data(part: Partition, names: Mapping[str, str], inherited: Mapping[str, str]) -> dict[str, str]:
    """[PostgreSQL 18] ``not_null_names`` of a partition: each NOT NULL it holds under another
    name than the one a new partition would get — its parent's for one it inherits,
    ``<partition>_<column>_not_null`` for its own — so that every partition does not list them all."""
    given = given_to_partition(part, inherited)
    return {column: name for column, name in sorted(names.items()) if given.get(column) != name}


def _default(sql: str | None, column_type: str | None) -> dict[str, object] | None:
    """A partition's own default as a column writes it: a value when it reads as one."""
    if sql is None:
        return None
    value = literal_value(sql, column_type) if column_type is not None else None
    return {"default": value} if value is not None else {"default_sql": sql}


def own_data(part: Partition, schema: str = "") -> dict[str, object]:
    """What a partition holds of its own, in the keys a table declares them with."""
    data: dict[str, object] = {}
    if part.schema is not None:
        data["schema"] = part.schema
    if part.primary_key is not None:
        key: dict[str, object] = {"name": part.primary_key.name, "columns": list(part.primary_key.columns),
                                  **index_parameters(part.primary_key)}
        if part.primary_key.without_overlaps:  # PostgreSQL 18 temporal key
            key["without_overlaps"] = True
        key.update(_comments(part.primary_key))
        data["primary_key"] = key
    if part.uniques:
        uniques: dict[str, object] = {}
        for u in part.uniques:
            body: dict[str, object] = {"columns": list(u.columns)}
            if u.deferrable:
                body["deferrable"] = True
            if u.initially_deferred:
                body["initially_deferred"] = True
            if u.nulls_not_distinct:
                body["nulls_not_distinct"] = True
            if u.without_overlaps:
                body["without_overlaps"] = True
            body.update(index_parameters(u))
            body.update(_comments(u))
            uniques[u.name] = body
        data["unique"] = uniques
    if part.indexes:
        data["indexes"] = {i.name: index_entry(i) for i in part.indexes}
    if part.rls_enabled or part.rls_forced:
        data["rls"] = {"enabled": part.rls_enabled, "forced": part.rls_forced}
    if part.policies:
        data["policies"] = {p.name: policy_entry(p) for p in part.policies}
    if part.replica_identity == "index":
        data["replica_identity"] = f"index {part.replica_index}"
    elif part.replica_identity != "default":
        data["replica_identity"] = part.replica_identity
    if part.attached:
        notes = dict(part.attached_comments)
        data["attached"] = {
            child: parent if child not in notes else {"index": parent, "comment": notes[child]}
            for child, parent in part.attached
        }
    if part.foreign_keys:
        data["foreign_keys"] = {fk.name: _foreign_key(fk, part.schema or schema) for fk in part.foreign_keys}
    if part.checks:
        data["checks"] = {c.name: check_spec(c) for c in part.checks}
    implied = set(part.primary_key.columns) if part.primary_key is not None else set()
    not_null = [c for c in part.not_null if c not in implied]
    if not_null:
        data["not_null"] = not_null
    return data


def _comments(key: PrimaryKey | UniqueConstraint) -> dict[str, object]:
    """A key's own comment and its index's, where set."""
    out: dict[str, object] = {}
    if key.comment is not None:
        out["comment"] = key.comment
    if key.index_comment is not None:
        out["index_comment"] = key.index_comment
    return out


def _foreign_key(fk: ForeignKey, schema: str) -> dict[str, object]:
    """A partition's own foreign key, in the long form a table's ``foreign_keys:`` takes."""
    target = fk.ref_table if fk.ref_schema == schema else f"{fk.ref_schema}.{fk.ref_table}"
    body: dict[str, object] = {
        "columns": list(fk.columns), "references": {"table": target, "columns": list(fk.ref_columns)},
    }
    for key, value, default in (
        ("on_delete", fk.on_delete.value, FkAction.NO_ACTION.value),
        ("on_update", fk.on_update.value, FkAction.NO_ACTION.value),
        ("deferrable", fk.deferrable, False),
        ("initially_deferred", fk.initially_deferred, False),
        ("validated", fk.validated or not fk.enforced, True),  # NOT ENFORCED says it
        ("enforced", fk.enforced, True),  # PostgreSQL 18
        ("period", fk.period, False),
    ):
        if value != default:
            body[key] = value
    if fk.comment is not None:
        body["comment"] = fk.comment
    return body


def table_partitioning(table: Table) -> dict[str, object]:
    """``partition_by`` and ``partitions`` of a table (empty for an ordinary table)."""
    if table.partition_by is None:
        return {}
    out: dict[str, object] = {"partition_by": table.partition_by}
    if table.partitions:
        types = {c.name: c.type for c in table.columns}
        # [PostgreSQL 18] What a partition made by PARTITION OF inherits (the live names, which
        # the table's `not_null:` keeps).
        inherited = passed_to_partitions(table)
        out["partitions"] = {p.name: partition_data(p, table.schema, types, inherited) for p in table.partitions}
    return out


def python_lines(table: Table, lit: Callable[[object], str]) -> list[str]:
    """``__partition_by__`` and ``__partitions__`` of a table class body: one partition per
    line, a partitioned partition opened over several lines with its own partitions nested."""
    data = table_partitioning(table)
    if not data:
        return []
    lines = [f"    __partition_by__ = {lit(data['partition_by'])}"]
    partitions = data.get("partitions")
    if isinstance(partitions, dict):
        lines += ["    __partitions__ = {", *_python_entries(partitions, 8, lit), "    }"]
    return lines


def _python_entries(partitions: dict[str, object], indent: int, lit: Callable[[object], str]) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for name, body in partitions.items():
        if not (isinstance(body, dict) and isinstance(body.get("partitions"), dict)):
            lines.append(f"{pad}{lit(name)}: {lit(body)},")
            continue
        lines.append(f"{pad}{lit(name)}: {{")
        for key, value in body.items():
            if key == "partitions" and isinstance(value, dict):
                lines += [f"{pad}    {lit(key)}: {{", *_python_entries(value, indent + 8, lit), f"{pad}    }},"]
            else:
                lines.append(f"{pad}    {lit(key)}: {lit(value)},")
        lines.append(f"{pad}}},")
    return lines
