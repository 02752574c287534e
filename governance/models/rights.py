"""Rights on one object (docs/architecture.md, Gates): guardian's direct foreign-key object permissions.

One table per object kind, each row a person, a permission and the object by an integer foreign key.
Guardian's generic table keeps the object's id as text, so a list filtered by it compiles to
`CAST(id AS varchar) IN (...)`, which no index serves; these tables join on the key, through the unique
index (person, permission, object). Rights are granted to persons only, by the services (guardian's
`assign_perm` and `remove_perm` find these tables by themselves); groups carry the administrator
roles' model-wide permissions, never a right on an object. The minutes app keeps its own table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from .followup import Action
from .meetings import Meeting, Topic


class MeetingRight(UserObjectPermissionBase):
    content_object = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rights",
                                       verbose_name=_("会议"))

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("会议权限")
        verbose_name_plural = _("会议权限")


class TopicRight(UserObjectPermissionBase):
    content_object = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="rights", verbose_name=_("议题"))

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("议题权限")
        verbose_name_plural = _("议题权限")


class ActionRight(UserObjectPermissionBase):
    content_object = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="rights",
                                       verbose_name=_("督办事项"))

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("督办事项权限")
        verbose_name_plural = _("督办事项权限")
