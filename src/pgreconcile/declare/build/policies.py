"""A table's row-level security declarations → :class:`Policy` objects and RLS flags.

Policies are kept in name order (as the catalog reads them). Roles are sorted and ``public``
is PostgreSQL's PUBLIC pseudo-role, so a declaration and its live twin compare equal however
the roles were listed. Expressions stay SQL text, compared through the normalizer.
"""

from __future__ import annotations

from collections.abc import Callable

from pgreconcile.declare.spec.language import TableSpec
from pgreconcile.model.objects import Origin, Policy, PolicyCommand

# Which expressions each command accepts (PostgreSQL rejects the others at CREATE POLICY).
_TAKES_USING = frozenset({PolicyCommand.ALL, PolicyCommand.SELECT, PolicyCommand.UPDATE, PolicyCommand.DELETE})
_TAKES_CHECK = frozenset({PolicyCommand.ALL, PolicyCommand.INSERT, PolicyCommand.UPDATE})

ErrorSink = Callable[[Origin, str, str | None], None]
SqlCheck = Callable[..., bool]


def rls_flags(spec: TableSpec) -> tuple[bool, bool]:
    """``(enabled, forced)``; a table that declares no ``rls:`` has row-level security off."""
    if spec.rls is None:
        return False, False
    return spec.rls.enabled, spec.rls.forced


def build_policies(
    spec: TableSpec,
    at: Callable[..., Origin],
    error: ErrorSink,
    sql: SqlCheck,
) -> tuple[Policy, ...]:
    """The declared policies, each checked: expressions parse, the command accepts them, roles
    are not empty. ``at`` gives the origin of a key path, ``error`` records a problem and ``sql``
    validates one expression (recording its own problem)."""
    out: list[Policy] = []
    for name, pol in spec.policies.items():
        origin = at("policies", name)
        command = PolicyCommand(pol.command)
        good = True
        if pol.using is not None and command not in _TAKES_USING:
            error(at("policies", name, "using"), f"policy {name}: FOR {command.value.upper()} takes no `using`",
                  "an INSERT policy only has `with_check`")
            good = False
        if pol.with_check is not None and command not in _TAKES_CHECK:
            error(at("policies", name, "with_check"),
                  f"policy {name}: FOR {command.value.upper()} takes no `with_check`",
                  "SELECT and DELETE policies only have `using`")
            good = False
        if pol.using is None and pol.with_check is None:
            error(origin, f"policy {name}: declares neither `using` nor `with_check`",
                  'write `using: "true"` for a policy that lets every row through')
            good = False
        if not pol.roles:
            error(at("policies", name, "roles"), f"policy {name}: `roles` is empty", "omit it to mean PUBLIC")
            good = False
        for key in ("using", "with_check"):
            text = getattr(pol, key)
            if text is not None and not sql(text, f"policy {name}: {key}", "policies", name, key):
                good = False
        if good:
            out.append(
                Policy(
                    name=name,
                    command=command,
                    permissive=pol.permissive,
                    roles=tuple(sorted({_role(r) for r in pol.roles})),
                    using=pol.using,
                    with_check=pol.with_check,
                    origin=origin,
                    renamed_from=pol.renamed_from,
                    comment=pol.comment,
                )
            )
    return tuple(sorted(out, key=lambda p: p.name))


def _role(name: str) -> str:
    # PUBLIC is a keyword, not a role: any spelling of it means everyone.
    return "public" if name.lower() == "public" else name
