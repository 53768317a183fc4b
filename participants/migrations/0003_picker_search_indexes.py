"""Indexes of the participant picker (participants.selectors.pick_condition): the date of
birth (btree, every database) and, on PostgreSQL, a trigram GIN index on UPPER(name) that
serves the name-word prefix search (`UPPER(name::text) LIKE 'SCHM%' / '% SCHM%'`).
SQLite (development, tests) has no trigram index; the search still works there."""

from django.db import migrations, models

TRGM_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS participant_name_trgm ON participants_participant "
    "USING gin ((UPPER(name::text)) gin_trgm_ops)",
]
TRGM_DROP = ["DROP INDEX IF EXISTS participant_name_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0002_constraint_messages"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(fields=["date_of_birth"], name="participant_birth_idx"),
        ),
        migrations.RunPython(run(TRGM_CREATE), run(TRGM_DROP), elidable=False),
    ]
