"""What the deductions app asks of the apps above it (docs/architecture.md). Each hook is
provided by the app named beside it, in its AppConfig.ready."""

from config.providers import Hook

# payments: `(*, deduction) -> list` of the deduction's processing rows (CD-15), oldest
# first (created_at, id), each with status ("processed" or "skipped"), created_at, amount,
# reason, payment_id, period_start, period_end, liability_outstanding_after and
# liability_original.
deduction_processings = Hook("deductions.deduction_processings")

# payments: `(*, liability_id) -> list[datetime]`: when payment runs processed lines that
# paid off the liability (CD-15: from then on its history is told by those rows).
liability_processing_times = Hook("deductions.liability_processing_times")
