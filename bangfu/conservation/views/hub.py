"""The conservation hub (文物保护): my museum's requests, cases and projects that need it, the labs' catalogue, the
counts and a chart of the requests by status. A fixed number of queries, whatever the rows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from bangfu.parties import works_at_museum

from ..models import (
    REQUEST_OPEN,
    Consultation,
    ConsultationStatus,
    LabService,
    ProjectStatus,
    RequestStatus,
    RestorationProject,
    ServiceRequest,
)
from .common import NAV

HUB_LIST = 6


@login_required
def home(request):
    user = request.user
    requests = ServiceRequest.objects.visible_to(user)
    cases = Consultation.objects.visible_to(user)
    projects = RestorationProject.objects.visible_to(user)
    by_status = dict(requests.order_by().values_list("status").annotate(n=Count("pk")))
    case_counts = cases.aggregate(open=Count("pk", filter=Q(status=ConsultationStatus.OPEN)), all=Count("pk"))
    project_counts = projects.aggregate(active=Count("pk", filter=Q(status=ProjectStatus.ACTIVE)),
                                        done=Count("pk", filter=Q(status=ProjectStatus.COMPLETED)))
    chart = [{"label": str(label), "value": by_status.get(status, 0)} for status, label in RequestStatus.choices]
    return render(request, "conservation/home.html", {
        "nav": NAV,
        "open_requests": list(requests.filter(status__in=REQUEST_OPEN).select_related("service", "lab", "museum")
                              .order_by("-updated_at", "-pk")[:HUB_LIST]),
        "open_cases": list(cases.filter(status=ConsultationStatus.OPEN).select_related("museum")
                           .order_by("-updated_at", "-pk")[:HUB_LIST]),
        "active_projects": list(projects.filter(status=ProjectStatus.ACTIVE).select_related("museum", "helper")
                                .order_by("-updated_at", "-pk")[:HUB_LIST]),
        "labs": list(LabService.objects.active().values("museum__name").annotate(n=Count("pk"))
                     .order_by("-n", "museum__name")[:HUB_LIST]),
        "counts": {"requests_open": sum(by_status.get(s, 0) for s in REQUEST_OPEN),
                   "requests_all": sum(by_status.values()), "cases_open": case_counts["open"],
                   "cases_all": case_counts["all"], "projects_active": project_counts["active"],
                   "projects_done": project_counts["done"]},
        "chart": chart if any(c["value"] for c in chart) else None,
        "at_museum": works_at_museum(user),
    })
