"""Agreement operations: drafting, amendments, the two-side confirmation, tasks, evidence and progress reports.

What both museums confirmed is frozen in an AgreementVersion. Changing the content of a confirmed agreement
opens an amendment (version + 1, both confirmations cleared) that both sides confirm again, so a confirmed
agreement is never changed silently. Completing a task writes its one entry in the ledger."""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import MUSEUM_ROLES
from bangfu.core.areas import Area
from bangfu.core.attachments import attachment_new, attachment_remove, attachment_store
from bangfu.core.audit import audit, diff, snapshot
from bangfu.core.dates import cn_date, term_errors
from bangfu.core.models import Attachment, AttachmentKind
from bangfu.core.validation import collect, raise_collected
from bangfu.core.workflow import transition
from bangfu.ledger.models import QUANTITIES, QUANTITY_FIELDS
from bangfu.ledger.services import date_error as ledger_date_error
from bangfu.ledger.services import ledger_record, quantity_errors
from bangfu.notifications.services import mark_answered, notify
from bangfu.pairings.models import Pairing, PairingStatus
from bangfu.parties import museums_of, other_side, parties_of, side_of

from .models import (
    Agreement,
    AgreementGoal,
    AgreementStatus,
    AgreementTask,
    AgreementVersion,
    ProgressReport,
    Side,
    TaskStatus,
)

AGREEMENT_FIELDS = ["title", "term_start", "term_end", "background", "deliverables"]
# The terms of each task, as the signed document prints them: changing one on a confirmed agreement is an amendment.
TASK_TERMS = ["title", "area", "owner_side", "due_date", "description"]
# Working details: who carries the task out and what its completion will record in the ledger (planned, then
# actual quantities). They are kept in each version for the record but change without an amendment.
TASK_DETAILS = ["responsible", "responsible_name", "ledger_kind", *QUANTITY_FIELDS]
# How the work is going; changed at any time by the people doing it.
TASK_WORK_FIELDS = ["status", "progress", "responsible", "responsible_name"]
LEDGER_SOURCE = "agreements.task"
MAX_EVIDENCE_PER_TASK = 30
_UNSET: Any = object()


# --- reading the content -------------------------------------------------------------------------------


def area_order(area: str) -> int:
    return Area.values.index(area) if area in Area.values else len(Area.values)


def default_title(pairing: Pairing) -> str:
    return f"{pairing.helper.name}与{pairing.helped.name}帮扶协议"


def task_content(task: AgreementTask) -> dict[str, Any]:
    return {
        "id": task.pk, "title": task.title, "area": task.area, "area_label": Area(task.area).label,
        "owner_side": task.owner_side, "owner_side_label": Side(task.owner_side).label,
        "responsible": task.responsible_label if (task.responsible_id or task.responsible_name) else "",
        "due_date": task.due_date.isoformat(), "description": task.description, "ledger_kind": task.ledger_kind,
        "people_trained": task.people_trained, "days": f"{Decimal(task.days):.1f}",
        "object_count": task.object_count, "visitors": task.visitors, "money_yuan": f"{Decimal(task.money_yuan):.2f}",
    }


def agreement_content(agreement: Agreement, *, goals=None, tasks=None) -> dict[str, Any]:
    """What the agreement says, as plain JSON: what a version freezes, the .docx and the print view show.

    `goals` and `tasks` may be passed when the caller has already loaded them (the pairing page)."""
    pairing = agreement.pairing
    goals = sorted(agreement.goals.all() if goals is None else goals, key=lambda g: (area_order(g.area), g.pk))
    tasks = list(agreement.tasks.select_related("responsible") if tasks is None else tasks)
    return {
        "title": agreement.title,
        "helper": pairing.helper.name,
        "helped": pairing.helped.name,
        "term_start": agreement.term_start.isoformat(),
        "term_end": agreement.term_end.isoformat(),
        "background": agreement.background,
        "deliverables": agreement.deliverable_list,
        "goals": [{"area": g.area, "area_label": Area(g.area).label, "text": g.text} for g in goals],
        "tasks": [task_content(t) for t in sorted(tasks, key=lambda t: (t.due_date, t.pk))],
    }


def confirmations_of(agreement: Agreement) -> dict[str, dict[str, str]]:
    """Who confirmed for each side and when, as the documents print it."""
    result = {}
    for side in ("helper", "helped"):
        at = getattr(agreement, f"{side}_confirmed_at")
        if at:
            person = getattr(agreement, f"{side}_confirmed_by")
            result[side] = {"by": person.display_name if person else "", "by_id": person.pk if person else None,
                            "at": at.isoformat()}
    return result


TERM_KEYS = {"id", *TASK_TERMS}


def _agreed_part(content: dict[str, Any]) -> dict[str, Any]:
    """The terms of the agreement: the content without the tasks' working details."""
    return content | {"tasks": [{k: v for k, v in t.items() if k in TERM_KEYS} for t in content["tasks"]]}


