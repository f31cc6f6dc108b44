"""A row-level security policy as declaration data: the entry a table's (or a partition's)
``policies:`` holds, with the language's defaults left out."""

from __future__ import annotations

from pgreconcile.model.policies import Policy, PolicyCommand


def policy_entry(policy: Policy) -> dict[str, object]:
    """``{command:, roles:, permissive:, using:, with_check:, comment:}``, as far as not defaults."""
    spec: dict[str, object] = {}
    if policy.command is not PolicyCommand.ALL:
        spec["command"] = policy.command.value
    if policy.roles != ("public",):
        spec["roles"] = list(policy.roles)
    if not policy.permissive:
        spec["permissive"] = False
    if policy.using is not None:
        spec["using"] = policy.using
    if policy.with_check is not None:
        spec["with_check"] = policy.with_check
    if policy.comment is not None:
        spec["comment"] = policy.comment
    return spec
