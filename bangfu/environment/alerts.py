"""Alert episodes: a room out of its range, a day's fluctuation above its limit, a sensor silent too long — ONE
alert per episode, not one per reading.

Threshold kinds (temp_high/low, rh_high/low, lux_high, uv_high): an episode starts at the first reading outside
the room's limit, extends while readings stay outside (`peak` the most extreme value, `readings` how many were
outside, `last_seen` the last of them) and ends at the first reading back inside (`end` = its time). Hysteresis:
a reading only ends an episode once it is back inside by a margin (0.2 °C, 1 % RH — about a sensor's resolution;
none for light and UV, which jump when lights go on and off), so a value hovering at the limit does not open a
new episode at every wobble; readings in that margin keep the episode going without counting as outside.

Swing kinds (temp_swing, rh_swing): a local (Asia/Shanghai) day whose max − min exceeds temp_daily_range /
rh_daily_range is an "over" day; consecutive over days (days without data skipped) are one episode, from the
first reading of its first day to the first reading of the next day with data within the limit; `peak` the
largest day's range, `readings` the number of over days.

Silent: a periodic task (`check_silence`, every 15 minutes) opens an episode for an active sensor with no reading
for longer than its site's `silent_after_minutes` (start = its last reading); the next reading ends it.

Order of arrival does not matter: readings that arrive in time order continue the open episodes (the fast path);
anything else — readings older than the newest, a re-sent batch, a logger file covering past weeks — re-evaluates
the affected span in time order from a point where no episode was open to one where none is, and reconciles the
result with the stored episodes (kept where they overlap, so acknowledgements survive; created; or deleted). Live
arrival and any later import of the same readings give the same episodes.

Notifications: when an episode opens, the room's museum staff and, if the site says so (`notify_helper`), the
staff of its helpers are notified once (key `environment-alert-<id>`; with e-mail). Only episodes whose last
reading is recent (within `RECENT`, 24 h) notify: importing last year's logger file records its episodes without
a flood of messages about the past. Everything is also in the daily digest (`tasks.send_digest`)."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from bangfu.core.audit import audit
from bangfu.core.text import has_control_characters
from bangfu.permissions import require

from .models import Alert, AlertKind, Reading, Room, Sensor

RECENT = datetime.timedelta(hours=24)  # episodes whose last reading is older notify nobody (imports of the past)
THRESHOLD_KINDS = {  # kind: (parameter, side, Limits field)
    AlertKind.TEMP_HIGH: ("temperature", "high", "temp_max"),
    AlertKind.TEMP_LOW: ("temperature", "low", "temp_min"),
    AlertKind.RH_HIGH: ("rh", "high", "rh_max"),
    AlertKind.RH_LOW: ("rh", "low", "rh_min"),
    AlertKind.LUX_HIGH: ("lux", "high", "lux_max"),
    AlertKind.UV_HIGH: ("uv", "high", "uv_max"),
}
SWING_KINDS = {AlertKind.TEMP_SWING: ("temperature", "temp_daily_range"),
               AlertKind.RH_SWING: ("rh", "rh_daily_range")}
HYSTERESIS = {"temperature": 0.2, "rh": 1.0, "lux": 0.0, "uv": 0.0}
UNITS = {"temperature": "°C", "rh": "%", "lux": "lx", "uv": "µW/lm"}
CHUNK = 2000  # readings read at a time past the span, while looking for where episodes settle
NOTE_MAX = 2000


def kind_unit(kind: str) -> str:
    """The unit of an alert's peak and limit."""
    if kind in THRESHOLD_KINDS:
        return UNITS[THRESHOLD_KINDS[kind][0]]
    if kind in SWING_KINDS:
        return UNITS[SWING_KINDS[kind][0]]
    return "小时"


# --- episodes in memory ----------------------------------------------------------------------------------------


@dataclass
class Episode:
    kind: str
    start: datetime.datetime
    last_seen: datetime.datetime | None
    peak: float | None
    limit: float | None
    readings: int = 0
    end: datetime.datetime | None = None
    alert: Alert | None = None  # the stored episode it continues, if any


