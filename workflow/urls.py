"""Pages of the workflow app: the tasks inbox and notifications (WF-3)."""

from django.urls import path

from . import views

app_name = "workflow"
urlpatterns = [
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/close/", views.task_close, name="task-close"),
    path("tasks/notifications/", views.notification_list, name="notification-list"),
    path(
        "tasks/notifications/<int:pk>/read/",
        views.notification_read,
        name="notification-read",
    ),
]
