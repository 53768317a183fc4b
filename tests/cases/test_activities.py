"""Activities on an integrated case (IC-11): planned with a type from the code table,
date/time, responsible user and participants; done with an outcome or cancelled (FSM);
edited with history; listed on the case and on the responsible user's home page; over
the API; closing the case asks what becomes of planned activities and records it."""

from datetime import datetime

import pytest
from django.utils import timezone

from cases import services
from cases.models import Activity, ActivityType, IntegratedCase
from config.exceptions import IllegalTransition, ValidationFailed
from tests import factories

pytestmark = pytest.mark.django_db
IC = "/api/v1/integrated-cases/"


def _at(day: int, hour: int = 10):
    return timezone.make_aware(datetime(2026, 11, day, hour, 0))


@pytest.fixture
def case(caseworker):
    client = factories.PersonFactory(name="Thomas Schmidt")
    return services.integrated_case_create(user=caseworker, primary_client=client)


@pytest.fixture
def visit(db):
    return ActivityType.objects.get(code="hausbesuch")


@pytest.fixture
def planned(case, caseworker, visit):
    return services.activity_create(
        integrated_case=case,
        subject="Hausbesuch bei Familie Schmidt",
        activity_type=visit,
        planned_at=_at(10),
        responsible=caseworker,
        participants=[case.primary_client],
        user=caseworker,
    )


def test_activity_types_seeded_as_code_table_IC_11():
    """IC-11: the code table holds the document's examples, maintained in admin."""
    names = set(ActivityType.objects.values_list("name", flat=True))
    assert {"Beratungsgespräch", "Hausbesuch", "Nachweis anfordern"} <= names


def test_plan_and_mark_done_with_outcome_and_history_IC_11(planned, caseworker):
    """IC-11: a planned activity is marked done with its outcome; history records each
    step with who did it."""
    assert planned.status == "planned"
    assert list(planned.participants.all()) == [planned.integrated_case.primary_client]
    done = services.activity_mark_done(
        activity=planned, outcome="Wohnsituation geprüft.", user=caseworker
    )
    assert done.status == "done" and done.outcome == "Wohnsituation geprüft."
    reasons = list(
        done.history.order_by("history_id").values_list("history_change_reason", "status")
    )
    # The participants are recorded as a step of their own (history of the m2m field).
    assert reasons[0] == ("Geplant", "planned") and reasons[-1] == ("Erledigt", "done")
    assert done.history.first().history_user == caseworker
    with pytest.raises(IllegalTransition):
        services.activity_cancel(activity=done, user=caseworker)


def test_done_needs_an_outcome_cancel_does_not_IC_11(planned, caseworker):
    """IC-11: "done" without an outcome is refused, naming the field; cancelling needs
    no note."""
    with pytest.raises(ValidationFailed) as exc:
        services.activity_mark_done(activity=planned, outcome="  ", user=caseworker)
    assert "outcome" in exc.value.errors
    cancelled = services.activity_cancel(activity=planned, user=caseworker)
    assert cancelled.status == "cancelled"


def test_plan_refuses_strangers_and_non_caseworkers_IC_11(case, caseworker, visit):
    """IC-11, RO-1: participants must be case members; the responsible user must be a
    caseworker or case supervisor; nothing is written when refused."""
    stranger = factories.PersonFactory(name="Fremd")
    admin_only = factories.UserFactory(role="Administrator")
    with pytest.raises(ValidationFailed) as exc:
        services.activity_create(
            integrated_case=case,
            subject="",
            activity_type=visit,
            planned_at=_at(3),
            responsible=admin_only,
            participants=[stranger],
            user=caseworker,
        )
    assert {"subject", "responsible", "participants"} <= set(exc.value.errors)
    assert "Fremd" in exc.value.errors["participants"][0]
    assert not Activity.objects.exists()


def test_edit_planned_activity_keeps_history_IC_11(planned, caseworker, supervisor):
    """IC-11: a planned activity is rescheduled and handed to another user; the history
    keeps the earlier date."""
    changed = services.activity_update(
        activity=planned,
        user=caseworker,
        subject=planned.subject,
        activity_type=planned.activity_type,
        planned_at=_at(12, 14),
        responsible=supervisor,
        participants=[],
    )
    assert changed.planned_at == _at(12, 14) and changed.responsible == supervisor
    assert list(changed.participants.all()) == []
    assert changed.history.earliest("history_date").planned_at == _at(10)


