"""Recording an audit event: the one way rows enter the audit trail."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder

from ..models import AuditEvent, Category, Outcome
from .context import client_address, client_agent, current_request

DETAIL_MAX_CHARS = 2000
LABEL_MAX = 200
REASON_MAX = 1000


def actor_display_name(actor) -> str:
    """The name the person is known by now (their profile's name, else their full name, else the user
    name), kept on the row so that it still reads after a rename or when the account is disabled.
    Duck-typed: the audit app imports nothing of the apps above it."""
    if actor is None:
        return ""
    profile = getattr(actor, "person", None)  # a missing one-to-one row raises an AttributeError subclass
    name = getattr(profile, "name", "") if profile is not None else ""
    return name or actor.get_full_name() or actor.get_username()


def _object_type(obj) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def _small(detail) -> dict:
    """The detail as plain JSON, at most DETAIL_MAX_CHARS when serialised: anything larger is a
    caller's mistake and is replaced by a marker rather than stored."""
    if not detail:
        return {}
    text = json.dumps(detail, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    if len(text) > DETAIL_MAX_CHARS:
        return {"truncated": True, "size": len(text)}
    return json.loads(text)


def record(*, actor, category: str, action: str, obj=None, label: str = "", outcome: str = Outcome.SUCCESS,
           reason: str = "", detail: dict | None = None, request=None, object_type: str = "", object_id: str = "",
           actor_name: str | None = None) -> AuditEvent:
    """Append one event to the audit trail and return it.

    `actor` is a user, or None (an anonymous failed login, a background job); an anonymous user counts
    as None. `obj` names the object (its type and id are stored); `label` is a neutral name for it
    that the caller chooses, never confidential content; without `obj`, `object_type` and `object_id`
    can be given directly (an object that is gone). `request` defaults to the request being served
    (the middleware's context), whose address and client are kept. `actor_name` overrides the name
    kept (a failed login keeps the user name that was typed).

    Raises ValueError for an unknown category or outcome: the trail's categories are fixed."""
    if category not in Category.values:
        raise ValueError(f"unknown audit category {category!r}")
    if outcome not in Outcome.values:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    request = request if request is not None else current_request()
    if obj is not None:
        object_type, object_id = _object_type(obj), str(obj.pk)
    event = AuditEvent(
        actor=actor,
        actor_name=(actor_name if actor_name is not None else actor_display_name(actor))[:150],
        actor_username=(actor.get_username() if actor is not None else (actor_name or ""))[:150],
        ip_address=client_address(request) if request is not None else None,
        user_agent=client_agent(request) if request is not None else "",
        category=category,
        action=str(action)[:64],
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_label=str(label or "")[:LABEL_MAX],
        outcome=outcome,
        detail=_small(detail),
        reason=str(reason or "")[:REASON_MAX],
    )
    event.save()
    return event


def record_confidential_read(*, actor, obj, topic_ids, label: str = "", action: str = "view",
                             request=None) -> AuditEvent | None:
    """`confidential_read` once for a page view that showed the content of the confidential topics
    `topic_ids` (their ids only are kept); nothing when it showed none. `obj` is the page's object
    (a meeting, minutes), or None for a page of several (search results)."""
    ids = sorted({int(i) for i in topic_ids if i is not None})
    if not ids:
        return None
    return record(actor=actor, category=Category.CONFIDENTIAL_READ, action=action, obj=obj, label=label,
                  detail={"topics": ids}, request=request)
