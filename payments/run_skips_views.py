"""The cases whose deductions a payment run skipped, in full (the home page shows the
first few)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from config.access import casework_read_required

from .models import PaymentRun
from .selectors.runs import skipped_case_rows, with_cases

PAGE_SIZE = 50


@require_GET
@casework_read_required
def run_skips(request, pk: int):
    run = get_object_or_404(PaymentRun, pk=pk)
    page = Paginator(skipped_case_rows(run_id=run.pk), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/run_skips.html",
        {"run": run, "page": page, "rows": with_cases(page.object_list)},
    )
