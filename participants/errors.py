"""Codes of the participants app's refusals (docs/errors.md)."""

from enum import StrEnum

from config.errors import register


@register
class ParticipantError(StrEnum):
    TYPE_UNKNOWN = "participant_type_unknown"
    TYPE_UNCHANGEABLE = "participant_type_unchangeable"
    FIELD_UNCHANGEABLE = "participant_field_unchangeable"
    NAME_MISSING = "participant_name_missing"
    NAME_TOO_LONG = "participant_name_too_long"
    BIRTH_DATE_MISSING = "birth_date_missing"
    BIRTH_DATE_IN_FUTURE = "birth_date_in_future"
    DEATH_DATE_IN_FUTURE = "death_date_in_future"
    DEATH_BEFORE_BIRTH = "death_date_before_birth_date"
    BIRTH_DATE_NOT_ALLOWED = "birth_date_not_for_type"
    DEATH_DATE_NOT_ALLOWED = "death_date_not_for_type"
    TRADING_STATUS_UNKNOWN = "trading_status_unknown"
    TRADING_STATUS_NOT_ALLOWED = "trading_status_not_for_type"
    END_DATE_NOT_ALLOWED = "end_date_not_for_type"
    BANK_ACCOUNTS_NOT_A_LIST = "bank_accounts_not_a_list"
    BANK_ACCOUNT_UNKNOWN = "bank_account_not_of_participant"
    ACCOUNT_NAME_MISSING = "account_name_missing"
    ACCOUNT_NAME_TOO_LONG = "account_name_too_long"
    ACCOUNT_NUMBER_MISSING = "account_number_missing"
    ACCOUNT_NUMBER_TOO_LONG = "account_number_too_long"
    IBAN_INVALID = "iban_invalid"
    ACCOUNT_NUMBER_NOT_DIGITS = "account_number_not_digits"
    BIC_INVALID = "bic_invalid"
    NOT_A_PROSPECT = "participant_not_prospect"
