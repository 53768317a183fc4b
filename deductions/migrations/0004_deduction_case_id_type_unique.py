"""A unique index on (case, id, deduction type), the target of the agency account entries'
composite foreign key (payments migration 0014, docs/decisions.md). Case first, so it
replaces the plain index on ``case_id`` (lookups by case, the check when a case is
deleted): the table keeps its number of indexes. A run's update of a deduction changes
none of these columns, so it stays a HOT update (migration 0003)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_search_indexes"),
        ("deductions", "0003_deduction_fillfactor"),
        ("products", "0002_constraint_messages"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="deduction",
            constraint=models.UniqueConstraint(
                fields=("case", "id", "deduction_type"), name="deduction_case_id_type_unique"
            ),
        ),
        migrations.AlterField(
            model_name="deduction",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deductions",
                to="cases.productdeliverycase",
                verbose_name="Produktbereitstellungsfall",
            ),
        ),
    ]
