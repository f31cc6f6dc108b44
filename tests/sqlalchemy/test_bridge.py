"""The SQLAlchemy bridge on its own: what ``metadata.create_all()`` makes is what the bridge
declares (plan after create_all: no changes), a column declared by both the models and a YAML
file is refused naming both places, the config key works, and a bad target says what to write."""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from pgreconcile.cli import cli

sqlalchemy = pytest.importorskip("sqlalchemy", reason="SQLAlchemy is optional: pip install 'pgreconcile[sqlalchemy]'")

MODELS = '''
import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint, Column, DateTime, Enum, ForeignKey, ForeignKeyConstraint, Identity, Index, MetaData, Numeric,
    String, Table, Text, UniqueConstraint, text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData(schema="shop")


class Status(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("email", name="customers_email_key"),
        CheckConstraint("length(name) > 0", name="customers_name_nonempty"),
        {"comment": "People who buy."},
    )
    id: Mapped[int] = mapped_column(Identity(always=True), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(Text, comment="Display name.", index=True)
    data: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    joined: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        ForeignKeyConstraint(["customer_id"], ["shop.customers.id"], name="orders_customer_fk",
                             ondelete="CASCADE", deferrable=True, initially="DEFERRED"),
        Index("orders_open", "customer_id", postgresql_where=text("status = 'open'"), postgresql_include=["total"]),
        Index("orders_data", "notes", postgresql_using="hash"),
        Index("orders_notes_lower", text("lower(notes)")),
        CheckConstraint(text("total >= 0"), name="orders_total_positive"),
    )
    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    customer_id: Mapped[int]
    status: Mapped[Status] = mapped_column(
        Enum(Status, name="order_status", values_callable=lambda e: [m.value for m in e]),
        server_default="open",
    )
    total: Mapped[float] = mapped_column(Numeric(12, 2), server_default="0")
    notes: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("shop.orders.id", ondelete="SET NULL"))
    history: Mapped[list[Status] | None] = mapped_column(
        ARRAY(Enum(Status, name="order_status", values_callable=lambda e: [m.value for m in e]))
    )


# Table inheritance: the child table names its parent; its own columns only.
rush_orders = Table("rush_orders", Base.metadata, Column("deadline", DateTime(timezone=True)),
                    postgresql_inherits="orders")
rush_orders.add_is_dependent_on(Order.__table__)  # create_all makes the parent first
'''


def _module(tmp_path: Path, text: str) -> str:
    name = f"models_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(text))
    return name


def test_create_all_then_plan_has_no_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.chdir(tmp_path)
    module = _module(tmp_path, MODELS)
    (tmp_path / "reconcile.toml").write_text(f'sqlalchemy = "{module}:Base.metadata"\nschema_dir = "schema"\n')
    import importlib
    import sys

    sys.path.insert(0, str(tmp_path))
    try:
        metadata = importlib.import_module(module).Base.metadata
    finally:
        sys.path.remove(str(tmp_path))
    engine = sqlalchemy.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text("CREATE SCHEMA shop"))
        conn.execute(sqlalchemy.text("SET search_path = shop"))  # INHERITS ( orders ) is unqualified
        metadata.create_all(conn)
    engine.dispose()
    result = CliRunner().invoke(cli, ["plan", "-d", db_url, "--no-color"])
    assert result.exit_code == 0, result.output
    assert "No changes" in result.output, result.output
    assert f"schema/ (0 files) + {module}:Base.metadata" in result.output


def test_a_column_in_both_places_is_refused_naming_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    module = _module(tmp_path, MODELS)
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "extra.yaml").write_text(
        "schemas:\n  shop:\n    enums:\n      order_status: [open]\n    tables:\n      customers:\n"
        "        rls: true\n        columns:\n          email: text\n"
    )
    result = CliRunner().invoke(cli, ["validate", "--from-sqlalchemy", f"{module}:Base.metadata"])
    assert result.exit_code == 1, result.output
    assert (
        f"column email of table shop.customers is declared twice: by the SQLAlchemy models at {module}.py:30 "
        "and at schema/extra.yaml:9" in result.output
    )
    assert f"enum shop.order_status is declared twice: by the SQLAlchemy models at {module}.py:48" in result.output
    assert "Traceback" not in result.output


def test_yaml_completes_a_model_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    module = _module(tmp_path, MODELS)
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "extra.yaml").write_text(
        "schemas:\n  shop:\n    tables:\n      customers:\n        rls: true\n"
        "        policies:\n          own: {using: \"email = current_user\"}\n"
    )
    from pgreconcile.declare.directory import load_directory

    loaded = load_directory(Path("schema"), sqlalchemy=f"{module}:Base.metadata")
    table = loaded.schema.tables[("shop", "customers")]
    assert [c.name for c in table.columns] == ["id", "email", "name", "data", "joined"]
    assert table.comment == "People who buy."
    specs = {doc.file: doc.spec for doc in loaded.documents}
    merged = specs[f"{module}.py"].schemas["shop"].tables["customers"]
    assert merged.rls is not None and merged.rls.enabled
    assert list(merged.policies) == ["own"]
    assert "customers" not in specs["schema/extra.yaml"].schemas["shop"].tables


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("nosuchmodule_xyz:Base.metadata", "cannot import nosuchmodule_xyz: ModuleNotFoundError"),
        ("json", "'json' is not a MetaData target"),
        ("json:dumps", "json:dumps is a function, not a sqlalchemy MetaData"),
    ],
)
def test_a_bad_target_says_what_to_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "--from-sqlalchemy", target])
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert "package.module:Base.metadata" in result.output
    assert "Traceback" not in result.output


RENAMED = '''
from sqlalchemy import Identity, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = {"info": {"pgreconcile": {"renamed_from": "users"}}}
    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(Text, info={"pgreconcile": {"renamed_from": "mail"}})
'''


def test_renames_declared_in_info_keep_the_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    from conftest import run_sql

    run_sql(db_url, "CREATE TABLE users (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, mail text NOT NULL);"
                    "INSERT INTO users (mail) VALUES ('a@example.com');")
    monkeypatch.chdir(tmp_path)
    target = f"{_module(tmp_path, RENAMED)}:Base.metadata"
    runner = CliRunner()
    plan = runner.invoke(cli, ["plan", "--from-sqlalchemy", target, "-d", db_url, "--no-color"])
    assert plan.exit_code == 0, plan.output
    assert "public.users → public.accounts" in plan.output and "mail → email" in plan.output, plan.output
    applied = runner.invoke(cli, ["apply", "--from-sqlalchemy", target, "-d", db_url, "--auto-approve"])
    assert applied.exit_code == 0, applied.output
    import psycopg

    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT email FROM accounts").fetchall() == [("a@example.com",)]
