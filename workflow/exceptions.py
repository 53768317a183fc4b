"""Domain errors of the workflow app (mapped to HTTP by config.exceptions)."""

from rest_framework import status

from config.exceptions import ApplicationError

from .errors import WorkflowError


class NotAssignee(ApplicationError):
    """Someone other than the assignee tries to act on a task or notification (HTTP 403)."""

    code = WorkflowError.NOT_ASSIGNEE
    http_status = status.HTTP_403_FORBIDDEN
