"""Writes of environment monitoring: sites (and their gateway tokens), rooms, sensors. Each takes the acting user,
checks the permission itself, runs in one transaction and is audited: also pest records, the material limits table
and manual entry from a handheld meter (through `readings.readings_save`). Readings are saved by `readings.py`,
alerts acknowledged by `alerts.py`, files imported by `imports.py`."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bangfu.core.audit import audit, diff, snapshot
from bangfu.objects.models import MaterialClass
from bangfu.permissions import require

from . import readings
from .limits import LIMIT_FIELDS
from .models import MaterialLimit, PestRecord, ReadingSource, Room, Sensor, Site

SITE_TOKEN_PREFIX = "bfs_"  # noqa: S105 — a visible prefix that tells a site's token from a personal one
SITE_ADMINS_ONLY = "只有本馆管理员可以添加监测点位。"
SITE_FIELDS = ("name", "address", "notify_helper", "silent_after_minutes")
ROOM_FIELDS = ("name", "kind", "materials", "temp_min", "temp_max", "rh_min", "rh_max", "note", "is_active")
SENSOR_FIELDS = ("name", "serial", "model_name", "interval_minutes", "is_active")
PEST_FIELDS = ("date", "method", "trap", "species", "count", "action")
MATERIAL_LIMIT_FIELDS = (*LIMIT_FIELDS, "light_sensitivity", "source")


def hash_site_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _unknown(values: dict, allowed) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def check_ranges(obj) -> None:
    """A lower bound above its upper bound, said beside the field in Chinese (the database's check constraint
    would refuse it in English)."""
    errors = {}
    for low, high, what in (("temp_min", "temp_max", "温度"), ("rh_min", "rh_max", "相对湿度")):
        a, b = getattr(obj, low), getattr(obj, high)
        if a is not None and b is not None and a > b:
            errors[high] = f"{what}上限不能低于下限（{a:g}）。"
    if errors:
        raise ValidationError(errors)


def clean_materials(materials) -> list[str]:
    """Material classes (MaterialClass values) in their table order, each once; a ValidationError names others."""
    values = list(materials or [])
    bad = [str(m) for m in values if m not in MaterialClass.values]
    if bad:
        choices = "、".join(MaterialClass.values)
        raise ValidationError({"materials": f"未知的材质类别：{'、'.join(bad)[:100]}。可选：{choices}"})
    return [m for m in MaterialClass.values if m in values]


@transaction.atomic
def site_create(*, museum, by, **values) -> Site:
    """A site of `museum`: its admin's (or the association's) — `environment.manage_site` on the museum."""
    if not by.has_perm("environment.manage_site", museum):
        raise PermissionDenied(SITE_ADMINS_ONLY)
    _unknown(values, SITE_FIELDS)
    site = Site(museum=museum, **values)
    site.full_clean()
    site.save()
    audit(actor=by, action="添加监测点位", obj=site, note=site.name)
    return site


@transaction.atomic
def site_update(*, site: Site, by, **values) -> Site:
    require(by, "environment.manage_site", site)
    _unknown(values, SITE_FIELDS)
    before = snapshot(site, list(values))
    for name, value in values.items():
        setattr(site, name, value)
    site.full_clean()
    site.save()
    audit(actor=by, action="修改监测点位", obj=site, changes=diff(before, snapshot(site, list(values))))
    return site


@transaction.atomic
def site_token_rotate(*, site: Site, by) -> str:
    """A new gateway token for the site (the old one stops working at once); the raw token is returned once."""
    require(by, "environment.manage_site", site)
    raw = SITE_TOKEN_PREFIX + secrets.token_urlsafe(32)
    site.token_hash, site.token_hint, site.token_created_at = hash_site_token(raw), raw[:12], timezone.now()
    site.save(update_fields=["token_hash", "token_hint", "token_created_at"])
    audit(actor=by, action="生成网关令牌", obj=site, note=site.token_hint)
    return raw


@transaction.atomic
def site_token_revoke(*, site: Site, by) -> None:
    require(by, "environment.manage_site", site)
    site.token_hash, site.token_hint, site.token_created_at = "", "", None
    site.save(update_fields=["token_hash", "token_hint", "token_created_at"])
    audit(actor=by, action="撤销网关令牌", obj=site)


def site_for_token(raw: str) -> Site | None:
    """The site whose gateway token is `raw`, or None."""
    if not raw.startswith(SITE_TOKEN_PREFIX):
        return None
    return Site.objects.select_related("museum").filter(token_hash=hash_site_token(raw)).first()


@transaction.atomic
def room_create(*, site: Site, by, **values) -> Room:
    require(by, "environment.manage", site)
    _unknown(values, ROOM_FIELDS)
    if "materials" in values:
        values["materials"] = clean_materials(values["materials"])
    room = Room(site=site, museum_id=site.museum_id, **values)
    check_ranges(room)
    room.full_clean(exclude=["museum"])
    room.save()
    audit(actor=by, action="添加库房/展厅", obj=room, note=room.name)
    return room


@transaction.atomic
def room_update(*, room: Room, by, **values) -> Room:
    require(by, "environment.manage", room)
    _unknown(values, ROOM_FIELDS)
    if "materials" in values:
        values["materials"] = clean_materials(values["materials"])
    before = snapshot(room, list(values))
    for name, value in values.items():
        setattr(room, name, value)
    check_ranges(room)
    room.full_clean(exclude=["museum"])
    room.save()
    audit(actor=by, action="修改库房/展厅", obj=room, changes=diff(before, snapshot(room, list(values))))
    return room


@transaction.atomic
def sensor_create(*, room: Room, by, **values) -> Sensor:
    require(by, "environment.manage", room)
    _unknown(values, SENSOR_FIELDS)
    sensor = Sensor(room=room, **values)
    sensor.full_clean()
    sensor.save()
    audit(actor=by, action="添加传感器", obj=sensor, note=sensor.name)
    return sensor


@transaction.atomic
def sensor_update(*, sensor: Sensor, by, **values) -> Sensor:
    require(by, "environment.manage", sensor.room)
    _unknown(values, SENSOR_FIELDS)
    before = snapshot(sensor, list(values))
    for name, value in values.items():
        setattr(sensor, name, value)
    sensor.full_clean()
    sensor.save()
    audit(actor=by, action="修改传感器", obj=sensor, changes=diff(before, snapshot(sensor, list(values))))
    return sensor


@transaction.atomic
def readings_add_manual(*, sensor: Sensor, by, items: list[readings.ReadingIn]) -> readings.SaveResult:
    """Readings typed from a handheld meter (a thermo-hygrometer, a lux or UV meter): saved as the gateway's are,
    marked as manual; refused items come back with their row (counted from 1)."""
    require(by, "environment.record", sensor.room)
    result = readings.readings_save(sensor=sensor, items=items, source=ReadingSource.MANUAL, first_index=1)
    if result.saved:
        audit(actor=by, action="手工录入读数", obj=sensor, note=f"{result.saved} 条")
    return result


@transaction.atomic
def pest_record_add(*, room: Room, by, **values) -> PestRecord:
    """One trap check, sighting or damage found in `room` (its museum's staff record them)."""
    require(by, "environment.record", room)
    _unknown(values, PEST_FIELDS)
    record = PestRecord(room=room, recorded_by=by, **values)
    record.full_clean()
    record.save()
    audit(actor=by, action="添加虫害记录", obj=room, note=f"{record.date} {record.species} {record.count}")
    return record


@transaction.atomic
def pest_record_update(*, record: PestRecord, by, **values) -> PestRecord:
    require(by, "environment.record", record.room)
    _unknown(values, PEST_FIELDS)
    before = snapshot(record, list(values))
    for name, value in values.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    audit(actor=by, action="修改虫害记录", obj=record.room, changes=diff(before, snapshot(record, list(values))))
    return record


@transaction.atomic
def pest_record_delete(*, record: PestRecord, by) -> None:
    require(by, "environment.record", record.room)
    audit(actor=by, action="删除虫害记录", obj=record.room, note=f"{record.date} {record.species} {record.count}")
    record.delete()


@transaction.atomic
def limits_update(*, limit: MaterialLimit, by, **values) -> MaterialLimit:
    """The association changes one material class's target ranges (and the source it cites)."""
    require(by, "environment.edit_limits", limit)
    _unknown(values, MATERIAL_LIMIT_FIELDS)
    before = snapshot(limit, list(values))
    for name, value in values.items():
        setattr(limit, name, value)
    limit.updated_by = by
    check_ranges(limit)
    limit.full_clean()
    limit.save()
    audit(actor=by, action="修改材质环境指标", obj=limit, changes=diff(before, snapshot(limit, list(values))))
    return limit
