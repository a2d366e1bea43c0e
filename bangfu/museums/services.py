"""Writes to the museum registry. Views, the API, imports, commands and tests all call these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from bangfu.core.areas import Area
from bangfu.core.audit import audit, diff, snapshot
from bangfu.core.uploads import save_with_file
from bangfu.core.validation import join_messages
from bangfu.permissions import require
from bangfu.places.geo import check_position, default_position

from .models import Grade, Museum, MuseumArea, MuseumPhoto, Offering, Ownership, ProgrammeRole, Tier

PROVINCIAL_PREFIXES = ("山西", "中国")

# Fields shown in the change history of a museum.
AUDITED_FIELDS = [
    "name", "short_name", "province", "grade", "ownership", "sector", "tier", "city", "county", "address",
    "lat", "lng", "position_precise", "needs_review", "contact_person", "phone", "email", "website",
    "introduction", "logo", "free_admission", "collections", "precious_relics", "exhibitions",
    "education_activities", "visitors_10k", "staff_count", "programme_role", "programme_role_manual", "head",
]
# The position's fields: setting them is marking the position (`museums.set_museum_position`).
POSITION_FIELDS = {"lat", "lng", "position_precise"}
# What only the association may change: the museum's standing in the programme and the directory.
REGISTRY_FIELDS = {
    "name", "province", "grade", "ownership", "sector", "tier", "city", "county", "programme_role",
    "programme_role_manual", "head", "needs_review", "directory_row",
}


def derive_tier(*, name: str, ownership: str, city, county) -> str:
    """省级 for state museums named after the province or the nation, else by where the museum is."""
    if ownership == Ownership.STATE and name.startswith(PROVINCIAL_PREFIXES) and county is None:
        return Tier.PROVINCIAL
    if county is not None:
        return Tier.COUNTY
    if city is not None:
        return Tier.CITY
    return Tier.UNKNOWN


def derive_programme_role(*, tier: str, grade: str) -> str:
    """倡议书 §八: provincial and first-grade museums help; county museums are helped."""
    if tier == Tier.PROVINCIAL or grade == Grade.FIRST:
        return ProgrammeRole.HELPER
    if tier == Tier.COUNTY:
        return ProgrammeRole.HELPED
    return ProgrammeRole.NONE


def apply_defaults(museum: Museum, *, rederive_tier: bool = False) -> None:
    """Fill what is derived unless a person has set it: tier, programme role, position, review flag."""
    if museum.county_id and not museum.city_id:
        museum.city_id = museum.county.parent_id
    if rederive_tier or not museum.tier:
        museum.tier = derive_tier(name=museum.name, ownership=museum.ownership, city=museum.city,
                                  county=museum.county)
    if not museum.programme_role_manual:
        museum.programme_role = derive_programme_role(tier=museum.tier, grade=museum.grade)
    if not museum.position_precise:
        position = default_position(museum.city, museum.county)
        museum.lat, museum.lng = position if position else (None, None)
    if museum.city_id is None and museum.province == "山西省":
        museum.needs_review = True


def validate_museum(museum: Museum) -> None:
    """The rules every write checks (model, form, API and importer alike)."""
    museum.full_clean(exclude=["logo"])
    if museum.county_id and museum.city_id and museum.county.parent_id != museum.city_id:
        raise ValidationError({"county": f"{museum.county.name}不属于{museum.city.name}。"})
    if museum.head_id:
        if museum.head_id == museum.pk:
            raise ValidationError({"head": "博物馆不能是自己的总馆。"})
        if museum.head.head_id is not None:
            raise ValidationError({"head": f"{museum.head.name}本身是分馆，不能再作为总馆。"})
        if museum.pk and museum.branches.exists():
            raise ValidationError({"head": "该馆已有分馆，不能再成为其他馆的分馆。"})


def _check_place_of_position(museum: Museum, *, moved: bool) -> None:
    """A precise position lies in China and inside the museum's city (or province: `places.geo.check_position`).
    The refusal is beside the position when it was being set, else beside the place that was changed."""
    if not museum.position_precise or museum.lat is None or museum.lng is None:
        return
    try:
        check_position(museum.lat, museum.lng, city=museum.city, province=museum.province)
    except ValidationError as exc:
        if moved:
            raise
        place = museum.city.name if museum.city else museum.province
        raise ValidationError({"city": (
            f"本馆已标定的位置（纬度 {museum.lat}，经度 {museum.lng}）不在{place}范围内："
            f"请同时更正位置，或核对所在地。")}) from exc


@transaction.atomic
def museum_create(*, by, note: str = "", **fields: Any) -> Museum:
    museum = Museum(**fields)
    apply_defaults(museum)
    validate_museum(museum)
    _check_place_of_position(museum, moved=True)
    museum.save()
    audit(actor=by, action="创建博物馆", obj=museum, changes=diff({}, snapshot(museum, AUDITED_FIELDS)), note=note)
    return museum


@transaction.atomic
def museum_update(*, museum: Museum, by, data: dict[str, Any], note: str = "") -> Museum:
    """Change a museum's fields; returns it saved. Registry fields only for the association (or the system,
    `by=None`)."""
    moved = bool(POSITION_FIELDS & data.keys())
    if by is not None:  # None: the system (demo data, imports)
        require(by, "museums.change_museum", museum)
        if moved:
            require(by, "museums.set_museum_position", museum)
    if REGISTRY_FIELDS & data.keys() and by is not None and not by.has_perm("museums.change_museum_registry"):
        raise ValidationError("只有协会管理员可以修改名称、等级、所在地、帮扶角色等名录信息。")
    before = snapshot(museum, AUDITED_FIELDS)
    place_changed = any(k in data and data[k] != getattr(museum, k) for k in ("city", "county"))
    province_changed = "province" in data and data["province"] != museum.province
    for key, value in data.items():
        setattr(museum, key, value)
    if moved and museum.lat is not None and museum.lng is not None:
        museum.lat, museum.lng = round(museum.lat, 6), round(museum.lng, 6)
    if "programme_role" in data and "programme_role_manual" not in data:
        museum.programme_role_manual = True
    if place_changed and museum.city_id:
        museum.needs_review = False
        museum.location_basis = "manual"
    apply_defaults(museum, rederive_tier=place_changed and "tier" not in data)
    validate_museum(museum)
    if moved or place_changed or province_changed:
        _check_place_of_position(museum, moved=moved)
    museum.save()
    changes = diff(before, snapshot(museum, AUDITED_FIELDS))
    if changes:
        audit(actor=by, action="修改博物馆", obj=museum, changes=changes, note=note)
    return museum


@transaction.atomic
def museum_set_position(*, museum: Museum, by, lat: float, lng: float) -> Museum:
    """An administrator marks the museum's exact position on the map; it must lie in China (`check_position`)."""
    if by is not None:
        require(by, "museums.set_museum_position", museum)
    check_position(lat, lng, city=museum.city, province=museum.province)
    before = snapshot(museum, ["lat", "lng", "position_precise"])
    museum.lat, museum.lng, museum.position_precise = round(lat, 6), round(lng, 6), True
    museum.save(update_fields=["lat", "lng", "position_precise", "updated_at"])
    audit(actor=by, action="标定位置", obj=museum, changes=diff(before, snapshot(museum, list(before))))
    return museum


