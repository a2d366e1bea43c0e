"""Conservation metrics against values computed by hand from the published formulas, and a room's metrics over a
period from raw readings (short periods) and roll-ups (long ones) in a fixed number of queries."""

import datetime
import math

import pytest
from django.utils import timezone

from bangfu.environment import climate, metrics
from bangfu.environment.models import Rollup
from bangfu.environment.readings import ReadingIn, readings_save
from tests.environment_alerts_helpers import STEP, make_room, save

H = 1.0


# --- the formulas -------------------------------------------------------------------------------------------------


def test_dew_point_by_magnus_with_alduchov_and_eskridges_coefficients():
    # γ = ln(0.5) + 17.625·20/(243.04 + 20) = −0.693147 + 1.340101 = 0.646954; Td = 243.04·γ/(17.625 − γ)
    assert metrics.dew_point(20, 50) == pytest.approx(9.261, abs=0.001)
    assert metrics.dew_point(25, 100) == pytest.approx(25)   # saturated air: the dew point is the temperature
    assert metrics.dew_point(20, 0) is None


def test_wood_emc_matches_the_wood_handbooks_table():
    assert metrics.wood_emc(21, 50) == pytest.approx(9.25, abs=0.05)   # table 4-2: 9.2–9.3 %
    assert metrics.wood_emc(21, 80) == pytest.approx(16.0, abs=0.3)    # table 4-2 at 70 °F, 80 %: 16.0 %
    assert metrics.wood_emc(21, 0) == 0
    assert metrics.wood_emc(21, 100) is None


def test_preservation_index_by_padfields_arrhenius_approximation():
    # k = 50 · 5.9e12 · exp(−90300 / (8.314 · 293.15)) = 0.023945 /year → PI = 41.76 years
    expected = 1 / (50 * 5.9e12 * math.exp(-90300 / (8.314 * 293.15)))
    assert expected == pytest.approx(41.76, abs=0.01)
    assert metrics.preservation_index(20, 50) == pytest.approx(expected)
    assert metrics.preservation_index(20, 25) == pytest.approx(2 * expected)  # half the humidity, twice as long
    assert metrics.preservation_index(30, 50) < expected / 2                  # 10 °C warmer: decay more than doubles


def test_twpi_is_the_harmonic_mean_of_pi_weighted_by_time_not_the_mean_of_pi():
    cool, warm = metrics.preservation_index(15, 40), metrics.preservation_index(28, 65)
    # three hours cool, one hour warm: Σt / Σ(t/PI)
    expected = 4 / (3 / cool + 1 / warm)
    assert metrics.twpi([(3, 15, 40), (1, 28, 65)]) == pytest.approx(expected)
    assert metrics.twpi([(3, 15, 40), (1, 28, 65)]) < (3 * cool + warm) / 4
    assert metrics.twpi([(1, 20, 50), (1, 20, 50)]) == pytest.approx(metrics.preservation_index(20, 50))
    assert metrics.twpi([]) is None


def test_critical_rh_of_the_vtt_model():
    assert metrics.critical_rh(10) == pytest.approx(-2.67 + 16.0 - 31.3 + 100)   # 82.03 %
    assert metrics.critical_rh(25) == 80
    assert metrics.critical_rh(20) == pytest.approx(80, abs=0.5)


def test_mould_index_grows_in_warm_damp_air_and_not_in_a_dry_store():
    month_damp = [(24.0, 25, 97)] * 30
    # the first day by hand: dM/dt = k1 / (7·exp(−0.68 ln 25 − 13.9 ln 97 + 66.02)) per day, k1 = 0.578, k2 ≈ 1
    day_rate = 0.578 / (7 * math.exp(-0.68 * math.log(25) - 13.9 * math.log(97) + 66.02))
    assert metrics.mould_index([(24.0, 25, 97)]) == pytest.approx(day_rate, rel=0.01)
    assert metrics.mould_index(month_damp) > 1        # visible growth within a month
    assert metrics.mould_index(month_damp) <= 6
    assert metrics.mould_index([(24.0, 20, 55)] * 365) == 0
    assert metrics.mould_index(month_damp, sensitivity="resistant") < metrics.mould_index(month_damp)


