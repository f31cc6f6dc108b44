"""What SQL declaration files say about access, read back from the scratch database.

The scratch database is not the target: its roles are stand-ins, the role that ran the files
creates everything, and no default privileges hold there but the ones the files set. So from
SQL files, pgreconcile manages:

* the grants of every object in the managed schemas, as the files left them (columns included:
  a column of such a table that the files granted nothing on holds nothing, see
  diff/privileges.py). They are marked ``as_created``: the plan keeps what the files granted and
  revoked, and takes the rest from what the object is born with
  on the target — so a target's own default privileges that the files do not manage (Supabase
  grants ``anon`` and ``authenticated`` on every new table in ``public``) are kept, not revoked;
* schema grants only for schemas the files create (``public``'s stock ACL is not a declaration);
* default privileges for each (schema, role) the files set any for, database-wide ones (without
  ``IN SCHEMA``) included, and the applying role's in every schema the files create (none there
  when they set none); the role that ran them reads as "the role that applies the plan".
  Entries of other pairs are left alone;
* owners the files set (``ALTER … OWNER TO`` another role than the one running them); an object
  the files leave to that role keeps its live owner;
* publications, when the files create any.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from pgreconcile.model import Schema
from pgreconcile.model.privileges import (
    EVERY_SCHEMA,
    DefaultObjects,
    DefaultPrivileges,
    GrantKind,
    ObjectGrants,
)


def declared_access(read: Schema, managed: frozenset[str], fresh: Iterable[str]) -> Schema:
    """``read`` (already narrowed to ``managed``) with only the access the files declared."""
    stock = frozenset(fresh)
    grants: dict[str, ObjectGrants] = {}
    for key, held in read.grants.items():
        target = held.target
        schema = target.name if target.kind is GrantKind.SCHEMA else target.schema
        if schema not in managed or (target.kind is GrantKind.SCHEMA and target.name in stock):
            continue
        grants[key] = dataclasses.replace(held, as_created=True)
    reader = read.current_role
    owners = {}
    for key, owner in read.owners.items():
        target = owner.target
        if target.kind is GrantKind.SCHEMA:
            # public's owner is the server's (pg_database_owner, or the bootstrap superuser of
            # whatever server the scratch database is on): not the files' to say.
            if target.name not in managed or target.name in stock:
                continue
        elif target.schema not in managed:
            continue
        if reader is not None and owner.owner != reader:
            owners[key] = owner
    # Every entry of the scratch database was set by the files; those of a schema every new
    # database has (public) count even when the files put nothing else there.
    defaults = {
        (schema, objects, "" if role == reader else role): dataclasses.replace(dp, role="" if role == reader else role)
        for (schema, objects, role), dp in read.default_privileges.items()
        if schema in managed or schema in stock or schema == EVERY_SCHEMA
    }
    # A schema the files create is theirs alone: the applying role's default privileges there
    # are what the files set, none when they set none (one empty entry makes that pair managed).
    for schema in sorted(managed - stock):
        if not any(s == schema and role == "" for s, _, role in defaults):
            defaults[(schema, str(DefaultObjects.TABLES), "")] = DefaultPrivileges(schema, DefaultObjects.TABLES, "")
    return dataclasses.replace(
        read,
        grants=grants,
        owners=owners,
        default_privileges=defaults,
        default_privileges_managed=frozenset(schema for schema, _, _ in defaults),
        publications_managed=bool(read.publications),
        # An owner only when the files gave one (ALTER PUBLICATION … OWNER TO another role).
        publications={
            name: dataclasses.replace(pub, owner=pub.owner if reader is not None and pub.owner != reader else None)
            for name, pub in read.publications.items()
        },
        roles=None,
        current_role=None,
    )
