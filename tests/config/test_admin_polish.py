"""Admin polish (issue 14, item 8): constraint violations as German sentences naming the
fields, readable and translated history pages, German help texts on every admin page."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import CheckConstraint, UniqueConstraint

from products.models import DeductionType
from tests import factories

PROJECT_APPS = ("participants", "products", "cases", "deductions", "payments", "workflow")
ENGLISH = re.compile(
    r"\b(the|and|which|will|this|should|when|if|be|is|are|of|for|with|to)\b", re.IGNORECASE
)
HELP = re.compile(r'<div class="help"[^>]*>(.*?)</div>', re.S)


def _constraints_needing_a_message():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model.__name__.startswith("Historical"):
            continue
        for constraint in model._meta.constraints:
            plain_unique = (
                isinstance(constraint, UniqueConstraint)
                and not constraint.condition
                and not constraint.expressions
            )
            if isinstance(constraint, CheckConstraint) or not plain_unique:
                yield model, constraint


def test_every_constraint_has_a_german_sentence_admin():
    """Plain unique constraints keep Django's "… mit diesem … existiert bereits."; every
    other constraint names its fields in a sentence of its own."""
    missing = [
        f"{model.__name__}.{constraint.name}"
        for model, constraint in _constraints_needing_a_message()
        if constraint.violation_error_message == constraint.default_violation_error_message
    ]
    assert missing == []


@pytest.mark.django_db
def test_constraint_violation_in_admin_is_a_sentence_admin(administrator_client):
    """The case of the issue: a default amount above the maximum on a deduction type."""
    response = administrator_client.post(
        "/admin/products/deductiontype/add/",
        {
            "name": "Testabzug",
            "category": "applied",
            "insufficient_balance_action": "skip",
            "max_amount": "10,00",
            "default_amount": "20,00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bedingung" not in page and "deduction_type_default_amount_le_max" not in page
    assert "Standardbetrag" in page and "Maximaler Abzugsbetrag" in page
    assert not DeductionType.objects.filter(name="Testabzug").exists()


@pytest.mark.django_db
def test_constraint_message_from_full_clean_admin():
    from django.core.exceptions import ValidationError

    deduction_type = factories.DeductionTypeFactory.build(
        max_amount=Decimal("10.00"), default_amount=Decimal("20.00")
    )
    with pytest.raises(ValidationError) as info:
        deduction_type.validate_constraints()
    assert info.value.messages == [
        "„Standardbetrag“ darf nicht größer sein als „Maximaler Abzugsbetrag“."
    ]


@pytest.mark.django_db
def test_history_page_is_readable_and_german_admin(administrator_client, administrator):
    deduction_type = factories.DeductionTypeFactory(max_amount=Decimal("100.00"))
    deduction_type.max_amount = Decimal("1234.50")
    deduction_type.category = "third_party"
    deduction_type._history_user = administrator
    deduction_type._change_reason = "Uhrzeit in der Administration geändert"
    deduction_type.save()
    page = administrator_client.get(
        f"/admin/products/deductiontype/{deduction_type.pk}/history/"
    ).content.decode()
    for header in ("Datum/Uhrzeit", "Geändert von", "Änderungsgrund", "Änderungen"):
        assert header in page
    assert "Changes" not in page and "Change reason" not in page
    # history_list_display columns by verbose_name, values readable
    assert '<th scope="col">Priorität</th>' in page
    assert "Maximaler Abzugsbetrag" in page
    assert "1.234,50" in page and "100,00" in page
    assert "Drittzahlung" in page or "Dritt" in page
    assert "third_party" not in page


@pytest.mark.django_db
def test_history_page_in_english_admin(administrator_client, administrator):
    deduction_type = factories.DeductionTypeFactory(max_amount=Decimal("100.00"))
    deduction_type.max_amount = Decimal("150.00")
    deduction_type.save()
    administrator_client.cookies["django_language"] = "en"
    page = administrator_client.get(
        f"/admin/products/deductiontype/{deduction_type.pk}/history/"
    ).content.decode()
    assert "Changes" in page and "Changed by" in page
    assert "Änderungen" not in page


@pytest.mark.django_db
def test_no_english_help_text_on_german_admin_pages_admin(administrator_client, administrator):
    """Every add page the administrator may open, and the change page of the payment-run
    schedule and of the periodic tasks, shows its help texts in German."""
    from django_celery_beat.models import PeriodicTask

    from payments.models import PaymentRunSchedule

    urls = []
    for model in admin.site._registry:
        opts = model._meta
        urls.append(f"/admin/{opts.app_label}/{opts.model_name}/add/")
    urls.append(f"/admin/payments/paymentrunschedule/{PaymentRunSchedule.objects.get().pk}/change/")
    task = PeriodicTask.objects.first()
    urls.append(f"/admin/django_celery_beat/periodictask/{task.pk}/change/")
    offenders = {}
    for url in urls:
        response = administrator_client.get(url)
        if response.status_code != 200:
            continue
        for text in HELP.findall(response.content.decode()):
            plain = re.sub(r"<[^>]+>", " ", text)
            if ENGLISH.search(plain):
                offenders.setdefault(url, []).append(" ".join(plain.split())[:120])
    assert offenders == {}, "\n".join(f"{u}: {t}" for u, ts in offenders.items() for t in ts)
