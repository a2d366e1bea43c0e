"""The museum registry's panels on the home pages: counts and charts of the museums in sight, what the registry
still lacks, and a museum's own profile checklist."""

from django.db.models import Count, Exists, F, OuterRef, Q

from .models import Museum, MuseumArea, Offering, ProgrammeRole


def museum_stats(museums, *, by: str = "city") -> dict:
    """Counts for the charts: by grade, by programme role, by city or county (three queries)."""
    by_grade = dict(museums.values_list("grade").annotate(n=Count("id")).order_by())
    by_role = dict(museums.values_list("programme_role").annotate(n=Count("id")).order_by())
    by_city = list(
        museums.values(place=F(f"{by}__name"), place_code=F(f"{by}__code")).annotate(
            total=Count("id"),
            helpers=Count("id", filter=Q(programme_role__in=[ProgrammeRole.HELPER, ProgrammeRole.BOTH])),
            helped=Count("id", filter=Q(programme_role__in=[ProgrammeRole.HELPED, ProgrammeRole.BOTH])),
            others=Count("id", filter=Q(programme_role=ProgrammeRole.NONE)),
        ).order_by(F("place_code").asc(nulls_last=True))
    )
    # Museums whose county (or city) is not known still count: in a bar of their own.
    unplaced = "市直属或县未定" if by == "county" else "所在市待核实"
    role_labels = dict(ProgrammeRole.choices)
    return {
        "total": sum(by_grade.values()),
        "grades": [{"name": g, "value": by_grade.get(g, 0)} for g in ("一级", "二级", "三级", "未定级")],
        "roles": [{"name": role_labels[r], "value": by_role.get(r, 0), "code": r} for r in role_labels],
        "cities": {
            "names": [c["place"] or unplaced for c in by_city],
            "helpers": [c["helpers"] for c in by_city],
            "helped": [c["helped"] for c in by_city],
            "others": [c["others"] for c in by_city],
        },
        "helpers": by_role.get(ProgrammeRole.HELPER, 0) + by_role.get(ProgrammeRole.BOTH, 0),
        "helped": by_role.get(ProgrammeRole.HELPED, 0) + by_role.get(ProgrammeRole.BOTH, 0),
    }


def _has_area(kind: str):
    return Exists(MuseumArea.objects.filter(museum=OuterRef("pk"), kind=kind))


def association(user) -> dict:
    museums = Museum.objects.all()
    return {
        "stats": museum_stats(museums),
        "review_count": museums.needing_review().count(),
        "helped_without_needs": museums.helped().exclude(_has_area(Offering.NEED)).count(),
        "helpers_without_offers": museums.helpers().exclude(_has_area(Offering.OFFER)).count(),
    }


def supervisor(user) -> dict:
    jurisdiction = user.jurisdiction
    museums = Museum.objects.in_division(jurisdiction)
    is_city = jurisdiction.level == "city"
    return {
        "stats": museum_stats(museums, by="county" if is_city else "city"),
        "group_label": "各县（区、市）" if is_city else "各市",
        "map_view": {"center": [jurisdiction.lng, jurisdiction.lat], "zoom": 3} if is_city else {},
        "review_count": museums.needing_review().count(),
        "helped_without_needs": museums.helped().exclude(_has_area(Offering.NEED)).count(),
        "points_query": f"city={jurisdiction.pk}" if is_city else "",
    }


def public(user) -> dict:
    return {
        "stats": museum_stats(Museum.objects.all()),
        "counties_covered": Museum.objects.helped().values("county").distinct().count(),
    }


def own_museum(user) -> dict:
    """The user's museum and how complete its profile is."""
    museum = Museum.objects.with_places().get(pk=user.museum_id)
    kinds = set(museum.areas.values_list("kind", flat=True))
    checklist = [
        ("简介", bool(museum.introduction), "museums:edit"),
        ("联系人与电话", bool(museum.contact_person and museum.phone), "museums:edit"),
        ("标志", bool(museum.logo), "museums:edit"),
        ("照片", museum.photos.exists(), "museums:photos"),
        ("员工人数", museum.staff_count is not None, "museums:edit"),
        ("精确位置", museum.position_precise, "museums:edit"),
    ]
    if museum.is_helped:
        checklist.append(("帮扶需求", Offering.NEED in kinds, "museums:edit_areas"))
    if museum.is_helper:
        checklist.append(("可提供的帮扶", Offering.OFFER in kinds, "museums:edit_areas"))
    done = sum(1 for _, ok, _ in checklist if ok)
    return {"museum": museum, "checklist": checklist, "completeness": round(100 * done / len(checklist))}
