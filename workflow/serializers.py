"""API representations of the workflow app (thin: no business logic)."""

from rest_framework import serializers

from config.api import DisplayField

from .models import EventProcessMapping, Notification, Task, TaskStatus, WorkflowEvent


class TaskSerializer(serializers.ModelSerializer):
    # An enum in the schema; drf-spectacular names it IntegratedCaseStatusEnum, the
    # open/closed choice set (values and labels) being the integrated case's too.
    status = serializers.ChoiceField(choices=TaskStatus.choices, read_only=True)
    status_display = DisplayField("status")
    # Built-in texts are kept as a code and parameters and written in the request's
    # language (Accept-Language), like the pages; the agency's own texts as stored.
    subject = serializers.CharField(source="subject_display", read_only=True)
    description = serializers.CharField(source="description_display", read_only=True)
    assignee_name = serializers.SerializerMethodField()
    case_reference = serializers.CharField(source="case.reference", read_only=True, default=None)
    deduction_name = serializers.CharField(
        source="deduction.deduction_type.name", read_only=True, default=None
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "subject",
            "description",
            "assignee",
            "assignee_name",
            "case",
            "case_reference",
            "deduction",
            "deduction_name",
            "participant",
            "link",
            "status",
            "status_display",
            "priority",
            "created_at",
            "due_date",
            "closed_at",
            "event",
        ]
        read_only_fields = fields

    def get_assignee_name(self, obj) -> str:
        return obj.assignee.get_full_name() or obj.assignee.get_username()


class WorkflowEventSerializer(serializers.ModelSerializer):
    event_type_display = DisplayField("event_type")

    class Meta:
        model = WorkflowEvent
        fields = [
            "id",
            "event_type",
            "event_type_display",
            "created_at",
            "payload",
            "handled_at",
            "failed_at",
            "case_id",
            "deduction_id",
            "participant_id",
        ]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    # In the request's language, as the task's subject (WF-4).
    message = serializers.CharField(source="message_display", read_only=True)
    body = serializers.CharField(source="body_display", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "message", "body", "link", "created_at", "read_at", "event"]
        read_only_fields = fields


class EventProcessMappingSerializer(serializers.ModelSerializer):
    event_type_display = DisplayField("event_type")
    process_display = serializers.CharField(source="process.name", read_only=True)

    class Meta:
        model = EventProcessMapping
        fields = [
            "id",
            "event_type",
            "event_type_display",
            "process",
            "process_display",
            "user",
            "due_in_days",
            "active",
            "description",
        ]
        read_only_fields = fields
