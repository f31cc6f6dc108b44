"""``reconcile``: validate, inspect, plan and apply. Commands are thin; the work is elsewhere.

Each command lives in a module of its own, imported only when that command runs (or when
``--help`` lists them): ``reconcile --version`` imports click and nothing else, and
``reconcile validate`` never loads psycopg, the catalog reader or the planner.
"""

from __future__ import annotations

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
    """Write the declaration cache entries this run produced, without making the user wait."""
    from pgreconcile.cache import flush

    flush()



def main() -> None:
    """Console-script entry point."""
    cli(prog_name="reconcile")
