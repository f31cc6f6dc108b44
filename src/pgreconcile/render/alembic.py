"""A plan as an Alembic revision, for teams that keep an Alembic history (docs/sqlalchemy.md).

``upgrade()`` runs the plan's statements in the order apply runs them: new enum labels each in an
autocommit block first (a label cannot be used by the transaction that adds it), then the main
steps in Alembic's transaction, then the steps that cannot run in a transaction (``CREATE INDEX
CONCURRENTLY``) in an autocommit block. Statements go to a DBAPI cursor without parameters, so
nothing in them (``%``, ``:name``) is read as a placeholder. ``down_revision`` is the
head of the versions directory the revision is written to; ``downgrade()`` refuses, since a plan
has no inverse that keeps data.
"""

from __future__ import annotations

import ast
from pathlib import Path

from pgreconcile.errors import ReconcileError
from pgreconcile.plan.model import Phase, Plan, Step


def current_head(versions: Path) -> str | None:
    """The one revision of ``versions`` that no other revision follows (None when empty);
    :class:`ReconcileError` when there are several heads (merge them in Alembic first)."""
    revisions: dict[str, set[str]] = {}
    for path in sorted(versions.glob("*.py")):
        values = _assignments(path)
        revision = values.get("revision")
        if isinstance(revision, str):
            down = values.get("down_revision")
            downs = {down} if isinstance(down, str) else {d for d in down if isinstance(d, str)} if isinstance(
                down, tuple | list) else set()
            revisions[revision] = downs
    followed = set().union(*revisions.values()) if revisions else set()
    heads = sorted(set(revisions) - followed)
    if len(heads) > 1:
        raise ReconcileError(
            f"{versions} has {len(heads)} Alembic heads ({', '.join(heads)})",
            hint="merge them first (`alembic merge heads`), then plan again",
        )
    return heads[0] if heads else None


def _assignments(path: Path) -> dict[str, object]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return {}
    found: dict[str, object] = {}
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(target, ast.Name) and value is not None:
            try:
                found[target.id] = ast.literal_eval(value)
            except ValueError:
                continue
    return found


def render_alembic(plan: Plan, *, revision: str, down_revision: str | None, created: str) -> str:
    """The revision file's text."""
    s = plan.summary
    message = f"pgreconcile plan: {s.add} to add, {s.change} to change, {s.destroy} to destroy"
    lines = [
        f'"""{message}',
        "",
        f"Revision ID: {revision}",
        f"Revises: {down_revision or ''}",
        f"Create Date: {created}",
        "",
        f"Written by `reconcile plan --format alembic` from {plan.source} against {plan.target}.",
        '"""',
        "",
        "from alembic import op",
        "",
        f"revision = {revision!r}",
        f"down_revision = {down_revision!r}",
        "branch_labels = None",
        "depends_on = None",
        "",
        "",
        "def run(sql: str) -> None:",
        "    # A DBAPI cursor without parameters: the statement is sent as written.",
        "    op.get_bind().connection.cursor().execute(sql)",
        "",
        "",
        "def upgrade() -> None:",
    ]
    body: list[str] = []
    for phase, alone in ((Phase.BEFORE, True), (Phase.MAIN, False), (Phase.AFTER, True)):
        steps = plan.in_phase(phase)
        if not steps:
            continue
        if alone:
            body.append("    with op.get_context().autocommit_block():")
        for step in steps:
            body += _step(step, "        " if alone else "    ")
    lines += body or ["    pass  # no changes"]
    lines += [
        "",
        "",
        "def downgrade() -> None:",
        '    raise NotImplementedError("declare the earlier schema and let pgreconcile plan the way back")',
        "",
    ]
    return "\n".join(lines)


def _step(step: Step, indent: str) -> list[str]:
    out = [f"{indent}# step {step.number}: {step.action.symbol} {step.label}".rstrip()]
    out += [f"{indent}run({sql!r})" for sql in step.statements]
    return out