def test_close_with_planned_activity_asks_then_cancels_and_records_IC_11(case, planned, caseworker):
    """IC-11: closing a case with a planned activity is refused until the user says
    what becomes of it; "cancel" cancels it and the choice is in both histories."""
    with pytest.raises(ValidationFailed) as exc:
        services.integrated_case_close(integrated_case=case, reason="Umzug", user=caseworker)
    assert "planned_activities" in exc.value.errors
    assert "Hausbesuch bei Familie Schmidt" in exc.value.errors["planned_activities"][0]
    assert IntegratedCase.objects.get(pk=case.pk).status == "open"

    services.integrated_case_close(
        integrated_case=case, reason="Umzug", user=caseworker, planned_activities="cancel"
    )
    case = IntegratedCase.objects.get(pk=case.pk)
    planned = Activity.objects.get(pk=planned.pk)
    assert case.status == "closed" and planned.status == "cancelled"
    assert case.history.first().history_change_reason.startswith(
        "1 geplante Aktivität(en) abgesagt"
    )
    assert planned.history.first().history_change_reason == "Abgesagt: Fall geschlossen"


def test_close_keeping_planned_activities_records_the_choice_IC_11(case, planned, caseworker):
    """IC-11: "keep" leaves the activity planned for its responsible user, who may still
    mark it done; the choice is recorded on the case."""
    services.integrated_case_close(
        integrated_case=case, reason="Umzug", user=caseworker, planned_activities="keep"
    )
    case = IntegratedCase.objects.get(pk=case.pk)
    planned = Activity.objects.get(pk=planned.pk)
    assert case.status == "closed" and planned.status == "planned"
    assert "1 geplante Aktivität(en) beibehalten" in case.history.first().history_change_reason
    services.activity_mark_done(activity=planned, outcome="Nachgeholt.", user=caseworker)


def test_case_page_lists_activities_and_home_page_shows_mine_IC_11(
    client, planned, caseworker, supervisor
):
    """IC-11: the case page lists activities; the responsible user's home page shows
    "Meine geplanten Aktivitäten" with it, another user's does not; done ones leave."""
    client.force_login(caseworker)
    page = client.get(f"/cases/{planned.integrated_case_id}/").content.decode()
    assert "Hausbesuch bei Familie Schmidt" in page and "Geplant" in page
    home = client.get("/").content.decode()
    assert "Meine geplanten Aktivitäten" in home
    assert "Hausbesuch bei Familie Schmidt" in home
    client.force_login(supervisor)
    assert "Hausbesuch bei Familie Schmidt" not in client.get("/").content.decode()
    services.activity_mark_done(activity=planned, outcome="Erledigt.", user=caseworker)
    client.force_login(caseworker)
    assert "Hausbesuch bei Familie Schmidt" not in client.get("/").content.decode()


