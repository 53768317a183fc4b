"""Pages of the cases app under /cases/ (namespace `cases`)."""

from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("cases/", views.integrated_case_list, name="integrated-case-list"),
    path("cases/recent/", views.recent_cases, name="recent-cases"),
    path("cases/new/", views.integrated_case_create, name="integrated-case-create"),
    path("cases/<int:pk>/", views.integrated_case_detail, name="integrated-case-detail"),
    path("cases/<int:pk>/close/", views.integrated_case_close, name="integrated-case-close"),
    path("cases/<int:pk>/reopen/", views.integrated_case_reopen, name="integrated-case-reopen"),
    path("cases/<int:pk>/members/add/", views.member_add, name="member-add"),
    path(
        "cases/<int:pk>/service-deliveries/add/",
        views.service_delivery_add,
        name="service-delivery-add",
    ),
    path("cases/<int:pk>/referrals/add/", views.referral_add, name="referral-add"),
    path("cases/<int:pk>/pdc/new/", views.pdc_create, name="pdc-create"),
    path("cases/<int:pk>/activities/new/", views.activity_create, name="activity-create"),
    path("cases/activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("cases/activities/<int:pk>/done/", views.activity_done, name="activity-done"),
    path("cases/activities/<int:pk>/cancel/", views.activity_cancel, name="activity-cancel"),
    path("cases/pdc/<int:pk>/", views.pdc_detail, name="pdc-detail"),
    path("cases/pdc/<int:pk>/edit/", views.pdc_update, name="pdc-update"),
    path("cases/pdc/<int:pk>/close/", views.pdc_close, name="pdc-close"),
    path("cases/pdc/<int:pk>/nominees/add/", views.pdc_nominee_add, name="pdc-nominee-add"),
    path("cases/pdc/<int:pk>/components/add/", views.pdc_component_add, name="pdc-component-add"),
    path(
        "cases/pdc/<int:pk>/components/<int:component_id>/reassess/",
        views.pdc_component_reassess,
        name="pdc-component-reassess",
    ),
    # Explicit action names: /cases/pdc/<id>/deductions/ etc. belong to other apps.
    *[
        path(
            f"cases/pdc/<int:pk>/{action}/",
            views.pdc_action,
            {"action": action},
            name=f"pdc-{action}",
        )
        for action in ("activate", "suspend", "resume")
    ],
    path("cases/liabilities/new/", views.liability_create, name="liability-create"),
    path("cases/liabilities/<int:pk>/", views.liability_detail, name="liability-detail"),
    path("cases/applications/", views.application_list, name="application-list"),
    path("cases/applications/new/", views.application_create, name="application-create"),
    path(
        "cases/applications/<int:pk>/approve/",
        views.application_decide,
        {"decision": "approve"},
        name="application-approve",
    ),
    path(
        "cases/applications/<int:pk>/reject/",
        views.application_decide,
        {"decision": "reject"},
        name="application-reject",
    ),
]
