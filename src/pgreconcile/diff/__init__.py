"""Diff: a desired and a live :class:`~pgreconcile.model.Schema` → typed changes, each knowing
its action, hazards and the object keys it needs, creates and removes. No SQL, no order.

May import: ``model``, ``normalize``, ``quoting``, ``errors``. Never ``order``, ``plan``,
``catalog``, ``declare`` or anything above.
"""
