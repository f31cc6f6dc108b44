"""``reconcile lint``: check the declarations against their own conventions, without a database."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pgreconcile.cli.errors import user_errors
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.cli.options import from_sqlalchemy_option
from pgreconcile.cli.settings import sqlalchemy_target
from pgreconcile.conventions import NO_VIOLATIONS, check_conventions, render_violations
from pgreconcile.declare import load_declarations
from pgreconcile.declare.build.conventions import read_conventions
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.errors import DeclarationError


@click.command()
@click.option(
    "--schema-dir",
    "-s",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schema"),
    show_default=True,
    help="Directory holding the desired schema (*.yaml, *.yml).",
)
@from_sqlalchemy_option
@user_errors
def lint(schema_dir: Path) -> None:
    """Check the declarations against their conventions.

    The rules come from `conventions:` (uuid keys, timestamptz, lower-case enum labels, RLS,
    indexed foreign keys; see docs/conventions.md). No database is needed. Prints each
    violation with its file:line and a fix, and exits 1 when there is any.
    `reconcile plan` and `apply` run the same check first and refuse while one remains.

    \b
    Example:
      reconcile lint --schema-dir schema/
    """
    target = sqlalchemy_target()
    documents, desired = load_declarations(schema_dir, sqlalchemy=target)
    if not documents:
        raise DeclarationError(f"no declaration files in {schema_dir}", where=str(schema_dir))
    violations = check_conventions(documents, desired)
    if target is not None:
        # The traps of the models themselves, said in SQLAlchemy's words (docs/sqlalchemy.md).
        from pgreconcile.conventions.sqlalchemy_traps import with_traps

        violations = with_traps(violations, target, documents, desired)
    if violations:
        click.echo(render_violations(violations), nl=False)
        sys.exit(Exit.ERROR)
    click.echo(NO_VIOLATIONS)
    if not read_conventions(documents, Problems()).declared:
        click.echo("No conventions are declared: a `conventions:` block switches rules on (docs/conventions.md).")
