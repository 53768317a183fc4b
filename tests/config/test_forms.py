"""The shared money and percentage form fields (config.forms): text inputs read for the
page's language, refusals showing the accepted form, saved values shown back in the
language; and no form of the project takes a browser-parsed number or a float (CD-6,
IC-8, LI-1, DT-2, PR-1)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from config.forms import DecimalEntryField, MoneyField, PercentField

ROOT = Path(__file__).resolve().parents[2]
PROJECT_DIRS = ["cases", "config", "deductions", "participants", "payments", "products", "workflow"]


class AmountForm(forms.Form):
    amount = MoneyField(label="Betrag")
    rate = PercentField(label="Satz", required=False)


def _form(data, language):
    with translation.override(language):
        form = AmountForm(data)
        form.is_valid()
        return form, form.as_p()


@pytest.mark.parametrize(
    ("language", "amount", "rate", "expected"),
    [
        ("de", "1.234,56", "12,5", (Decimal("1234.56"), Decimal("12.5"))),
        ("en", "1,234.56", "12.5", (Decimal("1234.56"), Decimal("12.5"))),
        ("de", "400", "", (Decimal("400"), None)),
    ],
)
def test_fields_read_the_page_language_CD_6(language, amount, rate, expected):
    """CD-6: the same number typed the German or the English way."""
    form, _html = _form({"amount": amount, "rate": rate}, language)
    assert form.errors == {}
    assert (form.cleaned_data["amount"], form.cleaned_data["rate"]) == expected


@pytest.mark.parametrize(
    ("language", "amount", "rate", "messages"),
    [
        ("de", "12,345", "", {"amount": "Betrag bitte als 1.234,56 eingeben."}),
        ("de", "abc", "", {"amount": "Betrag bitte als 1.234,56 eingeben."}),
        ("de", "400.50", "", {"amount": "Betrag bitte als 1.234,56 eingeben."}),
        ("de", "1", "12.5", {"rate": "Prozentsatz bitte als 12,5 eingeben."}),
        ("de", "1", "1e3", {"rate": "Prozentsatz bitte als 12,5 eingeben."}),
        ("en", "400,50", "", {"amount": "Please enter the amount as 1,234.56."}),
        ("en", "1", "12,5", {"rate": "Please enter the percentage as 12.5."}),
        ("de", "-5", "", {"amount": "Der Betrag darf nicht negativ sein."}),
        ("de", "1", "-5", {"rate": "Der Prozentsatz darf nicht negativ sein."}),
        ("de", "10000000000", "", {"amount": "Höchstens 9.999.999.999,99."}),
        ("en", "1", "1000", {"rate": "At most 999.99."}),
        ("de", "1.234", "", {"amount": "oder ohne Trennzeichen (1234)"}),
        ("de", "1,555", "", {"amount": "Höchstens 2 Nachkommastellen."}),
        ("de", "+5", "", {"amount": "Ohne Vorzeichen."}),
    ],
)
def test_refusals_show_the_accepted_form_beside_the_field_CD_6(language, amount, rate, messages):
    """CD-6: each refusal says how to write the number, in the page's language, and is
    rendered with its field."""
    form, html = _form({"amount": amount, "rate": rate}, language)
    assert set(form.errors) == set(messages)
    for field, text in messages.items():
        assert text in form.errors[field][0]
        example = "1.234,56" if language == "de" else "1,234.56"
        if field == "amount":
            assert example in form.errors[field][0]
    assert "errorlist" in html


def test_input_is_text_with_decimal_keyboard_and_no_browser_number():
    """No `type="number"`: the browser must not read (and rewrite) what was typed."""
    html = str(AmountForm()["amount"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert "number" not in html and "step" not in html


@pytest.mark.parametrize(("language", "shown"), [("de", "1.234,50"), ("en", "1,234.50")])
def test_saved_value_is_shown_back_in_the_language_CD_13(language, shown):
    """CD-13: an initial (saved) value appears formatted for the page's language; typed
    text that was refused appears as it was typed."""
    with translation.override(language):
        unbound = str(AmountForm(initial={"amount": Decimal("1234.5")})["amount"])
        bound = str(AmountForm({"amount": "12,345x"})["amount"])
    assert f'value="{shown}"' in unbound
    assert 'value="12,345x"' in bound


def test_unchanged_saved_value_is_not_a_change():
    """Admin's history records only real changes: 1.234,50 typed back is no change."""
    with translation.override("de"):
        form = AmountForm({"amount": "1.234,50"}, initial={"amount": Decimal("1234.50")})
        assert "amount" not in form.changed_data


def _source_files(*suffixes):
    for name in PROJECT_DIRS + ["templates"]:
        for path in (ROOT / name).rglob("*"):
            if path.suffix in suffixes and "migrations" not in path.parts:
                yield path


def test_no_number_inputs_or_float_fields_in_the_project_CD_6():
    """CD-6: no form or template of the project takes a browser-parsed number or a float
    (type="number", NumberInput, FloatField, Django's DecimalField form field)."""
    forbidden = re.compile(
        r"""type=["']number["']|NumberInput|FloatField|forms\.DecimalField|input_type\s*=\s*["']number"""
    )
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _source_files(".py", ".html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if forbidden.search(line)
    ]
    assert found == []


def _editable(each, request) -> bool:
    if isinstance(each, admin.options.InlineModelAdmin):
        return each.has_add_permission(request, None) or each.has_change_permission(request)
    return each.has_add_permission(request) or each.has_change_permission(request)


@pytest.mark.django_db
def test_every_admin_form_enters_decimals_as_text_DT_12_PR_3(administrator):
    """DT-12, PR-3: every admin form (and inline) of the project that edits a decimal
    column uses the shared field, so admin reads 1.234,56 like the caseworker pages."""
    request = RequestFactory().get("/admin/")
    request.user = administrator
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_DIRS:
            continue  # third-party admins (celery beat's solar schedule) hold no money
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        for each in [model_admin, *inlines]:
            if not _editable(each, request):
                continue
            if isinstance(each, admin.options.InlineModelAdmin):
                form = each.get_formset(request).form
            else:
                form = each.get_form(request)
            for name, field in form.base_fields.items():
                assert not isinstance(field, forms.DecimalField | forms.FloatField), (
                    f"{each}: {name}"
                )
                checked += isinstance(field, DecimalEntryField)
    # Four on the product page, five on the deduction type page.
    assert checked >= 9


def test_kept_answers_survive_a_language_switch_CD_6():
    """CD-6: a wizard keeps amounts language-neutral between requests and binds them
    again in the page's language, so 1.234,56 typed in German is 1,234.56 in English."""
    from config.forms import in_page_language, language_neutral

    with translation.override("de"):
        form = AmountForm({"amount": "1.234,56", "rate": ""})
        assert form.is_valid()
        kept = language_neutral(form, dict(form.data))
    assert kept == {"amount": "1234.56", "rate": ""}
    with translation.override("en"):
        data = in_page_language(AmountForm, kept)
        assert data["amount"] == "1,234.56"
        assert AmountForm(data).is_valid()
    # Text kept before answers were neutral stays as typed, for the form to judge.
    assert in_page_language(AmountForm, {"amount": "400,50"})["amount"] == "400,50"
