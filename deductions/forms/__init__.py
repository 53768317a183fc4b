"""Forms of the caseworker pages: the steps of the "Neuer Abzug" wizard and the edit page.

Thin: each step parses its fields and runs the matching checks of
deductions.services.validation, so that a message appears beside its field at the step
where it was entered; the final step calls deduction_create, which checks everything
again inside its transaction."""

from .common import (
    ASSIGN_ALL,
    ASSIGN_COMPONENT,
    ASSIGN_NOMINEE,
    ASSIGN_NONE,
    ASSIGNMENT_LABELS,
    DATE_WIDGET,
    FIXED,
    KIND_CHOICES,
    PICK_HELP,
    TYPE_FACTS,
    VARIABLE,
    ComponentChoiceField,
    LiabilityChoiceField,
    ParticipantChoiceField,
    StepForm,
    liability_label,
    money_label,
    show_when,
    type_facts,
)
from .edit import (
    CancelForm,
    DeductionEditForm,
)
from .wizard import (
    AmountStep,
    AssignmentStep,
    CategoryStep,
    ConfirmStep,
    DetailsStep,
    PeriodStep,
    TypeStep,
    liability_holder_queryset,
    next_free_priority,
    third_party_field,
)

__all__ = [
    "ASSIGNMENT_LABELS",
    "ASSIGN_ALL",
    "ASSIGN_COMPONENT",
    "ASSIGN_NOMINEE",
    "ASSIGN_NONE",
    "AmountStep",
    "AssignmentStep",
    "CancelForm",
    "CategoryStep",
    "ComponentChoiceField",
    "ConfirmStep",
    "DATE_WIDGET",
    "DeductionEditForm",
    "DetailsStep",
    "FIXED",
    "FIXED",
    "FIXED",
    "KIND_CHOICES",
    "PICK_HELP",
    "LiabilityChoiceField",
    "ParticipantChoiceField",
    "PeriodStep",
    "StepForm",
    "TYPE_FACTS",
    "TypeStep",
    "VARIABLE",
    "VARIABLE",
    "VARIABLE",
    "liability_holder_queryset",
    "liability_label",
    "money_label",
    "next_free_priority",
    "third_party_field",
    "show_when",
    "type_facts",
]
