"""The language of foreign data: top-level ``foreign_data_wrappers:`` and ``foreign_servers:``
(database-wide, keyed by name), and a table's ``foreign: {server: …, options: {…}}`` (resolved
in :mod:`pgreconcile.declare.build.foreign`)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

from pgreconcile.declare.spec.base import Keyed, Spec, each


def _option_text(value: Any) -> Any:
    """Option values are text to PostgreSQL; ``port: 5432`` and ``debug: true`` read as such."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


OptionValue = Annotated[
    str,
    BeforeValidator(_option_text),
    WithJsonSchema({"type": ["string", "number", "boolean"], "description": "stored as text"}),
]


class ForeignDataWrapperSpec(Spec):
    """``test_fdw: {options: {debug: 'true'}}``; ``handler`` / ``validator`` name functions."""

    handler: str | None = None
    validator: str | None = None
    options: Keyed[OptionValue] = Field(default_factory=dict)
    owner: str | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {} if data is None else data


class UserMappingSpec(Spec):
    """``public: {options: {user: remote, password: secret}}`` under a server's ``user_mappings``;
    the key is a role, ``public`` or ``current_user``."""

    options: Keyed[OptionValue] = Field(default_factory=dict)

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {} if data is None else data


# `user_mappings:` with nothing under it manages the server's mappings: there are none.
Mappings = Annotated[dict[str, UserMappingSpec] | None, BeforeValidator(each(UserMappingSpec.expand))]


class ForeignServerSpec(Spec):
    """``test_server: {wrapper: test_fdw, type: postgres_fdw, version: '1.0', options: {...}}``."""

    empty_hint = "a server needs its wrapper: `{wrapper: test_fdw}`"
    wrapper: str
    type: Annotated[str | None, BeforeValidator(_option_text)] = None
    version: Annotated[
        str | None, BeforeValidator(_option_text), WithJsonSchema({"type": ["string", "number", "null"]})
    ] = None
    options: Keyed[OptionValue] = Field(default_factory=dict)
    owner: str | None = None
    user_mappings: Mappings = None


class ForeignTableSpec(Spec):
    """A table's ``foreign: test_server`` or ``{server: test_server, options: {table_name: t}}``."""

    server: str
    options: Keyed[OptionValue] = Field(default_factory=dict)
    # Each column's own options (`ALTER COLUMN … OPTIONS`): {code: {column_name: film_code}}.
    columns: Keyed[Keyed[OptionValue]] = Field(default_factory=dict)

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"server": data} if isinstance(data, str) else data


# `foreign_servers:` with nothing under it manages servers: there are none (None: not mentioned).
Wrappers = Annotated[dict[str, ForeignDataWrapperSpec] | None, BeforeValidator(each(ForeignDataWrapperSpec.expand))]
Servers = Annotated[dict[str, ForeignServerSpec] | None, BeforeValidator(each(ForeignServerSpec.expand))]
