"""Load China's official holiday schedules (2004 to the last year chinesecalendar knows) for R-MI-4.

Hand-written data migration. It calls the same loader as `manage.py workdays sync`, with the
historical models, so rerunning the sync later is a no-op. Reversing removes only the rows the
loader wrote (source "chinesecalendar"); admins' amendments stay.
"""

from django.db import migrations


def load(apps, schema_editor):
    from governance.services.workdays import sync_from_chinesecalendar

    sync_from_chinesecalendar(
        CalendarDay=apps.get_model("governance", "CalendarDay"),
        CalendarYear=apps.get_model("governance", "CalendarYear"),
        using=schema_editor.connection.alias,
    )


def unload(apps, schema_editor):
    db = schema_editor.connection.alias
    for name in ("CalendarDay", "CalendarYear"):
        apps.get_model("governance", name).objects.using(db).filter(source="chinesecalendar").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
