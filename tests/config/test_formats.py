"""Dates per UI language (config/formats): German d.m.Y and d.m.Y H:i; English "31 Oct 2027"
and "31 Oct 2027 09:05" (issue 14: English pages used to show German dates).

Changed with issue 14: these tests asserted German dates on English pages too (D-014);
English pages now write the month by name, German pages stay exactly as before."""

from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tests import factories

TEMPLATE = (
    "{{ d }}|{{ d|date }}|{{ d|date:'SHORT_DATE_FORMAT' }}|"
    "{{ dt|date:'DATETIME_FORMAT' }}|{{ dt|date:'SHORT_DATETIME_FORMAT' }}|{{ d|day }}|"
    "{{ dt|moment }}"
)


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "de",
            "31.10.2027|31.10.2027|31.10.2027|30.11.2026 09:05|30.11.2026 09:05|31.10.2027|"
            "30.11.2026 09:05",
        ),
        (
            "en",
            "31 Oct 2027|31 Oct 2027|31 Oct 2027|30 Nov 2026 09:05|30 Nov 2026 09:05|"
            "31 Oct 2027|30 Nov 2026 09:05",
        ),
    ],
)
def test_dates_render_per_language_SIM_2_PAY_12(language, expected):
    """SIM-2, PAY-12: plain output, ``|date``, the named formats and the ``day``/``moment``
    filters write German dates on German pages and "31 Oct 2027" on English ones (never
    10/31/2027, which reads as another day in Germany and Britain)."""
    moment = timezone.make_aware(datetime(2026, 11, 30, 9, 5))
    with translation.override(language), timezone.override("Europe/Berlin"):
        text = Template(TEMPLATE).render(Context({"d": date(2027, 10, 31), "dt": moment}))
    assert text == expected


@pytest.mark.django_db
def test_english_payment_page_shows_english_dates_PAY_12(client, caseworker):
    """PAY-12: an English payment page shows its period as "5 Jan 2026", no German or
    American numeric dates."""
    payment = factories.ThirdPartyPaymentFactory(
        period_start=date(2026, 1, 5), period_end=date(2026, 1, 11)
    )
    client.force_login(caseworker)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/payments/{payment.pk}/").content.decode()
    assert "5 Jan 2026 – 11 Jan 2026" in page
    assert "05.01.2026" not in page and "01/05/2026" not in page


@pytest.mark.django_db
def test_german_payment_page_keeps_german_dates_PAY_12(client, caseworker):
    payment = factories.ThirdPartyPaymentFactory(
        period_start=date(2026, 1, 5), period_end=date(2026, 1, 11)
    )
    client.force_login(caseworker)
    page = client.get(f"/payments/{payment.pk}/").content.decode()
    assert "05.01.2026 – 11.01.2026" in page
