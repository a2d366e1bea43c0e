"""Demo data for environment monitoring: 山西博物院's main building (a bronze storeroom, a painting gallery with a
light sensor, a display case) and its partner 安泽县博物馆's building (an unheated storeroom for ceramics with limits
of its own, a gallery whose logger has gone silent), each sensor with ~60 days of 15-minute readings — daily
cycles, a little noise, and a few excursions (a rainy-day RH spike in the 安泽 storeroom five days ago, a
temperature dip there earlier, one over-lit day in the gallery) so that alerts show once alert evaluation runs —
and pest trap checks. Built through the services as the demo accounts; readings go through `readings_save` in
week-long chunks. Idempotent: a museum that already has a site is left alone."""

from __future__ import annotations

import datetime
import math
import random

from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.environment import services
from bangfu.environment.models import ReadingSource, Site
from bangfu.environment.readings import ReadingIn, readings_save
from bangfu.museums.models import Museum

DAYS = 60
STEP = datetime.timedelta(minutes=15)
CHUNK = datetime.timedelta(days=7)
SEED = 20261124

# museum → (admin username, site, rooms): room name → (kind, materials, own limits, note, sensors);
# sensor → (model, climate profile)
PLAN = {
    "山西博物院": ("sxbwy_admin", ("主馆（滨河西路）", "太原市滨河西路北段13号"), {
        "青铜器库房": ("storeroom", ["metal_glass"], {}, "恒温恒湿库房，除湿机常开", [
            ("库房东侧记录仪", "HOBO MX1101", "store_dry"), ("库房西侧记录仪", "HOBO MX1101", "store_dry")]),
        "书画展厅": ("gallery", ["paper_textile"], {}, "明清书画陈列，展柜内外分别监测", [
            ("展厅温湿度照度计", "T&D TR-74Ui", "gallery_lit")]),
        "书画展柜 3 号": ("case", ["paper_textile"], {}, "密闭展柜，调湿剂", [
            ("柜内记录仪", "Elitech RC-4HC", "case")]),
    }),
    "安泽县博物馆": ("anze_admin", ("县博物馆主楼", "安泽县府城镇"), {
        "文物库房": ("storeroom", ["silicate"], {"temp_min": 5, "temp_max": 25}, "无空调，冬季不供暖；自定温度范围", [
            ("库房记录仪", "Elitech RC-4HC", "store_county")]),
        "基本陈列展厅": ("gallery", ["silicate"], {}, "荀子文化与安泽历史陈列；开放时段供暖", [
            ("展厅记录仪", "HOBO MX1101", "gallery_county")]),
    }),
}
PESTS = {
    "文物库房": [("trap", "T1", "烟草甲", [0, 1, 3, 6, 2, 1]), ("trap", "T2", "衣鱼", [1, 0, 2, 2, 1, 0])],
    "基本陈列展厅": [("sighting", "", "衣鱼", [0, 0, 1, 0, 2, 0])],
    "青铜器库房": [("trap", "Q1", "无", [0, 0, 0, 0, 0, 0])],
    "书画展厅": [("trap", "S1", "花斑皮蠹", [0, 1, 0, 0, 1, 0])],
}


