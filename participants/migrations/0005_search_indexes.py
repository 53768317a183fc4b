"""A trigram GIN index on UPPER(reference) for the participant search page
(participants.selectors.search_condition): `reference__icontains` compiles on PostgreSQL
to `UPPER(reference::text) LIKE UPPER('%…%')`, which this index serves as written (the
name words use `participant_name_trgm`, 0003). PostgreSQL only, as 0003: SQLite
(development, tests) has no trigram index and searches by a scan."""

from django.db import migrations

TRGM_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS participant_reference_trgm ON participants_participant "
    "USING gin ((UPPER(reference::text)) gin_trgm_ops)",
]
TRGM_DROP = ["DROP INDEX IF EXISTS participant_reference_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0004_list_indexes"),
    ]

    operations = [
        migrations.RunPython(run(TRGM_CREATE), run(TRGM_DROP), elidable=False),
    ]