@dataclass
class Machine:
    """Threshold episodes of one sensor, stepped reading by reading in time order."""

    limits: dict[str, float]  # kind: limit (kinds without a limit are left out)
    current: dict[str, Episode] = field(default_factory=dict)
    done: list[Episode] = field(default_factory=list)

    def step(self, time, values: dict[str, float | None]) -> None:
        for kind, limit in self.limits.items():
            parameter, side, _ = THRESHOLD_KINDS[kind]
            value = values.get(parameter)
            if value is None:
                continue
            high = side == "high"
            outside = value > limit if high else value < limit
            episode = self.current.get(kind)
            if outside:
                if episode is None:
                    self.current[kind] = Episode(kind, time, time, value, limit, 1)
                else:
                    episode.last_seen, episode.readings = time, episode.readings + 1
                    episode.peak = max(episode.peak, value) if high else min(episode.peak, value)
            elif episode is not None:
                margin = HYSTERESIS[parameter]
                if (value <= limit - margin) if high else (value >= limit + margin):
                    episode.end = time
                    self.done.append(self.current.pop(kind))

    def close_unlimited(self, time) -> None:
        """End the open episodes of kinds that no longer have a limit (the room's ranges changed)."""
        for kind in [k for k in self.current if k not in self.limits]:
            self.current[kind].end = time
            self.done.append(self.current.pop(kind))

    @property
    def clean(self) -> bool:
        return not self.current

    def episodes(self) -> list[Episode]:
        return [*self.done, *self.current.values()]


def threshold_episodes(readings, limits: dict[str, float]) -> list[Episode]:
    """The threshold episodes of (time, {parameter: value}) readings in time order (a pure function: the tests'
    hand-made sequences and `evaluate` share it)."""
    machine = Machine(limits)
    for time, values in readings:
        machine.step(time, values)
    return machine.episodes()


def swing_episodes(days, limit: float, kind: str) -> list[Episode]:
    """Swing episodes of (day, low, high, first time, last time) rows of one parameter in day order: runs of days
    whose high − low exceeds `limit` (days without data are skipped, not breaks)."""
    out, current = [], None
    for _day, low, high, first, last in days:
        if low is None or high is None:
            continue
        spread = high - low
        if spread > limit:
            if current is None:
                current = Episode(kind, first, last, spread, limit, 1)
            else:
                current.last_seen, current.readings = last, current.readings + 1
                current.peak = max(current.peak, spread)
        elif current is not None:
            current.end = first
            out.append(current)
            current = None
    if current is not None:
        out.append(current)
    return out


# --- evaluation ----------------------------------------------------------------------------------------------------


def _values(row) -> dict:
    return {"temperature": row[1], "rh": row[2], "lux": row[3], "uv": row[4]}


def _readings(sensor, **lookup):
    return (Reading.objects.filter(sensor_id=sensor.pk, **lookup).order_by("time")
            .values_list("time", "temperature", "rh", "lux", "uv"))


def evaluate(*, sensor, start: datetime.datetime, end: datetime.datetime) -> None:
    """Open, extend or end the alert episodes of `sensor` (and its room) for readings between `start` and `end`
    (called by `readings.after_save` after every save, inside its transaction); notifies the episodes that open
    with a recent reading. A fixed number of queries for readings in time order, whatever their number."""
    from .limits import limits_for

    now = timezone.now()
    with transaction.atomic():
        # one evaluation of a sensor at a time (two gateway batches at once): the row lock orders them
        sensor = (Sensor.objects.select_for_update(of=("self",)).select_related("room__site")
                  .filter(pk=sensor.pk).first())
        if sensor is None:
            return
        room = sensor.room
        limits = limits_for(room)
        touched = _end_silence(sensor, end)
        touched += _evaluate_thresholds(sensor, limits, start, end)
        touched += _evaluate_swings(sensor, limits, start, end)
        _notify_opened([a for a, was_recent in touched if not was_recent and _recent(a, now)], room)


