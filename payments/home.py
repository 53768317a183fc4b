"""The home page panels of the payments app: cases with skipped deductions in the last
payment run (caseworkers) and that run's state (supervisors and administrators)."""

from config import roles

from .selectors.runs import last_payment_run, skipped_case_rows, with_cases

HOME_LIMIT = 8


def _last_run(user):
    """The last run, read once per request (both panels need it)."""
    if not hasattr(user, "_home_last_payment_run"):
        user._home_last_payment_run = last_payment_run()
    return user._home_last_payment_run


def skipped_cases_panel(user) -> dict | None:
    if not roles.can_read_casework(user):
        return None
    run = _last_run(user)
    rows, total = [], 0
    if run is not None:
        page = list(skipped_case_rows(run_id=run.pk)[: HOME_LIMIT + 1])
        total = len(page)
        if total > HOME_LIMIT:
            total = skipped_case_rows(run_id=run.pk).count()
        rows = with_cases(page[:HOME_LIMIT])
    return {
        "template": "home/_skipped_cases.html",
        "context": {"run": run, "rows": rows, "total": total, "more": total - len(rows)},
    }


def payment_run_panel(user) -> dict | None:
    if not (roles.is_supervisor(user) or roles.is_administrator(user)):
        return None
    return {
        "template": "home/_payment_run.html",
        "context": {"run": _last_run(user), "can_open": roles.is_administrator(user)},
    }
