"""Compare one table's row-level security: the RLS switches and its policies.

PostgreSQL changes a policy's roles, USING and WITH CHECK in place (ALTER POLICY); its command
and permissive/restrictive kind only by dropping and re-creating it. Expressions are compared
through the normalizer, so ``auth.uid() = id`` and ``(auth.uid() = id)`` are the same policy.
"""

from __future__ import annotations

from pgreconcile.diff import deps
from pgreconcile.diff.changes import Change
from pgreconcile.diff.construct import create_policy, drop_policy
from pgreconcile.diff.rls_changes import AlterPolicy, SetRowSecurity
from pgreconcile.model import Policy, Schema, Table
from pgreconcile.model.keys import policy_key, table_key
from pgreconcile.normalize.expressions import equivalent


def same_policy(a: Policy, b: Policy) -> bool:
    """Whether two policies are the same in every attribute PostgreSQL stores."""
    return (
        a.command == b.command
        and a.permissive == b.permissive
        and a.roles == b.roles
        and equivalent(a.using, b.using)
        and equivalent(a.with_check, b.with_check)
    )


def compare_row_security(table: Table, current: Table, live: Schema) -> list[Change]:
    """The changes that bring ``current``'s RLS switches and policies to ``table``'s."""
    out: list[Change] = []
    if (table.rls_enabled, table.rls_forced) != (current.rls_enabled, current.rls_forced):
        out.append(
            SetRowSecurity(
                table.schema, table.name, table.rls_enabled, table.rls_forced,
                current.rls_enabled, current.rls_forced,
                needs=frozenset({table_key(table.schema, table.name)}),
            )
        )
    existing = {p.name: p for p in current.policies}
    for policy in table.policies:
        old = existing.get(policy.name)
        if old is None:
            out.append(create_policy(table, policy))
        elif (
            old.command != policy.command
            or old.permissive != policy.permissive
            # ALTER POLICY can set an expression but never remove one.
            or (old.using is None) != (policy.using is None)
            or (old.with_check is None) != (policy.with_check is None)
        ):
            out.append(drop_policy(current, old, live, replaces=True))
            out.append(create_policy(table, policy, replaces=True))
        elif not same_policy(policy, old):
            pkey = policy_key(table.schema, table.name, policy.name)
            out.append(
                AlterPolicy(
                    table.schema, table.name, old, policy,
                    # The new expressions' columns must exist when it runs; the policy exists.
                    needs=frozenset(deps.policy_needs(table, policy) - {pkey}),
                )
            )
    wanted = {p.name for p in table.policies}
    out.extend(drop_policy(current, old, live) for name, old in existing.items() if name not in wanted)
    return out
