"""Pages of the workflow app: the tasks inbox and notifications (WF-3), and the third
party's financial view with cancel/reissue (TP-2..TP-4; views in payments.third_party_views,
routed here so that the payments app's urls stay untouched)."""

from django.urls import path

from payments import third_party_views

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
    path(
        "participants/<int:participant_id>/payments/",
        third_party_views.third_party_payments,
        name="third-party-payments",
    ),
    path(
        "participants/<int:participant_id>/payments/<int:pk>/cancel/",
        third_party_views.third_party_payment_cancel_view,
        name="third-party-payment-cancel",
    ),
    path(
        "participants/<int:participant_id>/payments/<int:pk>/reissue/",
        third_party_views.third_party_payment_reissue_view,
        name="third-party-payment-reissue",
    ),
]
