"""Views: thin (STYLE.md §6): parse, gate, call a service, render or redirect."""