def _recent(alert: Alert, now) -> bool:
    return alert.kind == AlertKind.SILENT or (alert.last_seen or alert.start) >= now - RECENT


def _end_silence(sensor, end) -> list:
    """A reading after a silent episode's start ends it (at the first such reading)."""
    silent = Alert.objects.filter(sensor_id=sensor.pk, kind=AlertKind.SILENT, end__isnull=True).first()
    if silent is None or end <= silent.start:
        return []
    first = _readings(sensor, time__gt=silent.start).values_list("time", flat=True).first()
    if first is not None:
        silent.end = first
        silent.peak = round((first - silent.start).total_seconds() / 3600, 1)
        silent.save(update_fields=["end", "peak"])
    return []


def _threshold_limits(limits) -> dict[str, float]:
    out = {}
    for kind, (_, _, name) in THRESHOLD_KINDS.items():
        value = getattr(limits, name)
        if value is not None and math.isfinite(value):
            out[kind] = value
    return out


def _evaluate_thresholds(sensor, limits, start, end) -> list:
    kinds = _threshold_limits(limits)
    stored = list(Alert.objects.filter(sensor_id=sensor.pk, kind__in=list(THRESHOLD_KINDS))
                  .filter(Q(end__isnull=True) | Q(end__gte=start)).order_by("start"))
    later = Reading.objects.filter(sensor_id=sensor.pk, time__gt=end).exists()
    if not later and all(a.end is None and a.last_seen is not None and a.last_seen < start for a in stored):
        # the fast path: the newest readings, after every stored episode — continue the open ones
        machine = Machine(kinds)
        for alert in stored:
            machine.current[alert.kind] = Episode(alert.kind, alert.start, alert.last_seen, alert.peak, alert.limit,
                                                  alert.readings, alert=alert)
        first = None
        for row in _readings(sensor, time__gte=start, time__lte=end):
            first = first or row[0]
            machine.step(row[0], _values(row))
        if first is not None:
            machine.close_unlimited(first)
        return _reconcile(sensor, stored, machine.episodes())
    return _rebuild_thresholds(sensor, kinds, start, end, stored)


def _rebuild_thresholds(sensor, kinds, start, end, stored) -> list:
    """Re-evaluate from a point no stored episode spans (W0) to one where neither the stored nor the new episodes
    are open, and reconcile."""
    w0 = start
    while True:  # move back over the episodes that span w0 (each step reads the ones that end there)
        spanning = [a for a in stored if a.start < w0 and (a.end is None or a.end >= w0)]
        if not spanning:
            break
        w0 = min(a.start for a in spanning)
        known = {a.pk for a in stored}
        stored += [a for a in Alert.objects.filter(sensor_id=sensor.pk, kind__in=list(THRESHOLD_KINDS),
                                                   end__gte=w0, end__lt=start) if a.pk not in known]
    stored.sort(key=lambda a: a.start)
    machine = Machine(kinds)
    stop = None
    for row in _readings(sensor, time__gte=w0, time__lte=end):
        machine.step(row[0], _values(row))
    cursor = end
    while not machine.clean or _spanned(stored, cursor):
        rows = list(_readings(sensor, time__gt=cursor)[:CHUNK])
        for row in rows:
            machine.step(row[0], _values(row))
            if machine.clean and not _spanned(stored, row[0]):
                stop = row[0]
                break
        if stop is not None or len(rows) < CHUNK:
            break
        cursor = rows[-1][0]
    else:
        stop = cursor
    in_window = [a for a in stored if a.start >= w0 and (stop is None or a.start <= stop)]
    return _reconcile(sensor, in_window, machine.episodes())


def _spanned(stored, time) -> bool:
    """Whether a stored episode was open at `time` (started at or before it and ended after it)."""
    return any(a.start <= time and (a.end is None or a.end > time) for a in stored)


