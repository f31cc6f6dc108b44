"""What each object depends on, as object keys — the raw material of the ordering graph.

These functions answer "which other objects must exist for this one to exist?" for both sides:
for a desired object they become a change's ``needs``; for a live object being dropped or
altered they become its ``live_needs``. Over-approximating is harmless (a key with no change
behind it adds no edge); missing a dependency produces a wrong order, so every rule says why.
"""

from __future__ import annotations

import re

from pgreconcile.diff.changes import (
    Constraint,
    column_key,
    constraint_key,
    extension_key,
    index_key,
    schema_key,
    table_key,
    type_key,
)
from pgreconcile.model import (
    Column,
    ExclusionConstraint,
    ForeignKey,
    Index,
    Policy,
    PrimaryKey,
    Schema,
    Table,
    UniqueConstraint,
)
from pgreconcile.model.keys import (
    collation_key,
    foreign_server_key,
    function_name_key,  # [routines]
    sequence_key,
    ts_config_name_key,
)
from pgreconcile.normalize.exclusions import split_exclusion_element
from pgreconcile.normalize.expressions import column_refs
from pgreconcile.normalize.index_elements import element_column
from pgreconcile.normalize.lexical import called_functions
from pgreconcile.normalize.sequences import nextval_target
from pgreconcile.normalize.types import EXTENSION_TYPES, user_type_ref

# Functions that come from extensions: a default calling uuid_generate_v4() cannot be created
# before `CREATE EXTENSION "uuid-ossp"`. (gen_random_uuid() is core since PostgreSQL 13.)
FUNCTION_EXTENSIONS: dict[str, str] = {
    "uuid_generate_v1": "uuid-ossp",
    "uuid_generate_v1mc": "uuid-ossp",
    "uuid_generate_v3": "uuid-ossp",
    "uuid_generate_v4": "uuid-ossp",
    "uuid_generate_v5": "uuid-ossp",
    "crypt": "pgcrypto",
    "gen_salt": "pgcrypto",
    "digest": "pgcrypto",
    "hmac": "pgcrypto",
    "gen_random_bytes": "pgcrypto",
    "similarity": "pg_trgm",
    "word_similarity": "pg_trgm",
}

# Operator classes that come from extensions (GIN trigram indexes, vector indexes).
OPCLASS_EXTENSIONS: dict[str, str] = {
    "gin_trgm_ops": "pg_trgm",
    "gist_trgm_ops": "pg_trgm",
    "vector_l2_ops": "vector",
    "vector_ip_ops": "vector",
    "vector_cosine_ops": "vector",
}

_WORD = re.compile(r"[A-Za-z_][\w$]*")


def type_needs(type_text: str) -> set[str]:
    """A column (or a composite type's attribute) of this type needs its enum/domain/composite
    type, or the extension providing it — or, when the name is a table's, that table: a
    table's row type is a type of the same name (``CREATE TYPE c AS (r public.t)``), created
    with the table and dropped with it."""
    ref = user_type_ref(type_text)
    if ref is None:
        return set()
    needs = {type_key(*ref), schema_key(ref[0]), table_key(*ref)}
    if ref[1] in EXTENSION_TYPES:
        needs.add(extension_key(EXTENSION_TYPES[ref[1]]))
    return needs


def expression_needs(sql: str | None) -> set[str]:
    """Extensions whose functions an expression calls (e.g. uuid_generate_v4()), and the
    functions it calls by name (a declared function is created first, dropped after)."""
    if not sql:
        return set()
    called = called_functions(sql)
    # [routines]
    return {
        extension_key(FUNCTION_EXTENSIONS[name])
        for name in called
        if name in FUNCTION_EXTENSIONS
    } | {function_name_key(name) for name in called} | text_search_needs(sql)


