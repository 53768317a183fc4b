"""Caseworker pages of case deductions (CD-2..CD-16, RO-1): the wizard, the lists, the
detail with its actions, editing and history."""

from decimal import Decimal

import pytest
from django.urls import reverse

from deductions.models import Deduction, DeductionStatus
from products.models import DeductionCategory
from tests import factories
from tests.deductions.conftest import create
from tests.deductions.conftest import wizard_step as _step
from tests.html_tables import table_rows
from workflow.models import WorkflowEvent

pytestmark = pytest.mark.django_db


def _walk_third_party(client, world, **overrides):
    case = world.case
    client.get(reverse("deductions:create", args=[case.pk]))
    answers = {
        "category": {"category": "third_party"},
        "type": {"deduction_type": world.third_party.pk},
        "amount": {"kind": "variable", "percentage": "5,00", "amount": ""},
        "assignment": {"assignment": "all", "nominee": "", "component": ""},
        "period": {"start_date": "2026-02-01", "end_date": "2026-06-30", "priority": "1"},
        "details": {
            "third_party": world.utility.reference,
            "third_party_account_number": "DE02120300000000202051",
            "third_party_reference": "STROM-4711",
        },
    }
    for step, data in overrides.items():
        answers[step] = data
    for step, data in answers.items():
        response = _step(client, case, step, data)
        if response.status_code != 302:
            return response
    return _step(client, case, "confirm", {"activate": "on"})


def test_wizard_creates_third_party_variable_deduction_CD_2_CD_4_CD_7_CD_11_TP_5(client_cw, world):
    """CD-2, CD-4, CD-7, CD-11, TP-5: the wizard walks category → type → amount →
    assignment → period → details → activate and creates an active deduction."""
    response = _walk_third_party(client_cw, world)
    assert response.status_code == 302, response.content.decode()[:2000]
    deduction = Deduction.objects.get()
    assert response.url == reverse("deductions:detail", args=[deduction.pk])
    assert deduction.category == DeductionCategory.THIRD_PARTY
    assert deduction.percentage == Decimal("5.00") and deduction.amount is None
    assert deduction.all_nominees and deduction.third_party == world.utility
    assert deduction.status == DeductionStatus.ACTIVE
    assert world.case.integrated_case.members.filter(participant=world.utility).exists()
    assert list(WorkflowEvent.objects.order_by("id").values_list("event_type", flat=True)) == [
        "deduction_created",
        "deduction_activated",
    ]


def test_wizard_type_step_offers_only_linked_types_of_category_CD_2(client_cw, world):
    """CD-2: only types of the category linked to the product; none → says so."""
    factories.DeductionTypeFactory(name="Gas", category=DeductionCategory.THIRD_PARTY)  # unlinked
    case = world.case
    client_cw.get(reverse("deductions:create", args=[case.pk]))
    _step(client_cw, case, "category", {"category": "third_party"})
    page = client_cw.get(reverse("deductions:create-step", args=[case.pk, "type"]))
    text = page.content.decode()
    assert "Strom" in text and "Gas" not in text and "Geldstrafe" not in text

    other = factories.ProductDeliveryCaseFactory(case_supervisor=world.user)
    client_cw.get(reverse("deductions:create", args=[other.pk]))
    _step(client_cw, other, "category", {"category": "applied"})
    page = client_cw.get(reverse("deductions:create-step", args=[other.pk, "type"]))
    assert 'data-testid="no-types"' in page.content.decode()


def test_wizard_amount_step_prefills_defaults_and_shows_limits_CD_6_DT_3(client_cw, world):
    """CD-6, DT-3: the type's default amount is prefilled and its limits are shown."""
    case = world.case
    client_cw.get(reverse("deductions:create", args=[case.pk]))
    _step(client_cw, case, "category", {"category": "unapplied"})
    _step(client_cw, case, "type", {"deduction_type": world.unapplied.pk})
    page = client_cw.get(reverse("deductions:create-step", args=[case.pk, "amount"]))
    text = page.content.decode()
    assert 'value="40,00"' in text
    assert "mindestens 30,00" in text and "höchstens 50,00" in text


