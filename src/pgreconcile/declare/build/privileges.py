"""Declared grants, owners, default privileges and publications → model objects.

Read straight from the documents (they are small and keyed by object), so each gets the line it
was written on. An object's grants are managed only where its declaration says ``grants:``; a
table that does declares its columns' grants too (a column without ``grants:`` then holds none).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.access import GrantSpec
from pgreconcile.declare.spec.names import split_dotted
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.spec.publication_specs import DefaultPrivilegesSpec, PublicationSpec
from pgreconcile.model.origin import Origin
from pgreconcile.model.privileges import (
    EXTRA_PRIVILEGES,
    KIND_PRIVILEGES,
    PUBLIC,
    DefaultObjects,
    DefaultPrivileges,
    Grant,
    GrantKind,
    GrantTarget,
    ObjectGrants,
    ObjectOwner,
    Publication,
    PublishedTable,
    PublishOperation,
)
from pgreconcile.model.roles import Role

_WITH_OPTION = " with grant option"

#: Collections of a schema's declaration whose entries (keyed by name) may say ``grants:`` and
#: ``owner:``, and the kind of object they are. A kind whose spec has no such field yet is
#: skipped, so the views and sequences declarations plug in by adding ``grants: Grants = None``.
#: Functions are keyed by their argument types: their builder calls :func:`grants_of` itself.
GRANTABLE_COLLECTIONS: dict[str, GrantKind] = {
    "views": GrantKind.VIEW,
    "materialized_views": GrantKind.MATERIALIZED_VIEW,
    "sequences": GrantKind.SEQUENCE,
    "domains": GrantKind.TYPE,
    "types": GrantKind.TYPE,
}


@dataclass
class Declared:
    """Everything about access the documents declare."""

    grants: dict[str, ObjectGrants] = field(default_factory=dict)
    owners: dict[str, ObjectOwner] = field(default_factory=dict)
    default_privileges: dict[tuple[str, str, str], DefaultPrivileges] = field(default_factory=dict)
    default_privileges_managed: set[str] = field(default_factory=set)
    publications: dict[str, Publication] = field(default_factory=dict)
    publications_managed: bool = False
    roles: dict[str, Role] = field(default_factory=dict)


def grants_of(
    target: GrantTarget, declared: dict[str, GrantSpec], origin: Origin, problems: Problems
) -> ObjectGrants:
    """The grants ``declared`` for ``target`` (role → privileges), ``all`` expanded for its kind."""
    allowed = KIND_PRIVILEGES[target.kind]
    found: set[Grant] = set()
    for written, spec in declared.items():
        role = PUBLIC if written.lower() == PUBLIC else written  # PUBLIC is a keyword, any case
        for privilege in spec.privileges:
            word = " ".join(privilege.lower().split())
            # `insert with grant option`: one privilege with the option, beside others without.
            option = spec.grant_option or word.endswith(_WITH_OPTION)
            word = word.removesuffix(_WITH_OPTION)
            if word in ("all", "all privileges"):
                found |= {Grant(role, p, option) for p in allowed}
            elif word in allowed or (word in EXTRA_PRIVILEGES and target.kind is not GrantKind.COLUMN):
                found.add(Grant(role, word, option))
            else:
                problems.at(
                    origin,
                    f"grants on {target.label}: {privilege!r} is not a privilege of a {target.kind}",
                    f"use {', '.join(allowed)} or all",
                )
    return ObjectGrants(target, frozenset(found), origin)


def build_access(documents: Sequence[Document], problems: Problems) -> Declared:
    """Grants, owners, default privileges and publications of every document."""
    out = Declared()
    for doc in documents:
        for name, schema in doc.spec.schemas.items():
            path = ("schemas", name)
            target = GrantTarget(GrantKind.SCHEMA, None, name)
            _object(out, doc, target, schema.grants, schema.owner, path, problems)
            if schema.default_privileges is not None:
                _defaults(out, doc, name, schema.default_privileges, (*path, "default_privileges"), problems)
            for table_name, table in schema.tables.items():
                tpath = (*path, "tables", table_name)
                target = GrantTarget(GrantKind.TABLE, name, table_name)
                _object(out, doc, target, table.grants, table.owner, tpath, problems)
                for column_name, column in table.columns.items():
                    grants = column.grants
                    if grants is None and table.grants is not None:
                        grants = {}  # the table manages its columns' grants: none declared here
                    if grants is None:
                        continue  # nothing managed (most columns): no target, no origin to find
                    ctarget = GrantTarget(GrantKind.COLUMN, name, table_name, column_name)
                    _object(out, doc, ctarget, grants, None, (*tpath, "columns", column_name), problems)
            for collection, kind in GRANTABLE_COLLECTIONS.items():
                for object_name, spec in (getattr(schema, collection, None) or {}).items():
                    if hasattr(spec, "grants") or hasattr(spec, "owner"):
                        target = GrantTarget(kind, name, object_name)
                        opath = (*path, collection, object_name)
                        owner = getattr(spec, "owner", None)
                        _object(out, doc, target, getattr(spec, "grants", None), owner, opath, problems)
        if doc.spec.publications is not None:
            out.publications_managed = True
            for pub_name, pub in doc.spec.publications.items():
                origin = Origin(doc.file, doc.line("publications", pub_name))
                if pub_name in out.publications:
                    _twice(problems, origin, f"publication {pub_name}", out.publications[pub_name].origin)
                    continue
                out.publications[pub_name] = _publication(pub_name, pub, origin, problems)
        for role_name, role in doc.spec.roles.items():
            origin = Origin(doc.file, doc.line("roles", role_name))
            if role_name in out.roles:
                _twice(problems, origin, f"role {role_name}", out.roles[role_name].origin)
                continue
            out.roles[role_name] = Role(role_name, role.login, origin)
    return out


def _object(
    out: Declared,
    doc: Document,
    target: GrantTarget,
    grants: dict[str, GrantSpec] | None,
    owner: str | None,
    path: tuple[str, ...],
    problems: Problems,
) -> None:
    if grants is None and owner is None:
        return  # neither is managed; finding the lines is the costly part of a large load
    grants_at = Origin(doc.file, doc.line(*path, "grants") or doc.line(*path))
    owner_at = Origin(doc.file, doc.line(*path, "owner") or doc.line(*path))
    declare_access(out, target, grants, owner, (grants_at, owner_at), problems)


def declare_access(
    out: Declared,
    target: GrantTarget,
    grants: dict[str, GrantSpec] | None,
    owner: str | None,
    origins: tuple[Origin, Origin],
    problems: Problems,
) -> None:
    """Record the ``grants:`` and ``owner:`` declared for ``target`` (written at ``origins``,
    grants then owner); either left out (None) leaves that part unmanaged."""
    key = target.key
    if grants is not None:
        if key in out.grants:
            _twice(problems, origins[0], f"the grants of {target.label}", out.grants[key].origin)
        else:
            out.grants[key] = grants_of(target, grants, origins[0], problems)
    if owner is not None:
        if key in out.owners:
            _twice(problems, origins[1], f"the owner of {target.label}", out.owners[key].origin)
        else:
            out.owners[key] = ObjectOwner(target, owner, origins[1])


def _defaults(
    out: Declared, doc: Document, schema: str, spec: DefaultPrivilegesSpec, path: tuple[str, ...], problems: Problems
) -> None:
    origin = Origin(doc.file, doc.line(*path))
    if schema in out.default_privileges_managed:
        problems.at(origin, f"the default privileges of schema {schema} are declared twice", "declare them once")
        return
    out.default_privileges_managed.add(schema)
    # An empty role stands for "the role that applies the plan" (resolved against the live side).
    role = spec.for_role or ""
    for objects in DefaultObjects:
        declared = getattr(spec, str(objects))
        if declared is None:
            continue
        kind = {"tables": GrantKind.TABLE, "sequences": GrantKind.SEQUENCE,
                "functions": GrantKind.FUNCTION, "types": GrantKind.TYPE}[str(objects)]
        grants = grants_of(GrantTarget(kind, schema, f"<new {objects}>"), declared, origin, problems)
        out.default_privileges[(schema, str(objects), role)] = DefaultPrivileges(
            schema, objects, role, grants.grants, origin
        )


def _publication(name: str, spec: PublicationSpec, origin: Origin, problems: Problems) -> Publication:
    tables = []
    for text, table in spec.tables.items():
        try:
            parts = split_dotted(text)
        except ValueError as why:
            problems.at(origin, f"publication {name}: {why}")
            continue
        if len(parts) == 1:
            parts = ["public", parts[0]]
        if len(parts) != 2:
            problems.at(origin, f"publication {name}: {text!r} is not a table name", "write schema.table")
            continue
        columns = tuple(table.columns) if table.columns is not None else None
        tables.append(PublishedTable(parts[0], parts[1], columns, table.where))
    if spec.all_tables and (tables or spec.schemas):
        problems.at(origin, f"publication {name}: all_tables excludes tables and schemas", "keep one of them")
    publish = tuple(op for op in PublishOperation if str(op) in spec.publish)
    return Publication(
        name=name,
        all_tables=spec.all_tables,
        tables=tuple(sorted(tables)),
        schemas=tuple(sorted(spec.schemas)),
        publish=publish,
        via_partition_root=spec.via_partition_root,
        comment=spec.comment,
        origin=origin,
        owner=spec.owner,
    )


def _twice(problems: Problems, second: Origin, what: str, first: Origin | None) -> None:
    problems.at(
        second,
        f"{what} is declared twice: at {first} and at {second}",
        "declare each object in one place; remove or merge one of the two",
    )
