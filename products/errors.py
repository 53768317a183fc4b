"""Codes of the products app's refusals (docs/errors.md)."""

from enum import StrEnum

from config.errors import register


@register
class ProductError(StrEnum):
    NAME_MISSING = "name_missing"
    CATEGORY_INVALID = "deduction_category_invalid"
    ACTION_INVALID = "insufficient_balance_action_invalid"
    MIN_ABOVE_MAX = "min_amount_above_max_amount"
    DEFAULT_BELOW_MIN = "default_amount_below_min"
    DEFAULT_ABOVE_MAX = "default_amount_above_max"
    DEFAULT_PERCENTAGE_ABOVE_MAX = "default_percentage_above_max"
    PARTICIPANT_TYPES_NOT_A_LIST = "participant_types_not_a_list"
    PARTICIPANT_TYPE_UNKNOWN = "allowed_participant_type_unknown"
    PARTICIPANT_TYPES_MISSING = "participant_types_missing"
    CATEGORY_IN_USE = "deduction_category_in_use"
    DEDUCTION_TYPE_IN_USE = "deduction_type_in_use"
    PRIORITY_NOT_INTEGER = "priority_not_integer"
    PRIORITY_BELOW_ONE = "priority_below_one"
    COMPONENT_TYPE_DUPLICATE = "component_type_duplicate"
    COMPONENT_TYPE_IN_USE = "component_type_in_use"
    LINK_TYPES_MISSING = "link_deduction_types_missing"
    DEDUCTION_TYPE_UNKNOWN = "deduction_type_unknown"
    LINK_DUPLICATE = "link_duplicate"
    FREQUENCY_FIXED = "payment_frequency_fixed"
    COMPONENT_TYPES_AFTER_CREATE = "component_types_after_create"
    LINK_TYPES_AMBIGUOUS = "link_deduction_types_ambiguous"
    AMOUNT_NEGATIVE = "limit_amount_negative"
    PERCENTAGE_OUT_OF_RANGE = "limit_percentage_out_of_range"
    AMOUNT_NOT_POSITIVE = "deduction_type_amount_not_positive"
    AMOUNT_EXCEEDS_MAX = "deduction_amount_exceeds_max"
    AMOUNT_BELOW_MIN = "deduction_amount_below_min"
    PERCENTAGE_EXCEEDS_MAX = "deduction_percentage_exceeds_max"
    NOT_A_NUMBER = "not_a_number"
    FREQUENCY_UNKNOWN = "payment_frequency_unknown"
    MAX_RATE_MISSING = "max_deduction_rate_missing"
    COMPONENT_TYPE_FIELD_UNKNOWN = "component_type_field_unknown"
