"""The Celery application shared by the worker and beat (`celery -A meetings_site ...`)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meetings_site.settings")

app = Celery("meetings_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
