"""Background work of the minutes app: thin tasks that take ids and call a service (docs/architecture.md, Tasks)."""

from __future__ import annotations

from celery import shared_task

from minutes.services.archive_export import build_export


@shared_task(acks_late=True)
def build_archive_export(pk: int) -> str:
    """R-MI-6: build one archive export; a second delivery finds it claimed and does nothing."""
    return build_export(pk).status
