"""Plans: the ordered, fully rendered set of steps that apply carries out."""

from pgreconcile.plan.build import make_plan
from pgreconcile.plan.model import Plan, Step, Summary

__all__ = ["Plan", "Step", "Summary", "make_plan"]
