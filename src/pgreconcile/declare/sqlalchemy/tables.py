"""One SQLAlchemy ``Table`` → the language's plain data for a table (with lines).

Types are compiled by SQLAlchemy's PostgreSQL dialect, so a column gets the type
``metadata.create_all()`` would give it. What SQLAlchemy would name at ``CREATE`` time through
a naming convention (``ix_users_email``) is already resolved on the objects here. Intent that
SQLAlchemy has no word for (``renamed_from``, ``convert``, ``prevent_destroy``) is read from
``info={"pgreconcile": {...}}`` on the ``Column`` or ``Table``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pgreconcile.declare.spec.names import column_names_addition, dotted, make_object_name
from pgreconcile.declare.yaml.source import YamlMap

#: SQLAlchemy's actions, as written in ``ForeignKey(ondelete=...)``, are already SQL words.
INFO_KEY = "pgreconcile"


@dataclass(frozen=True)
class Lines:
    """Where a mapped class and its columns are written (empty for a plain ``Table``)."""

    line: int | None = None
    columns: dict[str, int] = field(default_factory=dict)
    class_name: str | None = None


def _dialect() -> Any:
    from sqlalchemy.dialects import postgresql

    return postgresql.dialect()  # type: ignore[no-untyped-call]


def sql_of(element: Any) -> str:
    """An SQL expression as ``CREATE TABLE`` / ``CREATE INDEX`` would send it: bound values
    written in, columns not qualified by their table (as SQLAlchemy's DDL compiler writes them)."""
    if isinstance(element, str):
        return element
    dialect = _dialect()
    compiler = dialect.ddl_compiler(dialect, None).sql_compiler
    return str(compiler.process(element, include_table=False, literal_binds=True))


def _named(name: Any) -> str | None:
    """A constraint's name, or None when PostgreSQL (not SQLAlchemy) names it."""
    from sqlalchemy.sql.base import _NoneName

    if name is None or isinstance(name, _NoneName):
        return None
    return str(name)


def _intent(info: Any) -> dict[str, Any]:
    value = info.get(INFO_KEY, {}) if isinstance(info, dict) else {}
    return dict(value) if isinstance(value, dict) else {}


def _map(line: int | None, values: dict[str, Any]) -> YamlMap:
    out = YamlMap(line or 1)
    for key, value in values.items():
        out[key] = value
        out.key_lines[key] = line or 1
    return out


def column_type(column: Any, enums: dict[tuple[str, str], Any]) -> str:
    """The column's type in the language's spelling (an enum by its, possibly qualified, name);
    native enums met here are recorded in ``enums``."""
    from sqlalchemy import ARRAY, Enum

    sa_type: Any = column.type
    suffix = ""
    if isinstance(sa_type, ARRAY) and isinstance(sa_type.item_type, Enum):
        suffix = "[]" * (sa_type.dimensions or 1)
        sa_type = sa_type.item_type
    if isinstance(sa_type, Enum) and sa_type.native_enum and sa_type.name:
        schema = sa_type.schema or column.table.schema or "public"
        enums.setdefault((schema, sa_type.name), (sa_type, column.table.key, column.name))
        own = column.table.schema or "public"
        return (sa_type.name if schema == own else f"{schema}.{sa_type.name}") + suffix
    return str(column.type.compile(dialect=_dialect())).lower()


def enum_data(sa_type: Any, extra: dict[str, Any], *, by_value: bool = False) -> dict[str, Any]:
    """An enum's labels: what SQLAlchemy would create (``type.enums``, member names unless
    ``values_callable`` says otherwise), plus ``renamed_values``/``renamed_from`` from
    ``MetaData.info["pgreconcile"]["enums"][name]``. ``renamed_from_names: true`` there says the
    live labels are the Python members' names (what an Enum without ``values_callable`` made):
    each is renamed in place to its value. ``by_value`` (``conventions: {enum_labels: values}``)
    gives an Enum over a Python enum its members' values as labels, as ``values_callable`` would."""
    extra = dict(extra)
    if extra.pop("renamed_from_names", False) and sa_type.enum_class is not None:
        renamed = {m.name: str(m.value) for m in sa_type.enum_class if m.name != str(m.value)}
        extra["renamed_values"] = {**renamed, **extra.get("renamed_values", {})}
    labels = list(sa_type.enums)
    if by_value and sa_type.enum_class is not None and sa_type.values_callable is None:
        labels = [str(member.value) for member in sa_type.enum_class]
    return {"values": labels, **extra}


def labels_by_value(*settings: object) -> bool:
    """Whether ``enum_labels: values`` is among the conventions' ``enum_labels`` settings given
    (from the schema directory's files, or ``MetaData.info``)."""
    return any(isinstance(s, str) and s.strip().lower() == "values" for s in settings)


def _column(column: Any, table: Any, enums: dict[tuple[str, str], Any]) -> dict[str, Any]:
    from sqlalchemy.sql.elements import TextClause

    data: dict[str, Any] = {"type": column_type(column, enums)}
    data["nullable"] = bool(column.nullable)
    default = column.server_default
    if default is not None and hasattr(default, "arg"):
        if isinstance(default.arg, str):
            data["default"] = default.arg
        elif isinstance(default.arg, TextClause):
            data["default_sql"] = default.arg.text
        else:
            data["default_sql"] = sql_of(default.arg)
    if column.identity is not None:
        data["identity"] = "always" if column.identity.always else "by default"
    elif column is table.autoincrement_column and column.server_default is None:
        # create_all() makes it SERIAL; an identity column is today's spelling of the same key.
        data["identity"] = "by default"
    if column.comment:
        data["comment"] = column.comment
    data.update(_intent(column.info))
    return data


def table_data(table: Any, lines: Lines, enums: dict[tuple[str, str], Any]) -> YamlMap:
    """The table as the language writes it; columns at their lines, the rest at the class line."""
    from sqlalchemy import CheckConstraint, ForeignKeyConstraint, UniqueConstraint

    out = YamlMap(lines.line or 1)
    columns = YamlMap(lines.line or 1)
    for column in table.columns:
        line = lines.columns.get(column.name, lines.line)
        columns[column.name] = _map(line, _column(column, table, enums))
        columns.key_lines[column.name] = line or 1
    body: dict[str, Any] = {"columns": columns}
    if table.comment:
        body["comment"] = table.comment
    key = table.primary_key
    if key is not None and len(key.columns):
        body["primary_key"] = {"columns": [c.name for c in key.columns]}
        if _named(key.name):
            body["primary_key"]["name"] = _named(key.name)
    unique: list[dict[str, Any]] = []
    foreign_keys: dict[str, Any] = {}
    checks: dict[str, Any] = {}
    for constraint in sorted(table.constraints, key=lambda c: (type(c).__name__, _named(c.name) or "")):
        name = _named(constraint.name)
        if isinstance(constraint, UniqueConstraint):
            item: dict[str, Any] = {"columns": [c.name for c in constraint.columns]}
            if name:
                item["name"] = name
            if constraint.deferrable:
                item["deferrable"] = True
                item["initially_deferred"] = (constraint.initially or "").upper() == "DEFERRED"
            unique.append(item)
        elif isinstance(constraint, ForeignKeyConstraint):
            cols = [c.name for c in constraint.columns]
            target = constraint.elements[0].column.table
            fk: dict[str, Any] = {
                "columns": cols,
                "references": {
                    "table": f"{target.schema or 'public'}.{target.name}",
                    "columns": [e.column.name for e in constraint.elements],
                },
            }
            if constraint.ondelete:
                fk["on_delete"] = constraint.ondelete
            if constraint.onupdate:
                fk["on_update"] = constraint.onupdate
            if constraint.deferrable:
                fk["deferrable"] = True
                fk["initially_deferred"] = (constraint.initially or "").upper() == "DEFERRED"
            foreign_keys[name or make_object_name(table.name, column_names_addition(cols), "fkey")] = fk
        elif isinstance(constraint, CheckConstraint):
            if getattr(constraint, "_type_bound", False):
                continue  # a non-native Enum/Boolean's own CHECK: SQLAlchemy's, not the model's
            checks[name or _check_name(table, constraint, checks)] = sql_of(constraint.sqltext)
    if unique:
        body["unique"] = unique
    if foreign_keys:
        body["foreign_keys"] = foreign_keys
    if checks:
        body["checks"] = checks
    indexes = {}
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        options = index.dialect_options["postgresql"]
        elements = [c.name if getattr(c, "table", None) is table else sql_of(c) for c in index.expressions]
        item = {"columns": elements}
        if index.unique:
            item["unique"] = True
        if options.get("using"):
            item["method"] = options["using"]
        if options.get("where") is not None:
            item["where"] = sql_of(options["where"])
        if options.get("include"):
            item["include"] = [c if isinstance(c, str) else c.name for c in options["include"]]
        indexes[str(index.name)] = item
    if indexes:
        body["indexes"] = indexes
    # [inheritance] Table(..., postgresql_inherits="parent" or ("a", "b")): the parents, in order.
    # SQLAlchemy writes each as one quoted name (found on the search_path): here, in the
    # child's schema.
    parents = table.dialect_options["postgresql"].get("inherits")
    if parents:
        body["inherits"] = [dotted(str(p)) for p in ([parents] if isinstance(parents, str) else parents)]
    body.update(_intent(table.info))
    for name, value in body.items():
        out[name] = value
        out.key_lines[name] = lines.line or 1
    return out


def _check_name(table: Any, constraint: Any, taken: dict[str, Any]) -> str:
    """PostgreSQL's name for an unnamed table CHECK: ``table_column_check`` when it reads one
    column, else ``table_check``, numbered when taken."""
    columns = {c.name for c in table.columns if c.name in sql_of(constraint.sqltext)}
    base = make_object_name(table.name, next(iter(columns)) if len(columns) == 1 else None, "check")
    name, n = base, 0
    while name in taken:
        n += 1
        name = make_object_name(table.name, next(iter(columns)) if len(columns) == 1 else None, f"check{n}")
    return name
