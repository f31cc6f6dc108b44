"""``reconcile``: validate, inspect, plan and apply. Commands are thin; the work is elsewhere.

Each command lives in a module of its own, imported only when that command runs (or when
``--help`` lists them): ``reconcile --version`` imports click and nothing else, and
``reconcile validate`` never loads psycopg, the catalog reader or the planner.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

import click

from pgreconcile import __version__

#: Command name → "module:attribute" of its click command.
COMMANDS: dict[str, str] = {
    "validate": "pgreconcile.cli.validate_cmd:validate",
    "inspect": "pgreconcile.cli.inspect_cmd:inspect",
    "plan": "pgreconcile.cli.plan_cmd:plan",
    "apply": "pgreconcile.cli.apply_cmd:apply",
    "lint": "pgreconcile.cli.lint:lint",
    "fleet": "pgreconcile.cli.fleet_cmd:fleet",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (see the module docstring)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name].split(":")
            command: Any = getattr(import_module(module), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="pgreconcile")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Configuration file. Default: reconcile.toml, else [tool.pgreconcile] in pyproject.toml, "
    "in the current directory.",
)
def cli(config_file: Path | None) -> None:
    """Declarative schema-as-code for PostgreSQL: declare the schema, plan, apply.

    \b
    Examples:
      reconcile validate                    # check schema/ without a database
      reconcile lint                        # check it against its conventions
      reconcile inspect > schema/app.yaml   # bring an existing database under management
      reconcile plan                        # what would change, Terraform-style
      reconcile apply                       # apply it, after you type 'yes'
      reconcile plan -out plans/next.plan.json && reconcile apply plans/next.plan.json
      reconcile plan --markdown             # for a pull-request comment
      reconcile --config ci/reconcile.toml plan --detailed-exitcode

    \b
    Settings come from flags, then the environment (DATABASE_URL), then reconcile.toml or
    [tool.pgreconcile] in pyproject.toml, then the defaults.
    """
    # Declarations loaded this run are cached once the command is done (pgreconcile/cache.py).
    click.get_current_context().call_on_close(flush_cache)


def flush_cache() -> None:
    """Write the cache entries this run produced (declarations, compiled dataclass methods),
    without making the user wait."""
    from pgreconcile import class_code
    from pgreconcile.cache import flush

    class_code.store_later()
    flush()



def main() -> None:
    """Console-script entry point.

    A command is a short-lived process holding two large, acyclic models (the declarations and
    the catalog): reference counting frees what it drops, and the cyclic collector would only
    re-scan the models, again and again (a quarter of a no-op plan, gc_pause.py). So it is off
    for the process; the few reference cycles a command leaves end with it. (In-process callers,
    such as tests through click's runner, keep their collector: plan_against pauses it itself.)
    """
    gc.disable()
    # Before any command imports the model: its dataclasses' methods compiled in an earlier run
    # are not compiled again (class_code.py).
    from pgreconcile import class_code

    class_code.install()
    try:
        cli(prog_name="reconcile")
    except SystemExit as done:  # click always ends this way in standalone mode
        leave(done.code)


def leave(code: object) -> None:
    """End the process the way the interpreter would, minus tearing down the heap.

    Freeing the models object by object at exit, and the final collection the interpreter runs
    even with the collector off, took a fifth of a no-op plan's wall time (0.3 s of 1.6 s with
    views and functions); the operating system reclaims the memory at once. Everything that
    must happen still does: exit handlers (a throwaway local server is stopped by one), then
    standard output and error flushed.
    """
    atexit._run_exitfuncs()
    status = 0
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # what sys.exit("message") does
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`reconcile plan | head`) or stream
            status = status or 1
    os._exit(status)
