"""Writes of the audit trail: `record` (and `record_confidential_read`) for callers in every app; the
request context the middleware keeps; the signal receivers connected at start-up."""

from .events import record, record_confidential_read

__all__ = ["record", "record_confidential_read"]
