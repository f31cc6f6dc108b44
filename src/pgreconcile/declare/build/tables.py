"""One declared table → a model table, with every reference inside the table checked.

Types are made canonical (:mod:`.type_resolution`), literal defaults become the server's printed
form (:mod:`.literals`), unnamed constraints get the names PostgreSQL would give them
(:mod:`.names`), and every column a key, constraint or index mentions must exist. Foreign keys
are left as drafts: their targets are resolved once every table is built (:mod:`.references`).

Ordering decision, so that a built table compares equal to the one read from the catalog:
columns keep their declared order; unique constraints, checks and indexes are sorted by name
(their order has no meaning in PostgreSQL, and the catalog reads them by name).
"""

from __future__ import annotations

import dataclasses
import difflib
from functools import lru_cache
from typing import Any

from pgreconcile.declare.build.collect import Declared, check_name
from pgreconcile.declare.build.column_extras import column_extras
from pgreconcile.declare.build.exclusions import build_exclusions
from pgreconcile.declare.build.foreign import with_server
from pgreconcile.declare.build.groups import build_groups
from pgreconcile.declare.build.indexes import build_indexes
from pgreconcile.declare.build.inheritance import parent_key
from pgreconcile.declare.build.partition_objects import partition_objects
from pgreconcile.declare.build.partitions import (  # [partitions]
    build_partitioning,
    check_unique_keys,
    with_not_null_names,
)
from pgreconcile.declare.build.policies import build_policies, rls_flags
from pgreconcile.declare.build.references import ForeignKeyDraft, TableDraft
from pgreconcile.declare.build.replica import cluster_index, with_replica_identity
from pgreconcile.declare.build.sequences import serial_type
from pgreconcile.declare.build.table_constraints import (
    build_checks,
    build_foreign_keys,
    build_uniques,
    temporal_columns,
)
from pgreconcile.declare.spec.language import ColumnSpec, TableSpec
from pgreconcile.declare.spec.literals import LiteralError, default_sql
from pgreconcile.declare.spec.names import (
    primary_key_name,
)
from pgreconcile.declare.spec.partition_specs import ColumnDefaultSpec  # [partitions]
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.spec.types import TypeProblem, TypeResolver
from pgreconcile.declare.yaml.source import YamlMap, line_at
from pgreconcile.model.objects import (
    Column,
    Conversion,
    Index,
    Origin,
    PrimaryKey,
    Table,
)
from pgreconcile.model.sequences import serial_sequence_name
from pgreconcile.normalize.expressions import column_refs, parse_error, reads_subquery
from pgreconcile.normalize.sequences import nextval_sql, qualified_nextval
from pgreconcile.normalize.storage_options import option_pairs, option_texts
from pgreconcile.normalize.types import base_of

# The same few expressions (now(), gen_random_uuid(), a shared CHECK) recur across thousands of
# tables, and each sqlglot parse costs a fraction of a millisecond.
_parse_problem = lru_cache(maxsize=65536)(parse_error)
# Likewise `default: 0` and `default: now` on thousands of columns of a few types.
_scalar_default = lru_cache(maxsize=65536)(default_sql)

_IDENTITY_TYPES = frozenset({"smallint", "integer", "bigint"})
# Names shorter than this fit PostgreSQL's 63 bytes whatever their characters (4 bytes at most
# each in UTF-8): check_name has nothing to say about a printable, non-blank one.
_SHORT_NAME = 16


