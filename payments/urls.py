"""Pages of the payments app: simulation and payments of a case, payment runs."""

from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("cases/pdc/<int:case_id>/simulate/", views.simulate, name="simulate"),
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
    path("payments/runs/", views.run_list, name="run-list"),
    path("payments/runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("payments/agency-account/", views.agency_account, name="agency-account"),
    path("payments/<int:pk>/", views.payment_detail, name="payment-detail"),
]
