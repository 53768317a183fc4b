"""WF-4: mappings reference workflow processes by code."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0004_workflow_processes"),
    ]

    operations = [
        migrations.AlterField(
            model_name='eventprocessmapping',
            name='process',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mappings', to='workflow.workflowprocess', to_field='code', verbose_name='Prozess'),
        ),
        migrations.AlterField(
            model_name='historicaleventprocessmapping',
            name='process',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='workflow.workflowprocess', to_field='code', verbose_name='Prozess'),
        ),
        migrations.AddConstraint(
            model_name='workflowprocess',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('recipient', 'role_group'), _negated=True), ('group__isnull', False), _connector='OR'), name='process_role_group_has_group'),
        ),
    ]
