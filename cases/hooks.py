"""What the cases app asks of the apps above it (docs/architecture.md). Each hook is
provided by the app named beside it, in its AppConfig.ready."""

from config.providers import Hook

# payments: `(*, case_id) -> date | None`: the end of the case's last benefit period paid
# (payments not cancelled); a case closes no earlier.
benefit_paid_until = Hook("cases.benefit_paid_until")

# deductions: `(*, liability) -> QuerySet` of the deductions paying it off that are not
# cancelled, with case and type, by case and priority (LI-1, its page).
liability_deductions = Hook("cases.liability_deductions")

# deductions: `(*, user, limit) -> [(case id, latest change)]`: the cases whose deductions
# `user` changed, newest first (the home page's recent cases); [] without the app.
cases_touched_by_user = Hook("cases.cases_touched_by_user", default=list)
