"""Text indexes for search (governance/models/text_index.py): pg_trgm GIN indexes on PostgreSQL,
FTS5 trigram tables kept by triggers on SQLite; nothing on other engines."""

from django.db import migrations

from governance.models import text_index


def forwards(apps, schema_editor):
    text_index.install(text_index.GOVERNANCE, schema_editor.connection)


def backwards(apps, schema_editor):
    text_index.uninstall(text_index.GOVERNANCE, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("governance", "0020_cite_record_and_archive")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
