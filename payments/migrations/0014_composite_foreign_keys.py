"""Composite foreign keys for the rows a payment run writes (docs/decisions.md, PAY-13).

PostgreSQL checks a foreign key once per row written, at commit; a payment run writes
about 36 such checks per case. Columns that copy their parent's (an agency entry's case
and deduction type are its deduction's, its nominee its payment's; a processing row's
nominee its payment's) are now checked together with the parent in one composite key:

- processing row (payment, nominee)       → payment (id, nominee)
- agency entry (payment, nominee)         → payment (id, nominee)
- agency entry (deduction, case, type)    → deduction (id, case, deduction type)

Stronger than before (the copies must agree with the parent, which in turn references
the case, participant and type) and 11 checks per case fewer. Targets: the unique
indexes ``payment_nominee_id_unique`` (here; it replaces the plain index on
``nominee_id``) and ``deduction_case_id_type_unique`` (deductions 0004).

Django has no composite foreign keys: the fields stay ForeignKeys (``on_delete`` is
Django's, unchanged) with ``db_constraint=False``, which drops their single-column keys,
and the composite keys are SQL, on PostgreSQL only. On SQLite (development and tests)
these columns have no foreign key at all.

On a large existing database the three ``ADD CONSTRAINT`` validate every row and the
unique index is built under a write lock: run it in a maintenance window.
"""

import django.db.models.deletion
from django.db import migrations, models

COMPOSITE = {
    "deduction_processing_payment_fk": (
        "payments_deductionprocessing",
        "(payment_id, nominee_id) REFERENCES payments_payment (id, nominee_id)",
    ),
    "agency_entry_payment_fk": (
        "payments_agencyaccountentry",
        "(payment_id, nominee_id) REFERENCES payments_payment (id, nominee_id)",
    ),
    "agency_entry_deduction_fk": (
        "payments_agencyaccountentry",
        "(deduction_id, case_id, deduction_type_id) "
        "REFERENCES deductions_deduction (id, case_id, deduction_type_id)",
    ),
}


def add_composite_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, key) in COMPOSITE.items():
            schema_editor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY {key} "
                "DEFERRABLE INITIALLY DEFERRED"
            )


def drop_composite_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, _key) in COMPOSITE.items():
            schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")


def _key(to, related_name, verbose_name, **options):
    return models.ForeignKey(
        db_constraint=False,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to=to,
        verbose_name=verbose_name,
        **options,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_search_indexes"),
        ("deductions", "0004_deduction_case_id_type_unique"),
        ("participants", "0005_search_indexes"),
        ("payments", "0013_simulation_name_note"),
        ("products", "0002_constraint_messages"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.UniqueConstraint(
                fields=("nominee", "id"), name="payment_nominee_id_unique"
            ),
        ),
        migrations.AlterField(
            model_name="payment",
            name="nominee",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="participants.participant",
                verbose_name="Leistungsempfänger",
            ),
        ),
        migrations.AlterField(
            model_name="agencyaccountentry",
            name="case",
            field=_key(
                "cases.productdeliverycase",
                "agency_account_entries",
                "Produktbereitstellungsfall",
                db_index=False,
            ),
        ),
        migrations.AlterField(
            model_name="agencyaccountentry",
            name="deduction",
            field=_key("deductions.deduction", "agency_account_entries", "Abzug", db_index=False),
        ),
        migrations.AlterField(
            model_name="agencyaccountentry",
            name="deduction_type",
            field=_key("products.deductiontype", "+", "Abzugstyp", db_index=False),
        ),
        migrations.AlterField(
            model_name="agencyaccountentry",
            name="nominee",
            field=_key("participants.participant", "+", "Leistungsempfänger"),
        ),
        migrations.AlterField(
            model_name="agencyaccountentry",
            name="payment",
            field=_key("payments.payment", "agency_account_entries", "Zahlung"),
        ),
        migrations.AlterField(
            model_name="deductionprocessing",
            name="nominee",
            field=_key("participants.participant", "+", "Leistungsempfänger"),
        ),
        migrations.AlterField(
            model_name="deductionprocessing",
            name="payment",
            field=_key("payments.payment", "deduction_lines", "Zahlung"),
        ),
        migrations.RunPython(add_composite_keys, drop_composite_keys, elidable=False),
    ]
