"""Plans: the ordered, fully rendered set of steps that apply carries out.

May import: ``diff``, ``order``, ``ddl``, ``probe``, ``model``, ``normalize``. Never ``declare``,
``render``, ``apply`` or ``cli``.
"""

from pgreconcile.plan.build import make_plan
from pgreconcile.plan.model import Plan, Step, Summary

__all__ = ["Plan", "Step", "Summary", "make_plan"]
