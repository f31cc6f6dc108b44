"""The CLI's error boundary: a ReconcileError becomes one message and exit code 1, no traceback."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import click

from pgreconcile.cli.exitcodes import Exit
from pgreconcile.errors import ReconcileError

P = ParamSpec("P")
R = TypeVar("R")


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so that user-facing errors print cleanly and exit with code 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ReconcileError as err:
            click.echo(f"Error: {err.render()}", err=True)
            sys.exit(Exit.ERROR)
        except Exception as err:
            # psycopg is looked up, not imported: a command that never loaded it (validate,
            # --version) cannot have raised one of its errors, and stays light.
            psycopg = sys.modules.get("psycopg")
            if psycopg is None or not isinstance(err, psycopg.Error):
                raise
            # A database error outside apply's own handling (a catalog read cancelled by a
            # role's statement_timeout, a dropped connection): one line, never a traceback.
            # Server messages never contain the connection's password.
            diag, sqlstate = getattr(err, "diag", None), getattr(err, "sqlstate", None)
            message = (diag.message_primary if diag else None) or str(err).strip() or type(err).__name__
            state = f" (SQLSTATE {sqlstate})" if sqlstate else ""
            click.echo(f"Error: the database reported: {message}{state}", err=True)
            sys.exit(Exit.ERROR)
        except KeyboardInterrupt:
            click.echo("Interrupted: nothing was applied after the last committed step.", err=True)
            sys.exit(Exit.ERROR)

    return wrapper