def terms_fingerprint(agreement: Agreement) -> str:
    """A short hash of the agreement's terms as they are now: the confirm button carries the one the admin read."""
    terms = json.dumps(_agreed_part(agreement_content(agreement)), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(terms.encode()).hexdigest()[:16]


def _detail_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{"负责人·task": [old, new], …} for the working details that changed between two contents."""
    old_tasks = {t["id"]: t for t in before["tasks"]}
    changes = {}
    for task in after["tasks"]:
        old = old_tasks.get(task["id"], {})
        for key in ("responsible", "ledger_kind", *QUANTITY_FIELDS):
            if old.get(key) != task.get(key):
                changes[f"{TASK_LABELS[key]}·{task['title']}"] = [old.get(key), task.get(key)]
    return changes


def content_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{label: [old, new]} between two contents, for the audit log and the amendment summary."""
    labels = {"title": "协议名称", "term_start": "开始日期", "term_end": "结束日期", "background": "背景与总体目标",
              "deliverables": "预期成果"}
    changes: dict[str, list[Any]] = {}
    for key, label in labels.items():
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[label] = ["；".join(old) if isinstance(old, list) else old,
                              "；".join(new) if isinstance(new, list) else new]
    old_goals = {g["area"]: g["text"] for g in before.get("goals", [])}
    new_goals = {g["area"]: g["text"] for g in after.get("goals", [])}
    for area in sorted(set(old_goals) | set(new_goals), key=area_order):
        if old_goals.get(area) != new_goals.get(area):
            changes[f"目标·{Area(area).label}"] = [old_goals.get(area), new_goals.get(area)]
    old_tasks = {t["id"]: t for t in _agreed_part(before).get("tasks", [])}
    new_tasks = {t["id"]: t for t in _agreed_part(after).get("tasks", [])}
    for pk, task in new_tasks.items():
        old = old_tasks.get(pk)
        if old is None:
            changes[f"新增任务·{task['title']}"] = [None, f"{task['due_date']} 前完成"]
        elif old != task:
            changed = [TASK_LABELS.get(k, k) for k in task if old.get(k) != task[k] and not k.endswith("_label")]
            changes[f"修改任务·{task['title']}"] = [old["title"] if old["title"] != task["title"] else None,
                                                 "、".join(changed)]
    for pk, task in old_tasks.items():
        if pk not in new_tasks:
            changes[f"删除任务·{task['title']}"] = [task["title"], None]
    return changes


TASK_LABELS = {
    "title": "名称", "area": "领域", "owner_side": "负责方", "due_date": "截止日期", "description": "说明",
    "ledger_kind": "帮扶形式", "responsible": "负责人", **{q.name: q.label for q in QUANTITIES},
}


# --- checks shared by the operations -------------------------------------------------------------------


def _check(by, perm: str, obj) -> None:
    """The acting user must hold `perm` on `obj`; `by=None` is the system (commands, data migrations)."""
    if by is not None and not by.has_perm(perm, obj):
        raise PermissionDenied("您没有权限进行此操作。")


def _require_open(pairing: Pairing) -> None:
    if not pairing.is_open:
        raise ValidationError(f"结对已{pairing.get_status_display()}，协议和任务不能再修改。")


def _locked_agreement(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update(of=("self",)).select_related(
        "pairing__helper", "pairing__helped").get(pk=agreement.pk)


def _locked_pairing(pairing: Pairing) -> Pairing:
    # FOR NO KEY UPDATE: a ledger entry inserted meanwhile (a task completed) only needs a key-share lock on the
    # pairing, which this does not block (a full FOR UPDATE did, and the two requests could deadlock).
    return Pairing.objects.select_for_update(of=("self",), no_key=True).select_related("helper", "helped").get(
        pk=pairing.pk)


def _locked_task(task: AgreementTask) -> AgreementTask:
    return AgreementTask.objects.select_for_update(of=("self",)).select_related(
        "agreement__pairing__helper", "agreement__pairing__helped", "responsible").get(pk=task.pk)


def why_task_waits(task: AgreementTask) -> str:
    """Why no work can be reported on the task yet, or "" when it can. Work is done on tasks as both sides
    confirmed them: not on a draft, not on a task an open amendment adds, and not on a task whose terms an open
    amendment changes (until both sides confirm the change). The task page asks this too, so it never offers a
    form the service would refuse."""
    latest = task.agreement.versions.order_by("-version").only("content").first()
    if latest is None:
        return "协议经双方确认后才能推进任务。"
    agreed = {t["id"]: t for t in latest.content.get("tasks", [])}
    if task.pk not in agreed:
        return "该任务属于尚未确认的协议修订，双方确认后才能推进。"
    current = task_content(task)
    if any(agreed[task.pk].get(k) != current.get(k) for k in TASK_TERMS):
        return "该任务的内容在协议修订中有改动，双方确认修订后才能推进。"
    return ""


def _require_agreed(task: AgreementTask) -> None:
    reason = why_task_waits(task)
    if reason:
        raise ValidationError(reason)


def may_complete(user, task: AgreementTask) -> bool:
    """A task is run by the side that carries it out (or the association), not by the side it helps: progress,
    completion, who is responsible and the quantities (the rule `agreements.manage_task`)."""
    return user is None or user.has_perm("agreements.manage_task", task)


def _require_owner_side(task: AgreementTask, by, *, what: str = "更新进度和确认完成") -> None:
    if not may_complete(by, task):
        owner = task.runs_label
        if not owner:
            raise PermissionDenied(f"这项任务的负责方在协议修订中有改动，双方确认修订前只有协会可以{what}。")
        raise PermissionDenied(f"这项任务由{owner}负责，只有{owner}或协会可以{what}。")


def responsible_error(person, owner_side: str, pairing: Pairing) -> str:
    """What is wrong with the person responsible for a task of `owner_side` ("" when nothing is): they must work
    at a museum of that side. `_check_responsible` and the task forms ask it."""
    if person is None or owner_side not in Side.values:
        return ""
    if person.role not in MUSEUM_ROLES or person.museum_id not in museums_of(pairing, Side.museums(owner_side)):
        return f"负责人应为负责方（{Side(owner_side).label}）的工作人员。"
    return ""


def _check_responsible(task: AgreementTask, pairing: Pairing) -> None:
    message = responsible_error(task.responsible, task.owner_side, pairing)
    if message:
        raise ValidationError({"responsible": message})


def due_date_error(due: datetime.date, *, term: tuple[datetime.date, datetime.date]) -> str:
    """What is wrong with a task's due date for the agreement's term ("" when nothing is): it must fall within.
    `agreement_update` and the task forms ask it."""
    return "" if term[0] <= due <= term[1] else _within_term(term)


def _within_term(term: tuple[datetime.date, datetime.date]) -> str:
    return f"截止日期应在协议期限（{cn_date(term[0])}至{cn_date(term[1])}）之内。"


def completion_errors(*, task: AgreementTask, completed_on: datetime.date | None, quantities: dict[str, Any],
                      new_evidence: bool) -> dict[str, str]:
    """Every refusal of completing `task` with these values at once, by the fields of `task_complete`: the date
    (not in the future, not before the ledger allows), the quantities (the association's limits) and the evidence
    (at least one piece, on the task or given now). `task_complete` and the completion form ask it."""
    errors = {}
    if completed_on is not None:
        if completed_on > timezone.localdate():
            errors["completed_on"] = "完成日期不能晚于今天。"
        elif message := ledger_date_error(completed_on, task.agreement.pairing):
            errors["completed_on"] = message
    errors |= quantity_errors(quantities)
    if not new_evidence and not task.evidence.exists():
        errors["evidence_file"] = "完成任务需要至少一份佐证材料：照片、文件或链接。"
    return errors


def _people_of(pairing: Pairing, *sides: str) -> list:
    """The active museum admins of the given sides, to notify."""
    from bangfu.accounts.models import User

    return list(User.objects.filter(museum_id__in=museums_of(pairing, sides), role="museum_admin", is_active=True))


def sides_without_admin(pairing: Pairing) -> list[str]:
    """The sides ("helper", "helped") whose museum has no active museum admin: nobody there can confirm."""
    from bangfu.accounts.models import User

    parties = parties_of(pairing)
    with_admin = set(User.objects.filter(museum_id__in=parties.values(), role="museum_admin",
                                         is_active=True).values_list("museum_id", flat=True))
    return [side for side, museum in parties.items() if museum not in with_admin]


def nobody_to_confirm(pairing: Pairing) -> str:
    """The warning when a side cannot confirm the agreement for lack of a museum admin account ("" otherwise):
    said when the agreement is submitted and on the pairing page."""
    sides = sides_without_admin(pairing)
    if not sides:
        return ""
    who = "和".join(Side(side).label for side in sides)
    return f"{who}尚无馆管理员账号，无人能确认；请联系协会为其开通账号。"


def _confirmation_asked(agreement: Agreement, *, museum_id: int | None = None) -> None:
    """The notices asking to confirm this version ("等待贵馆确认") are answered: for the admins of `museum_id` once
    their museum confirmed, for everyone when the version goes back to the draft."""
    from bangfu.accounts.models import User

    users = None if museum_id is None else User.objects.filter(museum_id=museum_id)
    for kind in ("submitted", "confirmed-by-"):
        mark_answered(key_prefix=f"agreement:{agreement.pk}:v{agreement.version}:{kind}", users=users)


def _tell(*, pairing: Pairing, by, sides: tuple[str, ...], key: str, title: str, body: str = "") -> None:
    """Notify the museum admins of `sides` (never the person who acted) in the platform and by e-mail."""
    url = reverse("agreements:pairing", args=[pairing.pk])
    for person in _people_of(pairing, *sides):
        if by is None or person.pk != by.pk:
            notify(user=person, key=key, title=title, body=body, url=url, email=True)


# --- the agreement -------------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *, pairing: Pairing, by, title: str = "", term_start: datetime.date | None = None,
    term_end: datetime.date | None = None, background: str = "", deliverables: str = "",
) -> Agreement:
    """Draft the pairing's agreement (either museum or the association). The title and term default to the
    pairing's museums and dates."""
    pairing = _locked_pairing(pairing)
    _check(by, "agreements.edit_agreement", pairing)
    _require_open(pairing)
    if Agreement.objects.filter(pairing=pairing).exists():
        raise ValidationError("该结对已有帮扶协议。")
    agreement = Agreement(
        pairing=pairing, title=title.strip() or default_title(pairing),
        term_start=term_start or pairing.start_date, term_end=term_end or pairing.end_date,
        background=background.strip(), deliverables=deliverables.strip(),
        created_by=by if getattr(by, "pk", None) else None,
    )
    errors: dict[str, list] = {}
    _check_agreement(agreement, errors, start_changed=agreement.term_start != pairing.start_date)
    raise_collected(errors)
    agreement.save()
    audit(actor=by, action="起草帮扶协议", obj=agreement, changes=diff({}, snapshot(agreement, AGREEMENT_FIELDS)))
    return agreement


def agreement_term_errors(*, pairing: Pairing, start: datetime.date, end: datetime.date,
                          start_changed: bool) -> dict[str, str]:
    """What is wrong with an agreement's term, by field ("term_start", "term_end"): at most MAX_TERM_YEARS, and a
    start moved before the pairing's may not lie long in the past (core.dates.term_errors). `agreement_create`,
    `agreement_update` and the agreement form ask it."""
    return term_errors(start=start, end=end, check_start=start_changed and start < pairing.start_date,
                       start_field="term_start", end_field="term_end")


def _check_agreement(agreement: Agreement, errors: dict[str, list], *, start_changed: bool) -> None:
    """The agreement's own fields and its term (`agreement_term_errors`)."""
    try:
        agreement.full_clean(exclude=["pairing"])
    except ValidationError as exc:
        collect(errors, exc)
    if "term_start" not in errors and "term_end" not in errors:
        collect(errors, ValidationError(agreement_term_errors(
            pairing=agreement.pairing, start=agreement.term_start, end=agreement.term_end,
            start_changed=start_changed)))


def _set_goals(agreement: Agreement, goals: dict[str, str]) -> None:
    unknown = set(goals) - set(Area.values)
    if unknown:
        raise ValidationError({"goals": f"未知的领域：{'、'.join(sorted(unknown))}"})
    wanted = {area: text.strip() for area, text in goals.items() if text and text.strip()}
    agreement.goals.exclude(area__in=list(wanted)).delete()
    existing = {g.area: g for g in agreement.goals.all()}
    for area, text in wanted.items():
        goal = existing.get(area)
        if goal is None:
            AgreementGoal.objects.create(agreement=agreement, area=area, text=text)
        elif goal.text != text:
            goal.text = text
            goal.save(update_fields=["text"])


def _apply_tasks(agreement: Agreement, items: list[dict[str, Any]],
                 errors: dict[str, list], *, by) -> dict[int, AgreementTask]:
    """Add, change and remove tasks. Each item: the task's fields, with "id" for an existing task and
    "delete": True to remove it. Every item is checked; the refusals of item i are collected in `errors` under
    "tasks.i.<field>" (or "tasks.i"). The working details of an existing task change only by its owner side (or
    the association); whoever drafts a new task may plan them. Returns the tasks kept, by item index."""
    if _repeated_tasks(items, errors):
        return {}
    existing = {t.pk: t for t in agreement.tasks.select_for_update(of=("self",)).select_related("responsible")}
    latest = agreement.versions.order_by("-version").only("content").first()
    confirmed_ids = {t["id"] for t in latest.content.get("tasks", [])} if latest else set()
    kept = {}
    for index, raw in enumerate(items):
        try:
            task = _apply_task(agreement, raw, existing=existing, confirmed_ids=confirmed_ids, by=by)
        except ValidationError as exc:
            collect(errors, exc, prefix=f"tasks.{index}")
        else:
            if task is not None:
                kept[index] = task
    return kept


def _repeated_tasks(items: list[dict[str, Any]], errors: dict[str, list]) -> bool:
    """Refuse a task listed twice: each item is checked against the task as the previous items left it, so a
    second item could change what the first was allowed to (the owner side, then the working details)."""
    seen, repeated = set(), False
    for index, item in enumerate(items):
        pk = item.get("id")
        if pk is not None and pk in seen:
            message = ValidationError("同一任务在一次修改中出现了两次，请合并为一项。")
            errors.setdefault(f"tasks.{index}", []).append(message)
            repeated = True
        seen.add(pk)
    return repeated


def _apply_task(agreement: Agreement, raw: dict[str, Any], *, existing: dict[int, AgreementTask],
                confirmed_ids: set[int], by) -> AgreementTask | None:
    """One item of `_apply_tasks`: the task saved, or None when it was removed."""
    allowed = set(TASK_TERMS) | set(TASK_DETAILS)
    item = dict(raw)
    pk, delete = item.pop("id", None), item.pop("delete", False)
    unknown = set(item) - allowed
    if unknown:
        raise ValueError(f"unknown task fields: {sorted(unknown)}")
    if pk is None:
        if delete:
            return None
        task = AgreementTask(agreement=agreement)
    else:
        task = existing.get(pk)
        if task is None:
            raise ValidationError("任务不属于这份协议。")
        if delete:
            if task.status == TaskStatus.DONE:
                raise ValidationError(f"任务“{task.title}”已完成并记入台账，不能删除。")
            if task.pk in confirmed_ids:  # its evidence and history stay; the amendment cancels it instead
                raise ValidationError(f"任务“{task.title}”已经双方确认，不能删除；如不再执行，请将其标记为已取消。")
            files = [e.file.name for e in task.evidence.exclude(file="")]
            task.delete()
            transaction.on_commit(lambda names=files: _delete_files(names))
            return None
    before = task_content(task) if pk else None
    if pk is not None and _changed_details(task, item):
        _require_owner_side(task, by, what="修改负责人、帮扶形式和数量")
    for key, value in item.items():
        setattr(task, key, value.strip() if isinstance(value, str) else value)
    if before is not None and task.status == TaskStatus.DONE and _without_responsible(
            before) != _without_responsible(task_content(task)):
        raise ValidationError(f"任务“{before['title']}”已完成并记入台账，不能再修改。")
    errors: dict[str, list] = {}
    limits = quantity_errors({k: v for k, v in item.items() if k in QUANTITY_FIELDS})
    collect(errors, ValidationError(limits))
    for check in (lambda: task.full_clean(exclude=["agreement", *limits]),
                  lambda: _check_responsible(task, agreement.pairing)):
        try:
            check()
        except ValidationError as exc:
            collect(errors, exc)
    raise_collected(errors)
    task.save()
    return task


def _changed_details(task: AgreementTask, item: dict[str, Any]) -> list[str]:
    """The working details (TASK_DETAILS) that `item` would change on `task`."""
    changed = []
    for key in TASK_DETAILS:
        if key not in item:
            continue
        new, old = item[key], getattr(task, key)
        if key == "responsible":
            same = getattr(new, "pk", new) == task.responsible_id
        elif key in QUANTITY_FIELDS:
            same = new is not None and Decimal(str(new)) == Decimal(str(old))
        else:
            same = (new or "").strip() == old
        if not same:
            changed.append(key)
    return changed


def _without_responsible(task: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in task.items() if k != "responsible"}


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _check_due_dates(agreement: Agreement, errors: dict[str, list], kept: dict[int, AgreementTask],
                     *, term: tuple[datetime.date, datetime.date]) -> None:
    """Every task that is not cancelled falls due within the term (`due_date_error`): said beside the task's due
    date when the task was among the items, else once, naming the tasks."""
    index_of = {task.pk: index for index, task in kept.items()}
    others = []
    for pk, title, due in agreement.tasks.exclude(status=TaskStatus.CANCELLED).values_list("pk", "title", "due_date"):
        message = due_date_error(due, term=term)
        if message and pk in index_of:
            errors.setdefault(f"tasks.{index_of[pk]}.due_date", []).append(ValidationError(message))
        elif message:
            others.append(title)
    if others:
        collect(errors, ValidationError(f"任务的{_within_term(term)[:-1]}：{'、'.join(others[:3])}。"))


@transaction.atomic
def agreement_update(
    *, agreement: Agreement, by, data: dict[str, Any] | None = None, goals: dict[str, str] | None = None,
    tasks: list[dict[str, Any]] | None = None, amendment_note: str = "",
) -> Agreement:
    """Change the agreement: its fields (`data`), its goals per area (replaced by `goals`) and its tasks
    (`tasks`, see `_apply_tasks`). On a confirmed agreement a change of content opens an amendment and needs
    `amendment_note`; on one awaiting confirmation it clears the confirmations and returns it to the draft.
    Refused with every problem at once, by field: "title", "term_end"…, "goals", "tasks.<index>.<field>"."""
    agreement = _locked_agreement(agreement)
    _check(by, "agreements.edit_agreement", agreement)
    _require_open(agreement.pairing)
    before = agreement_content(agreement)
    unknown = set(data or {}) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown agreement fields: {sorted(unknown)}")
    old_term = agreement.term_start, agreement.term_end
    old_start = agreement.term_start
    for key, value in (data or {}).items():
        setattr(agreement, key, value.strip() if isinstance(value, str) else value)
    # Every refusal is collected and reported at once (the transaction undoes what was written meanwhile).
    errors: dict[str, list] = {}
    _check_agreement(agreement, errors, start_changed=agreement.term_start != old_start)
    if goals is not None:
        try:
            _set_goals(agreement, goals)
        except ValidationError as exc:
            collect(errors, exc)
    kept = _apply_tasks(agreement, tasks, errors, by=by) if tasks else {}
    # The due dates are checked against the new term, or the term as it stands when the new one is refused (so
    # that every refusal comes in one round; the agreement form does the same).
    term_refused = "term_start" in errors or "term_end" in errors
    _check_due_dates(agreement, errors, kept, term=old_term if term_refused else (agreement.term_start,
                                                                                    agreement.term_end))
    raise_collected(errors)
    after = agreement_content(agreement)
    note = amendment_note.strip()[:300]
    if _agreed_part(before) == _agreed_part(after):
        if before != after:  # only working details changed
            audit(actor=by, action="修改任务执行信息", obj=agreement, changes=_detail_changes(before, after))
        if note and agreement.version > 1 and agreement.status == AgreementStatus.DRAFT:
            agreement.amendment_note = note
            agreement.save(update_fields=["amendment_note", "updated_at"])
        return agreement
    action = "修改帮扶协议"
    was_confirmed = agreement.status == AgreementStatus.CONFIRMED
    if was_confirmed:  # an amendment, which needs a note (the "amend" move of Agreement.workflow)
        agreement.version += 1
        action = f"发起协议修订（第 {agreement.version} 版）"
    elif agreement.status == AgreementStatus.AWAITING:
        action = "修改待确认的协议（双方需重新确认）"
    if note and agreement.version > 1:
        agreement.amendment_note = note
    if agreement.status == AgreementStatus.AWAITING:
        _confirmation_asked(agreement)  # nothing waits for a confirmation any more
    _clear_confirmations(agreement)
    changes = content_changes(before, after) | _detail_changes(before, after)
    if agreement.status == AgreementStatus.DRAFT:
        agreement.save()
        audit(actor=by, action=action, obj=agreement, changes=changes, note=note)
    else:  # back to the draft, both sides to confirm again
        changed = [*(data or {}), "version", "amendment_note", *CONFIRMATION_FIELDS]
        transition(agreement, to=AgreementStatus.DRAFT, by=by, reason=note, action=action, changes=changes,
                   set={key: getattr(agreement, key) for key in changed})
    if was_confirmed:
        _tell(pairing=agreement.pairing, by=by, sides=(Side.HELPER, Side.HELPED),
              key=f"agreement:{agreement.pk}:v{agreement.version}:amendment:{timezone.now():%Y%m%d%H%M%S%f}",
              title=f"《{agreement.title}》发起了第 {agreement.version} 版修订", body=note)
    return agreement


def _terms_of(content: dict[str, Any]) -> dict[str, Any]:
    """What an amendment changes and a discard restores: the agreement's fields, goals and the tasks' terms (not
    the museums' names, which the registry may have changed since)."""
    agreed = _agreed_part(content)
    return {"title": agreed["title"], "term_start": agreed["term_start"], "term_end": agreed["term_end"],
            "background": agreed["background"], "deliverables": agreed["deliverables"],
            "goals": [(g["area"], g["text"]) for g in agreed["goals"]],
            "tasks": [{k: v for k, v in t.items() if k != "owner_side_label"} for t in agreed["tasks"]]}


def _confirmer(item: dict[str, Any] | None, museum_id: int):
    """The admin who confirmed a frozen version for a museum: by id, or (versions frozen before ids were kept) the
    museum's only admin of that name."""
    from bangfu.accounts.models import User

    if not item:
        return None
    if item.get("by_id"):
        return User.objects.filter(pk=item["by_id"]).first()
    named = [u for u in User.objects.filter(museum_id=museum_id, role="museum_admin") if u.display_name == item["by"]]
    return named[0] if len(named) == 1 else None


@transaction.atomic
def agreement_discard_amendment(*, agreement: Agreement, by) -> Agreement:
    """Abandon the open amendment (either museum or the association, as either may edit it): the agreement, its
    goals and its tasks' terms return to the last version both museums confirmed, tasks the amendment added are
    removed (with their evidence), and that version's confirmations stand again. The tasks' working details and
    progress are not part of an amendment and stay as they are. Refused, saying why, when the confirmed text
    cannot be restored exactly (a task of it is gone, completed since with other terms, or has a responsible
    person of another side)."""
    agreement = _locked_agreement(agreement)
    _check(by, "agreements.edit_agreement", agreement)
    _require_open(agreement.pairing)
    latest = agreement.versions.order_by("-version").first()
    if latest is None:
        raise ValidationError("协议还没有经双方确认的版本，没有可以恢复的文本；可以直接修改草稿。")
    if agreement.status == AgreementStatus.CONFIRMED and agreement.version == latest.version:
        raise ValidationError("没有进行中的修订。")
    content, number = latest.content, latest.version
    before = agreement_content(agreement)
    pairing = agreement.pairing
    agreed = {t["id"]: t for t in content["tasks"]}
    tasks = {t.pk: t for t in agreement.tasks.select_for_update(of=("self",)).select_related("responsible")}
    refusals = [f"第 {number} 版的任务“{terms['title']}”已不存在，无法恢复。"
                for pk, terms in agreed.items() if pk not in tasks]
    added = [t for pk, t in tasks.items() if pk not in agreed]
    refusals += [f"修订中新增的任务“{t.title}”已完成并记入台账，不能随修订放弃。" for t in added
                 if t.status == TaskStatus.DONE]
    for pk, terms in agreed.items():
        task = tasks.get(pk)
        if task is None:
            continue
        restored = {"title": terms["title"], "area": terms["area"], "owner_side": terms["owner_side"],
                    "due_date": datetime.date.fromisoformat(terms["due_date"]), "description": terms["description"]}
        if task.status == TaskStatus.DONE and any(getattr(task, k) != v for k, v in restored.items()):
            refusals.append(f"任务“{task.title}”已完成并记入台账，其内容无法恢复为第 {number} 版。")
            continue
        for key, value in restored.items():
            setattr(task, key, value)
        if responsible_error(task.responsible, task.owner_side, pairing):
            refusals.append(f"任务“{task.title}”的负责人{task.responsible_label}不属于第 {number} 版的负责方"
                            f"（{Side(task.owner_side).label}），请先修改负责人。")
    if refusals:
        raise ValidationError(refusals)
    files = [e.file.name for t in added for e in t.evidence.exclude(file="")]
    for task in added:
        task.delete()
    for pk in agreed:
        tasks[pk].save(update_fields=TASK_TERMS)
    transaction.on_commit(lambda: _delete_files(files))
    _set_goals(agreement, {g["area"]: g["text"] for g in content["goals"]})
    discarded = agreement.version
    mark_answered(key_prefix=f"agreement:{agreement.pk}:v{discarded}:")  # the amendment's notices: moot now
    restored = {"title": content["title"], "background": content["background"],
                "term_start": datetime.date.fromisoformat(content["term_start"]),
                "term_end": datetime.date.fromisoformat(content["term_end"]),
                "deliverables": "\n".join(content["deliverables"]), "version": number, "amendment_note": latest.note}
    confirmed = content.get("confirmations") or {}
    for side, museum_id in parties_of(pairing).items():
        item = confirmed.get(side)
        restored[f"{side}_confirmed_by"] = _confirmer(item, museum_id)
        restored[f"{side}_confirmed_at"] = datetime.datetime.fromisoformat(item["at"]) if item else latest.confirmed_at
    for key, value in restored.items():  # the content below is read from the restored agreement
        setattr(agreement, key, value)
    after = agreement_content(agreement)
    if _terms_of(after) != _terms_of(content):  # a safety net: never call a text confirmed that is not
        raise ValidationError(f"无法完全恢复为第 {number} 版，请直接修改修订稿。")
    transition(agreement, to=AgreementStatus.CONFIRMED, name="discard", by=by,
               action=f"放弃协议修订（第 {discarded} 版）", changes=content_changes(before, after),
               note=f"恢复为第 {number} 版", set=restored)
    _tell(pairing=pairing, by=by, sides=(Side.HELPER, Side.HELPED),
          key=f"agreement:{agreement.pk}:v{discarded}:discarded:{timezone.now():%Y%m%d%H%M%S%f}",
          title=f"《{agreement.title}》第 {discarded} 版修订已放弃，协议恢复为双方确认的第 {number} 版")
    return agreement


CONFIRMATION_FIELDS = ["helper_confirmed_by", "helper_confirmed_at", "helped_confirmed_by", "helped_confirmed_at"]


def _clear_confirmations(agreement: Agreement) -> None:
    agreement.helper_confirmed_by = agreement.helped_confirmed_by = None
    agreement.helper_confirmed_at = agreement.helped_confirmed_at = None


@transaction.atomic
def agreement_submit(*, agreement: Agreement, by) -> Agreement:
    """Send the draft to both museums for confirmation."""
    agreement = _locked_agreement(agreement)
    _check(by, "agreements.edit_agreement", agreement)
    _require_open(agreement.pairing)
    # The "submit" move checks the state, the goals, the tasks and an amendment's note (Agreement.workflow).
    transition(agreement, to=AgreementStatus.AWAITING, by=by, action="提交协议待双方确认",
               note=f"第 {agreement.version} 版")
    _tell(pairing=agreement.pairing, by=by, sides=(Side.HELPER, Side.HELPED),
          key=f"agreement:{agreement.pk}:v{agreement.version}:submitted:{timezone.now():%Y%m%d%H%M%S%f}",
          title=f"《{agreement.title}》等待贵馆确认", body=f"第 {agreement.version} 版已提交，请馆管理员核对后确认。")
    return agreement


def confirming_side(user, pairing: Pairing) -> str | None:
    """The side a user may confirm for: a museum admin of the helper or of the helped museum."""
    side = side_of(user, pairing)
    return side if side is not None and user.role == "museum_admin" else None


@transaction.atomic
def agreement_confirm(*, agreement: Agreement, by, fingerprint: str | None = None) -> Agreement:
    """A museum admin confirms the agreement for their side. When both sides have, the agreement takes effect:
    its content is frozen as a version and a proposed pairing becomes agreed. `fingerprint` (from the page the
    admin read) refuses the confirmation if the terms changed meanwhile."""
    agreement = _locked_agreement(agreement)
    # The pairing too (its status is checked here and may move below), then the agreement's content.
    pairing = agreement.pairing = _locked_pairing(agreement.pairing)
    if fingerprint is not None and fingerprint != terms_fingerprint(agreement):
        raise ValidationError("协议内容在您阅读之后有改动，请重新阅读后再确认。")
    side = confirming_side(by, pairing)
    if side is None:
        raise PermissionDenied("只有结对双方博物馆的馆管理员可以确认协议。")
    _require_open(pairing)
    Agreement.workflow.require_source(agreement, to=AgreementStatus.CONFIRMED, name="confirm")
    if getattr(agreement, f"{side}_confirmed_at"):
        raise ValidationError("贵馆已确认过这一版协议，正在等待对方确认。")
    now = timezone.now()
    other = other_side(pairing, side)
    both = bool(getattr(agreement, f"{other}_confirmed_at"))
    transition(agreement, to=AgreementStatus.CONFIRMED if both else AgreementStatus.AWAITING,
               name="confirm" if both else "confirm_one_side", by=by, action=f"{Side(side).label}确认协议",
               note=f"第 {agreement.version} 版", set={f"{side}_confirmed_by": by, f"{side}_confirmed_at": now})
    _confirmation_asked(agreement, museum_id=by.museum_id)
    if both:
        content = agreement_content(agreement) | {"confirmations": confirmations_of(agreement)}
        AgreementVersion.objects.create(agreement=agreement, version=agreement.version, content=content,
                                        note=agreement.amendment_note, confirmed_at=now)
        # The deadlines and owner sides both sides now agreed.
        agreement.tasks.update(agreed_due_date=F("due_date"), agreed_owner_side=F("owner_side"))
        if pairing.status == PairingStatus.PROPOSED:  # the "agree" move, its guard now satisfied
            transition(pairing, to=PairingStatus.AGREED, by=by, action=f"结对{PairingStatus.AGREED.label}",
                       changes={"status": [PairingStatus.PROPOSED.value, PairingStatus.AGREED.value]},
                       note="帮扶协议经双方确认")
        _tell(pairing=pairing, by=by, sides=(Side.HELPER, Side.HELPED),
              key=f"agreement:{agreement.pk}:v{agreement.version}:confirmed:{now:%Y%m%d%H%M%S%f}",
              title=f"《{agreement.title}》第 {agreement.version} 版已经双方确认生效")
    else:
        _tell(pairing=pairing, by=by, sides=(other,),
              key=f"agreement:{agreement.pk}:v{agreement.version}:confirmed-by-{side}:{now:%Y%m%d%H%M%S%f}",
              title=f"{by.museum.name}已确认《{agreement.title}》，等待贵馆确认")
    return agreement


# --- tasks ---------------------------------------------------------------------------------------------


@transaction.atomic
def task_update(
    *, task: AgreementTask, by, status: str | None = None, progress: int | None = None,
    responsible: Any = _UNSET, responsible_name: str | None = None, note: str = "",
) -> AgreementTask:
    """Report how a confirmed task is going: status (not started, in progress, cancelled), progress and who
    carries it out. Done is `task_complete`, which writes the ledger. Like completion, this is the owner side's
    (or the association's): the other side cannot cancel or re-assign the work it receives."""
    task = _locked_task(task)
    _check(by, "agreements.update_task", task)
    _require_open(task.agreement.pairing)
    _require_agreed(task)
    if task.status == TaskStatus.DONE:
        raise ValidationError("任务已完成并记入台账，不能再修改进度。")
    _require_owner_side(task, by)
    if status == TaskStatus.DONE:
        raise ValidationError({"status": "请使用“完成”操作：完成时登记数量和佐证，并记入台账。"})
    if status is not None and status not in TaskStatus.values:
        raise ValidationError({"status": "未知的任务状态。"})
    before = snapshot(task, TASK_WORK_FIELDS)
    was = task.status
    if status is not None:
        task.status = status
    if progress is not None:
        task.progress = progress
        if progress > 0 and task.status == TaskStatus.TODO and status is None:
            task.status = TaskStatus.DOING
    if responsible is not _UNSET:
        task.responsible = responsible
    if responsible_name is not None:
        task.responsible_name = responsible_name.strip()
    task.full_clean(exclude=["agreement"])
    _check_responsible(task, task.agreement.pairing)
    changes = diff(before, snapshot(task, TASK_WORK_FIELDS))
    if task.status != was:  # a move of AgreementTask.workflow
        transition(task, to=task.status, by=by, action="更新任务进度", changes=changes, note=note,
                   set={key: getattr(task, key) for key in TASK_WORK_FIELDS if key != "status"})
        return task
    task.save()
    if changes or note:
        audit(actor=by, action="更新任务进度", obj=task, changes=changes, note=note)
    return task


@transaction.atomic
def task_complete(
    *, task: AgreementTask, by, completed_on: datetime.date | None = None, ledger_kind: str | None = None,
    people_trained: int | None = None, days: Decimal | float | None = None, object_count: int | None = None,
    visitors: int | None = None, money_yuan: Decimal | float | None = None, note: str = "",
    evidence_file=None, evidence_link: str = "", evidence_caption: str = "",
) -> AgreementTask:
    """Mark a confirmed task done and write its one ledger entry with what was achieved (the quantities given
    here, else those planned on the task). At least one piece of evidence is needed, already on the task or
    given here. Completing a task twice is refused; the ledger never gets a second row for it."""
    task = _locked_task(task)
    _check(by, "agreements.update_task", task)
    pairing = task.agreement.pairing
    _require_open(pairing)
    AgreementTask.workflow.require_source(task, to=TaskStatus.DONE)
    _require_owner_side(task, by)
    _require_agreed(task)
    today = timezone.localdate()
    completed_on = completed_on or today
    before = snapshot(task, TASK_WORK_FIELDS + QUANTITY_FIELDS + ["ledger_kind"])
    given = {"people_trained": people_trained, "days": days, "object_count": object_count, "visitors": visitors,
             "money_yuan": money_yuan}
    for key, value in given.items():
        if value is not None:
            setattr(task, key, value)
    if ledger_kind is not None:
        task.ledger_kind = ledger_kind.strip()
    new_evidence = bool(evidence_file or evidence_link.strip())
    errors: dict[str, list] = {}
    collect(errors, ValidationError(completion_errors(  # the quantities given, else as planned
        task=task, completed_on=completed_on, quantities={key: getattr(task, key) for key in QUANTITY_FIELDS},
        new_evidence=new_evidence)))
    # Checked now, stored last: a completion refused below leaves no file on disk.
    evidence = None
    if new_evidence:
        try:
            evidence = _new_evidence(task=task, by=by, file=evidence_file, link=evidence_link,
                                     caption=evidence_caption)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):  # "file" and "link" are this operation's evidence_file, evidence_link
                named = {"file": "evidence_file", "link": "evidence_link"}
                exc = ValidationError({named.get(key, key): found for key, found in exc.error_dict.items()})
            collect(errors, exc)
    raise_collected(errors)
    now = timezone.now()
    task.status = TaskStatus.DONE
    task.progress = 100
    task.completed_at = now if completed_on == today else timezone.make_aware(
        datetime.datetime.combine(completed_on, datetime.time(12)))
    task.completed_by = by if getattr(by, "pk", None) else None
    task.full_clean(exclude=["agreement"])
    recorded = [*QUANTITY_FIELDS, "ledger_kind", "progress", "completed_at", "completed_by"]
    transition(task, to=TaskStatus.DONE, by=by, action="完成任务", note=note,
               changes=diff(before, snapshot(task, TASK_WORK_FIELDS + QUANTITY_FIELDS + ["ledger_kind"])),
               set={key: getattr(task, key) for key in recorded})
    try:
        ledger_record(
            by=by, helper=pairing.helper, helped=pairing.helped, pairing=pairing, area=task.area,
            kind=task.ledger_kind or "协议任务", date=completed_on,
            description=f"{task.title}：{note.strip()}" if note.strip() else task.title,
            source_type=LEDGER_SOURCE, source_id=task.pk, source_label=f"《{task.agreement.title}》任务",
            people_trained=task.people_trained, days=task.days, object_count=task.object_count,
            visitors=task.visitors, money_yuan=task.money_yuan,  # the entry links to the task by its source
        )
    except ValidationError as exc:  # the ledger's "date" is this form's completion date
        if hasattr(exc, "error_dict") and "date" in exc.error_dict:
            exc.error_dict["completed_on"] = exc.error_dict.pop("date")
        raise
    if evidence is not None:
        _save_evidence(evidence, by=by)
    return task


