"""Target ranges: the defaults per material class (each citing its source; the association edits them in
`MaterialLimit`), and a room's effective limits — its own where set, else what all its materials' classes allow
(the intersection; when the classes cannot share a room, the most sensitive class wins and the room says so)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bangfu.objects.models import MaterialClass

JGJ66 = ("JGJ 66-2015《博物馆建筑设计规范》：采用空调的藏品库房和展厅，温度日较差宜控制在 2～5 °C，"
         "相对湿度日波动值不应大于 5 %。")
GBT23863 = ("GB/T 23863-2009《博物馆照明设计规范》：对光特别敏感的展品照度 ≤ 50 lx、年曝光量 ≤ 50 000 lx·h；"
            "对光敏感的 ≤ 150 lx、≤ 360 000 lx·h；对光不敏感的 ≤ 300 lx；紫外含量 < 20 µW/lm。")
RH_SOURCE = "JGJ 66-2015 附录：按材质的相对湿度推荐值。"
TEMP_NOTE = "温度 16～24 °C 为常用设定值（所引标准只规定日较差），请按本馆实际调整。"

# The defaults the migration writes into MaterialLimit (and `default_rows` restores). The cited standards bound the
# daily temperature range, not the temperature itself: 16–24 °C is a common setting, labelled as such in `source`.
DEFAULTS: dict[str, dict] = {
    MaterialClass.METAL_GLASS: {"rh_min": 0, "rh_max": 40, "light_sensitivity": "low", "lux_max": 300,
                                    "annual_exposure_max": None},
    MaterialClass.SILICATE: {"rh_min": 40, "rh_max": 50, "light_sensitivity": "low", "lux_max": 300,
                                 "annual_exposure_max": None},
    MaterialClass.PAPER_TEXTILE: {"rh_min": 50, "rh_max": 60, "light_sensitivity": "high", "lux_max": 50,
                                      "annual_exposure_max": 50_000},
    MaterialClass.ORGANIC: {"rh_min": 50, "rh_max": 60, "light_sensitivity": "medium", "lux_max": 150,
                                "annual_exposure_max": 360_000},
    MaterialClass.COMPOSITE: {"rh_min": 45, "rh_max": 55, "light_sensitivity": "medium", "lux_max": 150,
                                  "annual_exposure_max": 360_000},
}
COMMON = {"temp_min": 16, "temp_max": 24, "temp_daily_range": 5, "rh_daily_range": 5, "uv_max": 20}
RH_SILICATE = "陶瓷、石质、玉器、化石、壁画、彩塑 40～50 %。"
COMPOSITE_NOTE = "复合材质按其中最敏感的材质确定；默认取 45～55 %，请按实际藏品调整。"
SOURCES = {
    MaterialClass.METAL_GLASS: f"{JGJ66}\n{TEMP_NOTE}\n{RH_SOURCE} 金属、玻璃 0～40 %。\n{GBT23863}",
    MaterialClass.SILICATE: f"{JGJ66}\n{TEMP_NOTE}\n{RH_SOURCE} {RH_SILICATE}\n{GBT23863}",
    MaterialClass.PAPER_TEXTILE: f"{JGJ66}\n{TEMP_NOTE}\n{RH_SOURCE} 纸质、书画、纺织品 50～60 %。\n{GBT23863}",
    MaterialClass.ORGANIC: f"{JGJ66}\n{TEMP_NOTE}\n{RH_SOURCE} 漆木器、竹器、骨角牙 50～60 %。\n{GBT23863}",
    MaterialClass.COMPOSITE: f"{JGJ66}\n{TEMP_NOTE}\n{COMPOSITE_NOTE}\n{GBT23863}",
}
# When a room's classes share no range, the first of these it holds decides (the most easily damaged first).
SENSITIVITY_ORDER = [MaterialClass.PAPER_TEXTILE, MaterialClass.ORGANIC, MaterialClass.COMPOSITE,
                     MaterialClass.SILICATE, MaterialClass.METAL_GLASS]
LIMIT_FIELDS = ("temp_min", "temp_max", "temp_daily_range", "rh_min", "rh_max", "rh_daily_range", "lux_max",
                "annual_exposure_max", "uv_max")


def default_rows() -> list[dict]:
    """The MaterialLimit rows of the defaults, in the order of MaterialClass."""
    return [{"material_class": mc, **COMMON, **DEFAULTS[mc], "source": SOURCES[mc]} for mc in MaterialClass.values]


@dataclass(frozen=True)
class Limits:
    """A room's effective target ranges (None: no limit). `conflict` names classes that cannot share the room."""

    temp_min: float | None = None
    temp_max: float | None = None
    temp_daily_range: float | None = None
    rh_min: float | None = None
    rh_max: float | None = None
    rh_daily_range: float | None = None
    lux_max: float | None = None
    annual_exposure_max: float | None = None
    uv_max: float | None = None
    own: tuple[str, ...] = ()  # the fields the room set itself
    conflict: tuple[str, ...] = field(default=())

    def range_of(self, parameter: str) -> tuple[float | None, float | None]:
        """(low, high) of "temperature", "rh", "lux" or "uv"."""
        return {"temperature": (self.temp_min, self.temp_max), "rh": (self.rh_min, self.rh_max),
                "lux": (None, self.lux_max), "uv": (None, self.uv_max)}[parameter]


def _combine(rows: list[dict]) -> tuple[dict, tuple[str, ...]]:
    """The intersection of the rows' ranges (max of lows, min of highs); on an empty range the most sensitive
    class's own range, and the conflicting classes named."""
    if not rows:
        return {}, ()
    out: dict = {}
    for name in LIMIT_FIELDS:
        values = [r[name] for r in rows if r.get(name) is not None]
        if not values:
            out[name] = None
        elif name.endswith("_min"):
            out[name] = max(values)
        else:
            out[name] = min(values)
    conflict: tuple[str, ...] = ()
    for low, high in (("temp_min", "temp_max"), ("rh_min", "rh_max")):
        if out[low] is not None and out[high] is not None and out[low] > out[high]:
            ordered = sorted(rows, key=lambda r: SENSITIVITY_ORDER.index(r["material_class"]))
            out[low], out[high] = ordered[0][low], ordered[0][high]
            conflict = tuple(r["material_class"] for r in ordered)
    return out, conflict


def limits_for(room, table: dict[str, dict] | None = None) -> Limits:
    """The effective limits of a room: its own temperature/RH bounds where set, the rest from its materials'
    classes (`table`: {material class: row dict}, read from MaterialLimit when not given — pass it to avoid a query
    per room on lists)."""
    if table is None:
        table = limit_table()
    rows = [table[mc] for mc in (room.materials or []) if mc in table]
    combined, conflict = _combine(rows)
    own = tuple(name for name in ("temp_min", "temp_max", "rh_min", "rh_max") if getattr(room, name) is not None)
    for name in own:
        combined[name] = getattr(room, name)
    return Limits(**{k: combined.get(k) for k in LIMIT_FIELDS}, own=own, conflict=conflict if not own else ())


def limit_table() -> dict[str, dict]:
    """{material class: its MaterialLimit values} in one query; a class missing from the table (a database
    flushed after the data migration wrote the defaults, as in transactional tests) reads its default row."""
    from .models import MaterialLimit

    table = {row["material_class"]: row for row in MaterialLimit.objects.values("material_class", *LIMIT_FIELDS)}
    for row in default_rows():
        if row["material_class"] not in table:
            table[row["material_class"]] = {k: row.get(k) for k in ("material_class", *LIMIT_FIELDS)}
    return table
