"""`send_reminders`: task reminders before the due date and when overdue, in the platform and by e-mail, once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bangfu.agreements.models import TaskStatus
from bangfu.agreements.services import task_complete, task_update
from bangfu.notifications.models import Notification
from bangfu.pairings.models import PairingStatus
from bangfu.pairings.services import pairing_set_status

from .factories import make_agreement, make_user

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the command; e-mails leave on commit, which the test's transaction would otherwise hold back."""

    def _run(*args) -> str:
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", *args, stdout=out)
        return out.getvalue()

    return _run


def keys_of(user) -> set[str]:
    return set(Notification.objects.filter(user=user).values_list("key", flat=True))


@pytest.fixture
def people(world):
    """E-mail addresses for everybody who may be reminded, and a second admin on the helped side."""
    world.helped_admin2 = make_user("museum_admin", museum=world.helped_museum, username="helped_admin2")
    for user in (world.helper_admin, world.helper_staff, world.helped_admin, world.helped_staff,
                 world.helped_admin2):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    Notification.objects.all().delete()  # what the agreement services sent while the world was built
    return world


def build(world, *tasks, confirmed=True):
    agreement = make_agreement(world, tasks=list(tasks), confirmed=confirmed)
    Notification.objects.all().delete()
    mail.outbox.clear()
    return {t.title: t for t in agreement.tasks.all()}


def test_a_task_due_soon_reminds_its_responsible_person(people, run):
    task = build(people, {"title": "培训班", "due_date": days(3), "responsible": people.helper_staff})["培训班"]
    output = run()
    assert keys_of(people.helper_staff) == {f"task-due-{task.pk}-{task.due_date}"}
    assert Notification.objects.count() == 1  # nobody else: the responsible person is enough
    assert [m.to for m in mail.outbox] == [["helper_staff@example.org"]]
    assert "3 天后" in mail.outbox[0].subject and "培训班" in mail.outbox[0].subject
    assert "已发送提醒 1 条（邮件 1 封）" in output


def test_without_a_responsible_person_the_owner_sides_admins_are_reminded(people, run):
    task = build(people, {"title": "县馆自查", "due_date": days(7), "owner_side": "helped"})["县馆自查"]
    run()
    key = f"task-due-{task.pk}-{task.due_date}"
    reminded = set(Notification.objects.filter(key=key).values_list("user__username", flat=True))
    assert reminded == {"helped_admin", "helped_admin2"}  # the helped side's admins, not its staff, not the helper


def test_a_task_due_later_than_the_window_waits_and_days_widens_it(people, run):
    build(people, {"title": "远期任务", "due_date": days(20), "responsible": people.helper_staff})
    run()
    assert not Notification.objects.exists()
    run("--days", "30")
    assert Notification.objects.count() == 1


def test_the_window_comes_from_the_setting(people, run, settings):
    settings.REMINDER_DAYS = 1
    build(people, {"title": "三天后", "due_date": days(3), "responsible": people.helper_staff})
    assert "1 天内到期的任务 0 项" in run()
    assert not Notification.objects.exists()


def test_an_overdue_task_reminds_the_responsible_person_and_both_sides_admins(people, run):
    task = build(people, {"title": "逾期任务", "due_date": days(-2), "responsible": people.helper_staff})["逾期任务"]
    run()
    key = f"task-overdue-{task.pk}-{task.due_date}"
    reminded = set(Notification.objects.filter(key=key).values_list("user__username", flat=True))
    assert reminded == {"helper_staff", "helper_admin", "helped_admin", "helped_admin2"}
    assert len(mail.outbox) == 4 and all("已逾期" in m.subject for m in mail.outbox)


def test_running_twice_sends_nothing_twice(people, run):
    build(people, {"title": "甲", "due_date": days(1), "responsible": people.helper_staff},
          {"title": "乙", "due_date": days(-1)})
    run()
    count, emails = Notification.objects.count(), len(mail.outbox)
    assert count == 1 + 3 and emails == 4
    output = run()
    assert Notification.objects.count() == count and len(mail.outbox) == emails
    assert "已发送提醒 0 条" in output and "之前已提醒过 4 条" in output


def test_a_new_due_date_is_a_new_reminder(people, run):
    task = build(people, {"title": "甲", "due_date": days(2), "responsible": people.helper_staff})["甲"]
    run()
    type(task).objects.filter(pk=task.pk).update(due_date=days(5))  # as an amendment would
    run()
    assert len(keys_of(people.helper_staff)) == 2


def test_a_dry_run_sends_and_records_nothing(people, run):
    build(people, {"title": "甲", "due_date": days(1), "responsible": people.helper_staff},
          {"title": "乙", "due_date": days(-1)})
    output = run("--dry-run")
    assert not Notification.objects.exists() and mail.outbox == []
    assert "试运行" in output and "将发送提醒 4 条" in output and "helper_staff" in output


def test_cancelled_and_done_tasks_are_never_reminded(people, run):
    tasks = build(people, {"title": "取消的", "due_date": days(-3)}, {"title": "完成的", "due_date": days(2)},
                  {"title": "进行中", "due_date": days(2), "responsible": people.helper_staff}, confirmed=True)
    task_update(task=tasks["取消的"], by=people.helper_admin, status=TaskStatus.CANCELLED)
    task_complete(task=tasks["完成的"], by=people.helper_admin, evidence_link="https://news.example.org/1")
    Notification.objects.all().delete()
    mail.outbox.clear()
    run()
    assert set(Notification.objects.values_list("key", flat=True)) == {
        f"task-due-{tasks['进行中'].pk}-{tasks['进行中'].due_date}"}


def test_tasks_of_an_ended_pairing_are_not_reminded(people, run):
    task = build(people, {"title": "甲", "due_date": days(-1), "responsible": people.helper_staff})["甲"]
    pairing_set_status(pairing=task.agreement.pairing, by=people.admin, status=PairingStatus.ENDED, reason="县馆撤并")
    assert "逾期任务 0 项" in run()
    assert not Notification.objects.exists()


def test_inactive_people_are_not_reminded(people, run):
    people.helper_staff.is_active = False
    people.helper_staff.save(update_fields=["is_active"])
    build(people, {"title": "甲", "due_date": days(1), "responsible": people.helper_staff})
    run()
    # the responsible person left: the owner side's admins hear instead
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"helper_admin"}


def test_the_reminder_links_to_the_task(people, run):
    task = build(people, {"title": "甲", "due_date": days(1), "responsible": people.helper_staff})["甲"]
    run()
    notification = Notification.objects.get()
    assert notification.url.endswith(f"/tasks/{task.pk}/")
    assert notification.url in mail.outbox[0].body


def test_someone_who_moved_to_another_museum_is_not_reminded(world, people, run):
    from bangfu.accounts.services import user_update

    build(world, {"title": "布展", "due_date": days(2), "responsible": people.helper_staff})
    user_update(by=world.admin, user=people.helper_staff, data={"museum": world.other_museum})
    run()
    assert keys_of(people.helper_staff) == set()
    assert keys_of(people.helper_admin)  # the owner side's admins instead
