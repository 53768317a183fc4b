"""PostgreSQL: leave half of each page of the deductions table free (``fillfactor`` 50),
so that a payment run's update of a deduction whose status does not change (only
``processed_total`` and ``last_processed_on``, which no index holds) is a HOT update:
the new row version goes on the same page and none of the table's indexes gets an
entry (docs/performance.md, PAY-13). Half, because a run updates every deduction in
force once: all rows of a page need room for one new version each.

Applies to pages written from now on; an existing table gets it with ``VACUUM FULL
deductions_deduction`` (or pg_repack) in a maintenance window. No effect elsewhere.
"""

from django.db import migrations


def _fillfactor(value: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE deductions_deduction SET (fillfactor = {int(value)})"
            )

    return apply


class Migration(migrations.Migration):
    dependencies = [("deductions", "0002_constraint_messages")]

    operations = [migrations.RunPython(_fillfactor(50), _fillfactor(100), elidable=False)]
