"""The home page: for each role, what needs the user's attention; for the public, the programme at a glance."""

import datetime

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.shortcuts import render
from django.utils import timezone

from bangfu.accounts.models import Role, User
from bangfu.agreements.models import AgreementTask, Side, deadline_before
from bangfu.agreements.selectors import awaiting_confirmation_by as agreements_awaiting
from bangfu.core.models import AuditEntry
from bangfu.core.modules import ALL_MODULES, AREA_MODULES, PROGRAMME_MODULES
from bangfu.ledger.models import Confirmation, LedgerEntry, LedgerSummary
from bangfu.museums.models import Museum, MuseumArea, Offering, ProgrammeRole
from bangfu.notifications.models import Notification
from bangfu.pairings.models import OPEN_STATUSES, Pairing, PairingStatus
from bangfu.places.models import Division

TASK_HORIZON_DAYS = 14  # "due soon" on the home pages
HOME_LIST = 6  # rows per list on a home page


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


def _live_tasks(user):
    """Open tasks the user may see, of pairings still running."""
    return AgreementTask.objects.visible_to(user).agreed().open().filter(
        agreement__pairing__status__in=OPEN_STATUSES)


def task_counts(tasks, today: datetime.date) -> dict:
    """How many of `tasks` are overdue and due within the horizon (one query)."""
    return tasks.aggregate(
        overdue=Count("pk", filter=deadline_before(today)),
        due_soon=Count("pk", filter=~deadline_before(today) & Q(due_date__lte=today + datetime.timedelta(
            days=TASK_HORIZON_DAYS))),
    )


def _my_tasks(user) -> dict:
    """The user's overdue and soon-due tasks: those they are responsible for first, then those of their museum's
    side, then the other side's (three queries)."""
    today = timezone.localdate()
    tasks = _live_tasks(user)
    museum = user.museum_id
    ours = (Q(agreement__pairing__helper_id=museum, owner_side__in=[Side.HELPER, Side.BOTH])
            | Q(agreement__pairing__helped_id=museum, owner_side__in=[Side.HELPED, Side.BOTH]))
    ranked = tasks.with_pairing().select_related("agreement").annotate(rank=Case(
        When(responsible_id=user.pk, then=Value(0)), When(ours, then=Value(1)), default=Value(2),
        output_field=IntegerField(),
    )).order_by("rank", "due_date", "pk")
    overdue = list(ranked.overdue(today=today)[:HOME_LIST])
    due = list(ranked.due_within(TASK_HORIZON_DAYS, today=today)[:HOME_LIST])
    for task in overdue + due:
        task.days_left = (task.due_date - today).days
        task.days_overdue = -task.days_left
    return {
        "overdue_tasks": overdue,
        "due_tasks": due,
        "task_counts": task_counts(tasks, today),
        "horizon": TASK_HORIZON_DAYS,
    }


def _unread(user) -> dict:
    return {"unread": list(Notification.objects.filter(user=user, read_at__isnull=True)
                           .order_by("-created_at", "-id")[:HOME_LIST])}


def _has_area(kind: str):
    return Exists(MuseumArea.objects.filter(museum=OuterRef("pk"), kind=kind))


def _admin_context(user) -> dict:
    museums = Museum.objects.all()
    return {
        "stats": museum_stats(museums),
        "review_count": museums.needing_review().count(),
        "helped_without_needs": museums.helped().exclude(_has_area(Offering.NEED)).count(),
        "helpers_without_offers": museums.helpers().exclude(_has_area(Offering.OFFER)).count(),
        "helpers_without_account": museums.helpers().exclude(
            Exists(User.objects.filter(museum=OuterRef("pk"), role=Role.MUSEUM_ADMIN, is_active=True))
        ).count(),
        "recent": list(AuditEntry.objects.with_actor()[:8]),
        "task_counts": task_counts(_live_tasks(user), timezone.localdate()),
        "awaiting": LedgerEntry.objects.awaiting_confirmation_by(user).count(),
        "horizon": TASK_HORIZON_DAYS,
    } | _unread(user)


def _supervisor_context(user) -> dict:
    jurisdiction = user.jurisdiction
    museums = Museum.objects.in_division(jurisdiction)
    is_city = jurisdiction.level == "city"
    return {
        "stats": museum_stats(museums, by="county" if is_city else "city"),
        "group_label": "各县（区、市）" if is_city else "各市",
        "map_view": {"center": [jurisdiction.lng, jurisdiction.lat], "zoom": 3} if is_city else {},
        "review_count": museums.needing_review().count(),
        "helped_without_needs": museums.helped().exclude(_has_area(Offering.NEED)).count(),
        "jurisdiction": jurisdiction,
        "points_query": f"city={jurisdiction.pk}" if is_city else "",
        "pairing_counts": _pairing_counts(user),
        "task_counts": task_counts(_live_tasks(user), timezone.localdate()),
        "ledger_count": LedgerSummary.objects.visible_to(user).filter(
            state=Confirmation.CONFIRMED, month__year=timezone.localdate().year,
        ).aggregate(n=Sum("entries"))["n"] or 0,
        "horizon": TASK_HORIZON_DAYS,
        "year": timezone.localdate().year,
    } | _unread(user)


def _pairing_counts(user) -> dict:
    """Pairings in the user's sight by status (one query)."""
    counts = dict(Pairing.objects.visible_to(user).order_by().values_list("status").annotate(n=Count("id")))
    return {
        "running": sum(counts.get(s, 0) for s in OPEN_STATUSES),
        "active": counts.get(PairingStatus.ACTIVE, 0),
        "proposed": counts.get(PairingStatus.PROPOSED, 0) + counts.get(PairingStatus.AGREED, 0),
        "finished": counts.get(PairingStatus.COMPLETED, 0) + counts.get(PairingStatus.ENDED, 0),
    }


def _museum_context(user) -> dict:
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
    return {
        "museum": museum,
        "checklist": checklist,
        "completeness": round(100 * done / len(checklist)),
        "colleagues": User.objects.of_museum(museum).filter(is_active=True).count(),
        "awaiting": LedgerEntry.objects.awaiting_confirmation_by(user).count(),
        "agreements_awaiting": list(agreements_awaiting(user)[:HOME_LIST]),
        "pairing_count": Pairing.objects.open().of_museum(museum.pk).count(),
    } | _my_tasks(user) | _unread(user)


def _expert_context(user) -> dict:
    profile = getattr(user, "expert_profile", None)
    return {"profile": profile} | _unread(user)


def _public_context() -> dict:
    return {
        "stats": museum_stats(Museum.objects.all()),
        "counties_covered": Museum.objects.helped().values("county").distinct().count(),
        "city_count": Division.objects.cities().count(),
        # What the note under the charts says is working and what is still being built (from core.modules).
        "modules_built": [m.title for m in PROGRAMME_MODULES if m.built],
        "modules_building": [m.title for m in PROGRAMME_MODULES if not m.built]
        + (["七大领域业务"] if any(not m.built for m in AREA_MODULES) else []),
        "portal_built": ALL_MODULES["portal"].built,
    }


def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "dashboard/public.html", _public_context())
    if user.is_association_admin:
        return render(request, "dashboard/association.html", _admin_context(user))
    if user.role == Role.SUPERVISOR and user.jurisdiction_id:
        return render(request, "dashboard/supervisor.html", _supervisor_context(user))
    if user.is_museum_member:
        return render(request, "dashboard/museum.html", _museum_context(user))
    return render(request, "dashboard/expert.html", _expert_context(user))