class TableBuilder:
    """Builds one table; every problem found is recorded, none stops the others."""

    def __init__(
        self,
        key: tuple[str, str],
        declared: Declared[TableSpec],
        resolver: TypeResolver,
        problems: Problems,
        *,
        check_sql: bool = True,
        inherited: frozenset[str] = frozenset(),
    ) -> None:
        self.check_sql = check_sql
        # [inheritance] columns the table has from its declared parents: keys, indexes and
        # CHECKs may name them although the table does not declare them.
        self.inherited = inherited
        self.schema, self.name = key
        self.qualified = f"{self.schema}.{self.name}"
        self.spec = declared.spec
        self.source = declared.source
        self.origin = declared.origin
        self.resolver = resolver
        self.problems = problems
        self.column_names = [*self.spec.columns, *sorted(inherited - set(self.spec.columns))]
        # Every column needs its line; looked up directly rather than by path (40,000 columns).
        columns_source = self.source.get("columns") if isinstance(self.source, dict) else None
        self.column_lines: dict[str, int] = getattr(columns_source, "key_lines", {})
        self.column_sources: dict[str, Any] = columns_source if isinstance(columns_source, YamlMap) else {}
        self.constraint_names: dict[str, Origin] = {}
        # [partitions] the partitions' own foreign keys, resolved with every table's
        self.partition_fks: dict[tuple[str, str], list[ForeignKeyDraft]] = {}
        self.built = Table(self.schema, self.name)  # the table, once built (its partitions read its columns)

    # -- helpers ---------------------------------------------------------------------------

    def at(self, *path: str | int) -> Origin:
        """The origin of a key inside this table (or of the table when it was not written)."""
        if len(path) == 3 and path[0] == "columns" and type(path[2]) is str:
            # A key of a column (its check, references, primary_key): 19,000 calls at 2,000
            # tables, looked up directly. Same answer as line_at (see its docstring).
            column = self.column_sources.get(path[1])  # type: ignore[arg-type]
            if isinstance(column, YamlMap):
                line = column.key_lines.get(path[2])
                return Origin(self.origin.file, line or self.column_lines.get(path[1], 0) or self.origin.line)  # type: ignore[arg-type]
        return Origin(self.origin.file, line_at(self.source, path) or self.origin.line)

    def error(self, origin: Origin, message: str, hint: str | None = None) -> None:
        self.problems.at(origin, f"table {self.qualified}: {message}", hint)

    def sql(self, text: str, what: str, *path: str | int) -> bool:
        """Whether ``text`` parses as an SQL expression; reports it at ``path`` when it does not.

        With ``check_sql`` off (planning), parsing is left to the planner, which parses every
        expression it is about to send: text identical to what the server printed is valid."""
        if not self.check_sql:
            return True
        problem = _parse_problem(text)
        if problem is None:
            return self.allowed(text, what, *path)
        self.error(self.at(*path), f"{what} is not a valid SQL expression: {text!r} ({problem})")
        return False

    def allowed(self, text: str, what: str, *path: str | int) -> bool:
        """What PostgreSQL refuses in a DEFAULT or a CHECK although it parses: a subquery, and
        (in a CHECK) a column the table does not have — caught here rather than mid-apply."""
        kind = "CHECK" if "check" in what else "DEFAULT" if "default" in what else None
        if kind is None:
            return True
        if reads_subquery(text):
            self.error(self.at(*path), f"{what}: PostgreSQL does not allow a subquery in a {kind}: {text!r}")
            return False
        known = {*self.spec.columns, *self.spec.groups, *self.inherited}  # a group is a jsonb column of its own name
        missing = sorted(column_refs(text) - known) if kind == "CHECK" else []
        if missing:
            self.error(
                self.at(*path),
                f"{what} reads {', '.join(missing)}, which "
                f"{'is not a column' if len(missing) == 1 else 'are not columns'} of this table",
                f"the columns are: {', '.join(sorted(known))}",
            )
            return False
        return True

    def existing(self, names: list[str], what: str, *path: str | int) -> bool:
        """Whether every name in ``names`` is a column of this table, listed once; reports each miss."""
        good = True
        seen: set[str] = set()
        for i, column in enumerate(names):
            if column in seen:
                self.error(self.at(*path, i), f"{what}: column {column!r} is listed twice")
                good = False
            seen.add(column)
            if column not in self.spec.columns and column not in self.inherited:
                self.error(self.at(*path, i), f"{what}: column {column!r} does not exist{self.guess(column)}")
                good = False
        return good

    def guess(self, column: str) -> str:
        close = difflib.get_close_matches(column, self.column_names, n=1, cutoff=0.6)
        return f"; did you mean {close[0]!r}?" if close else ""

    def claim(self, name: str, what: str, origin: Origin) -> bool:
        """Constraint names are unique within a table; report a second use naming both places."""
        check_name(name, what, origin, self.problems)
        first = self.constraint_names.get(name)
        if first is not None:
            self.error(
                origin,
                f"{what} name {name!r} is already used by another constraint (at {first})",
                "give one of them a different name",
            )
            return False
        self.constraint_names[name] = origin
        return True

    @staticmethod
    def deferral(deferrable: bool | None, initially_deferred: bool) -> tuple[bool, bool] | None:
        """PostgreSQL makes an INITIALLY DEFERRED constraint DEFERRABLE; refuse the contradiction."""
        if initially_deferred and deferrable is False:
            return None
        return bool(deferrable) or initially_deferred, initially_deferred

    # -- the table --------------------------------------------------------------------------

    def build(self) -> TableDraft:
        """The table, and its foreign keys as drafts; problems go to the shared collection."""
        primary_key = self.primary_key()
        pk_columns = set(primary_key.columns) if primary_key else set()
        columns = tuple(self.column(name, spec, name in pk_columns) for name, spec in self.spec.columns.items())
        group_columns, group_indexes, group_checks, groups = build_groups(
            self.name, self.schema, self.spec, self.resolver, self.at, self.error
        )
        columns += tuple(group_columns)
        uniques = build_uniques(self)
        checks = [*build_checks(self), *group_checks]
        foreign_keys = build_foreign_keys(self)
        indexes = self.indexes() + group_indexes
        rls_enabled, rls_forced = rls_flags(self.spec)
        policies = build_policies(self.spec, self.at, self.error, self.sql)
        table = Table(
            self.schema,
            self.name,
            columns=columns,
            primary_key=primary_key,
            uniques=tuple(sorted(uniques, key=lambda u: u.name)),
            checks=tuple(sorted(checks, key=lambda c: c.name)),
            indexes=tuple(sorted(indexes, key=lambda i: i.name)),
            comment=self.spec.comment,
            # [sequences]
            unlogged=self.spec.unlogged,
            options=option_pairs(self.spec.options),
            options_text=option_texts(self.spec.options),
            prevent_destroy=self.spec.prevent_destroy,
            origin=self.origin,
            rls_enabled=rls_enabled,
            rls_forced=rls_forced,
            policies=policies,
            renamed_from=self.former_name(),
            groups=groups,
            exclusions=build_exclusions(self),  # [constraints-types]
        )
        # [partitions]
        partition_by, partitions = build_partitioning(self.spec, self.column_names, self.at, self.error)
        if partition_by is not None:
            self.built = table
            partitions = partition_objects(self, self.spec.partitions, partitions, ("partitions",))
            # [PostgreSQL 18] NOT NULL names, once every level's own NOT NULLs and keys are known.
            partitions = with_not_null_names(self.built, self.spec.partitions, partitions, self.at, self.error,
                                             self.problems)
            table = dataclasses.replace(table, partition_by=partition_by, partitions=partitions)
            check_unique_keys(table, self.at, self.error)
        if self.spec.replica_identity is not None:
            replica = with_replica_identity(table, self.spec.replica_identity, self.at("replica_identity"), self.error)
            table = dataclasses.replace(table, replica_identity=replica[0], replica_index=replica[1])
        if self.spec.cluster_on is not None:
            table = dataclasses.replace(table, cluster_on=cluster_index(table, self.spec.cluster_on,
                                                                         self.at("cluster_on"), self.error))
        table = with_server(table, self.spec, self.at, self.error)  # [foreign]
        if self.spec.of is not None:
            of_type = parent_key(self.spec.of, self.schema)
            if of_type is None:
                self.error(self.at("of"), f"table {self.qualified}: `of:` is a composite type's name",
                           "write `type` (in this schema) or `schema.type`")
            else:
                table = dataclasses.replace(table, of_type=of_type)
        return TableDraft(table, foreign_keys, partition_foreign_keys=self.partition_fks)

    def nested(self, key: tuple[str, str], declared: Declared[TableSpec]) -> TableDraft:
        """[partitions] A partition's own objects, built as a table by a builder like this one."""
        return TableBuilder(key, declared, self.resolver, self.problems, check_sql=self.check_sql,
                            inherited=self.inherited).build()

    def former_name(self) -> tuple[str, str] | None:
        """``renamed_from: old`` (same schema) or ``old_schema.old``, as ``(schema, name)``."""
        old = self.spec.renamed_from
        if old is None:
            return None
        schema, _, name = old.rpartition(".")
        return (schema or self.schema, name)

    def primary_key(self) -> PrimaryKey | None:
        flagged = [name for name, spec in self.spec.columns.items() if spec.primary_key]
        table_level = self.spec.primary_key
        if table_level is not None and flagged:
            self.error(
                self.at("primary_key"),
                f"primary key declared both here and on column(s) {', '.join(flagged)}",
                "declare it once: `primary_key: true` on one column, or a table-level list",
            )
            return None
        if len(flagged) > 1:
            self.error(
                self.at("columns", flagged[1], "primary_key"),
                f"primary_key: true on several columns ({', '.join(flagged)})",
                f"a composite key is declared at table level: primary_key: [{', '.join(flagged)}]",
            )
            return None
        if flagged:
            origin = self.at("columns", flagged[0], "primary_key")
            name = primary_key_name(self.name)
            return PrimaryKey(name, (flagged[0],), origin) if self.claim(name, "primary key", origin) else None
        if table_level is None:
            return None
        origin = self.at("primary_key")
        if not table_level.columns:
            self.error(origin, "the primary key lists no columns")
            return None
        if not self.existing(table_level.columns, "primary key", "primary_key", "columns"):
            return None
        if not self.existing(table_level.include, "primary key", "primary_key", "include"):
            return None
        name = table_level.name or primary_key_name(self.name)
        deferral = self.deferral(table_level.deferrable, table_level.initially_deferred)
        if deferral is None:
            self.error(origin, "primary key: initially_deferred needs deferrable")
            return None
        if not temporal_columns(self, table_level.without_overlaps, table_level.columns, "primary key", "primary_key"):
            return None
        if not self.claim(name, "primary key", origin):
            return None
        return PrimaryKey(
            name, tuple(table_level.columns), origin, table_level.renamed_from, table_level.comment, *deferral,
            index_comment=table_level.index_comment,
            include=tuple(table_level.include), options=option_pairs(table_level.options),
            without_overlaps=table_level.without_overlaps,
        )

    def column(self, name: str, spec: ColumnSpec, in_primary_key: bool) -> Column:
        origin = Origin(self.origin.file, self.column_lines.get(name, self.origin.line))
        if not (len(name) < _SHORT_NAME and name.isprintable() and name.strip()):
            check_name(name, "column", origin, self.problems)  # what a short, printable name never is
        where = f"column {name}"
        serial = serial_type(spec.type)
        try:
            column_type = serial or self.resolver.canonical(spec.type, self.schema)
        except TypeProblem as err:
            self.error(self.at("columns", name, "type"), f"{where}: {err.message}", err.hint)
            column_type = spec.type
        nullable = spec.nullable if spec.nullable is not None else spec.not_null is None
        if spec.not_null is not None and spec.nullable is True:
            self.error(
                self.at("columns", name, "not_null"), f"{where}: not_null and nullable: true contradict each other",
                "`not_null:` names the column's NOT NULL constraint; remove one of them",
            )
        if in_primary_key or spec.identity is not None or serial is not None:
            reason = "a primary key column" if in_primary_key else "an identity column"
            reason = f"a {spec.type} column" if serial is not None and not in_primary_key else reason
            if spec.nullable is True:
                self.error(
                    self.at("columns", name, "nullable"),
                    f"{where} is {reason}, which cannot be nullable",
                    "remove `nullable: true`",
                )
            nullable = False
        if spec.identity is not None:
            clash = [key for key in ("default", "default_sql") if getattr(spec, key) is not None]
            if clash:
                self.error(
                    self.at("columns", name, clash[0]),
                    f"{where}: identity and {clash[0]} cannot be combined",
                    "an identity column's values come from its sequence; remove one of them",
                )
            if base_of(column_type) not in _IDENTITY_TYPES or column_type.endswith("[]"):
                self.error(
                    self.at("columns", name, "identity"),
                    f"{where}: identity needs smallint, integer or bigint, not {column_type}",
                )
        default = self.default(name, spec, column_type, where)
        extra = column_extras(self, name, spec, column_type, serial)
        if serial is not None:
            default = nextval_sql(self.schema, serial_sequence_name(self.name, name))
        return Column(
            name,
            column_type,
            nullable,
            default,
            spec.identity,
            spec.comment,
            origin,
            renamed_from=spec.renamed_from,
            convert=self.conversion(name, spec),
            not_null_name=self.not_null_name(name, spec),
            not_null_validated=spec.not_null is None or spec.not_null.validated,
            not_null_no_inherit=spec.not_null is not None and spec.not_null.no_inherit,
            **extra,
        )

    def not_null_name(self, column: str, spec: ColumnSpec) -> str | None:
        """The declared name of the column's NOT NULL (PostgreSQL 18), checked as any constraint
        name is; None when not declared (the live one keeps its name)."""
        name = spec.not_null.name if spec.not_null is not None else None
        if spec.not_null is not None and spec.not_null.no_inherit and self.spec.partition_by is not None:
            self.error(
                self.at("columns", column, "not_null"),
                f"column {column}: a partitioned table's NOT NULL cannot be NO INHERIT (its partitions need it)",
                "remove `no_inherit: true`",
            )
        if name is not None and not self.claim(name, "not-null constraint", self.at("columns", column, "not_null")):
            return None
        return name

    def conversion(self, name: str, spec: ColumnSpec) -> Conversion | None:
        """The column's ``convert:`` block, checked: one way only, a parsable ``using``."""
        block = spec.convert
        if block is None:
            return None
        ways = [k for k in ("on_invalid", "time_zone", "from_", "using") if getattr(block, k) is not None]
        ways += ["regenerate"] if block.regenerate else []
        if len(ways) != 1:
            self.error(
                self.at("columns", name, "convert"),
                f"column {name}: `convert:` needs exactly one of on_invalid, time_zone, from, using, regenerate"
                f" (found {len(ways)})",
                "write one conversion, e.g. `convert: {on_invalid: null}` or `convert: regenerate`",
            )
            return None
        if block.using is not None and not self.sql(block.using, f"column {name}: convert using", "columns", name,
                                                    "convert", "using"):
            return None
        return Conversion(
            on_invalid="fail" if block.on_invalid == "error" else block.on_invalid,
            time_zone=block.time_zone,
            from_unit=block.from_,
            using=block.using,
            regenerate=block.regenerate,
        )

    def default(
        self, name: str, spec: ColumnSpec | ColumnDefaultSpec, column_type: str, where: str,
        path: tuple[str, ...] | None = None,
    ) -> str | None:
        """The column's default as SQL (``default`` quoted as a value of the type, ``default_sql``
        as written); ``path`` is where it was declared (a partition's ``column_defaults``)."""
        path = path or ("columns", name)
        if spec.default is not None and spec.default_sql is not None:
            self.error(
                self.at(*path, "default_sql"),
                f"{where}: default and default_sql cannot be combined",
                "`default` is a value the tool quotes, `default_sql` an SQL expression; keep one",
            )
            return None
        if spec.default_sql is not None:
            self.sql(spec.default_sql, f"{where}: default_sql", *path, "default_sql")
            # nextval('seq') means the sequence in the table's schema, spelled as PostgreSQL prints it.
            return qualified_nextval(spec.default_sql, self.schema)
        if spec.default is None or (isinstance(spec, ColumnSpec) and spec.identity is not None):
            return None
        labels = self.resolver.enum_labels(column_type)
        try:
            if isinstance(spec.default, str | int | float):
                return _scalar_default(spec.default, column_type, labels)
            return default_sql(spec.default, column_type, labels)
        except LiteralError as err:
            self.error(self.at(*path, "default"), f"{where}: {err.message}", err.hint)
            return None

    # -- constraints written on columns ----------------------------------------------------

    def indexes(self) -> list[Index]:
        """The table's declared indexes (declare/build/indexes.py)."""
        return build_indexes(self)
