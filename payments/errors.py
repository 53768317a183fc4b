"""Codes of the payments app's refusals (docs/errors.md)."""

from enum import StrEnum

from config.errors import register


@register
class PaymentError(StrEnum):
    # payment runs
    RUN_DATE_TOO_FAR = "run_date_too_far_ahead"
    RUN_NOT_RETRYABLE = "run_not_retryable"
    # third-party payments (TP-3, TP-4)
    CANCEL_REASON_INVALID = "payment_cancel_reason_invalid"
    NOT_THIRD_PARTY = "payment_not_third_party"
    ALREADY_CANCELLED = "payment_already_cancelled"
    ALREADY_REISSUED = "payment_already_reissued"
    NOT_CANCELLABLE = "payment_not_cancellable"
    NOT_CANCELLED = "payment_not_cancelled"
    # simulations and what-ifs
    SIMULATION_DATE_INVALID = "simulation_date_invalid"
    SIMULATION_CASE_REFUSED = "simulation_case_refused"
    SIMULATION_TOO_MANY_PERIODS = "simulation_too_many_periods"
    SIMULATION_NOTHING_DUE = "simulation_nothing_due"
    SIMULATION_ID_MISSING = "simulation_id_missing"
    SIMULATION_UNKNOWN = "simulation_unknown"
    WHAT_IF_PRIORITY_INVALID = "what_if_priority_invalid"
    WHAT_IF_NOT_SAVED = "what_if_not_saved"
    WHAT_IF_NO_CHANGES = "what_if_no_changes"
    WHAT_IF_DEDUCTION_UNKNOWN = "what_if_deduction_unknown"
    WHAT_IF_TYPE_MISSING = "what_if_deduction_type_missing"
    WHAT_IF_TYPE_UNKNOWN = "what_if_deduction_type_unknown"
    WHAT_IF_ACTION_NOT_APPLICABLE = "what_if_action_not_applicable"
    # notices (SIM-5) and the account summary
    NOTICE_PAYMENT_UNKNOWN = "notice_payment_unknown"
    NOTICE_DEDUCTION_MISSING = "notice_deduction_missing"
    NOTICE_PAYMENT_MISSING = "notice_payment_missing"
    NOTICE_KIND_UNKNOWN = "notice_kind_unknown"
    NOTICE_PAYMENT_NOT_BENEFIT = "notice_payment_not_benefit"
    SUMMARY_GROUPING_INVALID = "summary_grouping_invalid"
