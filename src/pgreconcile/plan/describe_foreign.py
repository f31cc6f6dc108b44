"""Labels of the foreign data changes: wrappers, servers and a foreign table's options."""

from __future__ import annotations

from pgreconcile.diff.foreign import (
    AlterForeignDataWrapper,
    AlterForeignServer,
    AlterUserMapping,
    CreateForeignDataWrapper,
    CreateForeignServer,
    CreateUserMapping,
    DropForeignDataWrapper,
    DropForeignServer,
    DropUserMapping,
    SetForeignColumnOptions,
    SetForeignTableOptions,
    option_changes,
)
from pgreconcile.model.foreign import (
    SECRET_MASK,
    ForeignDataWrapper,
    ForeignServer,
    Options,
    UserMapping,
    is_secret,
    shown,
)
from pgreconcile.plan.describe import describe
from pgreconcile.quoting import literal

Label = tuple[str, tuple[str, ...]]


def options_text(options: Options) -> str:
    return "options (" + ", ".join(f"{k} {literal(v)}" for k, v in shown(options)) + ")"


def option_details(old: Options, new: Options) -> tuple[str, ...]:
    """One phrase per option added, changed or dropped; a secret's value is never shown."""
    before = dict(old)

    def value(name: str, text: str | None) -> str:
        return literal(SECRET_MASK) if is_secret(name) else literal(text)

    out = []
    for verb, name, new_value in option_changes(old, new):
        if verb == "ADD":
            out.append(f"option {name} {value(name, new_value)} added")
        elif verb == "SET" and is_secret(name):
            out.append(f"option {name} changed")
        elif verb == "SET":
            out.append(f"option {name} {literal(before[name])} → {literal(new_value)}")
        else:
            out.append(f"option {name} {value(name, before[name])} dropped")
    return tuple(out)


def _wrapper(w: ForeignDataWrapper) -> str:
    parts = [f"handler {w.handler}"] if w.handler else []
    parts += [f"validator {w.validator}"] if w.validator else []
    parts += [options_text(w.options)] if w.options else []
    return f"foreign data wrapper {w.name}" + (f" ({', '.join(parts)})" if parts else "")


def _server(s: ForeignServer) -> str:
    parts = [f"wrapper {s.wrapper}"]
    parts += [f"type {literal(s.type)}"] if s.type is not None else []
    parts += [f"version {literal(s.version)}"] if s.version is not None else []
    parts += [options_text(s.options)] if s.options else []
    return f"server {s.name} ({', '.join(parts)})"


def _owner(old: str | None, new: str | None) -> tuple[str, ...]:
    return (f"owner {old} → {new}",) if new is not None and new != old else ()


@describe.register
def _(c: CreateForeignDataWrapper) -> Label:
    return _wrapper(c.wrapper), ()


@describe.register
def _(c: AlterForeignDataWrapper) -> Label:
    w, old = c.wrapper, c.old
    details: tuple[str, ...] = ()
    if w.handler != old.handler:
        details += (f"handler {old.handler or 'none'} → {w.handler or 'none'}",)
    if w.validator != old.validator:
        details += (f"validator {old.validator or 'none'} → {w.validator or 'none'}",)
    details += option_details(old.options, w.options) + _owner(old.owner, w.owner)
    return f"foreign data wrapper {w.name}: {', '.join(details)}", ()


@describe.register
def _(c: DropForeignDataWrapper) -> Label:
    return _wrapper(c.wrapper), ()


@describe.register
def _(c: CreateForeignServer) -> Label:
    return _server(c.server), ()


@describe.register
def _(c: AlterForeignServer) -> Label:
    s, old = c.server, c.old
    details: tuple[str, ...] = ()
    if s.version != old.version:
        details += (f"version {literal(old.version) if old.version else 'none'} → "
                    f"{literal(s.version) if s.version else 'none'}",)
    details += option_details(old.options, s.options) + _owner(old.owner, s.owner)
    return f"server {s.name}: {', '.join(details)}", ()


@describe.register
def _(c: DropForeignServer) -> Label:
    return _server(c.server), ()


@describe.register
def _(c: SetForeignTableOptions) -> Label:
    return "foreign table " + ", ".join(option_details(c.old, c.new)), ()


@describe.register
def _(c: SetForeignColumnOptions) -> Label:
    return f"foreign table column {c.column} " + ", ".join(option_details(c.old, c.new)), ()


def _mapping(m: UserMapping) -> str:
    text = f"user mapping for {m.user} on server {m.server}"
    return text + (f" ({options_text(m.options)})" if m.options else "")


@describe.register
def _(c: CreateUserMapping) -> Label:
    return _mapping(c.mapping), ()


@describe.register
def _(c: AlterUserMapping) -> Label:
    details = option_details(c.old.options or (), c.mapping.options or ())
    return f"user mapping for {c.mapping.user} on server {c.mapping.server}: {', '.join(details)}", ()


@describe.register
def _(c: DropUserMapping) -> Label:
    return _mapping(c.mapping), ()
