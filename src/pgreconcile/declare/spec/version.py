"""The version of the declaration language this pgreconcile reads and writes (``version: 1``).

A module of its own so that what writes declarations (``reconcile inspect``) names it without
importing the language's pydantic models (a tenth of a second at start-up)."""

SUPPORTED_VERSION = 1
