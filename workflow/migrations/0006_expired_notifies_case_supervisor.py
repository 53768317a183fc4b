"""Seed 2.4: the user is told when a deduction ends — "deduction expired" notifies the
case supervisor by default (a row agencies may change or deactivate, WF-4)."""

from django.db import migrations


def map_expired(apps, schema_editor):
    Mapping = apps.get_model("workflow", "EventProcessMapping")
    Mapping.objects.get_or_create(
        event_type="deduction_expired",
        process_id="notify_case_supervisor",
        user=None,
        defaults={"description": "Standard: Fall-Supervisor benachrichtigen.", "active": True},
    )


def unmap_expired(apps, schema_editor):
    Mapping = apps.get_model("workflow", "EventProcessMapping")
    Handled = apps.get_model("workflow", "HandledProcess")
    rows = Mapping.objects.filter(
        event_type="deduction_expired", process_id="notify_case_supervisor", user=None
    ).exclude(pk__in=Handled.objects.values("mapping_id"))
    # A raw delete: the collector trips over the historical model classes when reversing.
    rows._raw_delete(rows.db)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0005_mapping_process"),
    ]

    operations = [migrations.RunPython(map_expired, unmap_expired)]
