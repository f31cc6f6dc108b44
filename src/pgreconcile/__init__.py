"""pgreconcile: a declarative schema-as-code reconciler for PostgreSQL."""

__version__ = "0.1.0"
