"""The alert pages and the metrics/alerts API: who sees what (the museum, its helper, supervisors; outsiders get
404), acknowledging with a note beside the field on error, the list's filters and its query count, the API's
shapes and its refusals of bad periods."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.environment.alerts import THRESHOLD_KINDS
from bangfu.environment.models import Alert
from bangfu.environment.tasks import digest, send_digest
from tests.environment_alerts_helpers import STEP, make_room, pair, recent_start, save

pytestmark = pytest.mark.django_db

OUTSIDE = [65, 66, 68, 72, 70, 69, 67, 66, 65, 61]


def _alert(world, **values):
    room, sensor = make_room(world, **values)
    save(sensor, recent_start(), [55, *OUTSIDE, 55])
    return Alert.objects.get(kind__in=list(THRESHOLD_KINDS))


def test_the_museums_staff_see_the_alert_with_the_readings_around_it(world, login):
    alert = _alert(world)
    page = login(world.helped_staff).get(reverse("environment:alert", args=[alert.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "湿度过高" in text and "书画库房" in text
    assert 'data-testid="alert-readings">10<' in text
    assert page.context["readings"][0]["time"] < alert.start
    assert page.context["can_acknowledge"]


def test_an_outsider_gets_404_for_an_alert(world, login):
    alert = _alert(world)
    client = login(world.outsider)
    assert client.get(reverse("environment:alert", args=[alert.pk])).status_code == 404
    response = client.post(reverse("environment:alert_acknowledge", args=[alert.pk]), {"note": "x"})
    assert response.status_code == 404
    assert not client.get(reverse("environment:alerts")).context["alerts"]


def test_a_supervisor_sees_an_alert_but_may_not_acknowledge_it(world, login):
    alert = _alert(world)
    client = login(world.province_supervisor)
    page = client.get(reverse("environment:alert", args=[alert.pk]))
    assert page.status_code == 200
    assert not page.context["can_acknowledge"]
    assert client.post(reverse("environment:alert_acknowledge", args=[alert.pk]), {"note": "看到了"}).status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_the_helper_acknowledges_a_partners_alert_from_its_list(world, login):
    pair(world)
    alert = _alert(world)
    client = login(world.helper_staff)
    listing = client.get(reverse("environment:alerts"))
    assert alert.pk in [a.pk for a in listing.context["alerts"]]
    response = client.post(reverse("environment:alert_acknowledge", args=[alert.pk]), {"note": "已远程指导"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement) == (world.helper_staff, "已远程指导")
    page = client.get(reverse("environment:alert", args=[alert.pk]))
    assert "已远程指导" in page.content.decode()


def test_an_empty_note_is_refused_beside_the_field(world, login):
    alert = _alert(world)
    response = login(world.helped_staff).post(reverse("environment:alert_acknowledge", args=[alert.pk]),
                                              {"note": " "})
    assert response.status_code == 400
    assert response.context["form"].errors["note"]
    assert 'id="id_note_errors"' in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_the_list_filters_by_state_kind_and_room(world, login):
    alert = _alert(world)
    client = login(world.helped_staff)
    assert alert in client.get(reverse("environment:alerts"), {"state": "unacknowledged"}).context["alerts"]
    assert alert not in client.get(reverse("environment:alerts"), {"state": "open"}).context["alerts"]
    assert alert not in client.get(reverse("environment:alerts"), {"kind": "temp_high"}).context["alerts"]
    assert alert in client.get(reverse("environment:alerts"), {"room": alert.room_id}).context["alerts"]
    fragment = client.get(reverse("environment:alerts"), {"kind": "rh_high"}, HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="results")
    assert "<html" not in fragment.content.decode()
    assert 'data-testid="alert-row"' in fragment.content.decode()


def test_bad_filter_values_are_ignored(world, login):
    _alert(world)
    response = login(world.helped_staff).get(reverse("environment:alerts"),
                                             {"room": "9" * 30, "kind": "<b>", "page": "x", "state": "\x00"})
    assert response.status_code == 200


def test_the_alert_list_takes_the_same_queries_whatever_its_rows(world, login, django_assert_max_num_queries):
    client = login(world.helped_staff)
    _alert(world)
    client.get(reverse("environment:alerts"))
    for i in range(8):
        room, sensor = make_room(world, name=f"库房{i}", site_name=f"点位{i}")
        save(sensor, recent_start(), [70, 55, 70])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("environment:alerts"))
    assert len(response.context["alerts"]) > 15


# --- the API ---------------------------------------------------------------------------------------------------


def _api(client, user, path, **params):
    client.force_login(user, backend="bangfu.accounts.backends.AccountBackend")
    return client.get(path, params)


def test_the_metrics_api_answers_in_the_issues_shape(world, client):
    room, sensor = make_room(world)
    start = timezone.localdate() - datetime.timedelta(days=3)
    t0 = timezone.make_aware(datetime.datetime.combine(start, datetime.time(8)))
    save(sensor, t0, [55] * 24 + [65] * 8)
    response = _api(client, world.helped_staff, f"/api/environment/rooms/{room.pk}/metrics", start=str(start),
                    end=str(start))
    assert response.status_code == 200
    body = response.json()
    assert set(body["temperature"]) == {"min", "max", "mean"}
    assert body["rh"]["max"] == 65
    assert body["time_in_range"]["rh"] == 0.75
    assert set(body["dew_point"]) == {"mean", "max"}
    assert body["pi"]["twpi"] > 0
    assert body["mould_index"]["max"] == 0
    assert body["emc"]["mean"] > 0
    assert "light_exposure_lxh" in body
    assert body["readings"] == 32


def test_the_metrics_api_defaults_to_the_last_30_days(world, client):
    room, _ = make_room(world)
    body = _api(client, world.helped_staff, f"/api/environment/rooms/{room.pk}/metrics").json()
    start, end = (datetime.datetime.fromisoformat(body["period"][k]) for k in ("start", "end"))
    assert end - start == datetime.timedelta(days=30)


@pytest.mark.parametrize(("params", "field"), [
    ({"start": "2026-02-30"}, "start"),
    ({"start": "yesterday"}, "start"),
    ({"start": "2026-03-01", "end": "2026-02-01"}, "end"),
    ({"start": "2010-01-01", "end": "2026-01-01"}, "end"),
    ({"end": "0001-01-01"}, "end"),
    ({"start": "2026-01-01T25:00"}, "start"),
])
def test_the_metrics_api_refuses_bad_periods(world, client, params, field):
    room, _ = make_room(world)
    response = _api(client, world.helped_staff, f"/api/environment/rooms/{room.pk}/metrics", **params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_the_alerts_api_lists_the_rooms_episodes(world, client):
    alert = _alert(world)
    body = _api(client, world.helped_staff, f"/api/environment/rooms/{alert.room_id}/alerts").json()
    row = next(r for r in body if r["id"] == alert.pk)
    assert (row["kind"], row["readings"], row["peak"], row["limit"]) == ("rh_high", 10, 72, 60)
    assert row["start"] and row["end"]
    assert row["kind_label"] == "湿度过高"


def test_rooms_the_user_cannot_see_are_404_in_the_api_but_a_helper_sees_its_partners(world, client):
    alert = _alert(world)
    for path in (f"/api/environment/rooms/{alert.room_id}/alerts", f"/api/environment/rooms/{alert.room_id}/metrics"):
        assert _api(client, world.outsider, path).status_code == 404
        assert _api(client, world.helper_staff, path).status_code == 404  # not paired yet
    pair(world)
    assert _api(client, world.helper_staff, f"/api/environment/rooms/{alert.room_id}/alerts").status_code == 200


# --- the daily digest ------------------------------------------------------------------------------------------------


def test_the_daily_digest_mails_the_museum_and_its_helper(world, mailoutbox, django_capture_on_commit_callbacks):
    pair(world)
    for user in (world.helped_staff, world.helper_staff):
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    alert = _alert(world)
    users = digest()
    assert world.helped_staff.pk in users and world.helper_staff.pk in users
    assert world.outsider.pk not in users
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_digest.call()
    assert sent == 2
    assert {to for m in mailoutbox for to in m.to} == {"helped_staff@example.cn", "helper_staff@example.cn"}
    body = next(m.body for m in mailoutbox if world.helped_staff.email in m.to)
    assert "书画库房" in body and "湿度过高" in body and f"/environment/alerts/{alert.pk}/" in body


def test_the_digest_leaves_the_helper_out_when_the_site_does_not_notify_it(world):
    pair(world)
    _alert(world, notify_helper=False)
    assert world.helper_staff.pk not in digest()


def test_the_digest_leaves_out_episodes_over_before_yesterday(world):
    _, sensor = make_room(world)
    save(sensor, timezone.now() - datetime.timedelta(days=5), [58, 62, 58], step=STEP)
    assert digest() == {}


def test_an_alert_is_acknowledged_from_the_lists_inline_form_and_the_list_comes_back(world, login):
    alert = _alert(world)
    client = login(world.helped_staff)
    listing = client.get(reverse("environment:alerts"), {"state": "unacknowledged"})
    assert f'id="ack-note-{alert.pk}"' in listing.content.decode()
    response = client.post(reverse("environment:alert_acknowledge", args=[alert.pk]),
                           {"note": "已调整空调", "next": "/environment/alerts/?state=unacknowledged"})
    assert response.status_code == 302
    assert response["Location"] == "/environment/alerts/?state=unacknowledged"
    alert.refresh_from_db()
    assert alert.acknowledgement == "已调整空调"


def test_the_inline_form_does_not_send_anyone_elsewhere(world, login):
    alert = _alert(world)
    response = login(world.helped_staff).post(reverse("environment:alert_acknowledge", args=[alert.pk]),
                                              {"note": "已处理", "next": "https://evil.example/"})
    assert response["Location"] == reverse("environment:alert", args=[alert.pk])


def test_a_supervisor_gets_no_acknowledge_button_in_the_list(world, login):
    alert = _alert(world)
    text = login(world.province_supervisor).get(reverse("environment:alerts")).content.decode()
    assert f"/environment/alerts/{alert.pk}/" in text
    assert "ack-note-" not in text and 'data-testid="acknowledge-link"' not in text


def test_an_offsets_plus_sent_unencoded_is_read_as_a_plus(world, client):
    room, _ = make_room(world)
    response = _api(client, world.helped_staff, f"/api/environment/rooms/{room.pk}/metrics",
                    start="2026-11-01T08:00:00 08:00", end="2026-11-02T08:00:00+08:00")  # "+" became a space
    assert response.status_code == 200
    start = datetime.datetime.fromisoformat(response.json()["period"]["start"])
    assert start == datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


def test_alert_peaks_are_given_as_people_read_them(world, client):
    from bangfu.environment.models import Alert

    alert = _alert(world)
    Alert.objects.filter(pk=alert.pk).update(peak=18.700000000000003)
    body = _api(client, world.helped_staff, f"/api/environment/rooms/{alert.room_id}/alerts").json()
    assert [a["peak"] for a in body if a["id"] == alert.pk] == [18.7]
