from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("会议治理")

    def ready(self) -> None:
        from django.utils import translation

        from .rules import wording

        wording.install(translate=translation.gettext, language=translation.get_language)
        from django.db.models.signals import post_migrate

        from . import (
            checks,  # noqa: F401  (registers the system checks)
            tasks,  # noqa: F401  (registers the tasks that services queue by name)
        )
        from .services.admin_roles import ensure_role_groups_after_migrate

        # The three administrators' groups (三员分立) follow their permission sets after every migrate,
        # so that a permission that arrives with a new app (the audit app's) is taken up.
        post_migrate.connect(ensure_role_groups_after_migrate, dispatch_uid="governance.admin_role_groups")
        # Search's SQLite triggers are dropped when a migration rebuilds their table: put them back.
        post_migrate.connect(_ensure_text_indexes, sender=self, dispatch_uid="governance.text_indexes")

        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_save

        from .services import passwords, sessions

        # 身份鉴别: password history and forced changes; the sessions a person sees and ends.
        post_save.connect(passwords.on_password_set, sender=get_user_model(), dispatch_uid="governance.password_set")
        user_logged_in.connect(sessions.on_login, dispatch_uid="governance.session_login")
        user_logged_out.connect(sessions.on_logout, dispatch_uid="governance.session_logout")

        from django.db.models.signals import post_delete

        from .models import CalendarDay, CalendarYear
        from .services.workdays import on_calendar_changed

        # R-FU-3: an amended working-day calendar moves the follow-up due dates counted on it.
        for model in (CalendarDay, CalendarYear):
            post_save.connect(on_calendar_changed, sender=model, dispatch_uid=f"governance.calendar_saved.{model.__name__}")
            post_delete.connect(on_calendar_changed, sender=model, dispatch_uid=f"governance.calendar_deleted.{model.__name__}")


def _ensure_text_indexes(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from .models import text_index

    text_index.ensure(connections[using])
