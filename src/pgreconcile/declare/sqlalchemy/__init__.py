"""SQLAlchemy models as a declaration source (docs/sqlalchemy.md).

``sqlalchemy = "app.models:Base.metadata"`` (or ``--from-sqlalchemy``) names a ``MetaData``; its
tables become the same plain data a YAML file holds (:mod:`.tables`), one document per Python
file the models were written in, with the line of every class and column, so validation, the
model, conventions and the planner are shared with the other sources. A YAML file naming a table
the models declare adds what SQLAlchemy cannot express (RLS, policies, groups, ...):
:mod:`.merge` joins the two and refuses a column, enum or key declared in both.

SQLAlchemy is an optional dependency (``pip install 'pgreconcile[sqlalchemy]'``), imported only
when a project configures this source.
"""

from __future__ import annotations

from pgreconcile.declare.sqlalchemy.load import import_metadata, sqlalchemy_documents
from pgreconcile.declare.sqlalchemy.merge import merge_documents

__all__ = ["import_metadata", "merge_documents", "sqlalchemy_documents"]
