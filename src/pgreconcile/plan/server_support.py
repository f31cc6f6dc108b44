"""Declarations that need a newer PostgreSQL than the server planned against.

A declaration the server cannot hold — a ``NOT ENFORCED`` check on PostgreSQL 17, a named NOT
NULL on 17, a temporal key on 16 — would otherwise be planned and fail mid-apply with a syntax
error (or, for a name, never converge). It is refused while planning instead, before any
statement runs, with where it was declared and what to do: one error per declaration, all of
them at once, exit code 1.

Only what PostgreSQL would print differently is refused: a NOT NULL under the name the server
gives by itself is what every older server holds too (SQL files read in a newer scratch server
have those names). What an older server has no words for at all — NULLS NOT DISTINCT, a view's
security_invoker, a publication's column list, row filter or schemas (15), a collation's rules
(16), the privilege MAINTAIN, the collation provider builtin, an exclusion constraint on a
partitioned table (17) — is refused here too, whether the object is new or not (the
probe of NULLS NOT DISTINCT, probe/choose.py, only ever saw a key added to an existing table).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from pgreconcile.errors import DeclarationError, DeclarationErrors
from pgreconcile.model import Schema
from pgreconcile.model.objects import (
    Origin,
    Table,
    default_not_null_name,
    given_to_partition,
    named_not_null,
    passed_to_partitions,
)
from pgreconcile.model.partitions import Partition
from pgreconcile.model.privileges import Grant
from pgreconcile.model.subscriptions import DEFAULT_PUBLISHER_ORIGIN, streaming_default


@dataclass(frozen=True, slots=True)
class Feature:
    """A PostgreSQL feature declarations can ask for: what it is, the first major that has it,
    and the declaration key (YAML; Python's keyword of the same name) that asks for it."""

    what: str
    major: int
    key: str
    instead: str = ""  # what else the declaration can say
    in_sql: str = "the clause"  # what to remove from a .sql file


NOT_ENFORCED = Feature("NOT ENFORCED", 18, "enforced: false")
WITHOUT_OVERLAPS = Feature("a temporal key (WITHOUT OVERLAPS)", 18, "without_overlaps: true")
PERIOD = Feature("a temporal foreign key (PERIOD)", 18, "period: true")
NAMED_NOT_NULL = Feature("a named NOT NULL constraint", 18, "not_null: <name>", " (`nullable: false` instead)")
NAMED_PARTITION_NOT_NULL = Feature("a named NOT NULL constraint on a partition", 18, "not_null_names")
NAMED_DOMAIN_NOT_NULL = Feature(
    "a named NOT NULL constraint on a domain", 17, "not_null: <name>", " (`nullable: false` instead)"
)
VIRTUAL = Feature("a VIRTUAL generated column", 18, "virtual: true")
NOT_VALID_NOT_NULL = Feature("a NOT VALID NOT NULL constraint", 18, "validated: false", " of `not_null:`")
NO_INHERIT_NOT_NULL = Feature("a NO INHERIT NOT NULL constraint", 18, "no_inherit: true", " of `not_null:`")
UNLOGGED_SEQUENCE = Feature("an unlogged sequence", 15, "unlogged: true")
UNLOGGED_IDENTITY = Feature("an unlogged identity sequence", 15, "unlogged: true", " of `sequence:`")
# [subscriptions] Options of CREATE SUBSCRIPTION by the major that added them (a declared default is
# what every older server has, and is not refused).
TWO_PHASE = Feature("the subscription option two_phase", 15, "two_phase: true")
DISABLE_ON_ERROR = Feature("the subscription option disable_on_error", 15, "disable_on_error: true")
PUBLISHER_ORIGIN = Feature("the subscription option origin", 16, "origin: none")
PASSWORD_REQUIRED = Feature("the subscription option password_required", 16, "password_required: false")
RUN_AS_OWNER = Feature("the subscription option run_as_owner", 16, "run_as_owner: true")
PARALLEL_STREAMING = Feature("streaming = parallel", 16, "streaming: parallel", " (`streaming: on` instead)")
FAILOVER = Feature("the subscription option failover", 17, "failover: true")
# What PostgreSQL 14 (or 15, 16) has no syntax for.
NULLS_NOT_DISTINCT = Feature("UNIQUE NULLS NOT DISTINCT", 15, "nulls_not_distinct: true")
SECURITY_INVOKER = Feature("the view option security_invoker", 15, "security_invoker")
PUBLISHED_COLUMNS = Feature("a publication column list", 15, "columns")
ROW_FILTER = Feature("a publication row filter (WHERE)", 15, "where")
PUBLISHED_SCHEMAS = Feature("a publication of a schema's tables (TABLES IN SCHEMA)", 15, "schemas")
COLLATION_RULES = Feature("a collation with ICU tailoring rules", 16, "rules")
BUILTIN_PROVIDER = Feature("the collation provider builtin", 17, "provider: builtin")
PARTITIONED_EXCLUSION = Feature("an exclusion constraint on a partitioned table", 17, "exclusions")
MAINTAIN = Feature(
    "the privilege MAINTAIN", 17, "maintain",
    in_sql="the privilege; a GRANT ALL read in a newer scratch server holds it too: name the others",
)


def for_server(desired: Schema, server_version: int) -> Schema:
    """``desired`` as a server of ``server_version`` holds it: before PostgreSQL 15 there are no
    unlogged sequences, and the sequence of a serial column in an unlogged table (unlogged with
    its table from 15 on, which is what the declaration builds) is an ordinary one."""
    desired = _subscriptions_for(desired, server_version)
    if server_version >= 150000:
        return desired
    sequences = dict(desired.sequences)
    for key, seq in desired.sequences.items():
        table = desired.tables.get((seq.schema, seq.owned_by[0])) if seq.owned_by else None
        if seq.unlogged and table is not None and table.unlogged:
            sequences[key] = dataclasses.replace(seq, unlogged=False)
    # An identity's sequence declared logged in an unlogged table: what 14 makes of every one.
    tables = {
        key: dataclasses.replace(table, columns=tuple(
            dataclasses.replace(c, identity_unlogged=None) if c.identity_unlogged is False else c
            for c in table.columns))
        if any(c.identity_unlogged is False for c in table.columns) else table
        for key, table in desired.tables.items()
    }
    if sequences == desired.sequences and all(tables[k] is t for k, t in desired.tables.items()):
        return desired
    return dataclasses.replace(desired, sequences=sequences, tables=tables)


def _subscriptions_for(desired: Schema, server_version: int) -> Schema:
    """Subscriptions whose ``streaming`` is the server's default say None, as the catalog reads
    them, and know what that default is (model/subscriptions.py)."""
    if not desired.subscriptions:
        return desired
    default = streaming_default(server_version)
    subs = {
        name: dataclasses.replace(sub, streaming=None if sub.streaming == default else sub.streaming,
                                  streaming_default=default)
        for name, sub in desired.subscriptions.items()
    }
    return dataclasses.replace(desired, subscriptions=subs)


def unsupported(desired: Schema, server_version: int) -> list[DeclarationError]:
    """One error for each declaration that the server (``server_version_num``) cannot hold."""
    major = server_version // 10000
    errors: list[tuple[str, int, DeclarationError]] = []
    for subject, origin, feature in _asked(desired):
        if major >= feature.major:
            continue
        file, line = (origin.file, origin.line or 0) if origin else ("", 0)
        errors.append((
            file, line,
            DeclarationError(
                f"{subject}: {feature.what} needs PostgreSQL {feature.major} or later (this server is {major}); "
                "nothing was run",
                where=str(origin) if origin else None,
                hint=f"remove `{feature.key}` from the declaration{feature.instead} (in a .sql file, "
                f"{feature.in_sql}), or plan against PostgreSQL {feature.major} or later",
            ),
        ))
    return [error for _, _, error in sorted(errors, key=lambda e: (e[0], e[1]))]


def check_server_supports(desired: Schema, server_version: int) -> None:
    """Raise :class:`DeclarationErrors` when any declaration needs a newer server."""
    errors = unsupported(desired, server_version)
    if errors:
        raise DeclarationErrors(errors)


def _asked(desired: Schema) -> Iterator[tuple[str, Origin | None, Feature]]:
    """``(object, origin, feature)`` for every newer feature the declarations use."""
    for name, sub in sorted(desired.subscriptions.items()):
        for asked, feature in (
            (sub.two_phase, TWO_PHASE), (sub.disable_on_error, DISABLE_ON_ERROR),
            (sub.publisher_origin != DEFAULT_PUBLISHER_ORIGIN, PUBLISHER_ORIGIN),
            (not sub.password_required, PASSWORD_REQUIRED), (sub.run_as_owner, RUN_AS_OWNER),
            (sub.streaming == "parallel", PARALLEL_STREAMING), (sub.failover, FAILOVER),
        ):
            if asked:
                yield f"subscription {name}", sub.origin, feature
    yield from _asked_before_17(desired)
    for _, seq in sorted(desired.sequences.items()):
        if seq.unlogged:
            yield f"sequence {seq.qualified}", seq.origin, UNLOGGED_SEQUENCE
    for _, domain in sorted(desired.domains.items()):
        if domain.named_not_null is not None:
            yield f"domain {domain.qualified}", domain.origin, NAMED_DOMAIN_NOT_NULL
    for _, table in sorted(desired.tables.items()):
        where = f"table {table.qualified}"
        for col in table.columns:
            if named_not_null(table.name, col) is not None:
                yield f"{where}: column {col.name}", col.origin, NAMED_NOT_NULL
            if col.virtual:
                yield f"{where}: column {col.name}", col.origin, VIRTUAL
            if col.identity_unlogged:
                yield f"{where}: column {col.name}", col.origin, UNLOGGED_IDENTITY
            if not col.nullable and not col.not_null_validated:
                yield f"{where}: column {col.name}", col.origin, NOT_VALID_NOT_NULL
            if not col.nullable and col.not_null_no_inherit:
                yield f"{where}: column {col.name}", col.origin, NO_INHERIT_NOT_NULL
        for part, column in _named_partition_not_nulls(table):
            yield f"{where}: partition {part.name}: column {column}", part.origin, NAMED_PARTITION_NOT_NULL
        holders: list[Table | Partition] = [table, *_partitions(table.partitions)]
        for holder in holders:
            own = where if holder is table else f"{where}: partition {holder.name}"
            if holder.primary_key is not None and holder.primary_key.without_overlaps:
                yield f"{own}: primary key {holder.primary_key.name}", holder.primary_key.origin, WITHOUT_OVERLAPS
            for unique in holder.uniques:
                if unique.without_overlaps:
                    yield f"{own}: unique constraint {unique.name}", unique.origin, WITHOUT_OVERLAPS
                if unique.nulls_not_distinct:
                    yield f"{own}: unique constraint {unique.name}", unique.origin, NULLS_NOT_DISTINCT
            for index in holder.indexes:
                if index.nulls_not_distinct:
                    yield f"{own}: index {index.name}", index.origin, NULLS_NOT_DISTINCT
            for fk in holder.foreign_keys:
                if not fk.enforced:
                    yield f"{own}: foreign key {fk.name}", fk.origin, NOT_ENFORCED
                if fk.period:
                    yield f"{own}: foreign key {fk.name}", fk.origin, PERIOD
            for check in holder.checks:
                if not check.enforced:
                    yield f"{own}: check {check.name}", check.origin, NOT_ENFORCED
        if table.partition_by is not None:
            for exclusion in table.exclusions:
                yield f"{where}: exclusion constraint {exclusion.name}", exclusion.origin, PARTITIONED_EXCLUSION


def _asked_before_17(desired: Schema) -> Iterator[tuple[str, Origin | None, Feature]]:
    """``(object, origin, feature)`` for the views, publications, collations and grants that
    say what PostgreSQL 15, 16 or 17 first has words for (a partitioned table's exclusion
    constraints are in :func:`_asked`)."""
    for _, view in sorted(desired.views.items()):
        if view.security_invoker is not None:  # 14 knows no such option, true or false
            yield f"view {view.qualified}", view.origin, SECURITY_INVOKER
    for name, pub in sorted(desired.publications.items()):
        for table in pub.tables:
            where = f"publication {name}: table {table.schema}.{table.name}"
            if table.columns is not None:
                yield where, pub.origin, PUBLISHED_COLUMNS
            if table.where is not None:
                yield where, pub.origin, ROW_FILTER
        if pub.schemas:
            yield f"publication {name}", pub.origin, PUBLISHED_SCHEMAS
    for _, collation in sorted(desired.collations.items()):
        if collation.rules is not None:
            yield f"collation {collation.qualified}", collation.origin, COLLATION_RULES
        if collation.provider == "builtin":
            yield f"collation {collation.qualified}", collation.origin, BUILTIN_PROVIDER
    for _, grants in sorted(desired.grants.items()):
        if _maintain(grants.grants):
            yield f"grants on {grants.target.label}", grants.origin, MAINTAIN
    for _, defaults in sorted(desired.default_privileges.items()):
        if _maintain(defaults.grants):
            schema = f"schema {defaults.schema}" if defaults.schema else "every schema"
            where = f"default privileges of {defaults.role} on {defaults.objects} in {schema}"
            yield where, defaults.origin, MAINTAIN


def _maintain(grants: frozenset[Grant]) -> bool:
    return any(g.privilege == "maintain" for g in grants)


def _partitions(parts: tuple[Partition, ...]) -> Iterator[Partition]:
    """Every partition, sub-partitions included (each may declare keys and constraints)."""
    for part in parts:
        yield part
        yield from _partitions(part.partitions)


def _named_partition_not_nulls(table: Table) -> Iterator[tuple[Partition, str]]:
    """(partition, column) of each NOT NULL a partition declares under a name PostgreSQL would
    not give by itself: neither the one it inherits (``PARTITION OF``) nor its own default
    (``PARTITION OF t (c NOT NULL)``, or a table attached) — what SQL files read in a newer
    scratch server hold without asking for a name."""
    if not any(p.not_null_names for p in _partitions(table.partitions)):
        return

    def level(parts: tuple[Partition, ...], inherited: dict[str, str]) -> Iterator[tuple[Partition, str]]:
        for part in parts:
            declared = dict(part.not_null_names or ())
            for column, name in sorted(declared.items()):
                if name not in (inherited.get(column), default_not_null_name(part.name, column)):
                    yield part, column
            yield from level(part.partitions, {**given_to_partition(part, inherited), **declared})

    yield from level(table.partitions, passed_to_partitions(table))