# --- evidence ------------------------------------------------------------------------------------------


def _new_evidence(*, task: AgreementTask, by, file=None, link: str = "", caption: str = "") -> Attachment:
    """Evidence checked (file by extension and content, link by form) but not stored yet: `_save_evidence`
    writes it once every other check of the operation has passed."""
    if task.evidence.count() >= MAX_EVIDENCE_PER_TASK:
        raise ValidationError(f"每项任务最多 {MAX_EVIDENCE_PER_TASK} 份佐证材料。")
    return attachment_new(owner=task, by=by, file=file, link=link, caption=caption, kind=AttachmentKind.EVIDENCE)


def _save_evidence(evidence: Attachment, *, by) -> Attachment:
    return attachment_store(attachment=evidence, by=by)


def may_add_evidence(user, task: AgreementTask) -> bool:
    """Evidence is added by the side that carries the task out (or the association), while the task is not done:
    the evidence of a completed task went with its ledger entry and stays as it was. The task page asks this
    before offering the upload form; `evidence_add` enforces it."""
    return task.status != TaskStatus.DONE and may_complete(user, task)


@transaction.atomic
def evidence_add(*, task: AgreementTask, by, file=None, link: str = "", caption: str = "") -> Attachment:
    """Attach a photo, a document (PDF, Word, Excel, PowerPoint; by extension and content) or a link: the task's
    owner side or the association, before the task is completed (`may_add_evidence`)."""
    task = _locked_task(task)
    _check(by, "agreements.update_task", task)
    _require_open(task.agreement.pairing)
    if task.status == TaskStatus.DONE:
        raise ValidationError("任务已完成，佐证材料已随台账记录保存，不能再添加。")
    _require_owner_side(task, by, what="上传佐证材料")
    return _save_evidence(_new_evidence(task=task, by=by, file=file, link=link, caption=caption), by=by)