def test_wizard_messages_beside_fields_and_nothing_written_CD_6_CD_7_CD_8(client_cw, world):
    """CD-6/7/8: refusals show the message at their step and write nothing."""
    case = world.case
    client_cw.get(reverse("deductions:create", args=[case.pk]))
    _step(client_cw, case, "category", {"category": "unapplied"})
    _step(client_cw, case, "type", {"deduction_type": world.unapplied.pk})
    response = _step(client_cw, case, "amount", {"kind": "fixed", "amount": "51,00"})
    assert response.status_code == 400
    assert "maximalen Abzugsbetrag" in response.content.decode()
    _step(client_cw, case, "amount", {"kind": "fixed", "amount": "40,00"})
    response = _step(client_cw, case, "assignment", {"assignment": "all"})
    assert response.status_code == 400  # "all" is not offered for a fixed deduction
    _step(client_cw, case, "assignment", {"assignment": "nominee", "nominee": world.thomas.pk})
    response = _step(
        client_cw, case, "period", {"start_date": "2027-01-01", "end_date": "2027-02-01"}
    )
    assert response.status_code == 400
    assert "voraussichtlichen Fall-Enddatum" in response.content.decode()
    assert not Deduction.objects.exists() and not WorkflowEvent.objects.exists()


def test_wizard_unapplied_skips_details_and_uses_link_priority_CD_5_CD_9(client_cw, world):
    """CD-5: no details step for unapplied; CD-9: empty priority → the link's."""
    case = world.case
    client_cw.get(reverse("deductions:create", args=[case.pk]))
    _step(client_cw, case, "category", {"category": "unapplied"})
    _step(client_cw, case, "type", {"deduction_type": world.unapplied.pk})
    _step(client_cw, case, "amount", {"kind": "fixed", "amount": "40,00"})
    _step(client_cw, case, "assignment", {"assignment": "nominee", "nominee": world.thomas.pk})
    response = _step(
        client_cw,
        case,
        "period",
        {"start_date": "2026-02-01", "end_date": "2026-03-01", "priority": ""},
    )
    assert response.url.endswith("/confirm/")
    response = _step(client_cw, case, "confirm", {})
    assert response.status_code == 302
    deduction = Deduction.objects.get()
    assert deduction.status == DeductionStatus.INACTIVE and deduction.priority == 1


def test_wizard_priority_beyond_end_is_announced_not_silent_CD_9(client_cw, world):
    """CD-9: the link's priority (6) lies beyond the end of a case with 2 deductions: the
    period step keeps the prefill but says it will be 3 (at the end), the summary shows 3,
    and 3 is saved."""
    from products.models import ProductDeductionType

    create(world, priority="automatic")
    create(world, priority="automatic")
    ProductDeductionType.objects.filter(
        product=world.product, deduction_type=world.unapplied
    ).update(priority=6)
    case = world.case
    client_cw.get(reverse("deductions:create", args=[case.pk]))
    _step(client_cw, case, "category", {"category": "unapplied"})
    _step(client_cw, case, "type", {"deduction_type": world.unapplied.pk})
    _step(client_cw, case, "amount", {"kind": "fixed", "amount": "40,00"})
    _step(client_cw, case, "assignment", {"assignment": "nominee", "nominee": world.thomas.pk})
    page = client_cw.get(reverse("deductions:create-step", args=[case.pk, "period"]))
    text = page.content.decode()
    assert 'name="priority" value="6"' in text
    assert "Eine Priorität über 3 wird als 3 (am Ende) vergeben." in text
    _step(
        client_cw,
        case,
        "period",
        {"start_date": "2026-02-01", "end_date": "2026-03-01", "priority": "6"},
    )
    page = client_cw.get(reverse("deductions:create-step", args=[case.pk, "confirm"]))
    assert "3 (gewünscht: 6; am Ende)" in page.content.decode()
    response = _step(client_cw, case, "confirm", {})
    assert response.status_code == 302
    assert Deduction.objects.order_by("-id").first().priority == 3


