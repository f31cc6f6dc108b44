"""Foreign data: wrappers (``CREATE FOREIGN DATA WRAPPER``) and servers (``CREATE SERVER``).

Both are objects of the whole database, named alone. Options are sorted ``(name, value)``
pairs, as ``pg_foreign_data_wrapper.fdwoptions`` and ``pg_foreign_server.srvoptions`` hold
them (``name=value`` text). A wrapper's ``handler`` and ``validator`` are functions as
``regproc`` prints them (None: none). ``owner`` None in a declaration means "whoever owns it".
Foreign tables are :class:`~pgreconcile.model.objects.Table` objects with a ``server``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgreconcile.model.keys import foreign_server_key, foreign_wrapper_key
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
