"""A partition of a partitioned table: its bound and what it holds of its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from pgreconcile.model.constraints import CheckConstraint, ForeignKey, Index, PrimaryKey, UniqueConstraint
from pgreconcile.model.origin import Origin
from pgreconcile.model.policies import Policy


# [partitions]
# A partitioned table is an ordinary Table whose ``partition_by`` holds its partition key
# (``range (at)``, ``list (region)``, ``hash (id)``) and whose ``partitions`` hold a Partition
# each. A partition has no columns of its own in the model: PostgreSQL gives it the parent's
# columns and creates (and attaches) the parent's indexes, keys and CHECKs on it, so those are
# the parent's and are compared there only. What a partition holds of its own — an index, a
# primary key or unique constraint not attached to one of the parent's, its row-level security
# switches and policies, and replica identity — is the partition's. A partition that is itself partitioned (a
# sub-partition level) has its own key and partitions.
@dataclass(frozen=True, slots=True)
class Partition:
    """One partition: its name (in its parent's schema) and its bound as SQL — ``FOR VALUES
    FROM ('2026-10-01') TO ('2026-11-01')``, ``FOR VALUES IN ('eu')``, ``FOR VALUES WITH (modulus
    4, remainder 0)`` or ``DEFAULT``. Bounds are compared through
    :func:`pgreconcile.normalize.partitions.same_bound` (the catalog prints the values the way
    the key's type prints them), never as raw text."""

    name: str
    bound: str
    partition_by: str | None = None
    partitions: tuple[Partition, ...] = ()
    comment: str | None = None
    origin: Origin | None = field(default=None, compare=False)
    # The partition's schema when it is not its parent's (None: the parent's).
    schema: str | None = None
    # Its own keys and indexes (sorted by name): not attached to an index of the parent.
    primary_key: PrimaryKey | None = None
    uniques: tuple[UniqueConstraint, ...] = ()
    indexes: tuple[Index, ...] = ()
    rls_enabled: bool = False
    rls_forced: bool = False
    replica_identity: str = "default"
    replica_index: str | None = None
    # Indexes of the partition attached to an index of its parent, as (partition's index,
    # parent's index) sorted pairs: the names PostgreSQL gave them, or those they had before.
    attached: tuple[tuple[str, str], ...] = ()
    # Comments on those attached indexes, as (partition's index, comment) sorted pairs: only the
    # commented ones. Compared by diff/sub_comments.py, never here (a comment re-creates nothing).
    attached_comments: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    # Its own foreign keys and CHECKs (not cloned from the parent's; sorted by name), and the
    # columns it holds NOT NULL although the parent's are nullable (sorted; the columns of its
    # own primary key are among them, as PostgreSQL marks them).
    foreign_keys: tuple[ForeignKey, ...] = ()
    checks: tuple[CheckConstraint, ...] = ()
    not_null: tuple[str, ...] = ()
    # Its own column defaults where they differ from its parent's, as (column, default SQL or
    # None for none) sorted by column: ``PARTITION OF t (priority DEFAULT 10)``, or a table
    # attached with defaults of its own. The other columns follow the parent's defaults.
    column_defaults: tuple[tuple[str, str | None], ...] = ()
    # Its own row-level security policies (by name order): PostgreSQL applies a partition's
    # policies when it is queried directly, the parent's when the parent is.
    policies: tuple[Policy, ...] = ()
    # PostgreSQL 18+: the name of every NOT NULL the partition holds, as (column, name) sorted
    # by column — inherited ones included, which a plain ``PARTITION OF`` names as its parent
    # does. None where the names are not known (a server before 18, YAML that names none): the
    # live names are then left as they are (diff/partition_not_nulls.py). Not compared, as a
    # column's NOT NULL name is not: the diff compares them itself, where they are known.
    not_null_names: tuple[tuple[str, str], ...] | None = field(default=None, compare=False)
    # PostgreSQL 18+, read from a catalog: the columns whose NOT NULL the partition declared
    # itself (``PARTITION OF t (c NOT NULL)``, pg_constraint.conislocal), which a type change of
    # the column fails on when its name is not the parent's (diff/partition_retypes.py).
    not_null_local: tuple[str, ...] = field(default=(), compare=False)


def every_partition(schema: str, parts: tuple[Partition, ...]) -> list[tuple[Partition, str]]:
    """Every partition under ``parts`` at every level, parents first, each with its schema (its
    own, or the one of the table above it)."""
    found: list[tuple[Partition, str]] = []
    for part in parts:
        where = part.schema or schema
        found.append((part, where))
        found += every_partition(where, part.partitions)
    return found
