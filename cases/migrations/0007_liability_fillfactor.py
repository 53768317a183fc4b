"""PostgreSQL: leave half of each page of the liabilities table free (``fillfactor`` 50),
so that a payment run's update of a liability that stays open (only
``outstanding_amount`` changes, which no index holds) is a HOT update: the new row
version goes on the same page and no index gets an entry (docs/performance.md, PAY-13).

Applies to pages written from now on; an existing table gets it with ``VACUUM FULL
cases_liability`` in a maintenance window. No effect elsewhere.
"""

from django.db import migrations


def _fillfactor(value: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE cases_liability SET (fillfactor = {int(value)})"
            )

    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_constraint_messages")]

    operations = [migrations.RunPython(_fillfactor(50), _fillfactor(100), elidable=False)]