@transaction.atomic
def _added_or_runs(user, task: AgreementTask, item: Attachment, runs_task: bool | None) -> bool:
    """Whoever added the evidence, the side that runs the task or the association (`runs_task`: `may_complete`,
    when the caller knows it already)."""
    if item.added_by_id == getattr(user, "pk", None):
        return True
    return may_complete(user, task) if runs_task is None else runs_task


def may_remove_evidence(user, task: AgreementTask, item: Attachment, *, runs_task: bool | None = None) -> bool:
    """Whether the task page offers to remove this evidence: see `evidence_remove` (the user may update the task
    — the page asks that once)."""
    return task.status != TaskStatus.DONE and _added_or_runs(user, task, item, runs_task)


def evidence_remove(*, evidence: Attachment, by) -> None:
    """Remove evidence added by mistake — by whoever added it, the task's owner side or the association; the
    evidence of a completed task stays (the ledger points to it)."""
    task = _locked_task(evidence.owner)
    _check(by, "agreements.update_task", task)
    _require_open(task.agreement.pairing)
    if not _added_or_runs(by, task, evidence, None):
        raise PermissionDenied("只能删除自己上传的佐证材料。")
    if task.status == TaskStatus.DONE:
        raise ValidationError("任务已完成，佐证材料随台账保留，不能删除。")
    evidence.owner = task
    attachment_remove(attachment=evidence, by=by)


