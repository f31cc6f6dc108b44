"""Publications: typed changes and their comparison.

Publications belong to the database, not to a schema. A declared publication is created or
brought to its declared form; an undeclared one is dropped only when the declarations say
``publications:`` at all (so a project that never mentions publications leaves Supabase's
``supabase_realtime`` alone). Switching ``all_tables`` cannot be done in place: the publication
is dropped and re-created.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import Change
from pgreconcile.model import Schema
from pgreconcile.model.keys import column_key, publication_key, schema_key, table_key
from pgreconcile.model.privileges import Publication, PublishedTable, owner_differs
from pgreconcile.normalize.expressions import column_refs, equivalent


@dataclass(frozen=True)
class CreatePublication(Change):
    publication: Publication

    ACTION = Action.CREATE
    KIND = "publication"
    ORDER_RANK = 46

    @property
    def key(self) -> str:
        return publication_key(self.publication.name)


@dataclass(frozen=True)
class DropPublication(Change):
    publication: Publication

    ACTION = Action.DESTROY
    KIND = "publication"
    ORDER_RANK = 44

    @property
    def key(self) -> str:
        return publication_key(self.publication.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # Subscribers stop receiving changes (their subscription errors out).
        return () if self.replaces else (Hazard.REVOKES_ACCESS,)


@dataclass(frozen=True)
class AlterPublication(Change):
    """ALTER PUBLICATION: its tables and schemas, publish options and comment, as they differ."""

    old: Publication
    new: Publication

    ACTION = Action.UPDATE
    KIND = "publication"
    ORDER_RANK = 45

    @property
    def key(self) -> str:
        return publication_key(self.new.name)

    @property
    def tables_changed(self) -> bool:
        return not same_tables(self.old.tables, self.new.tables) or self.old.schemas != self.new.schemas

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        kept = {(n.schema, n.name) for n in self.new.tables}
        narrower = (
            any((o.schema, o.name) not in kept for o in self.old.tables)
            or any(s not in self.new.schemas for s in self.old.schemas)
            or any(op not in self.new.publish for op in self.old.publish)
        )
        return (Hazard.REVOKES_ACCESS,) if narrower else ()


def same_tables(a: tuple[PublishedTable, ...], b: tuple[PublishedTable, ...]) -> bool:
    """Equal table lists, row filters compared as SQL expressions."""
    if len(a) != len(b):
        return False
    return all(
        (x.schema, x.name, x.columns) == (y.schema, y.name, y.columns) and equivalent(x.where, y.where)
        for x, y in zip(a, b, strict=True)
    )


def _needs(pub: Publication) -> frozenset[str]:
    """What a publication names: its tables and schemas, and the columns of its column lists
    and row filters. PostgreSQL refuses to drop such a column while a publication names it, so
    a live publication is narrowed or dropped before the column goes (and a declared one is
    written after the columns it lists exist)."""
    columns = {
        column_key(t.schema, t.name, c)
        for t in pub.tables
        for c in (*(t.columns or ()), *(column_refs(t.where) if t.where else ()))
    }
    return frozenset({table_key(t.schema, t.name) for t in pub.tables} | {schema_key(s) for s in pub.schemas}
                     | columns)


def compare_publications(desired: Schema, live: Schema) -> list[Change]:
    """Create, alter, re-create and (when managed) drop publications."""
    out: list[Change] = []
    for name, pub in sorted(desired.publications.items()):
        current = live.publications.get(name)
        key = frozenset({publication_key(name)})
        if current is None:
            out.append(CreatePublication(pub, needs=_needs(pub), creates=key))
        elif pub.all_tables != current.all_tables:
            out.append(DropPublication(current, removes=key, live_needs=_needs(current), replaces=True,
                                       reason="re-created: all_tables changes"))
            out.append(CreatePublication(pub, needs=_needs(pub), creates=key, replaces=True,
                                         reason="re-created: all_tables changes"))
        elif _differs(pub, current):
            out.append(
                AlterPublication(current, pub, needs=_needs(pub) | key, live_needs=_needs(current))
            )
    if desired.publications_managed:
        for name, pub in sorted(live.publications.items()):
            if name not in desired.publications:
                out.append(DropPublication(pub, removes=frozenset({publication_key(name)}), live_needs=_needs(pub)))
    return out


def _differs(pub: Publication, current: Publication) -> bool:
    plain = dataclasses.replace(pub, tables=current.tables)
    return plain != current or not same_tables(pub.tables, current.tables) or owner_differs(pub.owner, current.owner)


