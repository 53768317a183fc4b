"""Creates the three role groups (RO-1). Their permissions are (re)assigned after
every migrate by a post_migrate handler, so models added later are covered too."""
from django.db import migrations

ROLES = ("Caseworker", "Case supervisor", "Administrator")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