def test_mould_index_declines_when_conditions_turn_dry():
    # 6 h at −0.00133, then 18 h without change, then −0.000667 per hour
    assert metrics.mould_index([(24, 20, 50)], start=2) == 2  # the maximum reached is the start
    samples = [(24.0, 25, 97)] * 30
    wet = metrics.mould_index(samples)
    drying = metrics.mould_index([*samples, (48.0, 20, 50)])
    assert drying == pytest.approx(wet)  # the max is kept; the decline is seen when it grows again


def test_decline_is_piecewise_over_6_and_24_hours():
    assert metrics._decline(0, 6) == pytest.approx(6 * 0.00133)
    assert metrics._decline(0, 24) == pytest.approx(6 * 0.00133)
    assert metrics._decline(0, 34) == pytest.approx(6 * 0.00133 + 10 * 0.000667)


def test_time_in_range_is_weighted_by_time():
    # 3 h inside, 1 h above: 75 %, whatever the number of samples
    samples = [(0.5, 55)] * 6 + [(1.0, 62)]
    assert metrics.time_in_range(samples, 50, 60) == pytest.approx(0.75)
    assert metrics.time_in_range([(1, 70)], None, None) == 1
    assert metrics.time_in_range([], 50, 60) is None


def test_weights_cap_gaps_at_twice_the_interval():
    t0 = timezone.now()
    times = [t0, t0 + STEP, t0 + 2 * STEP, t0 + 10 * STEP]
    assert metrics.weights(times, STEP) == [0.25, 0.25, 0.5, 0.25]


def test_annual_light_exposure_scales_the_period_to_a_year():
    assert metrics.annual_exposure(1000, 24 * 7) == pytest.approx(1000 * 8766 / 168)
    assert metrics.annual_exposure(1000, 0) is None


# --- a room over a period -------------------------------------------------------------------------------------------



@pytest.mark.django_db
def test_room_metrics_from_readings_in_the_apis_shape(world):
    room, sensor = make_room(world)  # paper: 16–24 °C, RH 50–60 %
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)
    # 6 h at 20 °C / 55 % then 2 h at 20 °C / 65 % (every 15 minutes), lights at 40 lx all along
    save(sensor, start, [55] * 24 + [65] * 8, lux=40)
    result = metrics.room_metrics(room, start=start, end=start + datetime.timedelta(hours=8))
    assert result["source"] == "readings"
    assert result["readings"] == 32
    assert result["temperature"] == {"min": 20, "max": 20, "mean": 20}
    assert result["rh"] == {"min": 55, "max": 65, "mean": 57.5}
    assert result["time_in_range"] == {"temperature": 1, "rh": 0.75}
    assert result["dew_point"]["max"] == pytest.approx(metrics.dew_point(20, 65), abs=0.01)
    assert result["emc"]["mean"] == pytest.approx((6 * metrics.wood_emc(20, 55) + 2 * metrics.wood_emc(20, 65)) / 8,
                                                  abs=0.01)
    assert result["pi"]["twpi"] == pytest.approx(8 / (6 / metrics.preservation_index(20, 55)
                                                      + 2 / metrics.preservation_index(20, 65)), abs=0.1)
    assert result["mould_index"]["max"] == 0
    assert result["light_exposure_lxh"] == 40 * 8
    assert result["light_exposure_annual_lxh"] == pytest.approx(40 * 8766, abs=1)
    assert result["daily_range"]["rh"]["max"] == 10


@pytest.mark.django_db
def test_room_metrics_without_readings_are_nulls(world):
    room, _ = make_room(world)
    result = metrics.room_metrics(room, start=timezone.now() - datetime.timedelta(days=1), end=timezone.now())
    assert result["temperature"] == {"min": None, "max": None, "mean": None}
    assert result["pi"]["twpi"] is None
    assert result["time_in_range"] == {"temperature": None, "rh": None}
    assert result["light_exposure_lxh"] is None
    assert result["readings"] == 0


