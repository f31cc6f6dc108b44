"""Which schemas a run manages: the declared ones, or the configured ``managed_schemas``.

By default the managed schemas are the ones the declarations name. ``managed_schemas`` in the
configuration replaces that set:

* extend — a listed schema with no declarations is managed all the same: it is created if
  missing, and whatever lives in it is planned for removal (gated by ``--allow-destroy``), which
  is how a schema is kept empty;
* restrict — declarations in a schema that is not listed are left out of the plan (the CLI says
  so), as for a repository whose declarations span several services' schemas.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from pgreconcile.ignore import Pattern, without_ignored
from pgreconcile.model import Namespace, Schema
from pgreconcile.plan.model import Scope


@dataclasses.dataclass(frozen=True)
class Scoped:
    """The desired schema narrowed to its scope, and the declared schemas that were left out."""

    desired: Schema
    scope: Scope
    left_out: tuple[str, ...]


def scope_desired(
    desired: Schema, managed: Sequence[str] | None, patterns: tuple[Pattern, ...], ignore_texts: Sequence[str]
) -> Scoped:
    """Apply ``managed_schemas`` (None: the declared schemas) and the ignore patterns."""
    if managed is None:
        keep = desired.managed
        left_out: tuple[str, ...] = ()
    else:
        keep = frozenset(managed)
        left_out = tuple(sorted(desired.managed - keep))
        namespaces = {n: ns for n, ns in desired.namespaces.items() if n in keep}
        for name in sorted(keep - set(namespaces)):
            namespaces[name] = Namespace(name)
        desired = dataclasses.replace(
            desired,
            namespaces=namespaces,
            enums={k: e for k, e in desired.enums.items() if k[0] in keep},
            tables={k: t for k, t in desired.tables.items() if k[0] in keep},
            managed=keep,
        )
    scope = Scope(managed=tuple(sorted(keep)), ignore=tuple(ignore_texts))
    return Scoped(without_ignored(desired, patterns), scope, left_out)
