"""IC-11: the activity types the integrated cases document names, as code table rows
administrators may change."""

from django.db import migrations

ACTIVITY_TYPES = [
    ("beratungsgespraech", "Beratungsgespräch"),
    ("hausbesuch", "Hausbesuch"),
    ("nachweis_anfordern", "Nachweis anfordern"),
]


def seed(apps, schema_editor):
    ActivityType = apps.get_model("cases", "ActivityType")
    for code, name in ACTIVITY_TYPES:
        ActivityType.objects.get_or_create(code=code, defaults={"name": name, "active": True})


def unseed(apps, schema_editor):
    ActivityType = apps.get_model("cases", "ActivityType")
    Activity = apps.get_model("cases", "Activity")
    used = Activity.objects.values("activity_type_id")
    rows = ActivityType.objects.filter(code__in=[c for c, _n in ACTIVITY_TYPES]).exclude(
        pk__in=used
    )
    rows._raw_delete(rows.db)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_activities")]

    operations = [migrations.RunPython(seed, unseed)]