def _evaluate_swings(sensor, limits, start, end) -> list:
    kinds = {kind: getattr(limits, name) for kind, (_, name) in SWING_KINDS.items()
             if getattr(limits, name) is not None}
    stored_all = []
    d0 = timezone.localtime(start).date() - datetime.timedelta(days=1)
    d1 = timezone.localtime(end).date() + datetime.timedelta(days=1)
    today = timezone.localdate()
    for _ in range(4):  # widen the days over the episodes that run across the edges
        stored_all = list(Alert.objects.filter(sensor_id=sensor.pk, kind__in=list(SWING_KINDS))
                          .filter(Q(end__isnull=True) | Q(end__gte=_day_start(d0)))
                          .filter(start__lt=_day_start(d1 + datetime.timedelta(days=1))).order_by("start"))
        n0 = min([d0, *(timezone.localtime(a.start).date() for a in stored_all)])
        n1 = max([d1, *(today if a.end is None else timezone.localtime(a.end).date() for a in stored_all)])
        if (n0, n1) == (d0, d1):
            break
        d0, d1 = n0, n1
    touched = []
    for alert in [a for a in stored_all if a.kind not in kinds and a.end is None]:  # limit removed: end it
        alert.end = end
        alert.save(update_fields=["end"])
    if not kinds:
        return touched
    local = timezone.get_current_timezone()
    days = list(Reading.objects.filter(sensor_id=sensor.pk, time__gte=_day_start(d0),
                                       time__lt=_day_start(d1 + datetime.timedelta(days=1)))
                .annotate(day=TruncDate("time", tzinfo=local)).values("day")
                .annotate(t_lo=Min("temperature"), t_hi=Max("temperature"), r_lo=Min("rh"), r_hi=Max("rh"),
                          first=Min("time"), last=Max("time")).order_by("day"))
    for kind, limit in kinds.items():
        lo, hi = ("t_lo", "t_hi") if kind == AlertKind.TEMP_SWING else ("r_lo", "r_hi")
        new = swing_episodes([(d["day"], d[lo], d[hi], d["first"], d["last"]) for d in days], limit, kind)
        touched += _reconcile(sensor, [a for a in stored_all if a.kind == kind], new)
    return touched


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _reconcile(sensor, stored: list[Alert], new: list[Episode]) -> list[tuple[Alert, bool]]:
    """Make the stored episodes `stored` (those of the re-evaluated span) what `new` says: a new episode keeps the
    earliest stored one of its kind it overlaps (its id, acknowledgement and notifications), the others it
    overlaps are merged into it, stored ones nothing overlaps are deleted, the rest created. Returns (alert, was it
    recent before) for every episode written."""
    now = timezone.now()
    unmatched = {a.pk: a for a in stored}
    plan: list[tuple[Episode, Alert | None]] = []
    for episode in sorted(new, key=lambda e: e.start):
        keep = episode.alert if episode.alert is not None and episode.alert.pk in unmatched else None
        overlapping = [a for a in unmatched.values() if a.kind == episode.kind and _overlaps(a, episode)]
        if keep is None and overlapping:
            keep = min(overlapping, key=lambda a: a.start)
        if keep is not None:
            unmatched.pop(keep.pk, None)
            for other in overlapping:
                if other.pk != keep.pk:
                    unmatched.pop(other.pk)
                    if keep.acknowledged_at is None and other.acknowledged_at is not None:
                        keep.acknowledged_at, keep.acknowledged_by_id = other.acknowledged_at, other.acknowledged_by_id
                        keep.acknowledgement = other.acknowledgement
                    other.delete()
        plan.append((episode, keep))
    for alert in unmatched.values():
        alert.delete()
    out = []
    # closed ones first: an open episode is written after the stored open one of its kind was closed
    for episode, alert in sorted(plan, key=lambda p: p[0].end is None):
        was_recent = alert is not None and _recent(alert, now)
        if alert is None:
            alert = Alert(room_id=sensor.room_id, sensor_id=sensor.pk, kind=episode.kind)
        changed = (alert.pk is None or (alert.start, alert.end, alert.last_seen, alert.peak, alert.limit,
                                         alert.readings) != (episode.start, episode.end, episode.last_seen,
                                                             episode.peak, episode.limit, episode.readings))
        if changed:
            alert.start, alert.end, alert.last_seen = episode.start, episode.end, episode.last_seen
            alert.peak, alert.limit, alert.readings = episode.peak, episode.limit, episode.readings
            alert.save()
        out.append((alert, was_recent))
    return out


