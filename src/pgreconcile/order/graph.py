"""Order changes with a dependency graph, never with a fixed phase list alone.

Every change is a node. Edges come from four rules over the object keys each change declares
(see :class:`pgreconcile.diff.changes.Change`); each edge carries the sentence that justifies it,
so a cycle can be reported in words. The final order is a *stable* topological sort: among
changes that are free to run, the one with the lowest (rank, key) goes first, so the same input
always gives the same plan, byte for byte. Ties are broken by a readable rank, then by the
position the diff produced the change at (tables by name, columns and enum labels in declared
order, so new columns land in the declared order). Every order that matters is an edge.

The sort is a few lines of Python over the edges; networkx is imported only to find and name a
cycle (and by :func:`build_graph`, for tests), since its import alone took longer than
everything else ordering 20 changes does.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

from pgreconcile.diff.changes import (
    AddColumn,
    AddConstraint,
    AlterColumn,
    Change,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
    SetTableComment,
)
from pgreconcile.diff.column_option_changes import (
    AddGeneratedColumn,
    AlterColumnOptions,
    DropColumnExpression,
    DropGeneratedColumn,
    SetClusterOn,
    SetReplicaIdentity,
    SetTableOf,
    SetTableOptions,
)
from pgreconcile.diff.constraint_changes import ValidateConstraint
from pgreconcile.diff.foundation_changes import (
    AddEnumValue,
    CreateEnum,
    CreateExtension,
    CreateNamespace,
    DropEnum,
    DropExtension,
    DropNamespace,
    MoveExtension,
    SetEnumComment,
    SetExtensionComment,
    SetNamespaceComment,
    UpdateExtension,
)
from pgreconcile.diff.group_changes import AbsorbColumns
from pgreconcile.diff.partition_changes import CreatePartition, DropPartition, SetPartitionComment  # [partitions]
from pgreconcile.diff.rename_changes import (
    RenameColumn,
    RenameConstraint,
    RenameEnum,
    RenameEnumValue,
    RenameIndex,
    RenamePolicy,
    RenameTable,
)
from pgreconcile.diff.rls_changes import AlterPolicy, CreatePolicy, DropPolicy, SetRowSecurity
from pgreconcile.diff.roles import CreateRole
from pgreconcile.diff.routine_changes import (  # [routines]
    AlterEventTrigger,
    CreateAggregate,
    CreateEventTrigger,
    CreateFunction,
    CreateTrigger,
    DropAggregate,
    DropEventTrigger,
    DropFunction,
    DropTrigger,
    RenameFunction,
    RenameTrigger,
    ReplaceFunction,
    SetAggregateComment,
    SetFunctionComment,
    SetTriggerComment,
    SetTriggerEnabled,
)
from pgreconcile.diff.sequence_changes import (
    AlterSequence,
    CreateSequence,
    DropSequence,
    SetSequenceLogged,
    SetSequenceOwner,
)
from pgreconcile.diff.sub_comments import SetSubComment
from pgreconcile.diff.type_changes import (
    AlterCompositeType,
    AlterDomain,
    CreateCompositeType,
    CreateDomain,
    CreateRangeType,
    DropCompositeType,
    DropDomain,
    DropRangeType,
    SetTypeComment,
)
from pgreconcile.diff.view_changes import (  # [views]
    AlterView,
    CreateView,
    CreateViewIndex,
    DropView,
    DropViewIndex,
    RenameView,
)
from pgreconcile.errors import PlanRefused
from pgreconcile.model import ForeignKey

# Tie-break ranks: the order a reviewer expects when nothing forces another one.
_RANK: dict[type[Change], int] = {
    CreateNamespace: 0,
    SetNamespaceComment: 1,
    CreateExtension: 2,
    MoveExtension: 3,
    UpdateExtension: 3,
    SetExtensionComment: 3,
    CreateEnum: 4,
    # [constraints-types] types go where enums go: created early, dropped late.
    CreateDomain: 4,
    CreateCompositeType: 4,
    CreateRangeType: 4,
    AlterDomain: 6,
    AlterCompositeType: 6,
    SetTypeComment: 6,
    ValidateConstraint: 25,
    DropDomain: 30,
    DropCompositeType: 30,
    DropRangeType: 30,
    AddEnumValue: 5,
    SetEnumComment: 6,
    RenameEnum: 7,
    RenameEnumValue: 8,
    DropPolicy: 9,
    DropIndex: 10,
    DropConstraint: 11,
    DropColumn: 12,
    DropTable: 13,
    RenameTable: 14,
    RenameColumn: 15,
    RenameConstraint: 16,
    RenameIndex: 17,
    RenamePolicy: 18,
    CreateTable: 20,
    AddColumn: 21,
    AlterColumn: 22,
    AbsorbColumns: 22,
    SetTableComment: 23,
    AddConstraint: 24,
    CreateIndex: 26,
    SetRowSecurity: 27,
    AlterPolicy: 28,
    CreatePolicy: 29,
    DropEnum: 30,
    DropExtension: 31,
    DropNamespace: 32,
    # [sequences]
    CreateSequence: 19,
    AlterSequence: 19,
    SetSequenceOwner: 24,
    SetSequenceLogged: 24,  # after SetTableOptions: a table's SET LOGGED carries its sequences
    DropSequence: 30,
    DropGeneratedColumn: 12,
    AddGeneratedColumn: 21,
    DropColumnExpression: 21,
    AlterColumnOptions: 23,
    SetTableOptions: 23,
    SetReplicaIdentity: 27,  # after the unique index it may name
    SetClusterOn: 27,  # after the index it names
    SetTableOf: 23,
    SetSubComment: 30,  # after the index, constraint or policy it comments
    # [views] dropped early (before what they read goes), created late (after what they read).
    DropView: 9,
    DropViewIndex: 10,
    RenameView: 18,
    AlterView: 29,
    CreateView: 29,
    CreateViewIndex: 29,
    # [partitions]
    DropPartition: 13,
    CreatePartition: 20,
    SetPartitionComment: 23,
}

# [routines] Functions come before the tables that may call them and after the renames; triggers
# go with policies (dropped early, created late).
_RANK.update({
    DropTrigger: 9,
    RenameFunction: 18,
    RenameTrigger: 18,
    DropFunction: 19,
    CreateFunction: 19,
    ReplaceFunction: 19,
    SetFunctionComment: 19,
    CreateTrigger: 29,
    SetTriggerEnabled: 29,
    SetTriggerComment: 29,
    DropAggregate: 19,
    CreateAggregate: 19,
    SetAggregateComment: 19,
    DropEventTrigger: 9,
    CreateEventTrigger: 29,
    AlterEventTrigger: 29,
})


_RENAMES = (
    RenameTable, RenameColumn, RenameConstraint, RenameIndex, RenamePolicy, RenameEnum, RenameEnumValue, RenameView
)


def _rank(change: Change) -> int:
    # [privileges] Kinds added later carry their own tie-break rank (ORDER_RANK), after those above.
    rank = _RANK[type(change)] if type(change) in _RANK else int(getattr(change, "ORDER_RANK", 50))
    # Foreign keys go last among constraints (after the keys they reference) and first among
    # drops (before the keys they reference).
    if isinstance(change, AddConstraint) and isinstance(change.constraint, ForeignKey):
        return rank + 1
    if isinstance(change, DropConstraint) and isinstance(change.constraint, ForeignKey):
        return rank - 1
    return rank


def _edges(changes: Sequence[Change]) -> dict[tuple[int, int], str]:
    """Every edge "run u before v" between change positions, with the sentence saying why, in
    the order the rules find them (the first reason found for an edge is the one kept)."""
    edges: dict[tuple[int, int], str] = {}
    creators: dict[str, list[int]] = defaultdict(list)
    removers: dict[str, list[int]] = defaultdict(list)
    for i, change in enumerate(changes):
        for key in change.creates:
            creators[key].append(i)
        for key in change.removes:
            removers[key].append(i)

    def edge(u: int, v: int, why: str) -> None:
        if u != v and (u, v) not in edges:
            edges[u, v] = why

    for i, change in enumerate(changes):
        # Rule 1: create what a change needs before the change ("a table after its schema,
        # a column after its enum type, a foreign key after the key it references").
        for key in sorted(change.needs):
            for j in creators.get(key, ()):
                edge(j, i, f"{change.key} needs {key}, which {changes[j].key} creates")
        # Rule 2: a live object that depends on something goes before that something is removed
        # ("drop a foreign key before the primary key it references, an index before its column").
        for key in sorted(change.live_needs):
            for j in removers.get(key, ()):
                edge(i, j, f"{change.key} depends on {key}, which {changes[j].key} removes")
        # Rule 4: after a declared rename, live objects are known by their new names, so a
        # change to one of them runs after the rename that gives it that name ("drop the old
        # primary key of public.customers after renaming legacy.tbl_customers to it").
        for key in sorted(change.live_needs):
            for j in creators.get(key, ()):
                if isinstance(changes[j], _RENAMES):
                    edge(j, i, f"{change.key} is known as {key} only after {changes[j].key} renames it")
        # Rule 3: the old form of an object goes before its new form is created ("drop the
        # constraint before re-creating it under the same name").
        for key in sorted(change.creates):
            for j in removers.get(key, ()):
                edge(j, i, f"{changes[j].key} removes the old {key} before {change.key} creates it")
    # Rule 5: a role the plan creates comes before every other change: owners, grants,
    # policies and default privileges may name it, and creating a role needs nothing.
    roles = {i for i, change in enumerate(changes) if isinstance(change, CreateRole)}
    for i in sorted(roles):
        for j in range(len(changes)):
            if j not in roles:
                edge(i, j, f"{changes[i].key} exists before anything that may name it")
    return edges


def _as_graph(count: int, edges: dict[tuple[int, int], str]) -> nx.DiGraph[int]:
    """The networkx DiGraph of ``count`` changes and ``edges``, nodes and edges added in order."""
    import networkx as nx  # imported on first use: only a cycle (or a test) needs it

    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from(range(count))
    for (u, v), why in edges.items():
        graph.add_edge(u, v, why=why)
    return graph


def build_graph(changes: Sequence[Change]) -> nx.DiGraph[int]:
    """A DiGraph whose nodes are change positions and whose edges read "run u before v"."""
    return _as_graph(len(changes), _edges(changes))


def _stable_order(count: int, edges: Iterable[tuple[int, int]], rank: Sequence[int]) -> list[int] | None:
    """The stable topological order of ``count`` nodes: of the nodes whose predecessors have all
    run, the one with the lowest (rank, position) goes next; None when a cycle leaves some out.

    The keys are distinct, so this order is a function of the edges alone: the one networkx's
    ``lexicographical_topological_sort`` gives with the same key, without importing networkx (a
    tenth of a second of a plan with a few changes)."""
    successors: list[list[int]] = [[] for _ in range(count)]
    waiting = [0] * count
    for u, v in edges:
        successors[u].append(v)
        waiting[v] += 1
    ready = [(rank[i], i) for i in range(count) if not waiting[i]]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        _, node = heapq.heappop(ready)
        order.append(node)
        for child in successors[node]:
            waiting[child] -= 1
            if not waiting[child]:
                heapq.heappush(ready, (rank[child], child))
    return order if len(order) == count else None


def order_changes(changes: Sequence[Change]) -> list[Change]:
    """The changes in a safe, stable execution order; a cycle is a :class:`PlanRefused` naming it."""
    if not changes:
        return []
    edges = _edges(changes)
    order = _stable_order(len(changes), edges, [_rank(change) for change in changes])
    if order is None:
        import networkx as nx

        graph = _as_graph(len(changes), edges)
        cycle = nx.find_cycle(graph)
        steps = "; ".join(str(graph.edges[u, v]["why"]) for u, v in cycle)
        raise PlanRefused(
            f"the changes depend on each other in a cycle: {steps}",
            hint="split the change into two plans, or report this as a bug with the plan's --json output",
        )
    return [changes[i] for i in order]
