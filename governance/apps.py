from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("会议治理")

    def ready(self) -> None:
        from django.utils import translation

        from .rules import wording

        wording.install(translate=translation.gettext, language=translation.get_language)
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            tasks,  # noqa: F401  (registers the tasks that services queue by name)
        )
