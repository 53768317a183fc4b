"""REST endpoints of the workflow app (registered on config.api.router).

/api/v1/tasks/                       GET my tasks (?status=open|closed)          any role
/api/v1/tasks/{id}/close/            POST: close (assignee only; 409 if closed)  any role
/api/v1/notifications/               GET my notifications (?unread=true)         any role
/api/v1/notifications/{id}/read/     POST: mark read                             any role
/api/v1/workflow-events/             GET events (read-only)        administrators, supervisors
/api/v1/event-mappings/              GET event → process mappings  administrators, supervisors

Mappings are maintained in Django admin (WF-2)."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from config import roles
from config.api import router
from config.permissions import IsAuthenticatedUser

from . import selectors, services
from .models import (
    EventProcessMapping,
    EventType,
    Notification,
    Task,
    TaskStatus,
    WorkflowEvent,
)
from .serializers import (
    EventProcessMappingSerializer,
    NotificationSerializer,
    TaskSerializer,
    WorkflowEventSerializer,
)


class IsAdministratorOrSupervisor(BasePermission):
    message = "Nur Administratoren und Fall-Supervisoren dürfen Workflowereignisse einsehen."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (roles.is_administrator(user) or roles.is_supervisor(user))
        )


class TaskFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=TaskStatus.choices)

    class Meta:
        model = Task
        fields = ["status", "case", "deduction"]


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's tasks (WF-3). Other users' tasks are not found (404)."""

    permission_classes = [IsAuthenticatedUser]
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = ["created_at", "due_date", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Task.objects.none()
        return selectors.tasks_for_user(user=self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        task = services.task_close(task=self.get_object(), user=request.user)
        return Response(TaskSerializer(task, context=self.get_serializer_context()).data)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's in-app notifications (the "notify a user" process, WF-2)."""

    permission_classes = [IsAuthenticatedUser]
    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Notification.objects.none()
        unread = self.request.query_params.get("unread") in ("1", "true", "True")
        return selectors.notifications_for_user(user=self.request.user, unread_only=unread)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(
            notification=self.get_object(), user=request.user
        )
        return Response(NotificationSerializer(notification).data)


class WorkflowEventFilter(filters.FilterSet):
    event_type = filters.ChoiceFilter(choices=EventType.choices)
    handled = filters.BooleanFilter(field_name="handled_at", lookup_expr="isnull", exclude=True)
    failed = filters.BooleanFilter(field_name="failed_at", lookup_expr="isnull", exclude=True)
    deduction = filters.NumberFilter(field_name="deduction_id")
    case = filters.NumberFilter(field_name="case_id")
    participant = filters.NumberFilter(field_name="participant_id")

    class Meta:
        model = WorkflowEvent
        fields = ["event_type"]


class WorkflowEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The workflow outbox, read-only (WF-1)."""

    permission_classes = [IsAdministratorOrSupervisor]
    serializer_class = WorkflowEventSerializer
    filterset_class = WorkflowEventFilter
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        return selectors.events_list().order_by("-id")


class EventProcessMappingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Event → process mappings (WF-2), read-only; administrators change them in admin."""

    permission_classes = [IsAdministratorOrSupervisor]
    serializer_class = EventProcessMappingSerializer
    filter_backends: list = []

    def get_queryset(self):
        return EventProcessMapping.objects.order_by("event_type", "id")


router.register("tasks", TaskViewSet, basename="task")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("workflow-events", WorkflowEventViewSet, basename="workflow-event")
router.register("event-mappings", EventProcessMappingViewSet, basename="event-mapping")
