"""Pages of the payments app: simulation and payments of a case, payment runs, and the
third party's financial view with cancel/reissue (TP-2..TP-4)."""

from django.urls import path

from . import run_skips_views, third_party_views, views

app_name = "payments"
urlpatterns = [
    path("cases/pdc/<int:case_id>/simulate/", views.simulate, name="simulate"),
    path("cases/pdc/<int:case_id>/simulate/what-if/", views.what_if, name="what-if"),
    path(
        "cases/pdc/<int:case_id>/simulations/compare/",
        views.simulation_compare,
        name="simulation-compare",
    ),
    path(
        "cases/pdc/<int:case_id>/simulations/<int:pk>/",
        views.simulation_detail,
        name="simulation-detail",
    ),
    path("cases/pdc/<int:case_id>/payments/", views.case_payments, name="case-payments"),
    path("cases/pdc/<int:case_id>/notices/", views.case_notices, name="case-notices"),
    path(
        "notices/new/deduction/<int:deduction_id>/",
        views.deduction_notice_issue,
        name="deduction-notice-issue",
    ),
    path("notices/new/payment/<int:pk>/", views.payment_notice_issue, name="payment-notice-issue"),
    path("notices/<int:pk>/", views.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/pdf/", views.notice_pdf_download, name="notice-pdf"),
    path("payments/runs/", views.run_list, name="run-list"),
    path("payments/runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("payments/runs/<int:pk>/skips/", run_skips_views.run_skips, name="run-skips"),
    path("payments/runs/<int:pk>/retry/", views.run_retry, name="run-retry"),
    path("payments/agency-account/", views.agency_account, name="agency-account"),
    path("payments/<int:pk>/", views.payment_detail, name="payment-detail"),
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
