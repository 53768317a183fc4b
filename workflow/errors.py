"""Codes of the workflow app's refusals (docs/errors.md)."""

from enum import StrEnum

from config.errors import register


@register
class WorkflowError(StrEnum):
    NOT_ASSIGNEE = "not_assignee"
    NOT_TASK_ASSIGNEE = "task_not_assignee"
    NOT_NOTIFICATION_RECIPIENT = "notification_not_recipient"
    TASK_CLOSED = "task_closed"
    TEMPLATE_INVALID = "workflow_template_invalid"
    GROUP_MISSING = "workflow_group_missing"
    GROUP_NOT_FOR_RECIPIENT = "workflow_group_not_for_recipient"
    USER_NOT_FOR_RECIPIENT = "workflow_user_not_for_recipient"
    MAPPING_USER_MISSING = "event_mapping_user_missing"
    MAPPING_USER_NOT_ALLOWED = "event_mapping_user_not_allowed"