def _overlaps(alert: Alert, episode: Episode) -> bool:
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    return alert.start <= (episode.end or far) and episode.start <= (alert.end or far)


# --- silence -------------------------------------------------------------------------------------------------------


def check_silence(*, now: datetime.datetime | None = None) -> int:
    """Open a silent episode for every active sensor of an active room with no reading for longer than its site's
    `silent_after_minutes` (a sensor that never sent one counts from when it was added), bring the open ones'
    duration up to date, and end those of sensors or rooms taken out of service. Returns how many opened. A fixed
    number of queries plus the notifications."""
    now = now or timezone.now()
    open_silent = {a.sensor_id: a for a in Alert.objects.filter(kind=AlertKind.SILENT, end__isnull=True)}
    opened = []
    rows = list(Sensor.objects.filter(is_active=True, room__is_active=True)
                .values_list("pk", "room_id", "last_reading_at", "created_at", "room__site__silent_after_minutes"))
    watched = {row[0] for row in rows}
    # a sensor (or room) taken out of service ends its silence: otherwise the episode stays open for ever
    retired = [open_silent.pop(pk) for pk in list(open_silent) if pk not in watched]
    with transaction.atomic():
        for alert in retired:
            alert.end = now
        Alert.objects.bulk_update(retired, ["end"])
        for pk, room_id, last, created, minutes in rows:
            since = last or created
            if pk in open_silent or now - since <= datetime.timedelta(minutes=minutes):
                continue
            alert = Alert.objects.create(room_id=room_id, sensor_id=pk, kind=AlertKind.SILENT, start=since,
                                         last_seen=now, limit=round(minutes / 60, 2),
                                         peak=round((now - since).total_seconds() / 3600, 1))
            opened.append(alert)
        for alert in open_silent.values():
            alert.last_seen, alert.peak = now, round((now - alert.start).total_seconds() / 3600, 1)
        Alert.objects.bulk_update(open_silent.values(), ["last_seen", "peak"])
        rooms = Room.objects.select_related("site").in_bulk({a.room_id for a in opened})
        by_room = defaultdict(list)
        for alert in opened:
            by_room[alert.room_id].append(alert)
        for room_id, alerts in by_room.items():
            _notify_opened(alerts, rooms[room_id])
    return len(opened)


# --- notifications -------------------------------------------------------------------------------------------------


def helpers_of(museum_ids) -> dict[int, list[int]]:
    """{helped museum id: its helpers' ids} under an agreed or running pairing, in one query."""
    from bangfu.pairings.models import Pairing

    from .selectors import WATCHING

    out: dict[int, list[int]] = defaultdict(list)
    for helped, helper in Pairing.objects.filter(helped_id__in=set(museum_ids), status__in=WATCHING).values_list(
            "helped_id", "helper_id"):
        out[helped].append(helper)
    return out


def recipients(room) -> list:
    """Who hears of a room's alerts: its museum's staff, and its helpers' staff when the site says so."""
    from bangfu.accounts.selectors import museum_staff, museums_staff

    from .selectors import helper_ids_of

    users = museum_staff(room.museum_id)
    if room.site.notify_helper:
        for staff in museums_staff(helper_ids_of(room.museum_id)).values():
            users += staff
    return users


