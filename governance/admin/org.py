"""The admin for the organisation: bureaus, units, people and their appointments (the system
administrator's; every change with a reason)."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.admin.base import ReasonedChangeAdmin
from governance.models import (  # noqa: E402  # noqa: E402
    Appointment,
    Bureau,
    City,
    Person,
    Unit,
)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ("code", "name", "short_name", "kind", "order", "active")
    show_change_link = True


@admin.register(City)
class CityAdmin(ReasonedChangeAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Bureau)
class BureauAdmin(ReasonedChangeAdmin):
    list_display = ("name", "code", "short_name", "city", "cadence_since", "unit_count")
    list_filter = ("city",)
    search_fields = ("name", "code", "short_name")
    inlines = [UnitInline]

    @admin.display(description=_("处室/单位数"))
    def unit_count(self, obj):
        return obj.units.count()


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    fields = ("person", "post", "start", "end", "note")
    autocomplete_fields = ("person",)
    fk_name = "unit"


@admin.register(Unit)
class UnitAdmin(ReasonedChangeAdmin):
    list_display = ("name", "short_name", "kind", "bureau", "order", "active")
    list_filter = ("bureau", "kind", "active")
    search_fields = ("name", "short_name", "code")
    list_select_related = ("bureau",)
    inlines = [AppointmentInline]


@admin.register(Person)
class PersonAdmin(ReasonedChangeAdmin):
    list_display = ("name", "user", "bureau", "current_posts")
    list_filter = ("bureau",)
    search_fields = ("name", "user__username", "phone")
    list_select_related = ("bureau", "user")
    autocomplete_fields = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("user__appointments__unit")

    @admin.display(description=_("现任职务"))
    def current_posts(self, obj):
        today = timezone.localdate()
        held = [a for a in obj.user.appointments.all() if a.start <= today and (a.end is None or a.end >= today)]
        return "、".join(str(a) for a in held) or "—"


@admin.register(Appointment)
class AppointmentAdmin(ReasonedChangeAdmin):
    list_display = ("person_name", "post", "unit", "bureau", "start", "end")
    list_filter = ("bureau", "post", "unit__kind")
    search_fields = ("person__person__name", "person__username", "unit__name")
    list_select_related = ("person__person", "unit", "bureau")
    autocomplete_fields = ("person", "unit")
    date_hierarchy = "start"

    @admin.display(description=_("人员"), ordering="person__person__name")
    def person_name(self, obj):
        person = getattr(obj.person, "person", None)
        return person.name if person else obj.person.get_username()
