"""Renderers: views of a Plan. They format what the Plan holds and compute nothing else.

May import: ``plan``, ``diff`` (actions), ``model``, ``quoting``. Never ``apply``, ``catalog`` or ``cli``.
"""

from pgreconcile.render.sql import render_sql
from pgreconcile.render.text import render_text

__all__ = ["render_sql", "render_text"]