def describe(alert: Alert) -> str:
    """One line: what, where, since when, how far (for notifications, the digest and pages)."""
    unit = kind_unit(alert.kind)
    when = timezone.localtime(alert.start).strftime("%Y-%m-%d %H:%M")
    if alert.kind == AlertKind.SILENT:
        return f"自 {when} 起无读数（超过 {alert.limit:g} 小时即报警）"
    parts = [f"自 {when} 起"]
    if alert.end:
        parts.append(f"至 {timezone.localtime(alert.end):%Y-%m-%d %H:%M}")
    if alert.peak is not None:
        label = "最大日较差" if alert.kind in SWING_KINDS else "峰值"
        parts.append(f"{label} {alert.peak:g} {unit}（限值 {alert.limit:g} {unit}）")
    count = f"{alert.readings} 天" if alert.kind in SWING_KINDS else f"{alert.readings} 条超限读数"
    return "，".join(parts) + f"，{count}"


def _notify_opened(alerts: list[Alert], room) -> None:
    from bangfu.notifications.services import notify

    if not alerts:
        return
    users = recipients(room)
    for alert in alerts:
        sensor = f"（{alert.sensor.name}）" if alert.sensor_id else ""
        title = f"环境报警：{room.name}{sensor} {alert.get_kind_display()}"
        url = reverse("environment:alert", args=[alert.pk])
        for user in users:
            notify(user=user, key=f"environment-alert-{alert.pk}", title=title, body=describe(alert), url=url,
                   email=True)


# --- acknowledgement -------------------------------------------------------------------------------------------------


@transaction.atomic
def alert_acknowledge(*, alert: Alert, by, note: str) -> Alert:
    """The museum's staff or its helper's acknowledge an alert with a note saying what was done; it stays in the
    history. Audited."""
    require(by, "environment.acknowledge", alert)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写处置说明，如已调整除湿机、已通知物业。"})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"处置说明不能超过 {NOTE_MAX} 字。"})
    if has_control_characters(note):
        raise ValidationError({"note": "处置说明含有不可见的控制字符，请删除后重试。"})
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise ValidationError({"note": "该报警已经确认过了。"})
    alert.acknowledged_by, alert.acknowledged_at, alert.acknowledgement = by, timezone.now(), note
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement"])
    audit(actor=by, action="确认环境报警", obj=alert, note=note)
    return alert


def with_permissions(alerts, user) -> list[Alert]:
    """The alerts (with their rooms loaded) as a list, each with `can_acknowledge` for `user` (for the lists'
    inline form; the rule's own reads are cached per user, so no query per row)."""
    alerts = list(alerts)
    for alert in alerts:
        alert.can_acknowledge = alert.acknowledged_at is None and user.has_perm("environment.acknowledge", alert)
    return alerts


# --- status for the overviews ---------------------------------------------------------------------------------------

RED, AMBER, GREEN = "red", "amber", "green"
STATUS_ORDER = {RED: 0, AMBER: 1, GREEN: 2}


def status_of(rooms, *, now: datetime.datetime | None = None) -> dict[int, str]:
    """{room id: "red" | "amber" | "green"} in one query:

    - red: an unacknowledged out-of-range episode (any kind but silent) going on in the last 24 hours — open with
      its last reading outside in that time, or ended in it;
    - amber: any other episode open (acknowledged: being dealt with; silent: the room's state is unknown; open
      with no reading outside for a day: hovering at the limit, or the sensor stopped) or ended in the last 7 days;
    - green: none of these."""
    now = now or timezone.now()
    ids = [getattr(r, "pk", r) for r in rooms]
    out = dict.fromkeys(ids, GREEN)
    week, day = now - datetime.timedelta(days=7), now - RECENT
    rows = (Alert.objects.filter(room_id__in=ids).filter(Q(end__isnull=True) | Q(end__gte=week))
            .values_list("room_id", "kind", "start", "end", "last_seen", "acknowledged_at"))
    for room_id, kind, start, end, last_seen, acknowledged in rows:
        active = (last_seen or start) >= day if end is None else end >= day
        if kind != AlertKind.SILENT and acknowledged is None and active:
            out[room_id] = RED
        elif out[room_id] != RED:
            out[room_id] = AMBER
    return out
