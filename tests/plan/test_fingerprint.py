"""Fingerprints: the same object gives the same hash in any process; any change to what the
database holds changes it; a plan fingerprints exactly the objects it touches."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pytest

from pgreconcile.model import Column, ForeignKey, Index, Origin, PrimaryKey, Schema, Table
from pgreconcile.model.text_search import TextSearchConfiguration, TextSearchDictionary
from pgreconcile.plan import make_plan
from pgreconcile.plan.fingerprint import canonical, changed_since, declarations_digest, digest
from pgreconcile.plan.model import ABSENT, Scope

USERS = Table(
    "public",
    "users",
    columns=(Column("id", "integer", nullable=False), Column("email", "text")),
    primary_key=PrimaryKey("users_pkey", ("id",)),
)
ORDERS = Table(
    "public",
    "orders",
    columns=(Column("id", "integer", nullable=False), Column("user_id", "integer")),
    primary_key=PrimaryKey("orders_pkey", ("id",)),
)
AUDIT = Table("public", "audit", columns=(Column("id", "integer"),))


def _schema(*tables: Table) -> Schema:
    return Schema(tables={(t.schema, t.name): t for t in tables}, managed=frozenset({"public"}))


def test_origin_and_declaration_hints_do_not_count() -> None:
    moved = dataclasses.replace(USERS, origin=Origin("schema/other.yaml", 40), prevent_destroy=True)
    assert digest(moved) == digest(USERS)
    assert digest(dataclasses.replace(USERS, comment="Users.")) != digest(USERS)
    assert digest(dataclasses.replace(USERS, columns=USERS.columns[:1])) != digest(USERS)
    assert digest(USERS).startswith("sha256:") and len(digest(USERS)) == len("sha256:") + 64


def test_sets_are_sorted_not_iterated() -> None:
    one = canonical(frozenset({"b", "a", "c"}))
    assert one == ["a", "b", "c"]
    assert canonical({("s", "t"): 1, ("a", "b"): 2}) == [[["a", "b"], 2], [["s", "t"], 1]]


_DIGEST_IN_SUBPROCESS = """
from pgreconcile.model import Schema
from pgreconcile.plan.fingerprint import digest
print(digest(Schema(managed=frozenset({"public", "billing", "core", "audit", "x", "y"}))))
"""


def test_the_hash_does_not_depend_on_the_process_hash_seed() -> None:
    outputs = {
        subprocess.run(
            [sys.executable, "-c", _DIGEST_IN_SUBPROCESS],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_a_plan_touches_the_changed_table_and_the_one_a_foreign_key_references() -> None:
    fk = ForeignKey("orders_user_id_fkey", ("user_id",), "public", "users", ("id",))
    unrelated = Table("public", "unrelated")
    desired = _schema(USERS, dataclasses.replace(ORDERS, foreign_keys=(fk,)), AUDIT, unrelated)
    live = _schema(USERS, ORDERS, unrelated)
    plan = make_plan(desired, live, source="s", target="t")
    assert plan.fingerprints == {
        "table:public.audit": ABSENT,  # created by the plan
        "table:public.orders": digest(ORDERS),
        "table:public.users": digest(USERS),  # referenced by the new foreign key
    }
    assert plan.scope == Scope(managed=("public",))


def test_an_index_change_touches_its_table() -> None:
    desired = _schema(dataclasses.replace(USERS, indexes=(Index("users_email_idx", ("email",)),)))
    plan = make_plan(desired, _schema(USERS), source="s", target="t")
    assert list(plan.fingerprints) == ["table:public.users"]


def test_changed_since_names_every_object_and_how() -> None:
    saved = {
        "table:public.audit": ABSENT,
        "table:public.orders": digest(ORDERS),
        "table:public.users": digest(USERS),
        "type:public.mood": ABSENT,
    }
    now = _schema(AUDIT, dataclasses.replace(ORDERS, comment="changed"))
    assert changed_since(saved, now) == [
        "table public.audit now exists (the plan creates it)",
        "table public.orders changed",
        "table public.users no longer exists",
    ]
    assert changed_since(saved, _schema(ORDERS, USERS)) == []


@pytest.mark.parametrize(
    ("edit", "same"),
    [
        pytest.param(lambda t: dataclasses.replace(t, origin=Origin("elsewhere.yaml", 9)), True, id="moved"),
        pytest.param(lambda t: dataclasses.replace(t, prevent_destroy=True), False, id="prevent-destroy"),
        pytest.param(lambda t: dataclasses.replace(t, comment="x"), False, id="comment"),
    ],
)
def test_the_declarations_digest(edit: object, same: bool) -> None:
    scope = Scope(managed=("public",))
    before = declarations_digest(_schema(USERS), scope)
    after = declarations_digest(_schema(edit(USERS)), scope)  # type: ignore[operator]
    assert (before == after) is same
    assert declarations_digest(_schema(USERS), Scope(managed=("public",), ignore=("x",))) != before


def test_the_declarations_digest_covers_text_search_objects() -> None:
    """A saved plan is refused when a declared dictionary or configuration changed since."""
    scope = Scope(managed=("public",))
    plain = TextSearchDictionary("public", "plain", ("pg_catalog", "simple"), (("stopwords", "english"),))
    docs = TextSearchConfiguration("public", "docs", ("pg_catalog", "default"),
                                   (("asciiword", (("public", "plain"),)),))
    before = declarations_digest(dataclasses.replace(_schema(USERS), ts_dictionaries={("public", "plain"): plain},
                                                     ts_configurations={("public", "docs"): docs}), scope)
    assert before != declarations_digest(_schema(USERS), scope)
    changed = dataclasses.replace(docs, mappings=(("word", (("public", "plain"),)),))
    assert before != declarations_digest(
        dataclasses.replace(_schema(USERS), ts_dictionaries={("public", "plain"): plain},
                            ts_configurations={("public", "docs"): changed}), scope)


def test_owners_of_the_wanted_keys_are_those_of_the_whole_index() -> None:
    # touched() indexes only the parts its keys can name; names with dots make keys of two
    # tables collide ("column:a.b.c.d"), and the last one indexed must still be the answer.
    import random

    from pgreconcile.model import CheckConstraint, MaterializedView, Policy, View
    from pgreconcile.plan.fingerprint import owners_of_parts

    def table(schema: str, name: str) -> Table:
        return Table(
            schema, name, columns=(Column("d", "integer"), Column("e.f", "text")),
            primary_key=PrimaryKey(f"{name}.pk", ("d",)), checks=(CheckConstraint("c", "d > 0"),),
            indexes=(Index("i.j", ("d",)), Index(f"{name}_idx", ("d",))), policies=(Policy("p"),),
        )

    live = Schema(
        tables={(t.schema, t.name): t for t in (table("a.b", "c"), table("a", "b.c"), table("a", "x"))},
        views={("a", "v"): View("a", "v", "SELECT 1 AS d", columns=(("d", "integer"),))},
        materialized_views={("a.b", "c"): MaterializedView("a.b", "c", "SELECT 1", indexes=(Index("m", ("d",)),))},
        managed=frozenset({"a", "a.b"}),
    )
    desired = Schema(tables={("a", "b.c"): table("a", "b.c"), ("z", "y"): table("z", "y")}, managed=live.managed)
    everything = owners_of_parts(live, desired)
    keys = [*sorted(everything), "column:a.nothing.d", "index:a.b", "index:z", "policy:a.b.c.q", "table:q.r"]
    rng = random.Random(7)
    for size in (1, 2, 3, 5, 8, len(keys)):
        for _ in range(30):
            wanted = rng.sample(keys, size)
            some = owners_of_parts(live, desired, wanted=wanted)
            assert {k: some.get(k) for k in wanted} == {k: everything.get(k) for k in wanted}
    assert everything["column:a.b.c.d"] == "table:a.b.c"  # two tables spell it; the test covers a collision
