"""SQL for views and materialized views: CREATE [OR REPLACE], ALTER … SET / RESET, RENAME,
DROP and COMMENT ON. The query is the SQL the user declared (or the server printed); names and
comments go through :mod:`pgreconcile.quoting`."""

from __future__ import annotations

import dataclasses

from pgreconcile.ddl.column_options import type_storage
from pgreconcile.ddl.statements import statements
from pgreconcile.diff.view_changes import AlterView, AnyView, CreateView, DropView, RenameView, relation_kind
from pgreconcile.model import MaterializedView, View
from pgreconcile.model.views import ColumnSetting
from pgreconcile.normalize.storage_options import option_value
from pgreconcile.quoting import ident, literal, qualified


def _keyword(view: AnyView) -> str:
    return relation_kind(view).upper()


def view_options(view: AnyView) -> tuple[tuple[str, str], ...]:
    """The ``WITH (…)`` options of a view or materialized view, as (name, SQL value) pairs."""
    options: list[tuple[str, str]] = []
    if isinstance(view, MaterializedView):
        options = [(name, literal(value)) for name, value in view.storage]
        return _ordered(options, view.option_order)
    if view.check_option is not None:
        options.append(("check_option", literal(view.check_option.value)))
    written = dict(view.option_text)
    for name in ("security_barrier", "security_invoker"):
        flag = getattr(view, name)
        if flag is not None:
            options.append((name, _flag_sql(flag, written.get(name))))
    return _ordered(options, view.option_order)


def _ordered(options: list[tuple[str, str]], order: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """In the order the source holds them, when known (a name it does not hold goes last)."""
    options.sort(key=lambda option: order.index(option[0]) if option[0] in order else len(order))
    return tuple(options)


def _flag_sql(flag: bool, written: str | None) -> str:
    """A flag's value as its declaration wrote it (``'on'``) when that says the same, else
    ``true`` / ``false``: the catalog keeps the text, and a dump prints it."""
    value = "true" if flag else "false"
    if written is not None and written != value and option_value(written) == value:
        return literal(written)
    return value


def _with(options: tuple[tuple[str, str], ...]) -> str:
    return f" WITH ({', '.join(f'{ident(n)} = {v}' for n, v in options)})" if options else ""


def _comments(view: AnyView, old: AnyView | None) -> list[str]:
    """COMMENT ON statements for the comments that differ from ``old`` (all of them when new)."""
    target = qualified(view.schema, view.name)
    out: list[str] = []
    if view.comment != (old.comment if old else None):
        out.append(f"COMMENT ON {_keyword(view)} {target} IS {literal(view.comment)}")
    before = dict(old.column_comments) if old else {}
    after = dict(view.column_comments)
    for column in sorted(set(before) | set(after)):
        if before.get(column) != after.get(column):
            out.append(f"COMMENT ON COLUMN {target}.{ident(column)} IS {literal(after.get(column))}")
    return out


def view_definition(view: AnyView, *, replace: bool = False) -> str:
    """CREATE [OR REPLACE] [MATERIALIZED] VIEW with its options and query."""
    head = "CREATE OR REPLACE" if replace else "CREATE"
    return f"{head} {_keyword(view)} {qualified(view.schema, view.name)}{_with(view_options(view))} AS\n{view.query}"


def _resolved(view: AnyView, *, as_written: bool, replace: bool = False) -> list[str]:
    """The CREATE statement. The server's canonical form names everything outside pg_catalog in
    full and is sent as it is; a query as the user wrote it (the canonical form is unknown, or
    the change asks for the written text) runs where its unqualified names mean what they meant
    when it was declared: in the view's own schema."""
    if view.columns and not (as_written and view.written is not None):
        return [view_definition(view, replace=replace)]
    if view.written is not None:
        view = dataclasses.replace(view, query=view.written)
    return [
        f"SET LOCAL search_path = {ident(view.schema)}, pg_catalog",
        view_definition(view, replace=replace),
        "RESET search_path",
    ]


def _column_settings(view: AnyView, old: AnyView | None) -> list[str]:
    """ALTER MATERIALIZED VIEW … ALTER COLUMN … SET STATISTICS / SET STORAGE for the settings
    that differ from ``old``'s (all of them when new); back to the default is ``-1`` / the
    type's own storage."""
    if not isinstance(view, MaterializedView):
        return []
    before = {s.column: s for s in old.column_settings} if isinstance(old, MaterializedView) else {}
    after = {s.column: s for s in view.column_settings}
    types = {**dict(old.columns if old is not None else ()), **dict(view.columns)}  # either may be unread
    target = f"ALTER MATERIALIZED VIEW {qualified(view.schema, view.name)} ALTER COLUMN"
    out: list[str] = []
    for column in sorted(set(before) | set(after)):
        had, wanted = before.get(column, ColumnSetting(column)), after.get(column, ColumnSetting(column))
        if had.storage != wanted.storage:
            storage = wanted.storage or type_storage(types.get(column, "text"))
            out.append(f"{target} {ident(column)} SET STORAGE {storage.upper()}")
        if had.statistics != wanted.statistics:
            statistics = wanted.statistics if wanted.statistics is not None else -1
            out.append(f"{target} {ident(column)} SET STATISTICS {statistics}")
    return out


@statements.register
def _(change: CreateView) -> list[str]:
    return [*_resolved(change.view, as_written=change.as_written), *_comments(change.view, None),
            *_column_settings(change.view, None)]


@statements.register
def _(change: DropView) -> list[str]:
    return [f"DROP {_keyword(change.view)} {qualified(change.view.schema, change.view.name)}"]


@statements.register
def _(change: AlterView) -> list[str]:
    view, old = change.view, change.old
    out: list[str] = []
    target = f"ALTER {_keyword(view)} {qualified(view.schema, view.name)}"
    if isinstance(view, View) and change.query_changed:
        # OR REPLACE replaces the options too, so the statement carries all of them.
        out += _resolved(view, as_written=change.as_written, replace=True)
    else:
        before, after = dict(view_options(old)), dict(view_options(view))
        gone = [name for name in before if name not in after]
        changed = {name: value for name, value in after.items() if before.get(name) != value}
        if gone:
            out.append(f"{target} RESET ({', '.join(ident(n) for n in gone)})")
        if changed:
            out.append(f"{target} SET ({', '.join(f'{ident(n)} = {v}' for n, v in changed.items())})")
    return out + _comments(view, old) + _column_settings(view, old)


@statements.register
def _(change: RenameView) -> list[str]:
    view = change.view
    keyword = _keyword(view)
    out: list[str] = []
    name = change.old_name
    if change.old_schema != view.schema:
        out.append(f"ALTER {keyword} {qualified(change.old_schema, name)} SET SCHEMA {ident(view.schema)}")
    if name != view.name:
        out.append(f"ALTER {keyword} {qualified(view.schema, name)} RENAME TO {ident(view.name)}")
    return out
