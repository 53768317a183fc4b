"""Dates read d.m.Y and date-times d.m.Y H:i in both UI languages (config/formats)."""

from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tests import factories


@pytest.mark.parametrize("language", ["de", "en"])
def test_dates_render_d_m_y_in_both_languages_SIM_2_PAY_12(language):
    """SIM-2, PAY-12: plain output, ``|date`` and the named formats all give German dates,
    also on English pages (they used to give 10/31/2027 or Oct. 31, 2027)."""
    template = Template(
        "{{ d }}|{{ d|date }}|{{ d|date:'SHORT_DATE_FORMAT' }}|"
        "{{ dt|date:'DATETIME_FORMAT' }}|{{ dt|date:'SHORT_DATETIME_FORMAT' }}"
    )
    moment = timezone.make_aware(datetime(2026, 11, 30, 9, 5))
    with translation.override(language), timezone.override("Europe/Berlin"):
        text = template.render(Context({"d": date(2027, 10, 31), "dt": moment}))
    assert text == "31.10.2027|31.10.2027|31.10.2027|30.11.2026 09:05|30.11.2026 09:05"


@pytest.mark.django_db
def test_english_payment_page_shows_german_dates_PAY_12(client, caseworker):
    """PAY-12: an English payment page shows its period as d.m.Y."""
    payment = factories.ThirdPartyPaymentFactory()
    client.force_login(caseworker)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/payments/{payment.pk}/").content.decode()
    assert payment.period_start.strftime("%d.%m.%Y") in page
    assert payment.period_start.strftime("%m/%d/%Y") not in page
