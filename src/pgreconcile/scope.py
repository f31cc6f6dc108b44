"""Which schemas a run manages: the declared ones, or the configured ``managed_schemas``.

By default the managed schemas are the ones the declarations name. ``managed_schemas`` in the
configuration replaces that set:

* extend — a listed schema with no declarations is managed all the same: it is created if
  missing, and whatever lives in it is planned for removal (gated by ``--allow-destroy``), which
  is how a schema is kept empty;
* restrict — declarations in a schema that is not listed are left out of the plan (the CLI says
  so), as for a repository whose declarations span several services' schemas.

SQL files that are the only declarations describe the whole database, as a dump does
(``Schema.whole_database``): without ``managed_schemas``, a user schema only the live database
has is managed too — so it is dropped, with whatever it holds (:func:`whole_database`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from pgreconcile.ignore import ALEMBIC_TABLE, Pattern, without_ignored
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


def whole_database(scoped: Scoped, live: Schema, patterns: tuple[Pattern, ...]) -> tuple[Scoped, tuple[str, ...]]:
    """``scoped`` with every user schema of ``live`` that the declarations do not manage added to
    its scope (and so dropped), when the declarations describe the whole database; the schemas
    added, in order. ``live`` is the catalog read of every schema but the platform ones.

    An undeclared extension in such a schema goes with it (diff/foundations.py drops those of
    managed schemas). Left out, because dropping the schema could not succeed: a schema holding
    a declared extension (which stays where it is), objects of a kind pgreconcile does not
    manage, an ignored object, or Alembic's revision table."""
    desired = scoped.desired
    if not desired.whole_database:
        return scoped, ()
    held_by_extensions = {ext.schema for name, ext in live.extensions.items() if name in desired.extensions}
    unmanaged = {obj.schema for obj in live.unmanaged}
    extra = []
    for name in sorted(set(live.namespaces) - desired.managed):
        if name in held_by_extensions or name in unmanaged:
            continue
        if (name, ALEMBIC_TABLE) in live.tables or _ignores_something(live, name, patterns):
            continue
        extra.append(name)
    return widen(scoped, extra), tuple(extra)


def widen(scoped: Scoped, extra: Sequence[str]) -> Scoped:
    """``scoped`` managing the schemas ``extra`` too, though nothing declares them (so they are
    dropped): how a saved plan made by :func:`whole_database` is checked against its declarations."""
    if not extra:
        return scoped
    managed = scoped.desired.managed | frozenset(extra)
    scope = dataclasses.replace(scoped.scope, managed=tuple(sorted(managed)))
    return dataclasses.replace(scoped, desired=dataclasses.replace(scoped.desired, managed=managed), scope=scope)


def _ignores_something(live: Schema, name: str, patterns: tuple[Pattern, ...]) -> bool:
    """Whether an ignore pattern names an object of schema ``name`` (it must stay, so must the schema)."""
    if not patterns:
        return False
    from pgreconcile.catalog.scope import restrict

    alone = restrict(live, (name,))
    kept = without_ignored(alone, patterns)
    return kept is not alone and (
        kept.tables != alone.tables or kept.enums != alone.enums or kept.views != alone.views
        or kept.materialized_views != alone.materialized_views or kept.functions != alone.functions
        or kept.triggers != alone.triggers or kept.statistics != alone.statistics or kept.rules != alone.rules
    )
