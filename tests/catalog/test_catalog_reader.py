"""read_schema against a real PostgreSQL: every model field, mapped from a schema built in SQL.

``shop.sql`` builds a managed schema ``app`` with every column, constraint and index shape the
model knows, plus unmanaged schemas (``auth``, ``other``) that must only show up as external
tables. The expected objects below are written out in full, so any field the reader gets
wrong fails a comparison.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from conftest import run_sql
from pgreconcile.catalog import read_catalog, read_schema
from pgreconcile.model.objects import (
    CheckConstraint,
    Column,
    Enum,
    Extension,
    FkAction,
    ForeignKey,
    IdentityKind,
    Index,
    IndexMethod,
    Namespace,
    PrimaryKey,
    UniqueConstraint,
)
from pgreconcile.model.schema import Schema

SHOP_SQL = (Path(__file__).parent / "shop.sql").read_text()


@pytest.fixture
def shop(db_url: str, db_conn: psycopg.Connection[Any]) -> Schema:
    """The ``app`` schema of shop.sql, as read back."""
    run_sql(db_url, SHOP_SQL)
    return read_schema(db_conn, ["app"])


def test_namespace_with_comment_and_only_managed_ones(shop: Schema) -> None:
    assert shop.namespaces == {"app": Namespace("app", comment="the application")}
    assert shop.managed == frozenset({"app"})


def test_extensions_with_their_schema_and_without_plpgsql(shop: Schema) -> None:
    assert shop.extensions == {"citext": Extension("citext", schema="public")}


def test_enums_in_sort_order_with_comment_and_unmanaged_ones_left_out(shop: Schema) -> None:
    assert shop.enums == {
        # 'owner' was added BEFORE 'admin': label order is enumsortorder, not creation order.
        ("app", "user_role"): Enum(
            "app", "user_role", ("owner", "admin", "member", "guest"), comment="who may do what"
        ),
        ("app", "nothing"): Enum("app", "nothing", ()),
    }


def test_tables_are_ordinary_and_partitioned_ones_but_not_partitions_views_or_sequences(
    shop: Schema,
) -> None:
    assert sorted(shop.tables) == [
        ("app", "Order Items"),
        ("app", "accounts"),
        ("app", "base"),
        ("app", "child"),
        ("app", "events"),
        ("app", "people"),
    ]


def test_external_tables_are_every_unmanaged_table_with_its_columns(shop: Schema) -> None:
    assert shop.external_tables == {
        ("auth", "users"): ("id", "email"),
        ("other", "hidden"): ("x", "y"),
        ("other", "empty"): (),
    }


def test_columns_types_defaults_identity_and_comments(shop: Schema) -> None:
    accounts = shop.tables[("app", "accounts")]
    assert accounts.comment == "money"
    assert accounts.columns == (
        Column("id", "bigint", nullable=False, identity=IdentityKind.ALWAYS),
        Column("seq", "integer", nullable=False, identity=IdentityKind.BY_DEFAULT),
        Column("code", "character varying(20)", nullable=False, comment="external code"),
        Column("balance", "numeric(10,2)", nullable=False, default="0"),
        Column("ratio", "numeric"),
        Column("tags", "text[]", nullable=False, default="'{}'::text[]"),
        # PostgreSQL does not keep array dimensions: integer[][] is integer[].
        Column("grid", "integer[]"),
        Column("role", "app.user_role", nullable=False, default="'member'::app.user_role"),
        Column("email", "public.citext"),
        Column("created_at", "timestamp with time zone", nullable=False, default="now()"),
        Column("local_at", "timestamp(3) without time zone"),
        Column("flag", "boolean"),
        Column("data", "jsonb"),
        Column("during", "tstzrange"),
        Column("initials", "character(2)"),
    )


def test_quoted_mixed_case_names_come_back_unquoted(shop: Schema) -> None:
    items = shop.tables[("app", "Order Items")]
    assert items.name == "Order Items"
    assert [c.name for c in items.columns] == ["Id", "item_role", "item_code", "account_id", "user_id", "qty"]
    assert items.column("Id") == Column("Id", "uuid", nullable=False, default="gen_random_uuid()")
    assert items.primary_key == PrimaryKey("Order Items_pkey", ("Id",))


def test_primary_key_unique_and_check_constraints(shop: Schema) -> None:
    accounts = shop.tables[("app", "accounts")]
    assert accounts.primary_key == PrimaryKey("accounts_pkey", ("id",))
    assert accounts.uniques == (
        UniqueConstraint("accounts_code_role_key", ("code", "role")),
        UniqueConstraint("accounts_email_key", ("email",), deferrable=True, initially_deferred=True),
        UniqueConstraint("accounts_seq_key", ("seq",), deferrable=True, initially_deferred=False),
    )
    assert accounts.checks == (CheckConstraint("accounts_balance_check", "(balance >= (0)::numeric)"),)
    assert shop.tables[("app", "Order Items")].checks == (
        CheckConstraint("Order Items_qty_check", "(qty > 0)"),
    )


def test_foreign_keys_with_actions_deferral_and_column_order(shop: Schema) -> None:
    assert shop.tables[("app", "Order Items")].foreign_keys == (
        ForeignKey(
            "order_account_fkey", ("account_id",), "app", "accounts", ("id",),
            on_delete=FkAction.CASCADE, on_update=FkAction.RESTRICT,
        ),
        # Declared as (item_code, item_role) although item_role comes first in the table:
        # the constraint's own column order is kept, on both sides.
        ForeignKey(
            "order_pair_fkey", ("item_code", "item_role"), "app", "accounts", ("code", "role"),
            on_delete=FkAction.SET_DEFAULT, on_update=FkAction.SET_NULL,
        ),
        ForeignKey(
            "order_user_fkey", ("user_id",), "auth", "users", ("id",),
            on_delete=FkAction.SET_NULL, on_update=FkAction.NO_ACTION,
            deferrable=True, initially_deferred=True,
        ),
    )


def test_indexes_of_every_shape_and_none_that_back_constraints(shop: Schema) -> None:
    by_name = {i.name: i for i in shop.tables[("app", "accounts")].indexes}
    # accounts_pkey, the three unique constraints and the exclusion constraint own indexes too;
    # those are constraints, not secondary indexes.
    assert sorted(by_name) == [
        "accounts_balance_x2_idx",
        "accounts_code_c_idx",
        "accounts_code_covering_idx",
        "accounts_code_hash",
        "accounts_code_pattern_idx",
        "accounts_created_brin",
        "accounts_data_idx",
        "accounts_during_idx",
        "accounts_flagged_idx",
        "accounts_local_nulls_idx",
        "accounts_lower_code_idx",
        "accounts_ratio_desc_idx",
        "accounts_role_created_idx",
        "accounts_tags_idx",
    ]
    expected = [
        # A bare function call is wrapped like any other expression.
        Index("accounts_lower_code_idx", ("(lower(code::text))",)),
        Index("accounts_balance_x2_idx", ("(balance * 2::numeric)",), unique=True),
        Index("accounts_role_created_idx", ("role", "created_at DESC")),
        Index("accounts_flagged_idx", ("created_at",), where="flag"),
        Index("accounts_local_nulls_idx", ("local_at NULLS FIRST",)),
        Index("accounts_ratio_desc_idx", ("ratio DESC NULLS LAST",)),
        Index("accounts_tags_idx", ("tags",), method=IndexMethod.GIN),
        Index("accounts_data_idx", ("data jsonb_path_ops",), method=IndexMethod.GIN),
        Index("accounts_during_idx", ("during",), method=IndexMethod.GIST),
        Index("accounts_created_brin", ("created_at",), method=IndexMethod.BRIN),
        Index("accounts_code_hash", ("code",), method=IndexMethod.HASH),
        Index("accounts_code_covering_idx", ("code",), include=("balance", "flag")),
        Index("accounts_code_c_idx", ('code COLLATE "C"',)),
        Index("accounts_code_pattern_idx", ("code varchar_pattern_ops",)),
    ]
    for index in expected:
        assert by_name[index.name] == index
    assert shop.tables[("app", "Order Items")].indexes == (
        Index("Order Items_Id_qty_idx", ('"Id"', "qty")),
    )


def test_indexes_are_sorted_by_name(shop: Schema) -> None:
    names = [i.name for i in shop.tables[("app", "accounts")].indexes]
    assert names == sorted(names)


def test_partitioned_table_keeps_its_key_and_inherited_checks_stay_with_the_parent(shop: Schema) -> None:
    assert shop.tables[("app", "events")].primary_key == PrimaryKey("events_pkey", ("id", "at"))
    assert shop.tables[("app", "base")].checks == (CheckConstraint("base_n_check", "(n > 0)"),)
    child = shop.tables[("app", "child")]
    # [inheritance] the child's own columns; n is the parent's (and so is its CHECK)
    assert [c.name for c in child.columns] == ["extra"]
    assert [c.name for c in child.inherited_columns] == ["n"]
    assert child.inherits == (("app", "base"),)
    assert child.checks == ()


def test_generated_column_is_read_with_its_expression_and_no_default(
    db_url: str, db_conn: psycopg.Connection[Any]
) -> None:
    run_sql(db_url, SHOP_SQL)
    result = read_catalog(db_conn, ["app"])
    column = result.schema.tables[("app", "people")].column("full_name")
    assert column == Column("full_name", "text", generated="((first || ' '::text) || last)")
    assert not any("full_name" in note for note in result.notes)


def test_exclusion_constraint_is_read(db_url: str, db_conn: psycopg.Connection[Any]) -> None:
    run_sql(db_url, SHOP_SQL)
    result = read_catalog(db_conn, ["app"])
    [exclusion] = result.schema.tables[("app", "accounts")].exclusions
    assert exclusion.name == "accounts_during_excl"
    assert exclusion.method.value == "gist" and all(" WITH " in e for e in exclusion.elements)
    assert not any("accounts_during_excl" in note for note in result.notes)


def test_invalid_index_is_reported_and_noted(db_url: str, db_conn: psycopg.Connection[Any]) -> None:
    run_sql(db_url, "CREATE TABLE public.t (v integer); INSERT INTO public.t VALUES (1), (1);")
    # A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind.
    with pytest.raises(psycopg.errors.UniqueViolation):
        db_conn.execute("CREATE UNIQUE INDEX CONCURRENTLY t_v_idx ON public.t (v)")
    result = read_catalog(db_conn, ["public"])
    assert result.schema.tables[("public", "t")].indexes == (Index("t_v_idx", ("v",), unique=True),)
    assert any("t_v_idx" in note and "INVALID" in note for note in result.notes)


def test_index_with_unknown_access_method_is_left_out_and_noted(
    db_url: str, db_conn: psycopg.Connection[Any]
) -> None:
    available = db_conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'bloom'").fetchone()
    if available is None:
        pytest.skip("the bloom extension is not available on this server")
    run_sql(
        db_url,
        "CREATE EXTENSION bloom; CREATE TABLE public.t (a integer, b integer);"
        "CREATE INDEX t_bloom ON public.t USING bloom (a, b); CREATE INDEX t_a ON public.t (a);",
    )
    result = read_catalog(db_conn, ["public"])
    assert [i.name for i in result.schema.tables[("public", "t")].indexes] == ["t_a"]
    assert any("t_bloom" in note and "bloom" in note for note in result.notes)


def test_unmanaged_schemas_are_not_read(db_url: str, db_conn: psycopg.Connection[Any]) -> None:
    run_sql(db_url, SHOP_SQL)
    live = read_schema(db_conn, ["other"])
    assert set(live.tables) == {("other", "hidden"), ("other", "empty")}
    assert set(live.enums) == {("other", "mood")}
    assert set(live.namespaces) == {"other"}
    assert ("app", "accounts") in live.external_tables
    assert ("other", "hidden") not in live.external_tables


def test_a_managed_schema_that_does_not_exist_is_managed_but_absent(
    db_url: str, db_conn: psycopg.Connection[Any]
) -> None:
    live = read_schema(db_conn, ["public", "not_there"])
    assert live.managed == frozenset({"public", "not_there"})
    assert set(live.namespaces) == {"public"}
    assert live.tables == {}


def test_schema_names_are_passed_as_parameters_not_pasted(
    db_url: str, db_conn: psycopg.Connection[Any]
) -> None:
    # A schema whose name would break (or inject into) SQL if it were pasted into the text.
    weird = "x'); DROP TABLE public.keep; --"
    run_sql(
        db_url,
        'CREATE TABLE public.keep (k integer);'
        'CREATE SCHEMA "x\'); DROP TABLE public.keep; --";'
        'CREATE TABLE "x\'); DROP TABLE public.keep; --"."Mixed Case" ("Col" integer);',
    )
    live = read_schema(db_conn, [weird])
    assert set(live.tables) == {(weird, "Mixed Case")}
    assert live.tables[(weird, "Mixed Case")].columns == (Column("Col", "integer"),)
    assert ("public", "keep") in live.external_tables