# [text-search] A text search configuration an expression names: a literal cast to regconfig
# (the catalog prints 'public.english_nostop'::regconfig) or the first argument of a text
# search function written as a literal (to_tsvector('english_nostop', body)), which PostgreSQL
# turns into a regconfig constant when it creates the index, generated column, view or SQL
# function: the configuration must exist by then, and cannot be dropped while they exist.
_REGCONFIG = re.compile(r"'((?:[^']|'')+)'\s*::\s*(?:pg_catalog\.)?regconfig\b", re.IGNORECASE)
_TS_CALL = re.compile(
    r"\b(?:to_tsvector|to_tsquery|plainto_tsquery|phraseto_tsquery|websearch_to_tsquery|ts_headline"
    r"|json_to_tsvector|jsonb_to_tsvector)\s*\(\s*'((?:[^']|'')+)'\s*[,)]",
    re.IGNORECASE,
)


def text_search_needs(sql: str | None) -> set[str]:
    """The configurations ``sql`` names, by name alone (the schema comes from the search_path
    when it is not written)."""
    if not sql or "'" not in sql:
        return set()
    needs: set[str] = set()
    for found in [*_REGCONFIG.findall(sql), *_TS_CALL.findall(sql)]:
        last = found.replace("''", "'").rsplit(".", 1)[-1].strip()
        name = last[1:-1].replace('""', '"') if last.startswith('"') else last.lower()
        needs.add(ts_config_name_key(name))
    return needs


def column_needs(column: Column) -> set[str]:
    """Everything a column definition needs besides its table (a serial's default: its sequence)."""
    needs = type_needs(column.type) | expression_needs(column.default) | expression_needs(column.generated)
    # [sequences]
    target = nextval_target(column.default)
    if target is not None and target[0] is not None:
        needs.add(sequence_key(target[0], target[1]))
    own = own_collation(column.collation)
    if own is not None:
        needs.add(collation_key(*own))
    return needs


# A collation of one's own, as COLLATE names it: `schema.name`, each part quoted or not.
_PART = r'("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)'
_OWN_COLLATION = re.compile(_PART + r"\." + _PART)


def own_collation(sql: str | None) -> tuple[str, str] | None:
    """``(schema, name)`` of a schema-qualified collation (``public.ci``), else None (the
    collations of pg_catalog are named alone: ``"C"``)."""
    found = _OWN_COLLATION.fullmatch(sql) if sql else None
    if found is None:
        return None
    schema, name = (p[1:-1].replace('""', '"') if p.startswith('"') else p for p in found.groups())
    return schema, name


def table_needs(table: Table) -> set[str]:
    """A table needs its schema and whatever its columns and inline checks need (a typed
    table, its type)."""
    needs = {schema_key(table.schema)}
    if table.of_type is not None:
        needs.add(type_key(*table.of_type))
    for col in table.columns:
        needs |= column_needs(col)
    for check in table.checks:
        needs |= expression_needs(check.expression)
    for exclusion in table.exclusions:  # [constraints-types] created inline
        needs |= exclusion_needs(table, exclusion) - {table_key(table.schema, table.name)}
        needs -= {column_key(table.schema, table.name, c.name) for c in table.columns}
    if table.server is not None:  # [foreign] a foreign table after its server, dropped before it
        needs.add(foreign_server_key(table.server))
    # [inheritance] A child is created after its parents (and dropped before them); a column it
    # declares that a parent has too must have the parent's type by then.
    for parent in table.inherits:
        needs.add(table_key(*parent))
        needs |= {column_key(*parent, c.name) for c in table.columns if c.inherited}
    return needs


def exclusion_needs(table: Table, con: ExclusionConstraint) -> set[str]:
    """An exclusion constraint needs its table, the columns it reads, and btree_gist when a gist
    one compares with ``=`` (scalar types have no gist operator class without it)."""
    needs = {table_key(table.schema, table.name)}
    known = {c.name for c in table.columns}
    names: set[str] = set(con.include)
    for element in con.elements:
        parts = split_exclusion_element(element)
        expression = parts[0] if parts else element
        names |= column_refs(expression) or set(_WORD.findall(expression)[:1])
        needs |= expression_needs(expression)
    if con.where:
        names |= column_refs(con.where)
    needs |= {column_key(table.schema, table.name, n) for n in names if n in known}
    if con.method.value == "gist":
        needs.add(extension_key("btree_gist"))
    return needs