def test_wizard_applied_requires_liability_when_several_open_CD_3(client_cw, world):
    """CD-3: the holder's liability must be chosen when they have more than one open."""
    factories.LiabilityFactory(participant=world.thomas, liability_case_id="VB-2026-0002")
    case = world.case
    client_cw.get(reverse("deductions:create", args=[case.pk]))
    _step(client_cw, case, "category", {"category": "applied"})
    _step(client_cw, case, "type", {"deduction_type": world.applied.pk})
    _step(client_cw, case, "amount", {"kind": "variable", "percentage": "3,00"})
    _step(client_cw, case, "assignment", {"assignment": "none"})
    _step(client_cw, case, "period", {"start_date": "2026-02-01", "end_date": "2026-03-01"})
    response = _step(client_cw, case, "details", {"liability_holder": world.thomas.reference})
    assert response.status_code == 400
    assert "mehrere offene Verbindlichkeiten" in response.content.decode()
    partial = client_cw.get(
        reverse("deductions:wizard-liabilities", args=[case.pk]),
        {"liability_holder": world.thomas.reference},
    )
    assert "VB-2026-0001" in partial.content.decode()
    assert "VB-2026-0002" in partial.content.decode()
    response = _step(
        client_cw,
        case,
        "details",
        {"liability_holder": world.thomas.reference, "liability": world.liability.pk},
    )
    assert response.status_code == 302
    assert _step(client_cw, case, "confirm", {}).status_code == 302
    assert Deduction.objects.get().liability == world.liability


def test_wizard_activation_refused_when_case_not_active_CD_11(client, caseworker):
    """CD-11: on a case that is not active the last step says why it cannot activate."""
    from cases.models import CaseStatus
    from tests.deductions.conftest import make_world

    world = make_world(caseworker, case_status=CaseStatus.OPEN)
    client.force_login(caseworker)
    case = world.case
    client.get(reverse("deductions:create", args=[case.pk]))
    _step(client, case, "category", {"category": "unapplied"})
    _step(client, case, "type", {"deduction_type": world.unapplied.pk})
    _step(client, case, "amount", {"kind": "fixed", "amount": "40,00"})
    _step(client, case, "assignment", {"assignment": "nominee", "nominee": world.thomas.pk})
    _step(client, case, "period", {"start_date": "2026-02-01", "end_date": "2026-03-01"})
    page = client.get(reverse("deductions:create-step", args=[case.pk, "confirm"]))
    assert 'data-testid="activation-refusal"' in page.content.decode()
    response = _step(client, case, "confirm", {"activate": "on"})
    assert response.status_code == 409
    assert not Deduction.objects.exists()


def test_case_lists_and_tabs_CD_14(client_cw, world):
    """CD-14 (a)/(b): the list shows every deduction; the tabs show what was once active."""
    draft = create(world)
    third = create(world, "third_party", activate=True)
    base = reverse("deductions:case-list", args=[world.case.pk])
    text = client_cw.get(base).content.decode()
    assert "Geldstrafe" in text and "Strom" in text
    text = client_cw.get(
        reverse("deductions:case-list-third-party", args=[world.case.pk])
    ).content.decode()
    assert "Strom" in text and "STROM-4711" in text and "Geldstrafe" not in text
    text = client_cw.get(
        reverse("deductions:case-list-applied", args=[world.case.pk])
    ).content.decode()
    assert "Geldstrafe" not in text  # never activated
    assert draft.pk and third.pk


def test_person_list_CD_14(client_cw, world):
    """CD-14 (c): the person's deductions on cases where they are primary client."""
    create(world)
    text = client_cw.get(reverse("deductions:person-list", args=[world.thomas.pk])).content.decode()
    assert "Geldstrafe" in text
    text = client_cw.get(reverse("deductions:person-list", args=[world.linda.pk])).content.decode()
    assert "Geldstrafe" not in text


def test_detail_shows_only_allowed_actions_CD_10_CD_14(client_cw, world):
    """CD-10, CD-14 (d): the buttons follow the transitions django-fsm allows."""
    deduction = create(world, "third_party")
    url = reverse("deductions:detail", args=[deduction.pk])
    text = client_cw.get(url).content.decode()
    assert "/activate/" in text and "/cancel/" in text and "/deactivate/" not in text
    assert "STROM-4711" in text and "Stadtwerke Musterstadt" in text
    client_cw.post(reverse("deductions:transition", args=[deduction.pk, "activate"]))
    text = client_cw.get(url).content.decode()
    assert "/activate/" not in text and "/deactivate/" in text and "/cancel/" in text
    client_cw.post(
        reverse("deductions:transition", args=[deduction.pk, "cancel"]), {"confirm": "on"}
    )
    text = client_cw.get(url).content.decode()
    assert "/activate/" not in text and "/deactivate/" not in text and "/cancel/" not in text
    deduction.refresh_from_db()
    assert deduction.status == DeductionStatus.CANCELLED


