"""A trigram GIN index on UPPER(reference) for the case search
(cases.selectors.integrated_case_list): `reference__icontains` compiles on PostgreSQL to
`UPPER(reference::text) LIKE UPPER('%…%')`, which this index serves as written; the
client's name words use `participant_name_trgm` (participants 0003). PostgreSQL only, as
participants 0003: SQLite (development, tests) has no trigram index and scans."""

from django.db import migrations

TRGM_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS integratedcase_reference_trgm ON cases_integratedcase "
    "USING gin ((UPPER(reference::text)) gin_trgm_ops)",
]
TRGM_DROP = ["DROP INDEX IF EXISTS integratedcase_reference_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_liability_fillfactor"),
    ]

    operations = [
        migrations.RunPython(run(TRGM_CREATE), run(TRGM_DROP), elidable=False),
    ]