# --- progress reports ----------------------------------------------------------------------------------


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def report_years(pairing: Pairing, today: datetime.date | None = None) -> range:
    """The years a pairing's reports may be for: from the year it started to this year (newest first)."""
    this_year = (today or timezone.localdate()).year
    return range(this_year, min(pairing.start_date.year, this_year) - 1, -1)


def report_period_errors(*, pairing: Pairing, year: int, quarter: int,
                         today: datetime.date | None = None) -> dict[str, str]:
    """What is wrong with the quarter of a report, by field (empty when nothing is): a year outside the pairing's
    years, a quarter that is not 1–4, not begun yet, or before the pairing started. `report_submit` and the report
    form ask it."""
    today = today or timezone.localdate()
    current, first = quarter_of(today), quarter_of(pairing.start_date)
    if first > current:
        return {"quarter": f"结对从{cn_date(pairing.start_date)}开始，开始后再提交进展报告。"}
    if quarter not in (1, 2, 3, 4):
        return {"quarter": "季度应为 1 到 4。"}
    if (year, quarter) > current:
        return {"quarter": "该季度尚未开始，不能提交报告。"}
    if year not in report_years(pairing, today):
        return {"year": f"年度应在 {first[0]} 年（结对开始）至 {current[0]} 年之间。"}
    if (year, quarter) < first:
        return {"quarter": "该季度在结对开始之前，无需报告。"}
    return {}


