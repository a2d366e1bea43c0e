"""The demo's conservation: 山西博物院's lab services, a delivered XRF analysis for 安泽县博物馆 (in the ledger, on
its AZ- bronzes), a Raman request waiting for 安泽's admin to approve sampling, an open 会诊 with 孙文博's opinion
that his account (zhuanjia) can read, and a restoration project in progress — and loading again adds nothing."""

import pytest
from django.core.management import call_command

from bangfu.accounts.models import User
from bangfu.conservation.models import (
    Consultation,
    LabService,
    ProjectStatus,
    RequestStatus,
    RestorationProject,
    ServiceRequest,
)
from bangfu.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_delivered_analysis_an_open_case_with_an_opinion_and_a_project_under_way(client, capsys):
    call_command("load_demo")
    assert LabService.objects.filter(museum__name="山西博物院").count() == 3
    analysis = ServiceRequest.objects.get(status=RequestStatus.DELIVERED)
    assert (analysis.lab.name, analysis.museum.name, analysis.method) == ("山西博物院", "安泽县博物馆", "XRF")
    assert set(analysis.objects_linked.values_list("registration_number", flat=True)) == {"AZ-0001", "AZ-0008"}
    entry = LedgerEntry.objects.get(source_type="conservation.service", source_id=analysis.pk)
    assert entry.object_count == 2 and entry.area == "conservation"
    assert ServiceRequest.objects.filter(status=RequestStatus.AWAITING_APPROVAL, destructive=True).exists()
    case = Consultation.objects.get(status="open")
    assert list(case.opinions.values_list("expert__name", flat=True)) == ["孙文博"]
    client.force_login(User.objects.get(username="zhuanjia"), backend="bangfu.accounts.backends.AccountBackend")
    assert client.get(f"/conservation/consultations/{case.pk}/").status_code == 200
    project = RestorationProject.objects.get()
    assert project.status == ProjectStatus.ACTIVE and project.approval_authority == "山西省文物局"
    assert project.treatments.count() == 2 and project.stages.filter(started_on__isnull=False).count() == 3
    call_command("load_demo")
    assert (ServiceRequest.objects.count(), Consultation.objects.count(), RestorationProject.objects.count()) == (
        2, 1, 1)
    assert "实验室服务新增 0 项" in capsys.readouterr().out
