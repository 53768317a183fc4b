"""Writes of case deductions (CD-1..CD-15). One module per use case; import from here."""

from .create import deduction_create
from .lifecycle import (
    deduction_activate,
    deduction_activation_refusal,
    deduction_cancel,
    deduction_deactivate,
)
from .update import EDITABLE_FIELDS, UNSET, deduction_update
from .validation import AUTOMATIC

__all__ = [
    "AUTOMATIC",
    "EDITABLE_FIELDS",
    "UNSET",
    "deduction_activate",
    "deduction_activation_refusal",
    "deduction_cancel",
    "deduction_create",
    "deduction_deactivate",
    "deduction_update",
]
