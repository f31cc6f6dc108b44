"""Ordering: every edge that matters, a stable order, and cycles named in words."""

from __future__ import annotations

import pytest

from pgreconcile.diff.changes import (
    AddConstraint,
    Change,
    CreateTable,
    DropConstraint,
    DropTable,
    constraint_key,
    table_key,
)
from pgreconcile.diff.compare import compare
from pgreconcile.errors import PlanRefused
from pgreconcile.model import (
    Column,
    Enum,
    ForeignKey,
    Index,
    Namespace,
    PrimaryKey,
    Schema,
    Table,
)
from pgreconcile.order.graph import order_changes


def _schema(*tables: Table, enums: tuple[Enum, ...] = (), namespaces: tuple[str, ...] = ("public",)) -> Schema:
    return Schema(
        namespaces={n: Namespace(n) for n in namespaces},
        enums={(e.schema, e.name): e for e in enums},
        tables={(t.schema, t.name): t for t in tables},
        managed=frozenset(namespaces),
    )


def _table(name: str, *fks: ForeignKey, schema: str = "public", extra: tuple[Column, ...] = ()) -> Table:
    cols = (Column("id", "uuid", nullable=False), *extra, *(Column(fk.columns[0], "uuid") for fk in fks))
    return Table(schema, name, cols, PrimaryKey(f"{name}_pkey", ("id",)), foreign_keys=fks)


def _fk(table: str, column: str, target: str, schema: str = "public") -> ForeignKey:
    return ForeignKey(f"{table}_{column}_fkey", (column,), schema, target, ("id",))


def _keys(changes: list[Change]) -> list[str]:
    return [f"{c.action.symbol} {c.key}" for c in changes]


def test_new_tables_come_before_foreign_keys_that_reference_them() -> None:
    parent = _table("parent")
    child = _table("child", _fk("child", "parent_id", "parent"))
    ordered = order_changes(compare(_schema(child, parent), _schema()).changes)
    keys = _keys(ordered)
    assert keys.index(f"+ {table_key('public', 'parent')}") < keys.index(
        f"+ {constraint_key('public', 'child', 'child_parent_id_fkey')}"
    )
    assert isinstance(ordered[-1], AddConstraint)


def test_new_schema_and_enum_come_before_the_table_using_them() -> None:
    mood = Enum("app", "mood", ("happy", "sad"))
    table = Table("app", "people", (Column("mood", "app.mood"),))
    ordered = order_changes(compare(_schema(table, enums=(mood,), namespaces=("app",)), _schema()).changes)
    assert _keys(ordered) == ["+ schema:app", "+ type:app.mood", "+ table:app.people"]


def test_foreign_key_is_dropped_before_the_primary_key_it_references() -> None:
    parent = _table("parent")
    child = _table("child", _fk("child", "parent_id", "parent"))
    desired_parent = Table("public", "parent", parent.columns, None)
    desired_child = Table("public", "child", child.columns, child.primary_key)
    ordered = order_changes(compare(_schema(desired_child, desired_parent), _schema(child, parent)).changes)
    keys = _keys(ordered)
    assert keys.index("- constraint:public.child.child_parent_id_fkey") < keys.index(
        "- constraint:public.parent.parent_pkey"
    )


def test_mutually_referencing_tables_are_dropped_after_their_foreign_keys() -> None:
    a = _table("a", _fk("a", "b_id", "b"))
    b = _table("b", _fk("b", "a_id", "a"))
    ordered = order_changes(compare(_schema(), _schema(a, b)).changes)
    kinds = [type(c) for c in ordered]
    assert kinds == [DropConstraint, DropConstraint, DropTable, DropTable]


def test_index_on_a_retyped_column_is_dropped_before_and_created_after() -> None:
    live = Table("public", "t", (Column("code", "integer"),), indexes=(Index("t_code_idx", ("code",)),))
    desired = Table("public", "t", (Column("code", "bigint"),), indexes=(Index("t_code_idx", ("code DESC",)),))
    ordered = order_changes(compare(_schema(desired), _schema(live)).changes)
    assert _keys(ordered) == ["- index:public.t_code_idx", "~ column:public.t.code", "+ index:public.t_code_idx"]


def test_the_same_input_gives_the_same_order_every_time() -> None:
    tables = [_table(f"t{i}", _fk(f"t{i}", "prev_id", f"t{i - 1}")) if i else _table("t0") for i in range(12)]
    desired = _schema(*reversed(tables))
    first = _keys(order_changes(compare(desired, _schema()).changes))
    for _ in range(5):
        assert _keys(order_changes(compare(_schema(*tables), _schema()).changes)) == first


def test_a_cycle_is_refused_with_the_reason_of_each_edge() -> None:
    one = CreateTable(Table("public", "x"), needs=frozenset({"k:2"}), creates=frozenset({"k:1"}))
    two = CreateTable(Table("public", "y"), needs=frozenset({"k:1"}), creates=frozenset({"k:2"}))
    with pytest.raises(PlanRefused, match=r"cycle: .*needs k:\d, which table:public\.\w creates"):
        order_changes([one, two])


def test_the_order_is_the_one_networkx_gives_on_random_graphs() -> None:
    # order_changes sorts without networkx; its stable order must stay the lexicographical
    # topological order networkx gives with the same key, edge for edge, cycle or not.
    import random

    import networkx as nx

    from pgreconcile.order.graph import _stable_order

    rng = random.Random(20)
    cycles = 0
    for _ in range(400):
        count = rng.randint(1, 30)
        rank = [rng.randint(0, 5) for _ in range(count)]
        shuffled = list(range(count))
        rng.shuffle(shuffled)  # a hidden topological order, broken now and then by a back edge
        edges = {(shuffled[a], shuffled[b]) for a in range(count) for b in range(a + 1, count) if rng.random() < 0.15}
        if count > 1 and rng.random() < 0.2:
            a, b = sorted(rng.sample(range(count), 2))
            edges.add((shuffled[b], shuffled[a]))
        graph: nx.DiGraph[int] = nx.DiGraph()
        graph.add_nodes_from(range(count))
        graph.add_edges_from(edges)
        try:
            expected: list[int] | None = list(nx.lexicographical_topological_sort(graph, key=lambda i: (rank[i], i)))
        except nx.NetworkXUnfeasible:
            expected = None
            cycles += 1
        assert _stable_order(count, edges, rank) == expected
    assert 10 < cycles < 200  # both kinds of graph were tried