def test_activity_pages_plan_edit_done_IC_11(client, case, caseworker, visit):
    """IC-11: plan through the form (errors beside fields), then mark done on the
    activity page, whose history lists both steps."""
    client.force_login(caseworker)
    url = f"/cases/{case.pk}/activities/new/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"subject": "", "responsible": caseworker.pk})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'id="id_subject-error"' in html and 'id="id_activity_type-error"' in html
    response = client.post(
        url,
        {
            "subject": "Nachweise anfordern",
            "activity_type": ActivityType.objects.get(code="nachweis_anfordern").pk,
            "planned_at": "2026-11-20T09:30",
            "responsible": caseworker.pk,
            "participants": [case.primary_client.pk],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert timezone.localtime(activity.planned_at).hour == 9
    detail = f"/cases/activities/{activity.pk}/"
    empty = client.post(f"{detail}done/", {"done-outcome": ""})
    assert empty.status_code == 400 and 'id="id_done-outcome-error"' in empty.content.decode()
    client.post(f"{detail}done/", {"done-outcome": "Kontoauszüge angefordert."})
    assert Activity.objects.get(pk=activity.pk).status == "done"
    page = client.get(detail).content.decode()
    assert "Kontoauszüge angefordert." in page and "Erledigt" in page and "Geplant" in page


def test_close_form_asks_about_planned_activities_IC_11(client, case, planned, caseworker):
    """IC-11: the close form shows the choice when activities are planned and names the
    missing choice beside it; with a choice the case closes."""
    client.force_login(caseworker)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'name="planned_activities"' in page
    response = client.post(f"/cases/{case.pk}/close/", {"reason": "Umzug"})
    assert response.status_code == 400
    assert 'id="id_planned_activities-error"' in response.content.decode()
    response = client.post(
        f"/cases/{case.pk}/close/", {"reason": "Umzug", "planned_activities": "cancel"}
    )
    assert response.status_code == 302
    assert IntegratedCase.objects.get(pk=case.pk).status == "closed"


def test_api_list_create_update_done_cancel_IC_11(api, case, caseworker):
    """IC-11: /integrated-cases/{id}/activities/ lists and plans; .../{aid}/ reads and
    changes; done and cancel change the status (400 without outcome, 409 if not
    planned)."""
    url = f"{IC}{case.pk}/activities/"
    response = api.post(
        url,
        {
            "subject": "Beratung",
            "activity_type": "beratungsgespraech",
            "planned_at": "2026-11-05T10:00:00+01:00",
            "participants": [case.primary_client.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "planned" and body["responsible"] == caseworker.pk
    assert body["activity_type_name"] == "Beratungsgespräch"
    aid = body["id"]
    assert [a["id"] for a in api.get(url).json()] == [aid]

    changed = api.patch(f"{url}{aid}/", {"subject": "Beratung (verschoben)"}, format="json")
    assert changed.status_code == 200 and changed.json()["subject"] == "Beratung (verschoben)"
    assert api.post(f"{url}{aid}/done/", {}, format="json").status_code == 400
    done = api.post(f"{url}{aid}/done/", {"outcome": "Beraten."}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert api.post(f"{url}{aid}/cancel/", {}, format="json").status_code == 409
    assert api.get(f"{url}999999/").status_code == 404


def test_api_bad_participant_400_and_close_needs_choice_IC_11(api, case):
    """IC-11: a participant outside the case is a 400 naming the field; closing over
    the API with planned activities needs `planned_activities`."""
    url = f"{IC}{case.pk}/activities/"
    stranger = factories.PersonFactory()
    payload = {
        "subject": "Beratung",
        "activity_type": "beratungsgespraech",
        "planned_at": "2026-11-05T10:00:00+01:00",
    }
    bad = api.post(url, {**payload, "participants": [stranger.pk]}, format="json")
    assert bad.status_code == 400 and "participants" in bad.json()
    assert api.post(url, payload, format="json").status_code == 201
    refused = api.post(f"{IC}{case.pk}/close/", {"reason": "Umzug"}, format="json")
    assert refused.status_code == 400 and "planned_activities" in refused.json()
    closed = api.post(
        f"{IC}{case.pk}/close/",
        {"reason": "Umzug", "planned_activities": "keep"},
        format="json",
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_administrator_reads_but_cannot_plan_RO_1_IC_11(admin_api, case):
    """RO-1, IC-11: activities are maintained by caseworkers and supervisors."""
    url = f"{IC}{case.pk}/activities/"
    assert admin_api.get(url).status_code == 200
    payload = {
        "subject": "X",
        "activity_type": "hausbesuch",
        "planned_at": "2026-11-05T10:00:00+01:00",
    }
    assert admin_api.post(url, payload, format="json").status_code == 403


def test_administrator_maintains_activity_types_in_admin_IC_11(client, administrator):
    """IC-11: the activity type code table is maintained in Django admin, with history."""
    client.force_login(administrator)
    assert client.get("/admin/cases/activitytype/").status_code == 200
    response = client.post(
        "/admin/cases/activitytype/add/",
        {"code": "telefonat", "name": "Telefonat", "active": "on"},
    )
    assert response.status_code == 302
    created = ActivityType.objects.get(code="telefonat")
    assert created.history.count() == 1
    assert client.get("/admin/cases/activity/").status_code == 200


def test_administrator_reads_activity_page_but_cannot_change_RO_1_IC_11(
    client, planned, administrator
):
    """RO-1, IC-11: administrators may read an activity; only caseworkers change it."""
    client.force_login(administrator)
    url = f"/cases/activities/{planned.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(f"{url}done/", {"done-outcome": "x"}).status_code == 403
    assert client.post(url, {"subject": "x"}).status_code == 403
    assert Activity.objects.get(pk=planned.pk).status == "planned"
