from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("会议纪要")

    def ready(self) -> None:
        from . import selectors, tasks  # noqa: F401  (tasks queued by name; the ledger, figures and search it adds)
