"""The common build step: validated documents from every source → one desired
:class:`~pgreconcile.model.Schema` (``assemble``), with the per-object builders (``tables``,
``groups``, ``policies``, ``collect``), foreign-key resolution (``references``), the
conventions read from the documents (``conventions``) and the merge with what SQL files
declare (``merge``).

May import: ``declare.spec``, ``declare.yaml``, ``model``, ``normalize``, ``quoting``,
``errors``. Never a source-specific package or anything above ``declare``.
"""