@transaction.atomic
def report_submit(
    *, pairing: Pairing, by, summary: str, problems: str = "", next_steps: str = "",
    year: int | None = None, quarter: int | None = None,
) -> ProgressReport:
    """Write (or rewrite) the user's side's progress report for a quarter, the current one by default. Each side
    writes one report per quarter."""
    _check(by, "agreements.write_report", pairing)
    side = side_of(by, pairing)
    current = quarter_of(timezone.localdate())
    year = current[0] if year is None else year
    quarter = current[1] if quarter is None else quarter
    errors = report_period_errors(pairing=pairing, year=year, quarter=quarter)
    if not summary.strip():
        errors["summary"] = "请填写本季度的工作进展。"
    if errors:
        raise ValidationError(errors)
    report = ProgressReport.objects.select_for_update().filter(
        pairing=pairing, side=side, year=year, quarter=quarter).first()
    created = report is None
    report = report or ProgressReport(pairing=pairing, side=side, year=year, quarter=quarter)
    before = snapshot(report, ["summary", "problems", "next_steps"])
    report.summary, report.problems, report.next_steps = summary.strip(), problems.strip(), next_steps.strip()
    report.author = by
    report.full_clean(exclude=["pairing"], validate_unique=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # the same side wrote the same quarter at the same moment
        raise ValidationError("本季度已提交过进展报告，请修改原报告。") from None
    audit(actor=by, action="提交进展报告" if created else "修改进展报告", obj=report,
          changes=diff({} if created else before, snapshot(report, ["summary", "problems", "next_steps"])),
          note=f"{year}年第{quarter}季度")
    return report
