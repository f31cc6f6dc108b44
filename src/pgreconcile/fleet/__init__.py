"""Fleet: one declared schema, many databases (or many schemas of one database).

``targets`` reads the fleet file (``reconcile.fleet.toml``: databases by URL, a registry query,
or schema-per-tenant), expands ``${ENV}`` secrets and splits targets into shards; ``retarget``
turns the declaration of a template schema into one tenant's; ``planning`` plans every target
with bounded concurrency and groups identical plans; ``applying`` applies them (canaries first,
a failure budget, resumable results); ``results`` reads, writes and merges the JSON-lines
results files.

May import: ``plan``, ``apply``, ``catalog``, ``diff``, ``model``, ``ignore``, ``scope``,
``quoting``, ``errors``. Never ``cli`` (which renders what this package returns) or ``declare``
(the CLI loads the declarations once and hands them in).
"""
