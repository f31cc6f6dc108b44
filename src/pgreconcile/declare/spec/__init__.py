"""The declaration language itself: what users may write, whatever the source.

Owns the pydantic models of the YAML language (``language``), its JSON Schema
(``json_schema``), validation-error wording (``errors``), the problem collector every source
reports into (``problems``), and the language-level meaning of names, literals and type
spellings (``names``, ``literals``, ``types``).

May import: ``model``, ``normalize``, ``quoting``, ``errors``, and ``declare.yaml`` (error
locations). Never the other sources, the build step, or anything above ``declare``.
"""
