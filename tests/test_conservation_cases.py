"""专家会诊: a museum opens a case about its objects, the association or the helper invites experts from the pool,
invited experts see the case and write opinions (one expert not invited sees nothing), the case ends with a
conclusion and a recommended plan, and 转为修复项目 makes a restoration project of it in one step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bangfu.accounts.models import User
from bangfu.conservation.models import ConsultationStatus, Invitation, RestorationMode
from bangfu.conservation.services import (
    consultation_conclude,
    consultation_invite,
    consultation_open,
    consultation_to_project,
    opinion_add,
)
from bangfu.experts.services import expert_create
from bangfu.notifications.models import Notification

from .conservation_data import helped_object, png
from .factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(world):
    sun = expert_create(by=world.admin, name="孙文博", organisation="山西博物院", areas=["conservation"],
                        user=world.expert)
    other_user = make_user("expert", username="expert2")
    li = expert_create(by=world.admin, name="李青", organisation="山西考古研究院", areas=["conservation"],
                       user=other_user)
    return sun, li


def a_case(world, **values):
    fields = {"title": "彩绘陶俑颜料起甲", "problem": "颜料层起甲、局部脱落", "condition": "出土后未做处理",
              "helper": world.helper_museum, "objects_by_hand": "彩绘陶俑"} | values
    return consultation_open(museum=world.helped_museum, by=world.helped_admin, **fields)


def test_a_museum_opens_a_case_about_its_objects_with_photos_and_its_helper_hears_of_it(
        world, django_capture_on_commit_callbacks):
    obj = helped_object(world)
    with django_capture_on_commit_callbacks(execute=True):
        case = a_case(world, objects=[obj], photos=[png("起甲.png")])
    assert list(case.objects_linked.all()) == [obj] and case.hand_list == ["彩绘陶俑"]
    assert case.attachments.get().kind == "photo"
    assert Notification.objects.filter(user=world.helper_admin, title__contains="彩绘陶俑颜料起甲").exists()


def test_a_museum_may_not_open_a_case_for_another_museum_but_the_association_may(world):
    with pytest.raises(PermissionDenied):
        consultation_open(museum=world.other_museum, by=world.helped_admin, title="代开", problem="问题",
                          objects_by_hand="陶罐")
    case = consultation_open(museum=world.other_museum, by=world.admin, title="协会代开", problem="问题",
                             objects_by_hand="陶罐")
    assert case.museum == world.other_museum


def test_the_helper_or_the_association_invites_experts_and_they_are_notified(
        world, experts, django_capture_on_commit_callbacks):
    sun, li = experts
    case = a_case(world)
    with pytest.raises(PermissionDenied):
        consultation_invite(consultation=case, by=world.helped_admin, experts=[sun])
    with django_capture_on_commit_callbacks(execute=True):
        consultation_invite(consultation=case, by=world.helper_staff, experts=[sun])
    assert Notification.objects.filter(user=world.expert, title__contains="邀请您参加专家会诊").exists()
    consultation_invite(consultation=case, by=world.admin, experts=[sun, li])
    invited = Invitation.objects.filter(consultation=case).values_list("expert__name", flat=True)
    assert set(invited) == {"孙文博", "李青"}
    with pytest.raises(ValidationError, match="都已在邀请之列"):
        consultation_invite(consultation=case, by=world.admin, experts=[li])


def test_an_invited_expert_sees_the_case_and_writes_opinions_an_expert_not_invited_does_not(world, experts, login):
    sun, li = experts
    case = a_case(world)
    consultation_invite(consultation=case, by=world.admin, experts=[sun])
    url = f"/conservation/consultations/{case.pk}/"
    assert login(world.expert).get(url).status_code == 200
    opinion_add(consultation=case, by=world.expert, text="先做加固试验。")
    opinion_add(consultation=case, by=world.expert, text="补充：控制湿度 45%–55%。")
    assert list(case.opinions.values_list("expert__name", flat=True)) == ["孙文博", "孙文博"]
    stranger = User.objects.get(username="expert2")
    assert login(stranger).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        opinion_add(consultation=case, by=stranger, text="我也说两句")
    page = login(world.expert).get("/conservation/consultations/")
    assert [c.pk for c in page.context["page"].object_list] == [case.pk]
    assert list(login(stranger).get("/conservation/consultations/").context["page"].object_list) == []


def test_museum_staff_cannot_write_expert_opinions_and_the_association_records_one_only_for_an_invited_expert(
        world, experts):
    sun, li = experts
    case = a_case(world)
    consultation_invite(consultation=case, by=world.admin, experts=[sun])
    with pytest.raises(PermissionDenied):
        opinion_add(consultation=case, by=world.helper_admin, text="意见")
    with pytest.raises(ValidationError, match="只能记录已邀请专家的意见"):
        opinion_add(consultation=case, by=world.admin, text="意见", expert=li)
    opinion = opinion_add(consultation=case, by=world.admin, text="电话会诊记录", expert=sun)
    assert opinion.expert == sun and opinion.written_by == world.admin


def test_a_conclusion_ends_the_case_tells_the_invited_experts_and_stops_further_opinions(
        world, experts, django_capture_on_commit_callbacks):
    sun, _ = experts
    case = a_case(world)
    consultation_invite(consultation=case, by=world.admin, experts=[sun])
    with pytest.raises(ValidationError) as refused:
        consultation_conclude(consultation=case, by=world.helped_admin, conclusion=" ")
    assert refused.value.message_dict == {"conclusion": ["请填写会诊结论。"]}
    with django_capture_on_commit_callbacks(execute=True):
        consultation_conclude(consultation=case, by=world.helped_admin, conclusion="颜料层需加固",
                              recommended_plan="1. 清洁 2. 加固 3. 回贴")
    case.refresh_from_db()
    assert case.status == ConsultationStatus.CONCLUDED and case.concluded_on is not None
    assert Notification.objects.filter(user=world.expert, title__contains="已形成结论").exists()
    with pytest.raises(PermissionDenied):
        opinion_add(consultation=case, by=world.expert, text="迟到的意见")


def test_a_concluded_case_becomes_a_restoration_project_in_one_step_once(world, experts):
    obj = helped_object(world)
    case = a_case(world, objects=[obj])
    with pytest.raises(ValidationError, match="形成结论后"):
        consultation_to_project(consultation=case, by=world.helper_admin)
    consultation_conclude(consultation=case, by=world.helped_admin, conclusion="需修复",
                          recommended_plan="清洗、加固、回贴")
    project = consultation_to_project(consultation=case, by=world.helper_admin, mode=RestorationMode.GUIDED)
    assert (project.museum, project.helper, project.mode) == (world.helped_museum, world.helper_museum, "guided")
    assert project.plan == "清洗、加固、回贴" and project.consultation == case
    assert list(project.objects_linked.all()) == [obj] and project.hand_list == ["彩绘陶俑"]
    assert project.stages.count() == 8
    with pytest.raises(ValidationError, match="已经转为修复项目"):
        consultation_to_project(consultation=case, by=world.helper_admin)


def test_a_case_without_a_helper_asks_for_one_when_it_becomes_a_project(world):
    case = a_case(world, helper=None)
    consultation_conclude(consultation=case, by=world.helped_admin, conclusion="需修复")
    with pytest.raises(ValidationError) as refused:
        consultation_to_project(consultation=case, by=world.helped_admin)
    assert "helper" in refused.value.message_dict
    project = consultation_to_project(consultation=case, by=world.helped_admin, helper=world.helper_museum)
    assert project.helper == world.helper_museum


def test_outsiders_and_supervisors_elsewhere_see_no_case_the_province_supervisor_reads_it(world, login):
    case = a_case(world)
    url = f"/conservation/consultations/{case.pk}/"
    assert login(world.outsider).get(url).status_code == 404
    assert login(world.city_supervisor).get(url).status_code == 404  # 大同 is not 临汾
    page = login(world.province_supervisor).get(url)
    assert page.status_code == 200 and not page.context["may_conclude"]
