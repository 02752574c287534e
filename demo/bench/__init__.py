"""`manage.py bench` (issue 14): a city's dataset built in bulk, and the key pages, the sweep and a
minutes document measured on the configured database. Lives in the demo app, which may import every
app and which nothing imports (docs/architecture.md)."""
