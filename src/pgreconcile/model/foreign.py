"""Foreign data: wrappers (``CREATE FOREIGN DATA WRAPPER``) and servers (``CREATE SERVER``).

Both are objects of the whole database, named alone. Options are sorted ``(name, value)``
pairs, as ``pg_foreign_data_wrapper.fdwoptions`` and ``pg_foreign_server.srvoptions`` hold
them (``name=value`` text). A wrapper's ``handler`` and ``validator`` are functions as
``regproc`` prints them (None: none). ``owner`` None in a declaration means "whoever owns it".
Foreign tables are :class:`~pgreconcile.model.objects.Table` objects with a ``server``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgreconcile.model.keys import foreign_server_key, foreign_wrapper_key, user_mapping_key
from pgreconcile.model.origin import Origin

Options = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ForeignDataWrapper:
    name: str
    handler: str | None = None
    validator: str | None = None
    options: Options = ()
    owner: str | None = field(default=None, compare=False)  # compared alone, when declared
    origin: Origin | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return foreign_wrapper_key(self.name)


@dataclass(frozen=True, slots=True)
class ForeignServer:
    name: str
    wrapper: str
    type: str | None = None
    version: str | None = None
    options: Options = ()
    owner: str | None = field(default=None, compare=False)  # compared alone, when declared
    origin: Origin | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return foreign_server_key(self.name)


@dataclass(frozen=True, slots=True)
class UserMapping:
    """``CREATE USER MAPPING FOR <user> SERVER <server>``: ``user`` is a role name or ``public``
    (a declaration may say ``current_user``, resolved against the live connection's role).
    ``options`` is None when the live mapping's options cannot be read (pg_user_mappings shows
    them only to a superuser, the mapped role or the server's owner): they are then not compared."""

    server: str
    user: str
    options: Options | None = ()
    origin: Origin | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return user_mapping_key(self.server, self.user)


# Shown instead of a secret option value (a mapping's password) in plans, JSON, SQL and errors.
SECRET_MASK = "***"
_SECRET_WORDS = ("password", "passwd", "secret", "token", "key")


def is_secret(option: str) -> bool:
    """Whether an option's value must never be shown (``password``, ``api_key``, ``token`` …)."""
    lowered = option.lower()
    return any(word in lowered for word in _SECRET_WORDS)


def shown(options: Options) -> Options:
    """``options`` with every secret value masked."""
    return tuple((k, SECRET_MASK if is_secret(k) else v) for k, v in options)
