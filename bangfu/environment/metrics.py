"""Conservation metrics of a room over a period, from published formulas only (each cited where it is written; no
proprietary lookup tables): dew point, wood equilibrium moisture content, the preservation index and its
time-weighted value, the VTT mould index, time in range, light exposure, daily ranges.

The pure functions take plain numbers; `room_metrics` reads a room's readings — the raw rows for periods up to 31
days, the hourly and daily roll-ups beyond — in a fixed number of queries, and answers in the API's shape.

Time weighting: every sample stands for the time until the next sample of the same sensor, capped at twice the
sensor's interval (a gap in the data is not filled with the value before it); the last sample stands for one
interval. Hourly roll-ups stand for one hour each."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

# --- dew point -------------------------------------------------------------------------------------------------

MAGNUS_A = 17.625
MAGNUS_B = 243.04  # °C


def dew_point(temperature: float, rh: float) -> float | None:
    """The dew point (°C) by the Magnus formula with Alduchov & Eskridge's coefficients a = 17.625, b = 243.04 °C
    (O. A. Alduchov, R. E. Eskridge, "Improved Magnus form approximation of saturation vapor pressure", Journal of
    Applied Meteorology 35 (1996) 601–609): γ = ln(RH/100) + a·T/(b + T), Td = b·γ/(a − γ). None when RH ≤ 0."""
    if rh is None or temperature is None or rh <= 0:
        return None
    gamma = math.log(rh / 100) + MAGNUS_A * temperature / (MAGNUS_B + temperature)
    return MAGNUS_B * gamma / (MAGNUS_A - gamma)


# --- wood equilibrium moisture content --------------------------------------------------------------------------

EMC_SAFE_BAND = (5.0, 12.5)  # % — the band in which wooden objects neither shrink nor swell much


def wood_emc(temperature: float, rh: float) -> float | None:
    """Equilibrium moisture content of wood (% of dry mass) by the Hailwood–Horrobin sorption equation as the USDA
    Forest Products Laboratory's Wood Handbook gives it (FPL-GTR-190, 2010, and FPL-GTR-282, 2021, chapter 4,
    eq. 4-5), in its °C form:

        EMC = 1800/W · [Kh/(1 − Kh) + (K1·Kh + 2·K1·K2·K²h²) / (1 + K1·Kh + K1·K2·K²h²)]
        W  = 349 + 1.29T + 0.0135T²          K  = 0.805 + 0.000736T − 0.00000273T²
        K1 = 6.27 − 0.00938T − 0.000303T²    K2 = 1.91 + 0.0407T − 0.000293T²,   h = RH/100.

    21 °C and 50 % give 9.2 % (the handbook's table 4-2: 9.2–9.3 %). None outside 0–100 % RH or below −20 °C."""
    if rh is None or temperature is None or not 0 <= rh < 100 or temperature < -20:
        return None
    t, h = temperature, rh / 100
    w = 349 + 1.29 * t + 0.0135 * t * t
    k = 0.805 + 0.000736 * t - 0.00000273 * t * t
    k1 = 6.27 - 0.00938 * t - 0.000303 * t * t
    k2 = 1.91 + 0.0407 * t - 0.000293 * t * t
    kh = k * h
    return 1800 / w * (kh / (1 - kh) + (k1 * kh + 2 * k1 * k2 * kh * kh) / (1 + k1 * kh + k1 * k2 * kh * kh))


# --- preservation index ------------------------------------------------------------------------------------------

PI_FACTOR = 5.9e12      # per % RH per year
PI_ACTIVATION = 90300   # J/mol — the activation energy of cellulose acetate / paper decay
GAS_CONSTANT = 8.314    # J/(mol·K)


def decay_rate(temperature: float, rh: float) -> float | None:
    """The rate of chemical decay (per year) by T. Padfield's Arrhenius approximation of the Image Permanence
    Institute's preservation index (conservationphysics.org, "The preservation index and the time weighted
    preservation index"): k = RH · 5.9e12 · exp(−90300 / (8.314 · T)), T in kelvin."""
    if rh is None or temperature is None or rh < 0:
        return None
    return rh * PI_FACTOR * math.exp(-PI_ACTIVATION / (GAS_CONSTANT * (temperature + 273.15)))


def preservation_index(temperature: float, rh: float) -> float | None:
    """PI = 1/k years (`decay_rate`): 20 °C and 50 % give 41.8 years. None when RH is 0 (no decay: no finite PI)."""
    k = decay_rate(temperature, rh)
    return 1 / k if k else None


def twpi(samples: Iterable[tuple[float, float, float]]) -> float | None:
    """The time-weighted preservation index of (hours, temperature, RH) samples: Σt / Σ(t/PI) = Σt / Σ(t·k) — the
    harmonic mean of PI, i.e. the arithmetic mean of the decay rates, because decay accumulates at the rate of
    the moment (Padfield, as above; IPI's TWPI). Not the mean of PI: a warm humid week costs more than a cool dry
    week saves. None without samples."""
    hours = decayed = 0.0
    for t, temperature, rh in samples:
        k = decay_rate(temperature, rh)
        if k is None or t <= 0:
            continue
        hours += t
        decayed += t * k
    if not hours:
        return None
    return hours / decayed if decayed else None


# --- mould index --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MouldClass:
    """A sensitivity class of Ojanen et al. 2010: the growth coefficients k1 (before and after M = 1), the
    parameters A, B, C of the maximum index, the lowest critical RH and the relative decline."""

    k1_start: float
    k1_spread: float
    a: float
    b: float
    c: float
    rh_min: float
    decline: float


# T. Ojanen, H. Viitanen, R. Peuhkuri, K. Lähdesmäki, J. Vinha, K. Salminen, "Mold growth modeling of building
# structures using sensitivity classes of materials", Thermal Performance of the Exterior Envelopes of Whole
# Buildings XI (ASHRAE, 2010), tables 1–3. The decline factor is 1 for the wood classes (the original decline of
# Hukka & Viitanen 1999, for pine sapwood), as the 2010 paper does for wooden materials.
MOULD_CLASSES = {
    "very_sensitive": MouldClass(1.0, 2.0, 1.0, 7.0, 2.0, 80.0, 1.0),
    "sensitive": MouldClass(0.578, 0.386, 0.3, 6.0, 1.0, 80.0, 1.0),
    "medium_resistant": MouldClass(0.072, 0.097, 0.0, 5.0, 1.5, 85.0, 1.0),
    "resistant": MouldClass(0.033, 0.014, 0.0, 3.0, 1.0, 85.0, 1.0),
}
# Collections: paper, textiles, wood and glued wood are "sensitive" (planed wood, paper-faced boards in Ojanen 2010)
DEFAULT_MOULD_CLASS = "sensitive"
MOULD_MAX = 6.0


def critical_rh(temperature: float, rh_min: float = 80.0) -> float:
    """RHcrit(T) of Hukka & Viitanen 1999: −0.00267T³ + 0.160T² − 3.13T + 100 at or below 20 °C, `rh_min` (80 %)
    above."""
    if temperature > 20:
        return rh_min
    t = temperature
    return max(rh_min, -0.00267 * t ** 3 + 0.160 * t ** 2 - 3.13 * t + 100)


def mould_index(samples: Iterable[tuple[float, float, float]], *, sensitivity: str = DEFAULT_MOULD_CLASS,
                start: float = 0.0) -> float:
    """The highest VTT mould index (0 no growth … 6 heavy growth) reached over (hours, temperature, RH) samples in
    time order, starting from index `start`.

    A. Hukka, H. Viitanen, "A mathematical model of mould growth on wooden material", Wood Science and Technology
    33 (1999) 475–485, with the sensitivity classes of Ojanen et al. 2010 (see MOULD_CLASSES):

    - growth while RH ≥ RHcrit(T) and 0 < T < 50 °C:
      dM/dt = k1·k2 / (7·exp(−0.68·ln T − 13.9·ln RH + 66.02)) per day (W = 0, SQ = 0: the pine-sapwood base the
      classes scale), k1 the class's coefficient (before / after M = 1),
      k2 = max(0, 1 − exp(2.3·(M − Mmax))), Mmax = A + B·x − C·x², x = (RHcrit − RH)/(RHcrit − 100);
    - decline otherwise, counted from when conditions turned unfavourable: −0.00133/h for the first 6 h, 0 until
      24 h, −0.000667/h after (times the class's decline factor); M never below 0.

    Each sample stands for `hours`; a sample of several hours is stepped hour by hour."""
    cls = MOULD_CLASSES[sensitivity]
    m = peak = max(0.0, start)
    dry_hours = 0.0
    for hours, temperature, rh in samples:
        if hours <= 0 or temperature is None or rh is None:
            continue
        rh_crit = critical_rh(temperature, cls.rh_min)
        favourable = 0 < temperature < 50 and rh >= rh_crit and rh > 0
        remaining = hours
        while remaining > 1e-9:
            step = min(1.0, remaining)
            remaining -= step
            if favourable:
                dry_hours = 0.0
                x = (rh_crit - rh) / (rh_crit - 100) if rh_crit < 100 else 1.0
                m_max = cls.a + cls.b * x - cls.c * x * x
                k1 = cls.k1_start if m < 1 else cls.k1_spread
                k2 = max(0.0, 1 - math.exp(2.3 * (m - m_max)))
                per_day = k1 * k2 / (7 * math.exp(-0.68 * math.log(temperature) - 13.9 * math.log(rh) + 66.02))
                m = min(MOULD_MAX, m + per_day * step / 24)
            else:
                m = max(0.0, m - _decline(dry_hours, step) * cls.decline)
                dry_hours += step
            peak = max(peak, m)
    return peak


def _decline(since: float, step: float) -> float:
    """The decline of M over `step` hours that begin `since` hours after conditions turned unfavourable."""
    total, t, end = 0.0, since, since + step
    for upto, rate in ((6.0, 0.00133), (24.0, 0.0), (math.inf, 0.000667)):
        if t < upto:
            span = min(end, upto) - t
            total += span * rate
            t += span
        if t >= end:
            break
    return total


# --- time in range, light, daily ranges ---------------------------------------------------------------------------


def time_in_range(samples: Iterable[tuple[float, float | None]], low: float | None, high: float | None
                  ) -> float | None:
    """The time-weighted share (0–1) of (hours, value) samples inside [low, high] (an open side: no limit there);
    None without samples."""
    total = inside = 0.0
    for hours, value in samples:
        if value is None or hours <= 0:
            continue
        total += hours
        if (low is None or value >= low) and (high is None or value <= high):
            inside += hours
    return inside / total if total else None


HOURS_PER_YEAR = 365.25 * 24


def annual_exposure(exposure_lxh: float, hours_covered: float) -> float | None:
    """Light exposure scaled to a year: lx·h over the hours the data covers × (8766 h / those hours)."""
    if not hours_covered:
        return None
    return exposure_lxh * HOURS_PER_YEAR / hours_covered


def weights(times: Sequence[datetime.datetime], interval: datetime.timedelta) -> list[float]:
    """Hours each sample stands for: until the next sample, at most twice the interval; the last one interval."""
    cap = 2 * interval.total_seconds()
    out = []
    for i, t in enumerate(times):
        if i + 1 < len(times):
            out.append(min((times[i + 1] - t).total_seconds(), cap) / 3600)
        else:
            out.append(interval.total_seconds() / 3600)
    return out


# --- a room over a period ---------------------------------------------------------------------------------------

RAW_MAX_DAYS = 31  # longer periods read the roll-ups


@dataclass
class Sample:
    sensor_id: int
    time: datetime.datetime
    hours: float
    temperature: float | None
    rh: float | None
    lux: float | None = None
    exposure: float | None = None  # lx·h over the sample's time
    extremes: tuple | None = None  # a roll-up's (temp_min, temp_max, rh_min, rh_max): the hour's true extremes
    light_hours: float | None = None  # the time the exposure was measured over, when not `hours` (a roll-up's hour)


def _stats(values: list[tuple[float, float]]) -> dict:
    """min, max and the time-weighted mean of (hours, value) pairs; nulls when empty."""
    values = [(h, v) for h, v in values if v is not None]
    if not values:
        return {"min": None, "max": None, "mean": None}
    hours = sum(h for h, _ in values)
    mean = sum(h * v for h, v in values) / hours if hours else None
    return {"min": min(v for _, v in values), "max": max(v for _, v in values), "mean": mean}


def _round(value, digits=2):
    return None if value is None else round(value, digits)


def _raw_samples(sensors: dict[int, datetime.timedelta], start, end) -> tuple[list[Sample], int]:
    from .models import Reading

    rows = (Reading.objects.filter(sensor_id__in=list(sensors), time__gte=start, time__lt=end)
            .order_by("sensor_id", "time").values_list("sensor_id", "time", "temperature", "rh", "lux"))
    by_sensor: dict[int, list] = defaultdict(list)
    for row in rows:
        by_sensor[row[0]].append(row)
    samples, count = [], 0
    for sensor_id, readings in by_sensor.items():
        count += len(readings)
        hours = weights([r[1] for r in readings], sensors[sensor_id])
        samples += [Sample(sensor_id, r[1], h, r[2], r[3], r[4], None if r[4] is None else r[4] * h)
                    for r, h in zip(readings, hours, strict=True)]
    return samples, count


def _rollup_samples(sensors: dict[int, datetime.timedelta], start, end) -> tuple[list[Sample], int]:
    """Hourly roll-ups as samples of one hour each. The light of an hour was measured over the time its readings
    cover (`rollups.refresh`: count × interval, at most the hour), so the annual figure scales the same as from the
    raw readings."""
    from .models import Rollup

    sensor_ids = list(sensors)
    rows = (Rollup.objects.filter(sensor_id__in=sensor_ids, period=Rollup.Period.HOUR, start__gte=start,
                                  start__lt=end, count__gt=0)
            .order_by("sensor_id", "start")
            .values_list("sensor_id", "start", "temp_mean", "rh_mean", "lux_mean", "exposure_lxh", "count",
                         "temp_min", "temp_max", "rh_min", "rh_max"))
    samples = [Sample(r[0], r[1], 1.0, r[2], r[3], r[4], r[5], r[7:11],
                      light_hours=(r[5] / r[4] if r[4] and r[5] is not None
                                   else min(1.0, r[6] * sensors[r[0]].total_seconds() / 3600))) for r in rows]
    return samples, sum(r[6] for r in rows)


def _daily_ranges_raw(samples: list[Sample]) -> dict[tuple[int, datetime.date], dict]:
    days: dict[tuple[int, datetime.date], dict] = {}
    for s in samples:
        key = (s.sensor_id, timezone.localtime(s.time).date())
        day = days.setdefault(key, {"temperature": [], "rh": []})
        if s.temperature is not None:
            day["temperature"].append(s.temperature)
        if s.rh is not None:
            day["rh"].append(s.rh)
    return {key: {name: (max(v) - min(v)) if v else None for name, v in day.items()} for key, day in days.items()}


def _daily_ranges_rollup(sensor_ids: list[int], start, end) -> dict[tuple[int, datetime.date], dict]:
    from .models import Rollup

    rows = (Rollup.objects.filter(sensor_id__in=sensor_ids, period=Rollup.Period.DAY, start__gte=start,
                                  start__lt=end, count__gt=0)
            .values_list("sensor_id", "start", "temp_min", "temp_max", "rh_min", "rh_max"))
    return {(r[0], timezone.localtime(r[1]).date()): {
        "temperature": None if r[2] is None or r[3] is None else r[3] - r[2],
        "rh": None if r[4] is None or r[5] is None else r[5] - r[4]} for r in rows}


def _daily_summary(ranges: dict, limits) -> dict:
    out = {}
    for name, limit in (("temperature", limits.temp_daily_range), ("rh", limits.rh_daily_range)):
        values = [d[name] for d in ranges.values() if d[name] is not None]
        out[name] = {"max": _round(max(values)) if values else None, "limit": limit,
                     "days_over": sum(1 for v in values if limit is not None and v > limit),
                     "days": len({day for (_, day), d in ranges.items() if d[name] is not None})}
    return out


def period_bounds(start: datetime.datetime | None, end: datetime.datetime | None, *, days: int = 30):
    """(start, end) of a period: the last `days` days by default."""
    end = end or timezone.now()
    return (start or end - datetime.timedelta(days=days)), end


def room_metrics(room, *, start: datetime.datetime, end: datetime.datetime, table: dict | None = None) -> dict:
    """A room's metrics over [start, end), in the shape of `GET /api/environment/rooms/{id}/metrics`:

    temperature and rh (min, max, time-weighted mean), dew_point (mean, max), emc (mean; and the share of time in
    the 5–12.5 % band), pi (twpi), mould_index (max over the room's sensors), time_in_range (temperature, rh, as
    fractions 0–1 of the time), light_exposure_lxh (over the period; the highest sensor's — the most exposed spot),
    light_exposure_annual_lxh, daily_range (largest day's max − min per parameter, days over the limit), period,
    source ("readings" or "rollups") and readings (how many). Nulls where there are no data.

    Periods up to 31 days read the raw readings, longer ones the hourly and daily roll-ups — three queries either
    way (sensors, samples, daily ranges or limits), whatever the number of readings."""
    from .limits import limits_for
    from .models import Sensor

    limits = limits_for(room, table)
    sensors = {pk: datetime.timedelta(minutes=minutes or 15) for pk, minutes in
               Sensor.objects.filter(room=room).values_list("pk", "interval_minutes")}
    use_rollups = (end - start) > datetime.timedelta(days=RAW_MAX_DAYS)
    if not sensors:
        samples, count = [], 0
    elif use_rollups:
        samples, count = _rollup_samples(sensors, start, end)
    else:
        samples, count = _raw_samples(sensors, start, end)
    ranges = (_daily_ranges_rollup(list(sensors), start, end) if use_rollups and sensors
              else _daily_ranges_raw(samples))
    climate = [s for s in samples if s.temperature is not None and s.rh is not None]
    dew = [(s.hours, dew_point(s.temperature, s.rh)) for s in climate]
    emc = [(s.hours, wood_emc(s.temperature, s.rh)) for s in climate]
    emc = [(h, v) for h, v in emc if v is not None]
    by_sensor: dict[int, list[Sample]] = defaultdict(list)
    for s in climate:
        by_sensor[s.sensor_id].append(s)
    moulds = [mould_index((s.hours, s.temperature, s.rh) for s in rows) for rows in by_sensor.values()]
    exposure: dict[int, float] = defaultdict(float)
    light_hours: dict[int, float] = defaultdict(float)
    for s in samples:
        if s.exposure is not None:
            exposure[s.sensor_id] += s.exposure
            light_hours[s.sensor_id] += s.hours if s.light_hours is None else s.light_hours
    brightest = max(exposure, key=exposure.get) if exposure else None
    temp_stats, rh_stats = (_stats([(s.hours, getattr(s, name)) for s in samples]) for name in ("temperature", "rh"))
    if use_rollups:  # min and max are the readings' extremes, not the extremes of the hourly means
        for stats, low, high in ((temp_stats, 0, 1), (rh_stats, 2, 3)):
            lows = [s.extremes[low] for s in samples if s.extremes[low] is not None]
            highs = [s.extremes[high] for s in samples if s.extremes[high] is not None]
            stats["min"], stats["max"] = (min(lows) if lows else None), (max(highs) if highs else None)
    dew_stats = _stats(dew)
    emc_stats = _stats(emc)
    return {
        "period": {"start": start, "end": end},
        "source": "rollups" if use_rollups else "readings",
        "readings": count,
        "sensors": len(sensors),
        "temperature": {k: _round(v) for k, v in temp_stats.items()},
        "rh": {k: _round(v) for k, v in rh_stats.items()},
        "dew_point": {"mean": _round(dew_stats["mean"]), "max": _round(dew_stats["max"])},
        "emc": {"mean": _round(emc_stats["mean"]), "min": _round(emc_stats["min"]), "max": _round(emc_stats["max"]),
                "in_safe_band": _round(time_in_range(emc, *EMC_SAFE_BAND), 4), "safe_band": list(EMC_SAFE_BAND)},
        "pi": {"twpi": _round(twpi((s.hours, s.temperature, s.rh) for s in climate), 1)},
        "mould_index": {"max": _round(max(moulds), 3) if moulds else None, "sensitivity": DEFAULT_MOULD_CLASS},
        "time_in_range": {
            "temperature": _round(time_in_range(((s.hours, s.temperature) for s in samples),
                                                limits.temp_min, limits.temp_max), 4),
            "rh": _round(time_in_range(((s.hours, s.rh) for s in samples), limits.rh_min, limits.rh_max), 4),
        },
        "light_exposure_lxh": _round(exposure[brightest], 0) if brightest is not None else None,
        "light_exposure_annual_lxh": (_round(annual_exposure(exposure[brightest], light_hours[brightest]), 0)
                                      if brightest is not None else None),
        "daily_range": _daily_summary(ranges, limits),
        "limits": {"temp_min": limits.temp_min, "temp_max": limits.temp_max, "rh_min": limits.rh_min,
                   "rh_max": limits.rh_max, "annual_exposure_max": limits.annual_exposure_max},
    }
