"""A template made in one bureau, read as the same meeting in another. The benchmark's bureaus are
alike (demo.bench.org makes each with the same units and the same posts, person for person, in the
same order), so what the services wrote for a prototype in bureau A is, id for id, what they write for
the same meeting in bureau B: the people, units, meeting type and topic categories are mapped by
position, the names in the minutes' attendance by person. One prototype per meeting shape serves every
bureau, which keeps the build's service calls independent of the number of bureaus."""

from __future__ import annotations

import copy

from django.contrib.auth import get_user_model

from governance.models import Bureau, MeetingType, Person, TopicCategory, Unit

from .proto import Template, template_rows

User = get_user_model()


def maps(src, dst) -> dict[type, dict[int, int]]:
    """Id maps from bureau org `src` to `dst` (demo.bench.org.BureauOrg), by position."""
    types = {t.pk: dst.types[t.code].pk for t in src.types.values() if t.code in dst.types}
    cats = {}
    src_cats = TopicCategory.objects.filter(meeting_type__bureau=src.bureau).values_list("pk", "meeting_type__code", "code")
    dst_cats = {(tc, c): pk for pk, tc, c in TopicCategory.objects.filter(meeting_type__bureau=dst.bureau)
                .values_list("pk", "meeting_type__code", "code")}
    for pk, tc, c in src_cats:
        if (tc, c) in dst_cats:
            cats[pk] = dst_cats[(tc, c)]
    return {User: dict(zip(src.people, dst.people, strict=True)),
            Unit: {a.pk: b.pk for a, b in zip(src.units, dst.units, strict=True)},
            Bureau: {src.bureau.pk: dst.bureau.pk}, MeetingType: types, TopicCategory: cats}


def translate(tpl: Template, src, dst) -> Template:
    """`tpl` (made in bureau `src`) as the same meeting in bureau `dst`."""
    m = maps(src, dst)
    names = dict(Person.objects.filter(user_id__in=list(m[User])).values_list("user_id", "name"))
    new_names = dict(Person.objects.filter(user_id__in=list(m[User].values())).values_list("user_id", "name"))
    by_name = {names[a]: new_names[b] for a, b in m[User].items() if a in names and b in new_names}
    out = copy.deepcopy(tpl)
    for model, rows in template_rows(out):
        fks = [(f.attname, f.related_model) for f in model._meta.concrete_fields if f.is_relation]
        for d in rows:
            for attname, rel in fks:
                table = m.get(rel)
                if table is not None and d.get(attname) is not None:
                    d[attname] = table.get(d[attname], d[attname])
    for r in out.revisions:
        r["attendance"] = {k: [by_name.get(n, n) for n in v] for k, v in (r["attendance"] or {}).items()}
    out.grants = {label: [(m[User].get(u, u), p, pk) for u, p, pk in rows] for label, rows in tpl.grants.items()}
    return out
