"""Collations (``CREATE COLLATION``): how text of a column, domain or index compares and sorts.

``provider`` is ``libc``, ``icu`` or (PostgreSQL 17+) ``builtin``. An ICU or builtin collation
has a ``locale`` (and no ``lc_*``); a libc one has ``lc_collate`` and ``lc_ctype`` (and no
``locale``: a declared ``locale`` sets both), so that equal collations are equal objects.
``rules`` are ICU tailoring rules (PostgreSQL 16+). PostgreSQL cannot alter any of these: a
different collation is dropped and created again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgreconcile.model.keys import collation_key
from pgreconcile.model.origin import Origin


@dataclass(frozen=True, slots=True)
class Collation:
    schema: str
    name: str
    provider: str = "libc"
    locale: str | None = None
    lc_collate: str | None = None
    lc_ctype: str | None = None
    deterministic: bool = True
    rules: str | None = None
    comment: str | None = field(default=None, compare=False)  # COMMENT ON COLLATION, compared alone
    origin: Origin | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return collation_key(self.schema, self.name)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"
