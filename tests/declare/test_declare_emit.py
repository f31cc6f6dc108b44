"""Model → YAML (``reconcile inspect``): readable short forms, and a lossless round trip.

The models here are built the way the catalog reader builds them from a live database:
``format_type`` type names, defaults and CHECKs as ``pg_get_expr`` prints them, index elements as
the reader writes them, constraints and indexes sorted by name, extensions with their schema.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pgreconcile.declare import load_files
from pgreconcile.emit.to_yaml import HEADER, emit_yaml
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
    Table,
    UniqueConstraint,
)
from pgreconcile.model.schema import Schema
from pgreconcile.normalize.expressions import equivalent


def shop() -> Schema:
    """A live-shaped schema touching every kind of object and every short form."""
    products = Table(
        "public",
        "products",
        columns=(
            Column("id", "bigint", nullable=False, identity=IdentityKind.BY_DEFAULT),
            Column("sku", "character varying(20)", nullable=False),
            Column("name", "text", nullable=False, default="'unnamed'::text", comment="Shown to buyers."),
            Column("price", "numeric(10,2)", nullable=False, default="0"),
            Column("discount", "numeric", default="'-1.5'::numeric"),
            Column("status", "public.product_status", nullable=False, default="'draft'::public.product_status"),
            Column("tags", "text[]", default="'{}'::text[]"),
            Column("attrs", "jsonb", nullable=False, default="""'{"a": 1}'::jsonb"""),
            Column("created_at", "timestamp(3) with time zone", nullable=False, default="now()"),
            # As the catalog prints it: qualified (a declared nextval('seq') is qualified the same way).
            Column("legacy_id", "integer", default="nextval('public.products_legacy_id_seq'::regclass)"),
            Column("on", "boolean", default="true"),
            Column("Mixed Case", "character(2)", default="'ab'::bpchar"),
            Column("weight", "real", default="'5'::real"),
            Column("notes", "text"),
        ),
        primary_key=PrimaryKey("products_pkey", ("id",)),
        uniques=(
            UniqueConstraint("products_name_status_key", ("name", "status")),
            UniqueConstraint("products_sku_key", ("sku",)),
            UniqueConstraint("sku_covering", ("sku",), include=("name",), options=(("fillfactor", "70"),)),
            UniqueConstraint("sku_deferred", ("sku", "name"), deferrable=True, initially_deferred=True),
        ),
        checks=(
            CheckConstraint("products_check", "(discount < price)"),
            CheckConstraint("products_price_check", "(price > (0)::numeric)"),
            CheckConstraint("sku_format", "((sku)::text ~ '^[A-Z]+$'::text)"),
        ),
        indexes=(
            Index("products_attrs_idx", ("attrs",), method=IndexMethod.GIN),
            Index("products_created_at_idx", ("created_at DESC",)),
            Index(
                "products_lower_name_idx",
                ("(lower(name))",),
                unique=True,
                where="(status <> 'retired'::public.product_status)",
            ),
            Index(
                "products_sku_idx",
                ("sku text_pattern_ops", '"Mixed Case" DESC NULLS LAST'),
                include=("notes",),
            ),
        ),
        comment="Things we sell.",
    )
    orders = Table(
        "public",
        "orders",
        columns=(
            Column("shop_id", "integer", nullable=False),
            Column("order_no", "integer", nullable=False),
            Column("product_id", "bigint"),
            Column("buyer", "uuid", nullable=False),
            Column("session_id", "uuid"),
            Column("email", "extensions.citext"),
            Column("state", 'app."OrderState"', default="""'New'::app."OrderState\""""),
        ),
        primary_key=PrimaryKey("orders_pk", ("shop_id", "order_no")),
        foreign_keys=(
            ForeignKey("fk_orders_product", ("product_id",), "public", "products", ("id",), FkAction.SET_NULL),
            ForeignKey("orders_buyer_fkey", ("buyer",), "auth", "users", ("id",), FkAction.CASCADE),
            ForeignKey(
                "orders_session_id_fkey",
                ("session_id",),
                "core",
                "sessions",
                ("id",),
                on_update=FkAction.CASCADE,
                deferrable=True,
                initially_deferred=True,
            ),
        ),
    )
    sessions = Table(
        "core",
        "sessions",
        columns=(Column("id", "uuid", nullable=False, default="gen_random_uuid()"),),
        primary_key=PrimaryKey("sessions_pkey", ("id",)),
    )
    parents = Table(
        "app",
        "OrderParents",
        columns=(Column("shop_id", "integer", nullable=False), Column("order_no", "integer", nullable=False)),
        foreign_keys=(
            ForeignKey(
                "OrderParents_shop_id_order_no_fkey",
                ("shop_id", "order_no"),
                "public",
                "orders",
                ("shop_id", "order_no"),
            ),
        ),
    )
    return Schema(
        namespaces={
            "app": Namespace("app"),
            "core": Namespace("core", "Sessions and such."),
            "public": Namespace("public", "standard public schema"),
        },
        extensions={"citext": Extension("citext", "extensions"), "pgcrypto": Extension("pgcrypto", "public")},
        enums={
            ("app", "OrderState"): Enum("app", "OrderState", ("New", "Paid")),
            ("public", "product_status"): Enum("public", "product_status", ("draft", "live", "retired"), "Lifecycle."),
        },
        tables={
            ("app", "OrderParents"): parents,
            ("core", "sessions"): sessions,
            ("public", "orders"): orders,
            ("public", "products"): products,
        },
        managed=frozenset({"app", "core", "public"}),
    )