def test_detail_account_name_is_the_deductions_own_account_CD_4_CD_14(client_cw, world):
    """CD-4, CD-14 (d): the detail's "Kontoname" is the name of the third-party account the
    deduction pays to (matched on its account number), not the payee's first account."""
    import re

    factories.BankAccountFactory(
        participant=world.utility,
        account_name="Stadtwerke Hauptkonto",
        account_number="DE89370400440532013000",
    )
    factories.BankAccountFactory(
        participant=world.utility,
        account_name="Stadtwerke Stromkonto",
        account_number="DE02 1203 0000 0000 2020 51",
    )
    deduction = create(world, "third_party")  # pays to DE02120300000000202051
    text = client_cw.get(reverse("deductions:detail", args=[deduction.pk])).content.decode()
    shown = re.search(r'data-testid="third-party-account-name">([^<]*)<', text).group(1)
    assert shown == "Stadtwerke Stromkonto"
    assert "Stadtwerke Hauptkonto" not in text


def test_detail_refused_action_shows_reason_CD_10(client_cw, world):
    """CD-10: a refused action changes nothing and tells the reason."""
    deduction = create(world)
    Deduction.objects.filter(pk=deduction.pk).update(
        status=DeductionStatus.PROCESSED, processed_total=Decimal("10.00")
    )
    response = client_cw.post(
        reverse("deductions:transition", args=[deduction.pk, "cancel"]),
        {"confirm": "on"},
        follow=True,
    )
    assert "Enddatum" in response.content.decode()
    deduction.refresh_from_db()
    assert deduction.status == DeductionStatus.PROCESSED


def test_detail_cancel_grouped_with_reason_and_confirmed_CD_10(client_cw, world):
    """CD-10: cancelling is final: the reason sits in the cancel form under its own heading
    with the button "Abzug abbrechen"; without the confirmation nothing is cancelled and the
    message is shown beside the checkbox; with it the reason goes into the history."""
    import re

    deduction = create(world)
    url = reverse("deductions:detail", args=[deduction.pk])
    text = client_cw.get(url).content.decode()
    form = re.search(r'<form[^>]*data-testid="cancel-form".*?</form>', text, re.S).group(0)
    assert "Abzug abbrechen</h3>" in form and 'name="reason"' in form and 'name="confirm"' in form
    assert ">Abzug abbrechen</button>" in form
    assert "Grund (optional)" not in text.replace(form, "")
    cancel = reverse("deductions:transition", args=[deduction.pk, "cancel"])
    response = client_cw.post(cancel, {"reason": "Irrtum"})
    assert response.status_code == 400
    assert "Bestätigen Sie den endgültigen Abbruch" in response.content.decode()
    deduction.refresh_from_db()
    assert deduction.status == DeductionStatus.INACTIVE
    response = client_cw.post(cancel, {"reason": "Irrtum", "confirm": "on"})
    assert response.status_code == 302
    deduction.refresh_from_db()
    assert deduction.status == DeductionStatus.CANCELLED
    assert deduction.history.first().history_change_reason == "Irrtum"


def test_fixed_assignment_offers_no_component_and_describedby_ids_exist_CD_7(client_cw, world):
    """CD-7: a fixed deduction is assigned to one nominee only, so the assignment step shows
    no "Fallkomponente" field (a variable one does); every aria-describedby id on the wizard
    and edit pages points at an element that exists (help texts and errors)."""
    import re

    case = world.case
    client_cw.get(reverse("deductions:create", args=[case.pk]))
    _step(client_cw, case, "category", {"category": "unapplied"})
    _step(client_cw, case, "type", {"deduction_type": world.unapplied.pk})
    _step(client_cw, case, "amount", {"kind": "fixed", "amount": "40,00"})
    step = reverse("deductions:create-step", args=[case.pk, "assignment"])
    fixed_page = client_cw.get(step).content.decode()
    assert 'name="component"' not in fixed_page and "Fallkomponente" not in fixed_page
    response = client_cw.post(step, {"assignment": "nominee", "nominee": ""})
    assert response.status_code == 400
    pages = [fixed_page, response.content.decode()]
    _step(client_cw, case, "amount", {"kind": "variable", "percentage": "5,00"})
    variable_page = client_cw.get(step).content.decode()
    assert 'name="component"' in variable_page
    pages.append(variable_page)
    pages.append(
        client_cw.get(reverse("deductions:create-step", args=[case.pk, "period"])).content.decode()
    )
    deduction = create(world)
    edit = reverse("deductions:edit", args=[deduction.pk])
    pages.append(client_cw.get(edit).content.decode())
    pages.append(client_cw.post(edit, {"amount": "99,00"}).content.decode())
    pages.append(
        client_cw.post(
            reverse("deductions:transition", args=[deduction.pk, "cancel"])
        ).content.decode()
    )
    checked = 0
    for page in pages:
        ids = set(re.findall(r'\bid="([^"]+)"', page))
        for value in re.findall(r'aria-describedby="([^"]*)"', page):
            for ref in value.split():
                assert ref in ids, ref
                checked += 1
    assert checked >= 5


