"""Skip reason sentences for workflow texts (WF-4): a skip event's reason codes in the
reader's language. Registered in PaymentsConfig.ready."""

from config.skip_reasons import skip_reason_text


def reason_text(code: str, language: str) -> str:
    return skip_reason_text(code, language=language)
