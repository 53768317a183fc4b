"""Fixtures of the workflow tests: a utility paid by two active third-party deductions."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from config import roles
from tests import factories


@dataclass
class UtilityScenario:
    utility: object
    case: object
    supervisor: object
    deductions: list


@pytest.fixture
def utility_scenario(db) -> UtilityScenario:
    """A utility receiving two active third-party deductions of one case whose supervisor
    is a case supervisor (`sv2`), plus an unrelated inactive deduction."""
    supervisor = factories.UserFactory(username="sv2", role=roles.SUPERVISOR)
    case = factories.ProductDeliveryCaseFactory(case_supervisor=supervisor)
    utility = factories.UtilityFactory(name="Stadtwerke Nord")
    ends = timezone.localdate() + timedelta(days=365)  # current whatever day the tests run
    deductions = [
        factories.ThirdPartyDeductionFactory(
            case=case, third_party=utility, status="active", end_date=ends
        )
        for _ in range(2)
    ]
    factories.DeductionFactory(case=case)
    return UtilityScenario(utility=utility, case=case, supervisor=supervisor, deductions=deductions)


@pytest.fixture
def default_mappings(db):
    """The default mappings of migration 0003, again: transactional tests flush the
    database, removing rows that data migrations installed."""
    from workflow.demo import ensure_default_mappings

    ensure_default_mappings()
