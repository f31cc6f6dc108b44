"""``reconcile plan --format alembic -o DIR``: write the plan as the next Alembic revision."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import click

from pgreconcile.errors import ReconcileError
from pgreconcile.plan.model import Plan
from pgreconcile.render.alembic import current_head, render_alembic


def write_revision(plan: Plan, versions: Path) -> Path | None:
    """Write the revision file into ``versions`` (None and a message when there is nothing to do)."""
    if not versions.is_dir():
        raise ReconcileError(
            f"{versions} is not a directory", hint="pass the Alembic versions directory, e.g. migrations/versions/"
        )
    if not plan.has_changes:
        click.echo("No changes. The database matches the declarations: no revision written.")
        return None
    # A revision runs without pgreconcile's confirmation: one that destroys data is not written.
    if plan.destroys_data:
        raise ReconcileError(
            "this plan destroys data, so no Alembic revision is written for it",
            hint="review `reconcile plan`, then apply it with `reconcile apply --allow-destroy`",
        )
    # [foreign] A revision file is shown and committed: it never holds a password, so a plan that
    # sets one (a user mapping's) is not written.
    secret = next((s for s in plan.steps if s.secret_statements), None)
    if secret is not None:
        raise ReconcileError(
            f"step {secret.number} ({secret.label}) sets a secret option, so no Alembic revision is written for it",
            hint="apply it with `reconcile apply`, which sends the value without writing it anywhere",
        )
    revision = uuid.uuid4().hex[:12]
    head = current_head(versions)
    path = versions / f"{revision}_pgreconcile_plan.py"
    created = datetime.now(UTC).isoformat(sep=" ", timespec="seconds")
    path.write_text(render_alembic(plan, revision=revision, down_revision=head, created=created), encoding="utf-8")
    s = plan.summary
    click.echo(
        f"Wrote {path} (revision {revision}, after {head or 'the base'}): "
        f"{s.add} to add, {s.change} to change, {s.destroy} to destroy. Run: alembic upgrade head"
    )
    return path
