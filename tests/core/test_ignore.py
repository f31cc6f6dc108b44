"""Ignore patterns: globs over qualified names, by kind; ignored objects vanish from a model
(live tables stay known as external tables, so foreign keys may still point at them)."""

from __future__ import annotations

import pytest

from pgreconcile.errors import ReconcileError
from pgreconcile.ignore import Pattern, parse_patterns, without_ignored
from pgreconcile.model import Column, Enum, Schema, Table

TABLES = [("public", "legacy_orders"), ("public", "orders"), ("billing", "legacy_orders"), ("billing", "tmp_1")]
SCHEMA = Schema(
    enums={("public", n): Enum("public", n, ("x",)) for n in ("old_state", "mood")},
    tables={(s, n): Table(s, n, columns=(Column("id", "integer"),)) for s, n in TABLES},
    managed=frozenset({"public", "billing"}),
)


@pytest.mark.parametrize(
    ("patterns", "tables_left", "enums_left"),
    [
        pytest.param([], 4, 2, id="none"),
        pytest.param(["public.legacy_*"], 3, 2, id="qualified"),
        pytest.param(["legacy_*"], 2, 2, id="any-schema"),
        pytest.param(["table:billing.*"], 2, 2, id="schema-glob"),
        pytest.param(["enum:public.old_*"], 4, 1, id="enum"),
        pytest.param(["billing.tmp_?", "public.legacy_orders"], 2, 2, id="several"),
    ],
)
def test_patterns_select_what_is_ignored(patterns: list[str], tables_left: int, enums_left: int) -> None:
    result = without_ignored(SCHEMA, parse_patterns(patterns))
    assert (len(result.tables), len(result.enums)) == (tables_left, enums_left)
    for key in set(SCHEMA.tables) - set(result.tables):
        assert result.external_tables[key] == ("id",)


def test_kinds_and_bad_patterns() -> None:
    assert parse_patterns(["public.x", "enum:public.y"]) == (Pattern("table", "public.x"), Pattern("enum", "public.y"))
    with pytest.raises(ReconcileError, match="ignore pattern 'trigger_x:v' is not valid") as failure:
        parse_patterns(["trigger_x:v"], where="reconcile.toml:3")
    assert failure.value.where == "reconcile.toml:3"
    with pytest.raises(ReconcileError):
        parse_patterns(["table:"])


def test_functions_and_triggers_are_ignored_by_name_or_with_their_table() -> None:
    from pgreconcile.model import Function, Trigger

    functions = {f.key: f for f in (Function("public", "pgrst_watch"), Function("public", "touch"))}
    triggers = {
        ("public", "orders", "audit_x"): Trigger("public", "orders", "audit_x", ("public", "touch")),
        ("public", "orders", "keep"): Trigger("public", "orders", "keep", ("public", "touch")),
        ("public", "legacy_orders", "t"): Trigger("public", "legacy_orders", "t", ("public", "touch")),
    }
    schema = Schema(tables=SCHEMA.tables, functions=functions, triggers=triggers, managed=SCHEMA.managed)
    patterns = parse_patterns(["function:public.pgrst_*", "trigger:public.orders.audit_*", "public.legacy_*"])
    result = without_ignored(schema, patterns)
    assert [f.name for f in result.functions.values()] == ["touch"]
    assert list(result.triggers) == [("public", "orders", "keep")]


def test_statistics_and_rules_are_ignored_by_name_or_with_their_table() -> None:
    from pgreconcile.model.rules import Rule, RuleEvent
    from pgreconcile.model.statistics import Statistics

    stats = {
        ("public", "tmp_stats"): Statistics("public", "tmp_stats", "orders", ("a", "b")),
        ("public", "orders_stats"): Statistics("public", "orders_stats", "orders", ("a", "b")),
        ("public", "legacy_stats"): Statistics("public", "legacy_stats", "legacy_orders", ("a", "b")),
    }
    rules = {
        ("public", "orders", "audit_x"): Rule("public", "orders", "audit_x", RuleEvent.UPDATE),
        ("public", "orders", "keep"): Rule("public", "orders", "keep", RuleEvent.DELETE),
        ("public", "legacy_orders", "r"): Rule("public", "legacy_orders", "r", RuleEvent.INSERT),
    }
    schema = Schema(tables=SCHEMA.tables, statistics=stats, rules=rules, managed=SCHEMA.managed)
    patterns = parse_patterns(["statistics:public.tmp_*", "rule:public.orders.audit_*", "public.legacy_*"])
    result = without_ignored(schema, patterns)
    assert list(result.statistics) == [("public", "orders_stats")]
    assert list(result.rules) == [("public", "orders", "keep")]


def test_the_other_kinds_and_their_grants_and_owners() -> None:
    from pgreconcile.model import Domain, Sequence
    from pgreconcile.model.privileges import Grant, GrantKind, GrantTarget, ObjectGrants, ObjectOwner

    sequences = {("public", n): Sequence("public", n) for n in ("legacy_counter", "orders_seq")}
    domains = {("public", n): Domain("public", n, "text") for n in ("legacy_code", "code")}
    seq_target = GrantTarget(GrantKind.SEQUENCE, "public", "legacy_counter")
    type_target = GrantTarget(GrantKind.TYPE, "public", "legacy_code")
    kept_target = GrantTarget(GrantKind.SEQUENCE, "public", "orders_seq")
    usage = frozenset({Grant("reader", "usage")})
    grants = {t.key: ObjectGrants(t, usage) for t in (seq_target, type_target, kept_target)}
    owners = {t.key: ObjectOwner(t, "app") for t in (seq_target, kept_target)}
    schema = Schema(sequences=sequences, domains=domains, grants=grants, owners=owners, managed=SCHEMA.managed)
    result = without_ignored(schema, parse_patterns(["sequence:public.legacy_*", "domain:legacy_*"]))
    assert list(result.sequences) == [("public", "orders_seq")]
    assert list(result.domains) == [("public", "code")]
    assert [g.target for g in result.grants.values()] == [kept_target]
    assert [o.target for o in result.owners.values()] == [kept_target]
    # Nothing ignored: nothing goes.
    assert without_ignored(schema, parse_patterns(["sequence:public.other"])).grants == grants