def reload(text: str, tmp_path: Path) -> Schema:
    path = tmp_path / "inspected.yaml"
    path.write_text(text, encoding="utf-8")
    return load_files([path])


def test_round_trip_is_lossless(tmp_path: Path) -> None:
    schema = shop()
    loaded = reload(emit_yaml(schema), tmp_path)
    assert loaded == schema
    # Expressions are kept as written, so they are equal as text, not only equivalent.
    for key, table in schema.tables.items():
        for mine, back in zip(table.checks, loaded.tables[key].checks, strict=True):
            assert equivalent(mine.expression, back.expression)


def test_emitting_is_deterministic(tmp_path: Path) -> None:
    text = emit_yaml(shop())
    assert emit_yaml(reload(text, tmp_path)) == text


@pytest.mark.parametrize(
    "line",
    [
        "          notes: text",
        "          id: {type: bigint, primary_key: true, identity: by default}",
        "          sku: {type: varchar(20), nullable: false, unique: true}",
        "          name: {type: text, nullable: false, default: unnamed, comment: Shown to buyers.}",
        "          price: {type: 'numeric(10,2)', nullable: false, default: 0, check: '(price > (0)::numeric)'}",
        "          discount: {type: numeric, default: -1.5}",
        "          status: {type: product_status, nullable: false, default: draft}",
        "          tags: {type: 'text[]', default: '{}'}",
        "          created_at: {type: timestamptz(3), nullable: false, default_sql: now()}",
        "          'on': {type: boolean, default: true}",
        "          Mixed Case: {type: char(2), default: ab}",
        "          shop_id: integer",
        "          weight: {type: real, default_sql: '''5''::real'}",
        "          product_id: bigint",
        "            references: {table: auth.users, column: id, on_delete: cascade}",
        "          email: citext",
        "          state: {type: OrderState, default: New}",
        "        primary_key: {name: orders_pk, columns: [shop_id, order_no]}",
        "          products_check: (discount < price)",
        "          products_created_at_idx: {columns: [created_at DESC]}",
        "            references: {table: products, columns: [id]}",
        "            on_delete: set null",
        "              initially_deferred: true",
        "          sku_format: '((sku)::text ~ ''^[A-Z]+$''::text)'",
        "          legacy_id: {type: integer, default_sql: 'nextval(''public.products_legacy_id_seq''::regclass)'}",
        "          sku_deferred: {columns: [sku, name], deferrable: true, initially_deferred: true}",
        "          sku_covering: {columns: [sku], include: [name], options: {fillfactor: '70'}}",
        "          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid()}",
        "      product_status: {values: [draft, live, retired], comment: Lifecycle.}",
        "  citext: {schema: extensions}",
        "    comment: Sessions and such.",
    ],
)
def test_short_forms(line: str) -> None:
    assert line in emit_yaml(shop()).splitlines()


def test_layout() -> None:
    text = emit_yaml(shop())
    assert text.startswith(HEADER + "\nversion: 1\n\nextensions:\n")
    lines = text.splitlines()
    schemas = [line for line in lines if line.startswith("  ") and not line.startswith("   ")]
    assert schemas == [
        "  citext: {schema: extensions}",
        "  pgcrypto: {schema: public}",
        "  app:",
        "  core:",
        "  public:",
    ]
    public_tables = [line.strip() for line in lines if line.startswith("      ") and not line.startswith("       ")]
    assert public_tables.index("orders:") < public_tables.index("products:")
    assert all(len(line) <= 110 for line in lines)
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_a_long_scalar_stays_on_its_line() -> None:
    long_check = "(" + " AND ".join(f"(price > ({n})::numeric)" for n in range(8)) + ")"
    table = Table("public", "t", columns=(Column("price", "numeric"),), checks=(CheckConstraint("t_many", long_check),))
    text = emit_yaml(
        Schema(
            namespaces={"public": Namespace("public")},
            tables={("public", "t"): table},
            managed=frozenset({"public"}),
        )
    )
    assert f"          t_many: '{long_check}'" in text.splitlines()


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "with: colon",
        "#hash",
        "it's",
        "line\nbreak",
        "tab\there",
        "yes",
        "null",
        "123",
        "",
        " padded ",
        "ünïcödé",
        "-dash",
        "[x]",
        "a, b",
        "\x07bell",
        "emoji 😀",
        "true",
    ],
)
def test_comments_of_any_text_round_trip(value: str, tmp_path: Path) -> None:
    schema = Schema(namespaces={"public": Namespace("public", value)}, managed=frozenset({"public"}))
    assert reload(emit_yaml(schema), tmp_path) == schema


def test_empty_schema(tmp_path: Path) -> None:
    schema = Schema(namespaces={"app": Namespace("app")}, managed=frozenset({"app"}))
    text = emit_yaml(schema)
    assert text.endswith("schemas:\n  app: {}\n")
    assert reload(text, tmp_path) == schema