def test_edit_page_updates_and_validates_CD_13(client_cw, world):
    """CD-13: edits go through the service; messages appear beside the field."""
    deduction = create(world)
    url = reverse("deductions:edit", args=[deduction.pk])
    data = {
        "amount": "60,00",
        "start_date": "2026-02-01",
        "end_date": "2026-06-30",
        "priority": "1",
    }
    response = client_cw.post(url, data)
    assert response.status_code == 400
    assert "maximalen Abzugsbetrag" in response.content.decode()
    data["amount"] = "45,00"
    response = client_cw.post(url, data)
    assert response.status_code == 302
    deduction.refresh_from_db()
    assert deduction.amount == Decimal("45.00")
    assert WorkflowEvent.objects.filter(event_type="deduction_modified").count() == 1


def test_wizard_and_edit_page_refuse_invalid_account_number_CD_4(client_cw, world):
    """CD-4: the wizard's details step and the edit page show the bank-account check beside
    the account number field and write nothing."""
    response = _walk_third_party(
        client_cw,
        world,
        details={
            "third_party": world.utility.reference,
            "third_party_account_number": "not an iban !!",
            "third_party_reference": "STROM-4711",
        },
    )
    assert response.status_code == 400
    assert "Die IBAN ist ungültig" in response.content.decode()
    assert not Deduction.objects.exists()

    deduction = create(world, "third_party")
    url = reverse("deductions:edit", args=[deduction.pk])
    data = {
        "percentage": "5,00",
        "start_date": "2026-02-01",
        "end_date": "2026-06-30",
        "priority": "1",
        "third_party": world.utility.reference,
        "third_party_account_number": "not an iban !!",
        "third_party_reference": "STROM-4711",
    }
    response = client_cw.post(url, data)
    assert response.status_code == 400
    assert "Die IBAN ist ungültig" in response.content.decode()
    deduction.refresh_from_db()
    assert deduction.third_party_account_number == "DE02120300000000202051"


def test_history_page_CD_15(client, world, caseworker, supervisor):
    """CD-15: the history page lists creation and activation with the user: each row names
    who acted (creation by the caseworker, activation by the supervisor)."""
    deduction = create(world)
    client.force_login(supervisor)
    response = client.post(reverse("deductions:transition", args=[deduction.pk, "activate"]))
    assert response.status_code == 302
    text = client.get(reverse("deductions:history", args=[deduction.pk])).content.decode()
    assert "Angelegt" in text and "Aktiviert" in text
    rows = table_rows(text, 'data-testid="history-table"')
    users_by_event = {row["Ereignis"]: row["Benutzer"] for row in rows}
    assert users_by_event["Angelegt"] == caseworker.get_full_name()
    assert users_by_event["Aktiviert"] == supervisor.get_full_name()
    assert caseworker.get_full_name() != supervisor.get_full_name()