@transaction.atomic
def museum_set_areas(*, museum: Museum, by, kind: str, items: dict[str, dict[str, Any]]) -> None:
    """Replace the museum's needs (or offers) with `items`: {area: {"text": ..., "capacity": ...}}."""
    if by is not None:
        require(by, "museums.change_museum", museum)
    if kind not in Offering.values:
        raise ValidationError("未知的类型。")
    unknown = set(items) - set(Area.values)
    if unknown:
        raise ValidationError(f"未知的领域：{'、'.join(sorted(unknown))}")
    for area, item in items.items():  # the model's field rules (control characters, capacity), as forms check
        try:
            MuseumArea(museum=museum, kind=kind, area=area, text=(item.get("text") or "").strip(),
                       capacity=item.get("capacity")).clean_fields(exclude=["museum"])
        except ValidationError as exc:
            raise ValidationError(f"{Area(area).label}：{join_messages(exc.messages)}") from exc
    existing = {a.area: a for a in museum.areas.filter(kind=kind)}
    before = {a: _area_state(e.text, e.capacity) for a, e in existing.items()}
    museum.areas.filter(kind=kind).exclude(area__in=list(items)).delete()
    for area, item in items.items():
        MuseumArea.objects.update_or_create(
            museum=museum, kind=kind, area=area,
            defaults={"text": (item.get("text") or "").strip(), "capacity": item.get("capacity")},
        )
    after = {a: _area_state((i.get("text") or "").strip(), i.get("capacity")) for a, i in items.items()}
    label = Offering(kind).label
    changes = {f"{label}·{Area(a).label}": [before.get(a, UNTICKED), after.get(a, UNTICKED)]
               for a in sorted(set(before) | set(after)) if before.get(a) != after.get(a)}
    if changes:
        audit(actor=by, action=f"修改{label}", obj=museum, changes=changes)


UNTICKED = "未勾选"


def _area_state(text: str, capacity: int | None) -> str:
    """A need or offer as the change history shows it: ticked or not, its sentence, the offer's capacity."""
    state = text or "已勾选（未填写说明）"
    return f"{state}（每年可承接 {capacity} 项）" if capacity is not None else state


@transaction.atomic
def museum_add_photo(*, museum: Museum, by, image, caption: str = "") -> MuseumPhoto:
    if by is not None:
        require(by, "museums.change_museum", museum)
    if museum.photos.count() >= 12:
        raise ValidationError("每个博物馆最多上传 12 张照片，请先删除旧照片。")
    photo = MuseumPhoto(museum=museum, image=image, caption=caption)
    photo.full_clean(exclude=["image"])  # checked before the file is written: a refusal leaves no file behind
    save_with_file(photo, "image")
    audit(actor=by, action="上传照片", obj=museum, changes={"照片": [None, photo.image.name]})
    return photo


@transaction.atomic
def museum_remove_photo(*, photo: MuseumPhoto, by) -> None:
    museum = photo.museum
    if by is not None:
        require(by, "museums.change_museum", museum)
    name = photo.image.name
    photo.delete()
    transaction.on_commit(lambda: photo.image.storage.delete(name))
    audit(actor=by, action="删除照片", obj=museum, changes={"照片": [name, None]})
