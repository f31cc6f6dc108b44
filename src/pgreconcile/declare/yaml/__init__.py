"""The YAML source: readers that keep the line of every key and item, so that every problem can
name ``file:line``. ``source.load_yaml`` is the entry point; ``fast`` reads the plain block style
line by line, ``events`` reads everything else from libyaml's events (and words the problems),
``lines`` holds the data both build.

May import: ``gc_pause``. Nothing else of pgreconcile: the spec and the build step read what
this package produces.
"""
