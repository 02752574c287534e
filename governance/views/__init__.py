"""Views: thin (docs/architecture.md, Layers): parse, gate, call a service, render or redirect."""
