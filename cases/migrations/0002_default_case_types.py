"""Integrated case types every installation starts with (a code table, maintained in admin).
"social_assistance" is the default type used when a request names none (IC-1)."""

from django.db import migrations

TYPES = [
    ("social_assistance", "Sozialhilfe", True),
    ("jobseeker_support", "Grundsicherung für Arbeitsuchende", False),
    ("housing_support", "Wohngeld", False),
]


def create_types(apps, schema_editor):
    IntegratedCaseType = apps.get_model("cases", "IntegratedCaseType")
    has_default = IntegratedCaseType.objects.filter(is_default=True).exists()
    for code, name, is_default in TYPES:
        IntegratedCaseType.objects.get_or_create(
            code=code,
            defaults={"name": name, "is_default": is_default and not has_default, "active": True},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create_types, migrations.RunPython.noop)]
