"""Pydantic validation errors → messages a user can act on, each at the line it concerns.

Pydantic reports an error as a type code and a ``loc`` path (``schemas.public.tables.t.columns.
email.nulable``). Here the path becomes the object it names ("column public.t.email") and the
line of the key in the file, and the type code becomes a sentence: an unknown key suggests the
closest valid one, a bad choice lists the valid choices. No pydantic wording reaches the user.
"""

from __future__ import annotations

import difflib
import enum
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pgreconcile.declare.yaml.source import YamlMap, line_at

Loc = tuple[int | str, ...]

# Keyed collections in the language, and what one entry is called.
_KINDS = {
    "schemas": "schema",
    "tables": "table",
    "enums": "enum",
    "columns": "column",
    "extensions": "extension",
    "indexes": "index",
    "foreign_keys": "foreign key",
    "checks": "check",
    "unique": "unique constraint",
    "policies": "policy",
    "groups": "group",
}


@dataclass(frozen=True, slots=True)
class SpecProblem:
    """One validation problem, translated: a 1-based line, a message and maybe a hint."""

    line: int | None
    message: str
    hint: str | None = None


def translate(error: ValidationError, root: type[BaseModel], source: Any) -> list[SpecProblem]:
    """Every error in ``error`` as a :class:`SpecProblem`, in file order.

    ``root`` is the model that was validated and ``source`` the YAML data it was given.
    """
    problems = [_one(detail, root, source) for detail in error.errors(include_url=False)]
    return sorted(problems, key=lambda p: p.line or 0)


def _one(detail: ErrorDetails, root: type[BaseModel], source: Any) -> SpecProblem:
    loc: Loc = tuple(detail["loc"])
    kind = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    line = line_at(source, loc)
    if kind == "extra_forbidden":
        subject, field = _subject(loc[:-1], source)
        subject = subject or field  # a mapping that is not a named object: `conventions`
        key = str(loc[-1])
        valid = _valid_keys(root, loc[:-1])
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
        message = f"unknown key {key!r}" + (f"; did you mean {close[0]!r}?" if close else "")
        return SpecProblem(line, _join(subject, "", message), f"valid keys here: {', '.join(valid)}")
    if kind == "missing":
        subject, _ = _subject(loc[:-1], source)
        return SpecProblem(line, _join(subject, "", f"missing required key {loc[-1]!r}"))
    subject, field = _subject(loc, source)
    if kind == "declaration":
        return SpecProblem(line, _join(subject, field, str(ctx.get("message"))), ctx.get("hint"))
    if kind in ("enum", "literal_error"):
        choices = _choices(root, loc)
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
        message = f"{value!r} is not one of: {', '.join(choices)}"
        if close:
            message += f"; did you mean {close[0]!r}?"
        return SpecProblem(line, _join(subject, field, message))
    what, hint = _expected(kind, value, detail["msg"], ctx)
    if value is None and hint is None:
        model = _annotation_at(root, loc)
        hint = getattr(model, "empty_hint", None)  # e.g. a column left without a type
    return SpecProblem(line, _join(subject, field, what), hint)


def _expected(kind: str, value: Any, fallback: str, ctx: dict[str, Any]) -> tuple[str, str | None]:
    shown = _show(value)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping (key: value), got {shown}", None
    if kind == "list_type":
        return f"must be a list, got {shown}", None
    if kind == "string_type":
        return f"must be text, got {shown}", "quote the value if it should be text"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, got {shown}", None
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, got {shown}", None
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"]), None
    return f"{fallback} (got {shown})", None


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _join(subject: str, field: str, what: str) -> str:
    """``subject: field must ...`` for expectations, ``subject: field: ...`` for the rest."""
    if field:
        what = f"{field} {what}" if what.startswith("must ") else f"{field}: {what}"
    elif what.startswith("must "):
        return f"{subject} {what}" if subject else what
    return f"{subject}: {what}" if subject else what


def _subject(loc: Loc, source: Any) -> tuple[str, str]:
    """``("column public.t.email", "nullable")`` for a loc inside a column, and so on.

    The subject is the innermost named object on the path; the field is what remains after it.
    """
    kind = ""
    names: list[str] = []
    rest: list[str] = []
    current = source
    i = 0
    while i < len(loc):
        part = loc[i]
        current = current.get(part) if isinstance(current, dict) and isinstance(part, str) else None
        if isinstance(part, str) and part in _KINDS and i + 1 < len(loc):
            entry = loc[i + 1]
            if isinstance(entry, int) and isinstance(current, YamlMap) and entry < len(current):
                entry = list(current)[entry]  # the n-th key of a mapping read as a list
            elif isinstance(entry, int):
                entry = f"#{entry + 1}"
            kind, rest = _KINDS[part], []
            names.append(str(entry))
            current = current.get(entry) if isinstance(current, dict) else None
            i += 2
            continue
        rest.append(f"#{part + 1}" if isinstance(part, int) else part)
        i += 1
    subject = f"{kind} {'.'.join(names)}" if kind else ""
    return subject, ".".join(rest)


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``| None`` to reach the type that matters."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _annotation_at(root: type[BaseModel], loc: Loc) -> Any:
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next((f for name, f in current.model_fields.items() if part in (name, f.alias)), None)
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        elif typing.get_origin(current) is list:
            current = typing.get_args(current)[0]
        else:
            return None
    return _unwrap(current)


def _valid_keys(root: type[BaseModel], loc: Loc) -> list[str]:
    model = _annotation_at(root, loc)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items()]
    return []


def _choices(root: type[BaseModel], loc: Loc) -> list[str]:
    annotation = _annotation_at(root, loc)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(member.value) for member in annotation]
    if typing.get_origin(annotation) is typing.Literal:
        return [str(arg) for arg in typing.get_args(annotation)]
    return []
