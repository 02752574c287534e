"""Text indexes for searching minutes (governance/models/text_index.py): pg_trgm GIN indexes on
PostgreSQL, an FTS5 trigram table kept by triggers on SQLite; nothing on other engines."""

from django.db import migrations

from governance.models import text_index


def forwards(apps, schema_editor):
    text_index.install(text_index.MINUTES, schema_editor.connection)


def backwards(apps, schema_editor):
    text_index.uninstall(text_index.MINUTES, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("minutes", "0003_merge_20261201_2238"), ("governance", "0021_text_search")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
