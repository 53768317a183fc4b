"""What the participants app asks of the apps above it (docs/architecture.md). Each hook
is provided by the app named beside it, in its AppConfig.ready."""

from config.providers import Hook

# deductions: `(*, participant, on) -> QuerySet` of the third-party deductions paid to the
# participant that are current on `on` (PT-3, TP-1), with case, client and type loaded.
third_party_deductions_current = Hook("participants.third_party_deductions_current")

# cases: `(*, participant) -> dict` of querysets for their home page: "integrated_cases"
# (as primary client), "memberships" (other than as primary client),
# "product_delivery_cases" and "liabilities".
participant_cases = Hook("participants.participant_cases")

# cases: `() -> Exists` on participants: they hold an open liability (CD-3), for the
# picker's `open_liability` restriction (participants.selectors.participant_pick).
open_liability_condition = Hook("participants.open_liability_condition")
