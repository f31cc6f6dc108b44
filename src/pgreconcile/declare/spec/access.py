"""The language of access: ``grants:`` and ``owner:``, which every grantable kind takes (schemas,
tables, columns, views, materialized views, sequences, functions, procedures, domains, types).

Resolved to the model in :mod:`pgreconcile.declare.build.privileges`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from pgreconcile.declare.spec.base import Spec, one_or_many


def _grant_list(value: Any) -> Any:
    """``grants: {anon: select}`` / ``{anon: [select]}`` → the long form of each role's entry."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {role: GrantSpec.expand(entry) for role, entry in value.items()}
    return value


class GrantSpec(Spec):
    """What one role holds: ``[select, insert]`` or ``{privileges: [all], grant_option: true}``."""

    privileges: Annotated[list[str], BeforeValidator(one_or_many)]
    grant_option: bool = False

    @classmethod
    def expand(cls, data: Any) -> Any:
        if isinstance(data, str | list):
            return {"privileges": data}
        return data


#: ``grants:`` on an object: role → privileges. Left out: the object's grants are not managed.
Grants = Annotated[dict[str, GrantSpec] | None, BeforeValidator(_grant_list)]
