"""Reads of the audit trail: the screen's search (newest first) and the rows of its exports."""

from __future__ import annotations

import datetime
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, Category, Outcome


@dataclass(frozen=True)
class EventFilter:
    """What the audit administrator searches by; empty values do not filter."""

    start: datetime.datetime | None = None
    end: datetime.datetime | None = None  # exclusive
    actor: str = ""
    category: str = ""
    outcome: str = ""
    object_type: str = ""
    object_id: str = ""
    address: str = ""


def search(f: EventFilter) -> QuerySet:
    """The events matching `f`, newest first, in one query (the actor's name is kept on the row)."""
    qs = AuditEvent.objects.order_by("-at", "-id")
    if f.start:
        qs = qs.filter(at__gte=f.start)
    if f.end:
        qs = qs.filter(at__lt=f.end)
    if f.actor:
        qs = qs.filter(Q(actor_username__iexact=f.actor) | Q(actor_name__icontains=f.actor)
                       | Q(actor__username__iexact=f.actor))
    if f.category:
        qs = qs.filter(category=f.category)
    if f.outcome:
        qs = qs.filter(outcome=f.outcome)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.address:
        qs = qs.filter(ip_address=_address(f.address)) if _address(f.address) else qs.filter(
            ip_address__startswith=f.address)
    return qs


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def object_types() -> list[tuple[str, str]]:
    """(app.model, "app · model") for every installed model, for the screen's object type choice."""
    out = []
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in {"audit", "sessions", "contenttypes", "admin"} or meta.auto_created:
            continue
        out.append((f"{meta.app_label}.{meta.model_name}", f"{meta.app_config.verbose_name} · {meta.verbose_name}"))
    return sorted(out, key=lambda item: item[0])


def type_label(object_type: str) -> str:
    """The readable name of an "app.model" type, or the type itself when the model is gone."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name) if object_type else ""
    except (LookupError, ValueError):
        return object_type


EXPORT_FIELDS = ["at", "actor_username", "actor_name", "ip_address", "user_agent", "category", "action",
                 "object_type", "object_id", "object_label", "outcome", "reason", "detail"]


def export_headers() -> list[str]:
    return [_("时间"), _("账号"), _("操作人姓名"), _("地址"), _("客户端"), _("类别"), _("操作"), _("对象类型"),
            _("对象编号"), _("对象"), _("结果"), _("原因"), _("详情")]


def export_rows(qs: QuerySet) -> Iterator[list]:
    """Each event as a row of plain values in export_headers() order, read in chunks. The labels are
    translated now, in the request's language, not later while a streamed response is sent."""
    categories = {k: str(v) for k, v in Category.choices}
    outcomes = {k: str(v) for k, v in Outcome.choices}

    def rows():
        for values in qs.values_list(*EXPORT_FIELDS).iterator(chunk_size=2000):
            e = dict(zip(EXPORT_FIELDS, values, strict=True))
            yield [timezone.localtime(e["at"]).strftime("%Y-%m-%d %H:%M:%S"), e["actor_username"], e["actor_name"],
                   e["ip_address"] or "", e["user_agent"], categories.get(e["category"], e["category"]), e["action"],
                   e["object_type"], e["object_id"], e["object_label"], outcomes.get(e["outcome"], e["outcome"]),
                   e["reason"], json.dumps(e["detail"], ensure_ascii=False, sort_keys=True) if e["detail"] else ""]

    return rows()