def _climate(profile: str, moment: datetime.datetime, start: datetime.datetime, rng: random.Random) -> ReadingIn:
    """One reading of a profile at `moment` (local hour drives the daily cycle)."""
    local = timezone.localtime(moment)
    hour = local.hour + local.minute / 60
    day = math.sin((hour - 9) / 24 * 2 * math.pi)  # warmest mid-afternoon
    days_ago = (timezone.now() - moment).total_seconds() / 86400
    season = (moment - start).total_seconds() / 86400 / DAYS  # autumn into winter: a slow cooling
    noise = rng.gauss
    lux = None
    if profile == "store_dry":
        t, rh = 18.5 - season + 0.4 * day + noise(0, 0.08), 36 + 1.2 * day + noise(0, 0.3)
    elif profile == "case":
        t, rh = 20.5 - 0.5 * season + 0.3 * day + noise(0, 0.05), 54 + 0.5 * day + noise(0, 0.15)
    elif profile == "gallery_lit":
        t, rh = 21 - season + 1.1 * day + noise(0, 0.12), 55 - 1.2 * day + noise(0, 0.25)
        open_now = 9 <= hour < 17 and local.weekday() != 0
        lux = max(0.0, (42 if open_now else 0.5) + noise(0, 1.5))
        if 9 <= hour < 17 and 19 <= days_ago < 20:
            lux = 118 + noise(0, 4)  # a spotlight left unfiltered for a day (on a closed day too: set-up work)
    elif profile == "store_county":
        t = 13.5 - 4 * season + 1.5 * day + noise(0, 0.15)
        rh = 45 + 1.2 * day + noise(0, 0.25)  # well inside 40–50 %: the excursions below stand out
        if 4 <= days_ago < 5.3:  # rain: the storeroom's RH climbs past its limit for a day and a half
            rh += 18 * math.sin(min(1.0, (5.3 - days_ago) / 1.3) * math.pi)
        if 24 <= days_ago < 25:
            t -= 7  # a cold snap
    else:  # gallery_county
        t, rh = 19 - season + 1.2 * day + noise(0, 0.2), 45 - 1.2 * day + noise(0, 0.25)
    return ReadingIn(time=moment, temperature=round(t, 2), rh=round(min(99.0, max(1.0, rh)), 1),
                     lux=None if lux is None else round(lux, 1))


def _readings(sensor, profile: str, rng: random.Random, *, silent_hours: float = 0) -> int:
    now = timezone.now().replace(second=0, microsecond=0)
    end = now - datetime.timedelta(minutes=now.minute % 15) - datetime.timedelta(hours=silent_hours)
    start = end - datetime.timedelta(days=DAYS)
    saved = 0
    chunk_start = start
    while chunk_start <= end:
        chunk_end = min(chunk_start + CHUNK, end + STEP)
        items, moment = [], chunk_start
        while moment < chunk_end:
            items.append(_climate(profile, moment, start, rng))
            moment += STEP
        saved += readings_save(sensor=sensor, items=items, source=ReadingSource.FILE).saved
        chunk_start = chunk_end
    return saved


def load_environment() -> tuple[int, int]:
    """(rooms, readings) created; nothing for a museum already monitored or without its demo account."""
    rng = random.Random(SEED)
    rooms = readings = 0
    today = timezone.localdate()
    for museum_name, (username, (site_name, address), room_plan) in PLAN.items():
        museum = Museum.objects.filter(name=museum_name).first()
        admin = User.objects.filter(username=username).first()
        if museum is None or admin is None or Site.objects.filter(museum=museum).exists():
            continue
        site = services.site_create(museum=museum, by=admin, name=site_name, address=address)
        for room_name, (kind, materials, own, note, sensors) in room_plan.items():
            room = services.room_create(site=site, by=admin, name=room_name, kind=kind, materials=materials,
                                        note=note, **own)
            rooms += 1
            for sensor_name, model, profile in sensors:
                sensor = services.sensor_create(room=room, by=admin, name=sensor_name, model_name=model,
                                                serial=f"SN{rng.randrange(10**7, 10**8)}")
                readings += _readings(sensor, profile, rng, silent_hours=6 if profile == "gallery_county" else 0)
            for method, trap, species, counts in PESTS.get(room_name, []):
                for months_ago, count in enumerate(reversed(counts)):
                    day = (today.replace(day=1) - datetime.timedelta(days=30 * months_ago)).replace(day=10)
                    if day > today:
                        day = today
                    services.pest_record_add(room=room, by=admin, date=day, method=method, trap=trap,
                                             species=species, count=count,
                                             action="更换诱捕器，库房除尘" if count else "")
    return rooms, readings
