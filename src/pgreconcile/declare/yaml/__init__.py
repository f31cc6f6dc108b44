"""The YAML source: a reader that keeps the line of every key and item (``source``), so that
every problem can name ``file:line``.

May import: ``gc_pause``. Nothing else of pgreconcile: the spec and the build step read what
this package produces.
"""
