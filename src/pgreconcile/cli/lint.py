"""``reconcile lint``: check the declarations against their own conventions, without a database."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pgreconcile.cli.errors import user_errors
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.cli.options import from_sqlalchemy_option, schema_dir_option
from pgreconcile.cli.settings import resolve, sqlalchemy_target
from pgreconcile.conventions import NO_VIOLATIONS, check_conventions, render_violations
from pgreconcile.declare import load_declarations
from pgreconcile.declare.build.conventions import read_conventions
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.errors import DeclarationError


@click.command()
@schema_dir_option
@from_sqlalchemy_option
@user_errors
def lint(schema_dir: Path | None) -> None:
    """Check the declarations against their conventions.

    The rules come from `conventions:` (uuid keys, timestamptz, lower-case enum labels, RLS,
    indexed foreign keys; see docs/conventions.md). No database is needed. Prints each
    violation with its file:line and a fix, and exits 1 when there is any.
    `reconcile plan` and `apply` run the same check first and refuse while one remains.

    \b
    Example:
      reconcile lint --schema-dir schema/
    """
    # The same directory plan and apply read: --schema-dir, else schema_dir in the config file.
    directory = resolve(schema_dir=schema_dir).schema_dir
    target = sqlalchemy_target()
    documents, desired = load_declarations(directory, sqlalchemy=target)
    if not documents:
        raise DeclarationError(f"no declaration files in {directory}", where=str(directory))
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
