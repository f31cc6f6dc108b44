"""Order: a graph over changes (edges from what each change needs, creates and removes, each
with its reason) and a stable topological order; a cycle is refused by name (found by networkx).

May import: ``diff``, ``model``. Never ``plan``, ``catalog``, ``declare`` or anything above.
"""
