"""Data probes: what a plan's changes would do to the rows that exist, measured read-only.

``choose`` decides which probes the changes call for (``probes`` is what one is,
``column_probes`` the type-change ones beyond the cast check), ``sql`` and ``conversions`` write
their queries, ``run`` runs them in one bounded read-only snapshot, and ``wording`` says what they
found. :class:`DataProber` ties them together for :func:`pgreconcile.plan.make_plan`.

May import: ``diff`` (the changes it measures), ``plan`` (the facts it returns), ``model``,
``normalize``, ``quoting``. Never ``declare``, ``apply`` or ``cli``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEFAULT_TIMEOUT_MS", "DataProber", "ProbeRun"]

# Imported on first use: a plan with nothing to probe (no changes) never loads the probe
# machinery, and importing a submodule such as ``probe.conversions`` stays light.
_LAZY = {"DataProber": "prober", "ProbeRun": "run", "DEFAULT_TIMEOUT_MS": "run"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)
