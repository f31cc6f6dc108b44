"""The SQL source: ``*.sql`` files are split into statements (``script``, ``heads``), run into
a scratch database (``scratch``, ``run``, with ``stubs`` for objects they refer to but do not
create), and read back with the catalog reader (``source``); ``origins`` maps each object to
the file and line that created it.

May import: ``declare.spec``, ``catalog`` (connect, reader), ``localpg``, ``model``,
``quoting``. Never ``diff``, ``plan``, ``apply`` or ``cli``.
"""
