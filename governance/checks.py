"""System checks (placeholder module, filled by the calendar work)."""