def test_pages_enforce_roles_RO_1(client, world, administrator):
    """RO-1: administrators may read deduction pages but not create or change."""
    deduction = create(world)
    client.force_login(administrator)
    assert client.get(reverse("deductions:detail", args=[deduction.pk])).status_code == 200
    assert client.get(reverse("deductions:create", args=[world.case.pk])).status_code == 403
    response = client.post(reverse("deductions:transition", args=[deduction.pk, "activate"]))
    assert response.status_code == 403
    assert client.get(reverse("deductions:edit", args=[deduction.pk])).status_code == 403
    client.logout()
    response = client.get(reverse("deductions:detail", args=[deduction.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    deduction.refresh_from_db()
    assert deduction.status == DeductionStatus.INACTIVE


def test_admin_is_read_mostly_with_history_CD_15_RO_1(client, world, administrator):
    """CD-15 / RO-1: administrators see deductions and their history in admin; nobody adds
    or deletes there."""
    from config import roles

    roles.sync_role_permissions()
    deduction = create(world, activate=True)
    client.force_login(administrator)
    assert client.get("/admin/deductions/deduction/").status_code == 200
    page = client.get(f"/admin/deductions/deduction/{deduction.pk}/history/")
    assert page.status_code == 200
    assert client.get("/admin/deductions/deduction/add/").status_code == 403
    response = client.post(f"/admin/deductions/deduction/{deduction.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Deduction.objects.filter(pk=deduction.pk).exists()


def test_wizard_liability_choice_with_holder_id_beyond_64_bits_CD_3(client_cw, world):
    """CD-3: the htmx liability choice and the details step with a holder id beyond 64
    bits answer normally (the holder is an invalid choice), never a 500 from SQLite."""
    huge = "99999999999999999999999"
    case = world.case
    client_cw.get(reverse("deductions:create", args=[case.pk]))
    _step(client_cw, case, "category", {"category": "applied"})
    _step(client_cw, case, "type", {"deduction_type": world.applied.pk})
    _step(client_cw, case, "amount", {"kind": "variable", "percentage": "3,00"})
    _step(client_cw, case, "assignment", {"assignment": "none"})
    _step(client_cw, case, "period", {"start_date": "2026-02-01", "end_date": "2026-03-01"})
    client_cw.raise_request_exception = False
    partial = client_cw.get(
        reverse("deductions:wizard-liabilities", args=[case.pk]), {"liability_holder": huge}
    )
    assert partial.status_code == 200
    response = _step(client_cw, case, "details", {"liability_holder": huge})
    assert response.status_code == 400
    assert not Deduction.objects.exists()


def test_edit_from_task_offers_end_date_and_returns_only_to_local_pages_TP_1_CD_13(
    client_cw, world
):
    """TP-1 / CD-13: `?end_date=` from a task is offered as the new end date (only inside
    the deduction's period), and `?next=` returns to the task after saving — but only to
    a path of this site; anything else falls back to the deduction's page."""
    from datetime import date

    deduction = create(world)
    url = f"/deductions/{deduction.pk}/edit/"
    page = client_cw.get(f"{url}?end_date=2026-05-31&next=/tasks/7/").content.decode()
    assert 'value="2026-05-31"' in page and "Vorschlag aus der Aufgabe" in page
    assert 'href="/tasks/7/"' in page
    for ignored in ("2030-01-01", "31.05.2026", "nonsense"):
        page = client_cw.get(f"{url}?end_date={ignored}").content.decode()
        assert f'value="{deduction.end_date.isoformat()}"' in page
        assert "Vorschlag aus der Aufgabe" not in page

    form = {
        "start_date": deduction.start_date.isoformat(),
        "end_date": "2026-05-31",
        "priority": deduction.priority,
        "amount": "40,00",
    }
    response = client_cw.post(f"{url}?next=/tasks/7/", form)
    assert response.status_code == 302 and response["Location"] == "/tasks/7/"
    assert Deduction.objects.get(pk=deduction.pk).end_date == date(2026, 5, 31)
    form["end_date"] = "2026-05-30"
    response = client_cw.post(f"{url}?next=https://elsewhere.example/", form)
    assert response["Location"] == f"/deductions/{deduction.pk}/"


def test_deduction_pages_have_breadcrumbs_to_case_and_list_CD_14_CD_15(client_cw, world):
    """CD-14 / CD-15: detail, history and edit pages lead back to the case and its list."""
    deduction = create(world)
    case = world.case
    for suffix in ("", "history/", "edit/"):
        page = client_cw.get(f"/deductions/{deduction.pk}/{suffix}").content.decode()
        assert f'href="/cases/pdc/{case.pk}/"' in page
        assert f'href="/cases/pdc/{case.pk}/deductions/"' in page
