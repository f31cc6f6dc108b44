"""Comments on indexes, constraints and policies: ``COMMENT ON INDEX / CONSTRAINT / POLICY``.

A comment never re-creates its object (the model compares objects without it); it is compared
here, after every other table change, against what the object will carry once the plan ran:
an object the plan creates or re-creates starts without a comment, one it keeps (renamed or
not) keeps its live comment. Only declared objects are compared — a comment of an object the
plan drops goes with it; so is a partition's index attached to its table's index only when the
partition names it (``attached:``), which a catalog read and SQL files always do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pgreconcile.diff.actions import Action
from pgreconcile.diff.changes import Change, TableChange, created_keys
from pgreconcile.diff.rename_changes import RenameIndex
from pgreconcile.model import Schema
from pgreconcile.model.keys import constraint_key, index_key, matview_key, policy_key, table_key
from pgreconcile.model.objects import Partition, Table
from pgreconcile.model.views import MaterializedView

#: What a commented object is: the word COMMENT ON uses, and how the plan names it. A key
#: index is the index of a primary key, unique or exclusion constraint: COMMENT ON INDEX, but
#: created (and re-created) with its constraint.
INDEX, CONSTRAINT, POLICY, KEY_INDEX = "index", "constraint", "policy", "key index"


@dataclass(frozen=True)
class SetSubComment(TableChange):
    """``COMMENT ON INDEX|CONSTRAINT|POLICY`` of one object of ``schema.table_name`` (a table or
    a materialized view)."""

    what: str
    name: str
    new: str | None
    old: str | None
    on_view: bool = False  # a materialized view's index: shown on its own line, as its index is

    ACTION = Action.UPDATE

    @property
    def table(self) -> str | None:
        return None if self.on_view else f"{self.schema}.{self.table_name}"

    @property
    def kind(self) -> str:
        return f"{self.what} comment"

    @property
    def key(self) -> str:
        # A key's index shares its constraint's object key; its comment is another change.
        return f"{self.object_key}#{'index-comment' if self.what == KEY_INDEX else 'comment'}"

    @property
    def object_key(self) -> str:
        return object_key(self.what, self.schema, self.table_name, self.name)


def object_key(what: str, schema: str, table: str, name: str) -> str:
    """The key of the commented object: the one the change creating it carries."""
    if what == INDEX:
        return index_key(schema, name)
    if what == POLICY:
        return policy_key(schema, table, name)
    return constraint_key(schema, table, name)  # a constraint, or the index made with it


Commented = tuple[str, str, str | None]  # (what, name, comment)


def _comment_key(what: str, schema: str, table: str, name: str) -> str:
    """What one comment is attached to: a constraint and its index share the object key."""
    key = object_key(what, schema, table, name)
    return f"{key}#index" if what == KEY_INDEX else key


def _of_table(table: Table) -> Iterator[Commented]:
    if table.primary_key is not None:
        yield CONSTRAINT, table.primary_key.name, table.primary_key.comment
    for group in (table.uniques, table.foreign_keys, table.checks, table.exclusions):
        for con in group:
            yield CONSTRAINT, con.name, con.comment
    for key in (table.primary_key, *table.uniques, *table.exclusions):
        if key is not None:
            yield KEY_INDEX, key.name, key.index_comment
    for index in table.indexes:
        yield INDEX, index.name, index.comment
    for pol in table.policies:
        yield POLICY, pol.name, pol.comment


def _of_partitions(schema: str, parts: tuple[Partition, ...]) -> Iterator[tuple[str, str, str, list[Commented]]]:
    """[partitions] What each partition holds of its own, as a table of its own, and the indexes
    it holds attached to its table's (declared by name under ``attached:``)."""
    for part in parts:
        where = part.schema or schema
        own = Table(where, part.name, primary_key=part.primary_key, uniques=part.uniques,
                    foreign_keys=part.foreign_keys, checks=part.checks, indexes=part.indexes, policies=part.policies)
        notes = dict(part.attached_comments)
        attached = [(INDEX, child, notes.get(child)) for child, _ in part.attached]
        yield table_key(where, part.name), where, part.name, [*_of_table(own), *attached]
        yield from _of_partitions(where, part.partitions)


def _of_view(view: MaterializedView) -> Iterator[Commented]:
    for index in view.indexes:
        yield INDEX, index.name, index.comment


def _relations(schema: Schema) -> Iterator[tuple[str, str, str, list[Commented]]]:
    """``(relation key, schema, name, commented objects)`` of every table and materialized view."""
    for (s, n), table in sorted(schema.tables.items()):
        yield table_key(s, n), s, n, list(_of_table(table))
        yield from _of_partitions(s, table.partitions)
    for (s, n), view in sorted(schema.materialized_views.items()):
        yield matview_key(s, n), s, n, list(_of_view(view))


def compare_sub_comments(desired: Schema, live: Schema, changes: list[Change]) -> list[Change]:
    """``changes`` plus a ``COMMENT ON`` for each declared index, constraint and policy whose
    comment will differ from the declared one after the plan's other steps."""
    created = created_keys(changes)
    # The live comments, by relation: only objects that have one (most have none, and a
    # relation none of whose objects has one is skipped below without building any key).
    existing: dict[str, dict[str, str]] = {}
    for rkey, schema, name, found in _relations(live):
        commented = {_comment_key(what, schema, name, obj): c for what, obj, c in found if c is not None}
        if commented:
            existing[rkey] = commented
    # An index the plan renames keeps its comment. A declared rename (renamed_from) is already
    # under its new name live; a partition's attached index given its declared name is not: its
    # live comment is under the old name.
    renamed = {index_key(c.schema, c.name): c.old_name for c in changes if isinstance(c, RenameIndex)}
    out = list(changes)
    for rkey, schema, name, found in _relations(desired):
        have = existing.get(rkey, {})
        for what, obj, comment in found:
            if comment is None and not have:
                continue
            okey = object_key(what, schema, name, obj)
            ckey = _comment_key(what, schema, name, obj)
            if okey in created:
                old = None
            elif ckey not in have and what == INDEX and okey in renamed:
                old = have.get(_comment_key(what, schema, name, renamed[okey]))
            else:
                old = have.get(ckey)
            if comment != old:
                on_view = rkey.startswith("materialized view:")
                out.append(SetSubComment(schema, name, what, obj, comment, old, on_view,
                                         needs=frozenset({rkey, okey})))
    return out
