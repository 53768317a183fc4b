"""Pages of case deductions (namespace `deductions`)."""

from django.urls import path

from . import views

app_name = "deductions"

_CASE = "cases/pdc/<int:case_id>/deductions/"

urlpatterns = [
    path(_CASE, views.case_deduction_list, {"view": "all"}, name="case-list"),
    path(f"{_CASE}active/", views.case_deduction_list, {"view": "active"}, name="case-list-active"),
    path(
        f"{_CASE}applied/", views.case_deduction_list, {"view": "applied"}, name="case-list-applied"
    ),
    path(
        f"{_CASE}third-party/",
        views.case_deduction_list,
        {"view": "third_party"},
        name="case-list-third-party",
    ),
    path(f"{_CASE}new/", views.deduction_wizard, name="create"),
    path(f"{_CASE}new/options/liabilities/", views.wizard_liabilities, name="wizard-liabilities"),
    path(
        f"{_CASE}new/options/payee-account/",
        views.wizard_payee_account,
        name="wizard-payee-account",
    ),
    path(f"{_CASE}new/<slug:step>/", views.deduction_wizard, name="create-step"),
    path(
        "participants/<int:participant_id>/deductions/",
        views.person_deduction_list,
        name="person-list",
    ),
    path("deductions/<int:pk>/", views.deduction_detail, name="detail"),
    path("deductions/<int:pk>/edit/", views.deduction_edit, name="edit"),
    path("deductions/<int:pk>/history/", views.deduction_history, name="history"),
    path("deductions/<int:pk>/<slug:action>/", views.deduction_transition, name="transition"),
]