def table_creates(table: Table) -> set[str]:
    """Keys that exist once CREATE TABLE has run: the table, its columns and inline constraints."""
    keys = {table_key(table.schema, table.name)}
    keys |= {column_key(table.schema, table.name, c.name) for c in table.columns}
    keys |= {column_key(table.schema, table.name, c.name) for c in table.inherited_columns}  # [inheritance]
    inline: list[Constraint] = [*table.uniques, *(c for c in table.checks if c.validated)]
    if table.primary_key:
        inline.append(table.primary_key)
    inline += table.exclusions  # [constraints-types]
    keys |= {constraint_key(table.schema, table.name, c.name) for c in inline}
    return keys


def referenced_key_constraint(schema: Schema, fk: ForeignKey) -> str | None:
    """The primary key, unique constraint or unique index that a foreign key's referenced
    columns match (its key).

    A foreign key depends on that constraint's unique index: it cannot be created before it,
    and the constraint cannot be dropped while the foreign key exists.
    """
    target = schema.table(fk.ref_schema, fk.ref_table)
    if target is None:
        return None
    candidates: list[PrimaryKey | UniqueConstraint] = list(target.uniques)
    if target.primary_key:
        candidates.insert(0, target.primary_key)
    wanted = set(fk.ref_columns)
    for con in candidates:
        if set(con.columns) == wanted:
            return constraint_key(target.schema, target.name, con.name)
    # A plain unique index (no predicate, each element a column, ASC or DESC) serves a foreign key
    # as well; it is a separate change, so without this need the foreign key could run before it exists.
    for index in target.indexes:
        if index.unique and index.where is None and {element_column(e) for e in index.elements} == wanted:
            return index_key(target.schema, index.name)
    return None



def constraint_needs(table: Table, con: Constraint, schema: Schema) -> set[str]:
    """A constraint needs its table and columns; a foreign key also needs the referenced table,
    columns and unique constraint."""
    needs = {table_key(table.schema, table.name)}
    columns: tuple[str, ...] = ()
    if isinstance(con, PrimaryKey | UniqueConstraint):
        columns = con.columns
    elif isinstance(con, ExclusionConstraint):
        return needs | exclusion_needs(table, con)
    elif isinstance(con, ForeignKey):
        columns = con.columns
        needs.add(table_key(con.ref_schema, con.ref_table))
        needs |= {column_key(con.ref_schema, con.ref_table, c) for c in con.ref_columns}
        ref = referenced_key_constraint(schema, con)
        if ref:
            needs.add(ref)
    else:
        columns = tuple(column_refs(con.expression))
        needs |= expression_needs(con.expression)
    needs |= {column_key(table.schema, table.name, c) for c in columns}
    return needs


def index_needs(table: Table, index: Index) -> set[str]:
    """An index needs its table, the columns its elements, predicate and INCLUDE read, and the
    extensions of any operator class or function it uses."""
    needs = {table_key(table.schema, table.name)}
    names: set[str] = set(index.include)
    for element in index.elements:
        names |= column_refs(element) or set(_WORD.findall(element)[:1])
        needs |= expression_needs(element)
        for word in _WORD.findall(element):
            if word.lower() in OPCLASS_EXTENSIONS:
                needs.add(extension_key(OPCLASS_EXTENSIONS[word.lower()]))
    if index.where:
        names |= column_refs(index.where)
        needs |= expression_needs(index.where)
    known = {c.name for c in table.columns}
    needs |= {column_key(table.schema, table.name, n) for n in names if n in known}
    return needs


def policy_needs(table: Table, policy: Policy) -> set[str]:
    """A policy needs its table and the table's columns its expressions read (desired side:
    from the declared SQL, parsed with sqlglot), and the extensions of functions it calls."""
    needs = {table_key(table.schema, table.name)}
    known = {c.name for c in table.columns}
    for sql in (policy.using, policy.with_check):
        if sql:
            needs |= {column_key(table.schema, table.name, n) for n in column_refs(sql) if n in known}
            needs |= expression_needs(sql)
    return needs
