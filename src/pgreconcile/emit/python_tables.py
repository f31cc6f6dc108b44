"""The table-level keys of a Table class in ``inspect --format python``: the primary key,
unique constraints, foreign keys, checks, exclusions, indexes, row-level security, policies and
partitions (the columns are the class's fields, written by :mod:`.to_python`)."""

from __future__ import annotations

from pgreconcile.declare.spec.names import dotted, primary_key_name, unique_name
from pgreconcile.emit.index_entries import index_keywords, index_parameters
from pgreconcile.emit.partitions import python_lines  # [partitions]
from pgreconcile.emit.python_text import call, call_args, listed, lit
from pgreconcile.emit.to_yaml import TableShortForms, fk_options
from pgreconcile.emit.types_yaml import unchecked
from pgreconcile.model.objects import IndexMethod, Table


def collections(table: Table, forms: TableShortForms, helpers: set[str]) -> list[str]:
    """The table-level keys of a Table class: keys, constraints, indexes, RLS, partitions."""
    out: list[str] = []
    entries: list[tuple[str, list[str]]]
    pk = table.primary_key
    if pk is not None and forms.pk_on_column is None:
        helpers.add("primary_key")
        named = [f"name={lit(pk.name)}"] if pk.name != primary_key_name(table.name) else []
        named += [f"comment={lit(pk.comment)}"] if pk.comment is not None else []
        named += [f"index_comment={lit(pk.index_comment)}"] if pk.index_comment is not None else []
        named += ["deferrable=True"] if pk.deferrable else []
        named += ["initially_deferred=True"] if pk.initially_deferred else []
        named += [f"{key}={lit(value)}" for key, value in index_parameters(pk).items()]
        named += ["without_overlaps=True"] if pk.without_overlaps else []
        out += call("__primary_key__ = ", "primary_key", call_args(pk.columns, named), 4)
    entries = []
    for u in sorted(table.uniques, key=lambda u: u.name):
        if forms.uniques.get(u.columns[0]) is u:
            continue
        extra = [f"name={lit(u.name)}"] if u.name != unique_name(table.name, u.columns) else []
        extra += ["deferrable=True"] if u.deferrable else []
        extra += ["initially_deferred=True"] if u.initially_deferred else []
        extra += ["nulls_not_distinct=True"] if u.nulls_not_distinct else []
        extra += ["without_overlaps=True"] if u.without_overlaps else []
        extra += [f"{key}={lit(value)}" for key, value in index_parameters(u).items()]
        extra += [f"comment={lit(u.comment)}"] if u.comment is not None else []
        extra += [f"index_comment={lit(u.index_comment)}"] if u.index_comment is not None else []
        entries.append(("unique", call_args(u.columns, extra)))
    out += listed("__unique__", entries, helpers, "unique")
    entries = []
    for fk in sorted(table.foreign_keys, key=lambda fk: fk.name):
        if forms.fks.get(fk.columns[0]) is fk:
            continue
        target = fk.ref_table if fk.ref_schema == table.schema else dotted(fk.ref_schema, fk.ref_table)
        extra = [f"ref_columns={lit(list(fk.ref_columns))}"]
        extra += [f"{key}={lit(value)}" for key, value in fk_options(fk).items()]
        extra += [f"{key}={value}" for key, value in unchecked(fk).items()]
        extra += ["period=True"] if fk.period else []
        extra += [f"comment={lit(fk.comment)}"] if fk.comment is not None else []
        entries.append(("foreign_key", [lit(fk.name), lit(list(fk.columns)), lit(target), *extra]))
    out += listed("__foreign_keys__", entries, helpers, "foreign_key")
    entries = [
        (
            "check",
            [lit(c.name), lit(c.expression)]
            + (["no_inherit=True"] if c.no_inherit else [])
            + [f"{key}={value}" for key, value in unchecked(c).items()]
            + ([f"comment={lit(c.comment)}"] if c.comment is not None else []),
        )
        for c in sorted(table.checks, key=lambda c: c.name)
        if all(c is not mine for mine in forms.checks.values())
    ]
    out += listed("__checks__", entries, helpers, "check")
    entries = []
    for x in table.exclusions:  # [constraints-types]
        extra = [f"using={lit(x.method.value)}"] if x.method != IndexMethod.GIST else []
        extra += [f"include={lit(list(x.include))}"] if x.include else []
        extra += [f"where={lit(x.where)}"] if x.where is not None else []
        extra += ["deferrable=True"] if x.deferrable else []
        extra += ["initially_deferred=True"] if x.initially_deferred else []
        extra += [f"comment={lit(x.comment)}"] if x.comment is not None else []
        extra += [f"index_comment={lit(x.index_comment)}"] if x.index_comment is not None else []
        entries.append(("exclusion", call_args((x.name, *x.elements), extra)))
    out += listed("__exclusions__", entries, helpers, "exclusion")
    entries = []
    for ix in sorted(table.indexes, key=lambda i: i.name):
        entries.append(("index", call_args((ix.name, *ix.elements), index_keywords(ix, lit))))
    out += listed("__indexes__", entries, helpers, "index")
    out += row_security(table, helpers)
    out += python_lines(table, lit)  # [partitions] the language's data as Python literals
    return out


def row_security(table: Table, helpers: set[str]) -> list[str]:
    """``__rls__`` and ``__policies__``."""
    out: list[str] = []
    enabled, forced = table.rls_enabled, table.rls_forced
    if enabled and not forced:
        out.append("    __rls__ = True")
    elif enabled or forced:
        helpers.add("rls")
        out.append(f"    __rls__ = rls({enabled}, forced={forced})")
    entries = []
    for p in table.policies:
        args = [lit(p.name)]
        command = p.command.value
        args += [f"command={lit(command)}"] if command != "all" else []
        args += [f"roles={lit(list(p.roles))}"] if tuple(p.roles) != ("public",) else []
        args += ["permissive=False"] if not p.permissive else []
        args += [f"using={lit(p.using)}"] if p.using is not None else []
        args += [f"with_check={lit(p.with_check)}"] if p.with_check is not None else []
        args += [f"comment={lit(p.comment)}"] if p.comment is not None else []
        entries.append(("policy", args))
    return out + listed("__policies__", entries, helpers, "policy")
