"""Partial indexes on the two nullable keys a payment run writes mostly empty (issue #13):
``payments_payment.deduction_id`` (set on third-party payments only: one of a case's
three payments) and ``payments_deductionprocessing.liability_id`` (set on applied lines
only). Every lookup by these keys (a deduction's third-party payments, a liability's
history, PostgreSQL's check when a deduction or liability is deleted) names a value, so
the partial index serves it; rows without one no longer get an entry (2 + 3 index
insertions fewer per case of the benchmark, docs/performance.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_search_indexes"),
        ("deductions", "0004_deduction_case_id_type_unique"),
        ("participants", "0005_search_indexes"),
        ("payments", "0014_composite_foreign_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="deductionprocessing",
            name="liability",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.liability",
                verbose_name="Verbindlichkeit",
            ),
        ),
        migrations.AlterField(
            model_name="payment",
            name="deduction",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="third_party_payments",
                to="deductions.deduction",
                verbose_name="Abzug",
            ),
        ),
        migrations.AddIndex(
            model_name="deductionprocessing",
            index=models.Index(
                condition=models.Q(("liability__isnull", False)),
                fields=["liability"],
                name="processing_liability_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(
                condition=models.Q(("deduction__isnull", False)),
                fields=["deduction"],
                name="payment_deduction_idx",
            ),
        ),
    ]