def _rollups(sensor, start, hours, *, rh=55.0, temp=20.0):
    Rollup.objects.bulk_create([
        Rollup(sensor=sensor, period="hour", start=start + datetime.timedelta(hours=h), count=4, temp_min=temp,
               temp_max=temp, temp_mean=temp, rh_min=rh, rh_max=rh, rh_mean=rh if h % 4 else rh + 10, lux_mean=10,
               lux_max=10, exposure_lxh=10) for h in range(hours)])
    Rollup.objects.bulk_create([
        Rollup(sensor=sensor, period="day", start=start + datetime.timedelta(days=d), count=96, temp_min=temp,
               temp_max=temp + 1, rh_min=rh, rh_max=rh + 10, rh_mean=rh) for d in range(hours // 24)])


@pytest.mark.django_db
def test_a_long_period_reads_the_hourly_roll_ups(world):
    room, sensor = make_room(world)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(days=60)
    _rollups(sensor, start, 24 * 40)
    result = metrics.room_metrics(room, start=start, end=start + datetime.timedelta(days=50))
    assert result["source"] == "rollups"
    assert result["readings"] == 4 * 24 * 40
    assert result["time_in_range"]["rh"] == pytest.approx(0.75)   # one hour in four at 65 %
    assert result["light_exposure_lxh"] == 10 * 24 * 40
    assert result["daily_range"]["rh"] == {"max": 10, "limit": 5, "days_over": 40, "days": 40}


@pytest.mark.django_db
def test_a_long_periods_minimum_and_maximum_are_the_readings_extremes_not_the_hourly_means(world):
    room, sensor = make_room(world)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(days=40)
    # every hour three readings at 20 °C / 55 % and one at 12 °C / 75 %: hourly means 18 °C / 60 %
    readings_save(sensor=sensor, items=[
        ReadingIn(time=start + i * STEP, temperature=12.0 if i % 4 == 3 else 20.0, rh=75.0 if i % 4 == 3 else 55.0)
        for i in range(16)])
    result = metrics.room_metrics(room, start=start, end=start + datetime.timedelta(days=35))
    assert result["source"] == "rollups"
    assert result["temperature"]["min"] == 12 and result["rh"]["max"] == 75
    assert result["temperature"]["max"] == 20 and result["rh"]["min"] == 55


@pytest.mark.django_db
@pytest.mark.parametrize("days", [5, 60])
def test_room_metrics_take_the_same_queries_whatever_the_readings(world, days, django_assert_max_num_queries):
    room, sensor = make_room(world)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(days=days)
    _rollups(sensor, start, 24 * days)
    save(sensor, start, [55] * (4 * 24 * min(days, 5)))
    with django_assert_max_num_queries(4):
        metrics.room_metrics(room, start=start, end=timezone.now())


# --- the kernel's climate source ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_climate_compliance_is_the_share_of_time_in_the_classs_ranges(world):
    room, sensor = make_room(world, materials=["paper_textile", "organic"])
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)
    save(sensor, start, [55] * 30 + [65] * 10)
    records = {r.material_class: r for r in climate.compliance(world.helped_museum, ["paper_textile", "silicate"],
                                                                  7)}
    assert set(records) == {"paper_textile"}  # no room holds ceramics
    paper = records["paper_textile"]
    assert paper.share_in_range == pytest.approx(30 / 40, abs=0.01)
    assert (paper.readings, paper.rooms) == (40, 1)
    assert "相对湿度 75%" in paper.summary
    assert climate.compliance(world.other_museum, ["paper_textile"], 90) == []


@pytest.mark.django_db
def test_the_annual_light_exposure_is_the_same_from_readings_and_from_roll_ups(world):
    """A handheld meter's single reading at 40 lx (one every few hours): scaled to a year from the time it stands
    for, whether the period is short (raw readings) or long (hourly roll-ups) — not 4× apart."""
    room, sensor = make_room(world)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(days=3)
    save(sensor, start, [55, 55, 55], step=datetime.timedelta(hours=3), lux=40)
    short = metrics.room_metrics(room, start=start - datetime.timedelta(days=1), end=timezone.now())
    long = metrics.room_metrics(room, start=start - datetime.timedelta(days=40), end=timezone.now())
    assert (short["source"], long["source"]) == ("readings", "rollups")
    assert long["light_exposure_annual_lxh"] == pytest.approx(short["light_exposure_annual_lxh"], rel=0.01)
    assert short["light_exposure_annual_lxh"] == pytest.approx(40 * 8766, abs=1)
