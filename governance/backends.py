"""The authentication backend: Django's, with the signed-in user read once per request together with
what every page asks of them (their person, for the bureau and the name; their administrator role,
for the workspace and the gates; the count of their unread messages, for the header), so a page does
not pay four queries before it starts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from governance.models import AdminRoleAssignment, Notification


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        role = (AdminRoleAssignment.objects.filter(user=OuterRef("pk"), revoked_at__isnull=True)
                .order_by("-at", "-pk").values("role")[:1])
        unread = (Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True).order_by()
                  .values("recipient").annotate(n=Count("pk")).values("n"))
        user = (get_user_model()._default_manager.select_related("person")
                .annotate(admin_role_now=Subquery(role), unread_now=Coalesce(Subquery(unread), 0))
                .filter(pk=user_id).first())
        if user is None or not self.user_can_authenticate(user):
            return None
        user._admin_role = user.admin_role_now  # what governance.permissions.admin_role_of keeps for the request
        # This object lives for one request: selectors may keep what they read of this person on it
        # (governance.selectors.org.works_in), which they never do for a user object a service holds.
        user.request_scoped = True
        return user
