"""Object-permission rows written in bulk, in whichever shape guardian keeps for the object's model:
the generic `UserObjectPermission` (content type + `object_pk` as text) or a direct foreign-key model
(`content_object_id`), as `guardian.utils.get_user_obj_perms_model` says. So the benchmark writes the
same rows before and after the switch to direct object-permission models."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from guardian.utils import get_user_obj_perms_model

BATCH = 5000


def perms_model(model):
    return get_user_obj_perms_model(model)


def is_direct(model) -> bool:
    """Whether guardian keeps `model`'s rights in a direct foreign-key table."""
    return not perms_model(model).objects.is_generic()


def permission_ids(model) -> dict[str, int]:
    ct = ContentType.objects.get_for_model(model)
    return dict(Permission.objects.filter(content_type=ct).values_list("codename", "id"))


def read_grants(model, pk: int) -> list[tuple[int, int]]:
    """(user id, permission id) of every user right on one object, as the services wrote them."""
    table = perms_model(model)
    if is_direct(model):
        rows = table.objects.filter(content_object_id=pk)
    else:
        rows = table.objects.filter(content_type=ContentType.objects.get_for_model(model), object_pk=str(pk))
    return list(rows.values_list("user_id", "permission_id"))


def write_grants(model, rows: Iterable[tuple[int, int, int]], *, batch_size: int = BATCH) -> int:
    """Write (user id, permission id, object pk) rows for objects of `model` in bulk; returns how many."""
    table = perms_model(model)
    direct = is_direct(model)
    ct_id = None if direct else ContentType.objects.get_for_model(model).pk
    pending, written = [], 0
    for user_id, permission_id, pk in rows:
        if direct:
            pending.append(table(user_id=user_id, permission_id=permission_id, content_object_id=pk))
        else:
            pending.append(table(user_id=user_id, permission_id=permission_id, content_type_id=ct_id,
                                 object_pk=str(pk)))
        if len(pending) >= batch_size:
            table.objects.bulk_create(pending, batch_size=batch_size)
            written += len(pending)
            pending = []
    if pending:
        table.objects.bulk_create(pending, batch_size=batch_size)
        written += len(pending)
    return written


def count_by_model(models_: Iterable) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for model in models_:
        table = perms_model(model)
        if is_direct(model):
            out[model._meta.label] = table.objects.count()
        else:
            out[model._meta.label] = table.objects.filter(content_type=ContentType.objects.get_for_model(model)).count()
    return dict(out)
