"""The traps of SQLAlchemy models, named at lint time in SQLAlchemy's own words.

Each is a way models and database silently disagree (docs/sqlalchemy.md):

- ``enum_names``: an ``Enum`` over a Python enum without ``values_callable`` creates labels from
  member *names* (``SYSADMIN``) while code usually means the values (``sysadmin``) — incident 004
  (not a trap under ``conventions: {enum_labels: values}``: the bridge declares the values);
- ``python_default``: ``default=`` is applied by SQLAlchemy in Python; the database never sees it;
- ``timestamps`` (under ``timestamps: timestamptz``): ``DateTime()`` without ``timezone=True``;
- ``primary_key`` (under ``primary_key: uuid``): an integer key.

The last two are conventions the generic rules already find; here their fix is said for models,
and the generic violation of the same object is replaced.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pgreconcile.conventions.violation import Violation
from pgreconcile.declare.build.conventions import read_conventions
from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.convention_specs import EnumLabelConvention
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.sqlalchemy import import_metadata
from pgreconcile.model.objects import Origin
from pgreconcile.model.schema import Schema

VALUES_CALLABLE = "values_callable=lambda e: [m.value for m in e]"


def with_traps(
    violations: Sequence[Violation], target: str, documents: Sequence[Document], schema: Schema
) -> list[Violation]:
    """``violations`` with the traps of the models ``target`` names, in file and line order."""
    settings = read_conventions(documents, Problems()).settings
    traps = list(find_traps(import_metadata(target), schema, settings.timestamps is not None,
                            settings.primary_key is not None,
                            enum_values=settings.enum_labels is EnumLabelConvention.VALUES))
    replaced = {(t.rule, t.object) for t in traps}
    kept = [v for v in violations if (v.rule, v.object) not in replaced]
    return sorted(kept + traps, key=Violation.sort_key)


def find_traps(
    metadata: Any, schema: Schema, timestamps: bool, uuid_keys: bool, *, enum_values: bool = False
) -> Iterator[Violation]:
    """Every trap in ``metadata``; ``timestamps`` / ``uuid_keys`` / ``enum_values`` (``enum_labels:
    values``) say which conventions are on."""
    from sqlalchemy import DateTime, Enum, Integer
    from sqlalchemy import Sequence as DatabaseSequence

    for table in metadata.sorted_tables:
        schema_name = table.schema or "public"
        declared = schema.tables.get((schema_name, table.name))
        for column in table.columns:
            name = f"column {schema_name}.{table.name}.{column.name}"
            model_column = declared.column(column.name) if declared is not None else None
            where: Origin | None = model_column.origin if model_column is not None else None
            sa_type = column.type
            if (isinstance(sa_type, Enum) and sa_type.enum_class is not None and sa_type.values_callable is None
                    and not enum_values):
                members = list(sa_type.enum_class)
                values = [str(m.value) for m in members]
                if [m.name for m in members] != values:
                    yield Violation(
                        "enum_names",
                        name,
                        where,
                        f"Enum({sa_type.enum_class.__name__}) stores member names: PostgreSQL gets the labels "
                        f"{', '.join(m.name for m in members)}, not the values {', '.join(values)}",
                        f"pass {VALUES_CALLABLE} to Enum(...) so that the labels are the values (or declare "
                        "`conventions: {enum_labels: values}`); for labels already live, "
                        'MetaData.info["pgreconcile"]["enums"] can map them with renamed_values',
                    )
            python_side = column.default is not None and not isinstance(column.default, DatabaseSequence)
            if python_side and column.server_default is None and not column.primary_key:
                arg = getattr(column.default, "arg", None)
                shown = "a Python function" if callable(arg) else repr(arg)
                yield Violation(
                    "python_default",
                    name,
                    where,
                    f"default={shown} is applied by SQLAlchemy in Python; the database has no default, so a row "
                    "written by anything else (SQL, another service, a backfill) gets NULL",
                    "declare server_default= (e.g. server_default=text(\"now()\") or server_default=\"0\") so that "
                    "the database holds the default",
                )
            if timestamps and isinstance(sa_type, DateTime) and not sa_type.timezone:
                yield Violation(
                    "timestamps",
                    name,
                    where,
                    "is DateTime() without timezone=True, which PostgreSQL stores as timestamp without time zone",
                    'write DateTime(timezone=True); info={"pgreconcile": {"convert": {"time_zone": "UTC"}}} on the '
                    "Column says which zone existing values are in",
                )
            if uuid_keys and column.primary_key and isinstance(sa_type, Integer):
                yield Violation(
                    "primary_key",
                    name,
                    where,
                    f"is an integer primary key ({str(sa_type).lower()}); the convention asks for uuid",
                    "write mapped_column(Uuid, primary_key=True, server_default=text(\"gen_random_uuid()\"))",
                )
