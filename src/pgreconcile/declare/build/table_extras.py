"""Declared extended statistics and rules → model objects, each checked against its table."""

from __future__ import annotations

from collections.abc import Sequence

from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.spec.table_extras import RuleSpec, StatisticsSpec
from pgreconcile.model import Table
from pgreconcile.model.origin import Origin
from pgreconcile.model.rules import Rule, RuleEnabled, RuleEvent
from pgreconcile.model.statistics import STATISTICS_KINDS, Statistics, default_kinds
from pgreconcile.normalize.expressions import parse_error
from pgreconcile.normalize.rule_text import sendable

StatisticsByKey = dict[tuple[str, str], Statistics]
RulesByKey = dict[tuple[str, str, str], Rule]


def build_table_extras(
    documents: Sequence[Document], tables: dict[tuple[str, str], Table], problems: Problems, *, check_sql: bool = True
) -> tuple[StatisticsByKey, RulesByKey]:
    """Every declared statistics object by (schema, name) and rule by (schema, table, name)."""
    stats: StatisticsByKey = {}
    rules: RulesByKey = {}
    for doc in documents:
        for schema, spec in doc.spec.schemas.items():
            for table_name, table_spec in spec.tables.items():
                table = tables.get((schema, table_name))
                for name, stat in table_spec.statistics.items():
                    origin = Origin(doc.file, doc.line("schemas", schema, "tables", table_name, "statistics", name))
                    made = _statistics(schema, table_name, name, stat, table, origin, problems, check_sql)
                    if made is None:
                        continue
                    if (schema, name) in stats:
                        first = stats[(schema, name)].origin
                        problems.at(origin, f"statistics {schema}.{name} is declared twice: at {first} and at {origin}",
                                    "statistics names are unique in a schema")
                        continue
                    stats[(schema, name)] = made
                for name, rule in table_spec.rules.items():
                    origin = Origin(doc.file, doc.line("schemas", schema, "tables", table_name, "rules", name))
                    made_rule = _rule(schema, table_name, name, rule, origin, problems)
                    if made_rule is None:
                        continue
                    key = (schema, table_name, name)
                    if key in rules:
                        first = rules[key].origin
                        problems.at(origin, f"rule {name} on {schema}.{table_name} is declared twice: at {first} "
                                    f"and at {origin}")
                        continue
                    rules[key] = made_rule
    return dict(sorted(stats.items())), dict(sorted(rules.items()))


def _statistics(
    schema: str, table_name: str, name: str, spec: StatisticsSpec, table: Table | None, origin: Origin,
    problems: Problems, check_sql: bool,
) -> Statistics | None:
    what = f"statistics {schema}.{name} on {schema}.{table_name}"
    columns, expressions = spec.columns, [e.strip() for e in spec.expressions]
    if len(columns) + len(expressions) == 0:
        problems.at(origin, f"{what} covers nothing", "write `columns: [a, b]` or `expressions: [lower(a)]`")
        return None
    if not expressions and len(columns) < 2:
        problems.at(origin, f"{what}: statistics on columns alone need at least two of them",
                    "add a column, or an expression")
        return None
    if len(set(columns)) != len(columns):
        problems.at(origin, f"{what} names a column twice")
        return None
    known = {c.name for c in table.columns} if table is not None else None
    missing = [c for c in columns if known is not None and c not in known]
    if missing:
        problems.at(origin, f"{what} names {', '.join(missing)}, which {schema}.{table_name} does not declare")
        return None
    if check_sql:
        for text in expressions:
            error = parse_error(text)
            if error is not None:
                problems.at(origin, f"{what}: expression {text!r} is not valid SQL: {error}")
                return None
    if spec.kinds is not None and len(columns) + len(expressions) < 2:
        problems.at(origin, f"{what}: a single expression takes no `kinds` (it gets its own statistics only)",
                    "remove `kinds`")
        return None
    kinds = (
        default_kinds(len(columns), len(expressions)) if not spec.kinds
        else tuple(k for k in STATISTICS_KINDS if k in spec.kinds)
    )
    if spec.target < -1 or spec.target > 10000:
        problems.at(origin, f"{what}: target {spec.target} is outside -1 … 10000")
        return None
    return Statistics(
        schema, name, table_name, tuple(sorted(columns)), tuple(expressions), kinds, spec.target, spec.comment,
        origin, spec.renamed_from,
    )


def _rule(schema: str, table_name: str, name: str, spec: RuleSpec, origin: Origin, problems: Problems) -> Rule | None:
    what = f"rule {name} on {schema}.{table_name}"
    if name == "_RETURN":
        problems.at(origin, f"{what}: _RETURN is the rule of a view", "choose another name")
        return None
    where = spec.where.strip() if spec.where else None
    actions = tuple(a.strip().rstrip(";").rstrip() for a in spec.actions if a.strip().rstrip(";").strip())
    if actions and actions[0].upper() == "NOTHING" and len(actions) == 1:
        actions = ()
    for text in (where, *actions):
        if not sendable(text):
            problems.at(origin, f"{what}: {text!r} holds a `;` outside parentheses, a comment or a dollar quote",
                        "list several statements under `actions:` one by one, without semicolons")
            return None
    return Rule(
        schema, table_name, name, RuleEvent(spec.event), spec.instead, where, actions, RuleEnabled(spec.enabled),
        spec.comment, origin=origin, renamed_from=spec.renamed_from,
    )
