"""SQL for row-level security changes: CREATE / ALTER / DROP POLICY and the RLS switches."""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.rls_changes import AlterPolicy, CreatePolicy, DropPolicy, SetRowSecurity
from pgreconcile.model import Policy
from pgreconcile.normalize.reparse import as_reparsable
from pgreconcile.quoting import ident, qualified


def _roles(policy: Policy) -> str:
    # PUBLIC is a keyword, not a role name: it must not be quoted.
    return ", ".join("PUBLIC" if r == "public" else ident(r) for r in policy.roles)


def policy_definition(schema: str, table: str, policy: Policy) -> str:
    """The CREATE POLICY statement for ``policy`` on ``schema.table``."""
    text = f"CREATE POLICY {ident(policy.name)} ON {qualified(schema, table)}"
    text += " AS PERMISSIVE" if policy.permissive else " AS RESTRICTIVE"
    text += f" FOR {policy.command.value.upper()} TO {_roles(policy)}"
    if policy.using is not None:
        text += f" USING ({as_reparsable(policy.using)})"
    if policy.with_check is not None:
        text += f" WITH CHECK ({as_reparsable(policy.with_check)})"
    return text


@statements.register
def _(change: CreatePolicy) -> list[str]:
    return [policy_definition(change.schema, change.table_name, change.policy)]


@statements.register
def _(change: DropPolicy) -> list[str]:
    return [f"DROP POLICY {ident(change.policy.name)} ON {qualified(change.schema, change.table_name)}"]


@statements.register
def _(change: AlterPolicy) -> list[str]:
    old, new = change.old, change.new
    text = f"ALTER POLICY {ident(new.name)} ON {qualified(change.schema, change.table_name)}"
    if old.roles != new.roles:
        text += f" TO {_roles(new)}"
    # An expression can be set but not removed in place; the diff only alters a policy whose
    # expressions are both present or both absent on each side (PostgreSQL keeps the old one
    # when a clause is omitted), otherwise it re-creates the policy.
    if new.using is not None:
        text += f" USING ({as_reparsable(new.using)})"
    if new.with_check is not None:
        text += f" WITH CHECK ({as_reparsable(new.with_check)})"
    return [text]


@statements.register
def _(change: SetRowSecurity) -> list[str]:
    target = f"ALTER TABLE {qualified(change.schema, change.table_name)}"
    out = []
    if change.enabled != change.was_enabled:
        out.append(f"{target} {'ENABLE' if change.enabled else 'DISABLE'} ROW LEVEL SECURITY")
    if change.forced != change.was_forced:
        out.append(f"{target} {'FORCE' if change.forced else 'NO FORCE'} ROW LEVEL SECURITY")
    return out
