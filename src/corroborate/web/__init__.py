"""Web pages served by ``corroborate serve`` (templates and static files live beside this)."""
