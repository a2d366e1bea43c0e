"""Periodic jobs of environment monitoring: the silence check every 15 minutes and the daily alert digest."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from bangfu.core.mail import email_on_commit
from bangfu.core.periodic import periodic

DIGEST_SUBJECT = "【山西省博物馆帮扶信息平台】环境报警日报"


@periodic(name="environment-silence", every=datetime.timedelta(minutes=15))
@task()
def check_silence() -> int:
    """Open a silent episode for each sensor with no reading for longer than its site allows (`alerts`)."""
    from .alerts import check_silence as check

    return check()


def digest(*, now: datetime.datetime | None = None) -> dict[int, list]:
    """{user id: (user, [(museum name, [alerts])])}: for each museum with alerts started, ended or with a reading
    outside in the last 24 hours (an open episode whose last reading outside is older is left out: an old file's
    last episode is not news every morning; silent ones are seen at every check), its staff — and the staff of its
    helpers, for the rooms of sites that notify their helper. Four queries whatever the number of museums."""
    from bangfu.accounts.selectors import museums_staff

    from .alerts import helpers_of
    from .models import Alert

    now = now or timezone.now()
    since = now - datetime.timedelta(days=1)
    alerts = list(Alert.objects.filter(Q(end__gte=since) | Q(start__gte=since) | Q(last_seen__gte=since))
                  .select_related("room__site", "room__museum", "sensor").order_by("room__museum_id", "-start"))
    by_museum: dict[int, list] = defaultdict(list)
    for alert in alerts:
        by_museum[alert.room.museum_id].append(alert)
    helpers = helpers_of(by_museum)
    staff = museums_staff({*by_museum, *(h for hs in helpers.values() for h in hs)})
    out: dict[int, tuple] = {}
    for museum_id, items in by_museum.items():
        name = items[0].room.museum.name
        shared = [a for a in items if a.room.site.notify_helper]
        for museum, shown in ((museum_id, items), *((h, shared) for h in helpers.get(museum_id, []))):
            if not shown:
                continue
            for user in staff.get(museum, []):
                out.setdefault(user.pk, (user, []))[1].append((name, shown))
    return out


def _body(user, sections) -> str:
    from .alerts import describe

    base = settings.SITE_URL.rstrip("/")
    lines = [f"{user.display_name}，您好：", "", "过去 24 小时内有以下环境报警（含仍在进行的）："]
    for museum, alerts in sections:
        lines += ["", f"■ {museum}"]
        for a in alerts:
            state = "已确认" if a.acknowledged_at else ("进行中" if a.end is None else "已恢复，未确认")
            sensor = f" · {a.sensor.name}" if a.sensor_id else ""
            lines.append(f"- [{state}] {a.room.name}{sensor} {a.get_kind_display()}：{describe(a)}")
            lines.append(f"  {base}{reverse('environment:alert', args=[a.pk])}")
    lines += ["", f"全部报警：{base}{reverse('environment:alerts')}",
              "", "—— 山西省博物馆帮扶信息平台（本邮件由系统自动发送，请勿回复）"]
    return "\n".join(lines)


@periodic(name="environment-digest", daily_at=datetime.time(8, 0))
@task()
def send_digest() -> int:
    """E-mail each user concerned the alerts of the last day (see `digest`); returns how many messages."""
    sent = 0
    for user, sections in digest().values():
        if user.email:
            email_on_commit(to=[user.email], subject=DIGEST_SUBJECT, body=_body(user, sections))
            sent += 1
    return sent
