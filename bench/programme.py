"""Issue 3 at national scale: pairings, agreements with goals and tasks, progress reports and the ledger.

Added by `bench.fixture.build` after the museums and users:

- 3,000 pairings between helpers and helped museums of the same province (same city first in Shanxi), under the
  association's default rules: at most 3 open pairings per helper, at most 1 open primary helper per helped
  museum. Statuses as in a programme running for some years: 55 % active, 4 % agreed, 3 % proposed (the open
  ones), 30 % completed and 8 % ended early (earlier rounds, up to ten years back);
- an agreement for each (draft or awaiting confirmation for proposed pairings, confirmed otherwise, a few amended),
  with 1–4 goals and 5–20 tasks whose statuses follow the pairing's (open tasks past their due date are overdue),
  evidence links on some completed tasks, and a frozen version of what was confirmed;
- for the benchmark's pairing pages: 山西博物院's first pairing has exactly 50 tasks (every status, some overdue, no
  evidence) and its second exactly 5;
- quarterly progress reports by each side for about half of the running and completed pairings;
- 100,000 ledger entries: one per completed task (source "agreements.task"), the rest recorded by hand under the
  pairings (weighted by how long each has run) or outside any pairing, over the ten years, mostly confirmed, some
  pending or objected to.

The dates are relative to the day the fixture is built (overdue means "before today"); everything else follows the
seed. Timestamps (`created_at`, `submitted_at`…) are historic, not the build's time.
"""

from __future__ import annotations

import contextlib
import datetime
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DateTimeField
from django.utils import timezone

from bangfu.accounts.models import Role, User
from bangfu.agreements.models import (
    Agreement,
    AgreementGoal,
    AgreementStatus,
    AgreementTask,
    AgreementVersion,
    ProgressReport,
    Side,
    TaskStatus,
)
from bangfu.core.areas import Area
from bangfu.core.models import Attachment, AttachmentKind
from bangfu.ledger import summary as ledger_summary
from bangfu.ledger.models import Confirmation, LedgerEntry
from bangfu.museums.models import Museum, MuseumArea, Offering
from bangfu.pairings.models import OPEN_STATUSES, Pairing, PairingKind, PairingStatus
from bangfu.pairings.services import distance_between

FLAGSHIP = "山西博物院"  # helper of the benchmark's 50-task and 5-task pairings
BIG_TASKS, SMALL_TASKS = 50, 5
MAX_OPEN_PER_HELPER = 3  # the association's default rule
# Shares of the pairings per status; the open ones must fit the helpers' capacity.
STATUS_SHARES = {
    PairingStatus.ACTIVE: 0.55, PairingStatus.AGREED: 0.04, PairingStatus.PROPOSED: 0.03,
    PairingStatus.COMPLETED: 0.30, PairingStatus.ENDED: 0.08,
}
TERM_YEARS = 3
HISTORY_DAYS = 10 * 365  # the oldest completed pairing started ten years ago
UNPAIRED_SHARE = 0.1  # manual ledger entries for help outside any pairing
LEDGER_SOURCE = "agreements.task"
ENDED_REASONS = ["受援馆闭馆改造，帮扶暂停", "帮扶方人员调整，双方协商提前结束", "受援馆并入当地文化中心",
                 "双方协商改为一对多帮扶", "经费不足，协议无法继续执行"]
# Per area: kinds of help (the ledger's 帮扶形式) and what a task of that kind is about.
KINDS = {
    Area.EXHIBITION: [("联合策展", "联合策划“{place}历史文化”专题展"), ("巡展", "精品展览巡展至{helped}"),
                      ("展陈指导", "基本陈列提升改造指导")],
    Area.LOAN: [("借展", "借展馆藏文物{n}件用于专题展"), ("展品交换", "双方交换展品开展联展")],
    Area.CONSERVATION: [("文物修复", "馆藏青铜器、陶瓷器保护修复（第{n}批）"), ("专家会诊", "濒危文物专家会诊"),
                        ("预防性保护", "库房温湿度监测与预防性保护方案"), ("检测分析", "馆藏文物检测分析")],
    Area.CREATIVE: [("文创联合开发", "开发{place}特色文创产品"), ("渠道共享", "文创产品进驻帮扶方线上线下商店")],
    Area.EDUCATION: [("博物馆进校园", "博物馆进校园系列课程（第{n}期）"), ("流动博物馆", "流动博物馆进乡村社区"),
                     ("志愿者培训", "志愿者招募与培训")],
    Area.RESEARCH: [("课题合作", "联合申报省级科研课题"), ("论文指导", "业务人员论文写作指导"),
                    ("资料共享", "开放图书资料和数据库")],
    Area.PEOPLE: [("跟班学习", "业务骨干跟班学习三个月"), ("培训班", "讲解员与保管员业务培训班（第{n}期）"),
                  ("专家讲座", "专家巡讲团赴{helped}授课"), ("线上课程", "线上业务课程与远程答疑")],
}
GOAL_TEXT = {
    Area.EXHIBITION: "协议期内联合举办专题展览不少于 2 个，提升基本陈列水平。",
    Area.LOAN: "依法依规开展借展与展品交换，确保文物安全。",
    Area.CONSERVATION: "完成一批濒危文物的保护修复，建立库房预防性保护制度。",
    Area.CREATIVE: "联合开发具有县域特色的文创产品，打通销售渠道。",
    Area.EDUCATION: "社会教育活动进校园、进社区，年均不少于 10 场。",
    Area.RESEARCH: "联合申报课题，指导业务人员发表论文。",
    Area.PEOPLE: "培养业务骨干，每年安排跟班学习和专题培训。",
}


@dataclass(frozen=True)
class ProgrammeSummary:
    pairings: int
    open_pairings: int
    agreements: int
    goals: int
    tasks: int
    evidence: int
    versions: int
    reports: int
    ledger_entries: int


@dataclass
class _Plan:
    """A pairing before it is saved, with what the later steps need."""

    pairing: Pairing
    task_count: int = 0
    fixed_tasks: str = ""  # "big" or "small": the benchmark's pairings, with a fixed mix of task statuses


def build(*, rng: random.Random, museums: list[Museum], users: list[User], areas: list[MuseumArea],
          pairings: int, ledger_entries: int, today: datetime.date | None = None) -> ProgrammeSummary:
    """Write the programme's records (inside the caller's transaction)."""
    today = today or timezone.localdate()
    people = _People(users)
    offers, needs = defaultdict(list), defaultdict(list)
    for row in areas:
        (offers if row.kind == Offering.OFFER else needs)[row.museum_id].append(row.area)
    plans = plan_pairings(rng, museums, count=pairings, today=today, admins=people.admins)
    with _stored_timestamps(Pairing, Agreement, AgreementTask, Attachment, ProgressReport, LedgerEntry):
        Pairing.objects.bulk_create([p.pairing for p in plans], batch_size=1000)
        agreements = [_agreement(rng, p.pairing, people, today) for p in plans]
        Agreement.objects.bulk_create(agreements, batch_size=1000)
        goals = {a.pk: _goals(rng, a, offers, needs) for a in agreements}
        AgreementGoal.objects.bulk_create([g for rows in goals.values() for g in rows], batch_size=2000)
        tasks = {a.pk: _tasks(rng, a, plan, goals[a.pk], people, today) for a, plan in zip(agreements, plans,
                                                                                           strict=True)}
        all_tasks = [t for rows in tasks.values() for t in rows]
        AgreementTask.objects.bulk_create(all_tasks, batch_size=2000)
        evidence = _evidence(rng, plans, agreements, tasks)
        Attachment.objects.bulk_create(evidence, batch_size=2000)
        versions = _versions(agreements, goals, tasks)
        AgreementVersion.objects.bulk_create(versions, batch_size=500)
        reports = _reports(rng, plans, people, today)
        ProgressReport.objects.bulk_create(reports, batch_size=2000)
        entries = _task_entries(all_tasks, agreements)
        entries += _manual_entries(rng, plans, museums, people, count=ledger_entries - len(entries), today=today)
        LedgerEntry.objects.bulk_create(entries, batch_size=2000)
        ledger_summary.recount()  # what the services keep entry by entry, built once for the bulk-created rows
    return ProgrammeSummary(
        pairings=len(plans), open_pairings=sum(p.pairing.status in OPEN_STATUSES for p in plans),
        agreements=len(agreements), goals=sum(len(g) for g in goals.values()), tasks=len(all_tasks),
        evidence=len(evidence), versions=len(versions), reports=len(reports), ledger_entries=len(entries),
    )


@contextlib.contextmanager
def _stored_timestamps(*models) -> Iterator[None]:
    """Keep the timestamps the fixture sets: auto_now/auto_now_add would stamp every row with the build's time."""
    fields = [f for model in models for f in model._meta.concrete_fields
              if isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class _People:
    """Who acts for whom: each museum's accounts (its admin first) and the association's admins."""

    def __init__(self, users: list[User]):
        self.of_museum: dict[int, list[User]] = defaultdict(list)
        self.admins = [u for u in users if u.role == Role.ASSOCIATION_ADMIN]
        for user in sorted(users, key=lambda u: u.role != Role.MUSEUM_ADMIN):
            if user.museum_id:
                self.of_museum[user.museum_id].append(user)

    def admin(self, museum_id: int) -> User | None:
        found = self.of_museum.get(museum_id)
        return found[0] if found else None

    def anyone(self, rng: random.Random, museum_id: int) -> User | None:
        found = self.of_museum.get(museum_id)
        return rng.choice(found) if found else None


# --- pairings --------------------------------------------------------------------------------------------


def plan_pairings(rng: random.Random, museums: list[Museum], *, count: int, today: datetime.date,
                  admins: list[User]) -> list[_Plan]:
    """`count` pairings: the open ones first (within the rules), then the closed ones of earlier rounds."""
    helpers = [m for m in museums if m.is_helper]
    helped = [m for m in museums if m.is_helped and not m.is_helper]
    by_status = {s: round(count * share) for s, share in STATUS_SHARES.items()}
    by_status[PairingStatus.ACTIVE] += count - sum(by_status.values())
    open_count = sum(by_status[s] for s in OPEN_STATUSES)
    if open_count > MAX_OPEN_PER_HELPER * len(helpers):
        raise ValueError(f"{open_count} open pairings do not fit {len(helpers)} helpers of capacity "
                         f"{MAX_OPEN_PER_HELPER}")
    flagship = next(m for m in helpers if m.name == FLAGSHIP)
    opened = _open_pairs(rng, helpers, helped, open_count, flagship)
    statuses = ([PairingStatus.PROPOSED] * by_status[PairingStatus.PROPOSED]
                + [PairingStatus.AGREED] * by_status[PairingStatus.AGREED])
    statuses += [PairingStatus.ACTIVE] * (open_count - len(statuses))
    rng.shuffle(statuses)
    flagship_rows = [i for i, (helper, _, _, _) in enumerate(opened) if helper is flagship]
    for i in flagship_rows:  # the benchmark's pairings run: move an active status onto them
        if statuses[i] != PairingStatus.ACTIVE:
            j = next(k for k, s in enumerate(statuses) if s == PairingStatus.ACTIVE and k not in flagship_rows)
            statuses[i], statuses[j] = statuses[j], statuses[i]
    plans = [_Plan(_pairing(rng, helper, other, status, today, admins, kind=kind, primary=primary))
             for (helper, other, kind, primary), status in zip(opened, statuses, strict=True)]
    neighbours = _Pool(helped)
    for closed in (PairingStatus.COMPLETED, PairingStatus.ENDED):
        for _ in range(by_status[closed]):
            helper = rng.choice(helpers)
            other = neighbours.pick(rng, helper, exclude=set())
            plans.append(_Plan(_pairing(rng, helper, other, closed, today, admins,
                                        kind=_kind(rng, helper, other), primary=True)))
    for plan in plans:
        plan.task_count = rng.randint(5, 20)
    big, small, third = (plans[i] for i in flagship_rows[:3])
    big.task_count, big.fixed_tasks = BIG_TASKS, "big"
    small.task_count, small.fixed_tasks = SMALL_TASKS, "small"
    third.task_count = 12
    for plan, start in ((big, 540), (small, 400)):  # well under way: half the tasks are due
        plan.pairing.start_date = today - datetime.timedelta(days=start)
        plan.pairing.end_date = _years_later(plan.pairing.start_date, TERM_YEARS)
        plan.pairing.created_at = _at(plan.pairing.start_date - datetime.timedelta(days=30))
        plan.pairing.updated_at = plan.pairing.created_at
    return plans


def _open_pairs(rng: random.Random, helpers: list[Museum], helped: list[Museum], count: int,
                flagship: Museum) -> list[tuple[Museum, Museum, str, bool]]:
    """(helper, helped, kind, primary) for `count` open pairings: each helper takes 1–3, each helped museum has
    at most one primary helper (a few have a second, non-primary one), neighbours first."""
    loads = _loads(rng, helpers, count, flagship)
    free, taken = _Pool(helped), _Pool([])  # helped museums without / with a primary helper
    branches = defaultdict(list)
    for museum in helped:
        if museum.head_id:
            branches[museum.head_id].append(museum)
    pairs = []
    order = sorted(helpers, key=lambda h: (h is not flagship, rng.random()))
    for helper in order:
        mine: set[int] = set()
        for _ in range(loads[helper.pk]):
            if rng.random() < 0.06:
                other = taken.pick(rng, helper, exclude=mine)
                if other is not None:
                    mine.add(other.pk)
                    pairs.append((helper, other, PairingKind.GROUP, False))
                    continue
            own = [m for m in branches[helper.pk] if free.holds(m)]
            other = own[0] if own else free.pick(rng, helper, exclude=mine)
            if other is None:
                continue
            free.remove(other)
            taken.add(other)
            mine.add(other.pk)
            pairs.append((helper, other, _kind(rng, helper, other), True))
    if len(pairs) < count:
        raise ValueError(f"only {len(pairs)} of {count} open pairings could be placed")
    return pairs[:count]


def _loads(rng: random.Random, helpers: list[Museum], count: int, flagship: Museum) -> dict[int, int]:
    """How many open pairings each helper has (0–3), summing to `count`; the flagship has 3."""
    loads = {h.pk: rng.choices((1, 2, 3), weights=(2, 3, 5))[0] for h in helpers}
    loads[flagship.pk] = MAX_OPEN_PER_HELPER
    others = [h.pk for h in helpers if h is not flagship]
    while sum(loads.values()) > count:
        pk = rng.choice(others)
        loads[pk] = max(loads[pk] - 1, 0)
    while sum(loads.values()) < count:
        pk = rng.choice(others)
        loads[pk] = min(loads[pk] + 1, MAX_OPEN_PER_HELPER)
    return loads


class _Pool:
    """Museums to pair with, by city and by province: `pick` prefers the helper's city, then its province, then
    anywhere (random tries, so removing is cheap)."""

    TRIES = 30

    def __init__(self, museums: list[Museum]):
        self.everyone: list[Museum] = []
        self.by_city: dict[int, list[Museum]] = defaultdict(list)
        self.by_province: dict[str, list[Museum]] = defaultdict(list)
        self.present: set[int] = set()
        for museum in museums:
            self.add(museum)

    def add(self, museum: Museum) -> None:
        self.present.add(museum.pk)
        self.everyone.append(museum)
        self.by_province[museum.province].append(museum)
        if museum.city_id:
            self.by_city[museum.city_id].append(museum)

    def holds(self, museum: Museum) -> bool:
        return museum.pk in self.present

    def remove(self, museum: Museum) -> None:
        self.present.discard(museum.pk)

    def pick(self, rng: random.Random, helper: Museum, *, exclude: set[int]) -> Museum | None:
        groups = (self.by_city.get(helper.city_id) if helper.city_id else None,
                  self.by_province.get(helper.province), self.everyone)
        for group in groups:
            for _ in range(self.TRIES if group else 0):
                museum = rng.choice(group)
                if museum.pk in self.present and museum.pk not in exclude and museum.pk != helper.pk:
                    return museum
        return None


def _kind(rng: random.Random, helper: Museum, helped: Museum) -> str:
    if helped.head_id == helper.pk:
        return PairingKind.HEAD_BRANCH
    return PairingKind.GROUP if rng.random() < 0.2 else PairingKind.ONE_TO_ONE


def _pairing(rng: random.Random, helper: Museum, helped: Museum, status: str, today: datetime.date,
             admins: list[User], *, kind: str, primary: bool) -> Pairing:
    start, end, reason = _dates(rng, status, today)
    created = _at(min(today, start - datetime.timedelta(days=rng.randint(15, 60))), 9)
    return Pairing(
        helper=helper, helped=helped, kind=kind, is_primary=primary, status=status, start_date=start, end_date=end,
        ended_reason=reason, distance_km=distance_between(helper, helped),
        source="suggestion" if rng.random() < 0.3 else "manual", created_by=rng.choice(admins),
        created_at=created, updated_at=_past(created + datetime.timedelta(days=rng.randint(0, 400))),
    )


def _dates(rng: random.Random, status: str, today: datetime.date) -> tuple[datetime.date, datetime.date, str]:
    """Start, end and (ended early) reason: three-year terms, the closed ones in earlier years."""
    days = datetime.timedelta
    if status == PairingStatus.PROPOSED:
        start = today + days(rng.randint(0, 90))
    elif status == PairingStatus.AGREED:
        start = today + days(rng.randint(-30, 60))
    elif status == PairingStatus.ACTIVE:
        start = today - days(rng.randint(60, TERM_YEARS * 365 - 20))
    elif status == PairingStatus.COMPLETED:
        start = today - days(rng.randint(TERM_YEARS * 365 + 30, HISTORY_DAYS))
    else:  # ended early, somewhere in its term
        start = today - days(rng.randint(200, 7 * 365))
        ended = start + days(rng.randint(150, min(900, (today - start).days)))
        return start, ended, rng.choice(ENDED_REASONS)
    return start, _years_later(start, TERM_YEARS), ""


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return _past(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))))


def _past(moment: datetime.datetime) -> datetime.datetime:
    """No timestamp after the build's moment (a pairing starting next month was created before today)."""
    return min(moment, timezone.now())


def _worked_until(pairing: Pairing, today: datetime.date) -> datetime.date:
    """The last day help could have been given under the pairing."""
    return min(pairing.end_date, today)


# --- agreements ------------------------------------------------------------------------------------------


def _agreement(rng: random.Random, pairing: Pairing, people: _People, today: datetime.date) -> Agreement:
    helper, helped = pairing.helper, pairing.helped
    created = _past(pairing.created_at + datetime.timedelta(days=rng.randint(1, 10)))
    agreement = Agreement(
        pairing=pairing, title=f"{helper.name}与{helped.name}结对帮扶协议", term_start=pairing.start_date,
        term_end=pairing.end_date, version=1,
        background=(f"根据省博物馆协会“大馆带小馆 携手共前行”倡议，{helper.name}与{helped.name}结对，"
                    f"在展览、文保、社教和人才培养等方面开展帮扶，协议期{TERM_YEARS}年。"),
        deliverables="\n".join(rng.sample(["联合举办专题展览", "完成一批文物保护修复", "建立库房预防性保护制度",
                                           "培养业务骨干", "开发县域特色文创产品", "编写帮扶工作总结"],
                                          rng.randint(2, 4))),
        created_by=people.admin(helper.pk), created_at=created, updated_at=created,
    )
    if pairing.status == PairingStatus.PROPOSED:
        agreement.status = rng.choice([AgreementStatus.DRAFT, AgreementStatus.AWAITING])
        return agreement
    confirmed = max(created, _at(min(today, pairing.start_date - datetime.timedelta(days=rng.randint(1, 14))), 15))
    agreement.status = AgreementStatus.CONFIRMED
    agreement.helper_confirmed_by, agreement.helper_confirmed_at = people.admin(helper.pk), confirmed
    agreement.helped_confirmed_by = people.admin(helped.pk)
    agreement.helped_confirmed_at = _past(confirmed + datetime.timedelta(hours=rng.randint(1, 72)))
    agreement.updated_at = agreement.helped_confirmed_at
    if pairing.status == PairingStatus.ACTIVE and rng.random() < 0.08:  # amended once
        agreement.version = 2
        agreement.amendment_note = "调整部分任务的截止日期和负责人"
        if rng.random() < 0.3:  # the amendment awaits the two sides again
            agreement.status = rng.choice([AgreementStatus.DRAFT, AgreementStatus.AWAITING])
            agreement.helper_confirmed_by = agreement.helper_confirmed_at = None
            agreement.helped_confirmed_by = agreement.helped_confirmed_at = None
        agreement.updated_at = _past(agreement.updated_at + datetime.timedelta(days=rng.randint(60, 300)))
    return agreement


def _goals(rng: random.Random, agreement: Agreement, offers: dict, needs: dict) -> list[AgreementGoal]:
    """1–4 areas: where the helped museum's needs meet the helper's offers first."""
    pairing = agreement.pairing
    matching = [a for a in needs.get(pairing.helped_id, []) if a in offers.get(pairing.helper_id, [])]
    rest = [a for a in Area.values if a not in matching]
    rng.shuffle(rest)
    chosen = (matching + rest)[: rng.randint(max(1, min(len(matching), 4)), 4)]
    return [AgreementGoal(agreement=agreement, area=area, text=GOAL_TEXT[Area(area)]) for area in chosen]


def _tasks(rng: random.Random, agreement: Agreement, plan: _Plan, goals: list[AgreementGoal], people: _People,
           today: datetime.date) -> list[AgreementTask]:
    """The plan's number of tasks over the term, each in one of the goals' areas, with statuses that fit the
    pairing's status and today."""
    pairing = agreement.pairing
    term = (agreement.term_end - agreement.term_start).days
    statuses = _fixed_statuses(plan.fixed_tasks)
    tasks = []
    for i in range(plan.task_count):
        area = Area(goals[i % len(goals)].area)
        kind, subject = rng.choice(KINDS[area])
        due = agreement.term_start + datetime.timedelta(
            days=min(term, max(7, round(term * (i + 0.5) / plan.task_count) + rng.randint(-20, 20))))
        side = rng.choices([Side.HELPER, Side.HELPED, Side.BOTH], weights=(7, 2, 1))[0]
        owner = pairing.helped_id if side == Side.HELPED else pairing.helper_id
        status = statuses[i] if statuses else _task_status(rng, pairing, due, today)
        person = people.anyone(rng, owner) if rng.random() < 0.85 else None
        plain = subject.format(place="当地", helped="受援馆", n=i // 7 + 1)
        task = AgreementTask(
            agreement=agreement, title=subject.format(place=pairing.helped.short_name or pairing.helped.name,
                                                      helped=pairing.helped.display_name, n=i // 7 + 1),
            area=area, owner_side=side, responsible=person, responsible_name="" if person else _name(rng),
            due_date=due, status=status, progress=_progress(rng, status), ledger_kind=kind,
            description=f"{kind}：{plain}，按协议要求完成并上传佐证材料。",
            created_at=agreement.created_at, **_quantities(rng, area, kind),
        )
        if status == TaskStatus.DONE:
            finished = min(today, due + datetime.timedelta(days=rng.randint(-30, 10)), _worked_until(pairing, today))
            task.completed_at = _at(max(finished, agreement.term_start), 12)
            task.completed_by = people.anyone(rng, owner)
        tasks.append(task)
    return tasks


def _fixed_statuses(which: str) -> list[str]:
    """The benchmark's pairings (their tasks are due evenly over the term, about half of them by now): every
    status, and open tasks past their due date (overdue)."""
    todo, doing, done, cancelled = TaskStatus.TODO, TaskStatus.DOING, TaskStatus.DONE, TaskStatus.CANCELLED
    if which == "big":  # 50: the first ~25 are due, 7 of them still open (overdue)
        return ([done] * 8 + [cancelled] * 2 + [doing, todo] + [done] * 7 + [doing, todo, cancelled]
                + [doing, doing, todo] + [done] * 2 + [doing] * 8 + [todo] * 14 + [cancelled])
    if which == "small":  # 5: two due (one done, one overdue), three ahead
        return [done, doing, doing, todo, todo]
    return []


def _task_status(rng: random.Random, pairing: Pairing, due: datetime.date, today: datetime.date) -> str:
    status = pairing.status
    if status in (PairingStatus.PROPOSED, PairingStatus.AGREED):
        return TaskStatus.TODO if rng.random() < 0.9 else TaskStatus.DOING
    if status == PairingStatus.COMPLETED:
        return TaskStatus.DONE if rng.random() < 0.9 else TaskStatus.CANCELLED
    if status == PairingStatus.ENDED:
        if due > pairing.end_date:
            return TaskStatus.CANCELLED
        return TaskStatus.DONE if rng.random() < 0.75 else TaskStatus.CANCELLED
    if due < today:  # active, due: mostly done, some late
        return rng.choices([TaskStatus.DONE, TaskStatus.DOING, TaskStatus.TODO, TaskStatus.CANCELLED],
                           weights=(75, 8, 7, 10))[0]
    return rng.choices([TaskStatus.TODO, TaskStatus.DOING, TaskStatus.DONE], weights=(60, 35, 5))[0]


def _progress(rng: random.Random, status: str) -> int:
    return {TaskStatus.DONE: 100, TaskStatus.TODO: 0}.get(status, rng.randint(10, 90) if status == TaskStatus.DOING
                                                          else rng.randint(0, 50))


def _quantities(rng: random.Random, area: str, kind: str) -> dict:
    """What a piece of help of this kind amounts to, in the ledger's units."""
    q = {"people_trained": 0, "days": Decimal("0"), "object_count": 0, "visitors": 0, "money_yuan": Decimal("0")}
    q["days"] = Decimal(rng.choice(["0.5", "1", "1", "2", "3", "5", "10", "20", "90"]))
    if area in (Area.PEOPLE, Area.RESEARCH) or kind in ("志愿者培训", "专家会诊"):
        q["people_trained"] = rng.randint(3, 120)
    if area in (Area.EXHIBITION, Area.EDUCATION):
        q["visitors"] = rng.randint(200, 60_000)
    if area in (Area.LOAN, Area.CONSERVATION):
        q["object_count"] = rng.randint(1, 150)
    if rng.random() < 0.35:
        q["money_yuan"] = Decimal(rng.randint(20, 5_000) * 100)
    return q


def _name(rng: random.Random) -> str:
    return rng.choice("王李张刘陈杨赵黄周吴") + rng.choice("伟芳娜敏静丽强磊军洋")


def _evidence(rng: random.Random, plans: list[_Plan], agreements: list[Agreement],
              tasks: dict[int, list[AgreementTask]]) -> list[Attachment]:
    """A link (a report or a news page) on a third of the completed tasks; none on the benchmark's pairings."""
    rows = []
    for plan, agreement in zip(plans, agreements, strict=True):
        if plan.fixed_tasks:
            continue
        for task in tasks[agreement.pk]:
            if task.status == TaskStatus.DONE and rng.random() < 0.33:
                rows.append(Attachment(owner=task, kind=AttachmentKind.EVIDENCE,
                                       link=f"https://example.org/news/{task.pk}", caption=f"{task.title}（工作报道）",
                                       added_by=task.completed_by, added_at=task.completed_at))
    return rows


def _versions(agreements: list[Agreement], goals: dict, tasks: dict) -> list[AgreementVersion]:
    """What each confirmed agreement said when confirmed (and the first version of amended ones), built by the
    service's own `agreement_content`."""
    from bangfu.agreements.services import agreement_content  # the very content the service freezes

    rows = []
    for agreement in agreements:
        confirmed_versions = agreement.version if agreement.is_confirmed else agreement.version - 1
        if confirmed_versions < 1:
            continue
        content = agreement_content(agreement, goals=goals[agreement.pk], tasks=tasks[agreement.pk])
        at = agreement.helped_confirmed_at or agreement.created_at
        for version in range(1, confirmed_versions + 1):
            rows.append(AgreementVersion(agreement=agreement, version=version, content=content, confirmed_at=at,
                                         note="" if version == 1 else agreement.amendment_note))
    return rows


# --- progress reports ------------------------------------------------------------------------------------


def _reports(rng: random.Random, plans: list[_Plan], people: _People, today: datetime.date) -> list[ProgressReport]:
    """Quarterly reports of each side for about half of the running and completed pairings (the last two years
    of each at most); the benchmark's pairings report every quarter."""
    rows = []
    for plan in plans:
        pairing = plan.pairing
        if pairing.status not in (PairingStatus.ACTIVE, PairingStatus.COMPLETED):
            continue
        if not plan.fixed_tasks and rng.random() >= 0.5:
            continue
        last = _worked_until(pairing, today)
        first = max(pairing.start_date, last - datetime.timedelta(days=730))
        for year, quarter in _quarters(first, last):
            for side, museum, chance in ((Side.HELPER, pairing.helper_id, 0.85), (Side.HELPED, pairing.helped_id,
                                                                                     0.7)):
                if plan.fixed_tasks or rng.random() < chance:
                    end = min(datetime.date(year + quarter // 4, quarter % 4 * 3 + 1, 1), today)
                    rows.append(ProgressReport(
                        pairing=pairing, side=side, year=year, quarter=quarter, author=people.anyone(rng, museum),
                        summary=(f"{year}年第{quarter}季度，双方按协议推进帮扶任务，完成培训和现场指导"
                                 f"{rng.randint(1, 6)}次，相关材料已上传。"),
                        problems=rng.choice(["", "经费和专业人员不足。", "部分任务因场馆改造延期。"]),
                        next_steps="继续推进未完成任务，按期提交佐证材料。", submitted_at=_at(end, 16),
                    ))
    return rows


def _quarters(first: datetime.date, last: datetime.date) -> list[tuple[int, int]]:
    year, quarter = first.year, (first.month - 1) // 3 + 1
    end = (last.year, (last.month - 1) // 3 + 1)
    found = []
    while (year, quarter) <= end:
        found.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


# --- the ledger ------------------------------------------------------------------------------------------


def _task_entries(tasks: list[AgreementTask], agreements: list[Agreement]) -> list[LedgerEntry]:
    """One entry per completed task, as `task_complete` writes it through `ledger_record` (confirmed at once)."""
    by_pk = {a.pk: a for a in agreements}
    rows = []
    for task in tasks:
        if task.status != TaskStatus.DONE:
            continue
        agreement = by_pk[task.agreement_id]
        pairing = agreement.pairing
        side = "helped" if task.completed_by and task.completed_by.museum_id == pairing.helped_id else "helper"
        rows.append(LedgerEntry(
            helper=pairing.helper, helped=pairing.helped, pairing=pairing, source_type=LEDGER_SOURCE,
            source_id=task.pk, source_label=f"《{agreement.title}》任务"[:200], area=task.area,
            kind=task.ledger_kind or "协议任务", date=task.completed_at.date(), description=task.title,
            people_trained=task.people_trained, days=task.days, object_count=task.object_count,
            visitors=task.visitors, money_yuan=task.money_yuan,
            confirmation=Confirmation.CONFIRMED, recorded_by=task.completed_by, recorded_side=side,
            confirmed_at=task.completed_at, created_at=task.completed_at,
        ))
    return rows


def _manual_entries(rng: random.Random, plans: list[_Plan], museums: list[Museum], people: _People, *,
                    count: int, today: datetime.date) -> list[LedgerEntry]:
    """`count` entries recorded by hand: most under a pairing (more for those that ran longer), the rest for help
    between neighbours outside any pairing."""
    worked = [p.pairing for p in plans if p.pairing.start_date < today]
    weights = [(_worked_until(p, today) - p.start_date).days + 1 for p in worked]
    in_pairings = round(max(count, 0) * (1 - UNPAIRED_SHARE))
    chosen = rng.choices(worked, weights=weights, k=in_pairings)
    helpers = [m for m in museums if m.is_helper]
    neighbours = _Pool([m for m in museums if m.is_helped and not m.is_helper])
    rows = []
    for pairing in chosen:
        day = pairing.start_date + datetime.timedelta(
            days=rng.randint(0, (_worked_until(pairing, today) - pairing.start_date).days))
        rows.append(_manual_entry(rng, pairing.helper, pairing.helped, pairing, day, people, today))
    for _ in range(max(count, 0) - in_pairings):
        helper = rng.choice(helpers)
        other = neighbours.pick(rng, helper, exclude=set())
        day = today - datetime.timedelta(days=rng.randint(0, HISTORY_DAYS))
        rows.append(_manual_entry(rng, helper, other, None, day, people, today))
    return rows


def _manual_entry(rng: random.Random, helper: Museum, helped: Museum, pairing: Pairing | None, day: datetime.date,
                  people: _People, today: datetime.date) -> LedgerEntry:
    """Recorded by one side (or the association); the other side confirms it, objects, or has not answered yet
    (recent entries more often)."""
    area = Area(rng.choice(Area.values))
    kind, subject = rng.choice(KINDS[area])
    side = rng.choices(["helper", "helped", "association"], weights=(60, 25, 15))[0]
    recorder = {"helper": people.anyone(rng, helper.pk), "helped": people.anyone(rng, helped.pk)}.get(
        side) or rng.choice(people.admins)
    recorded = _at(min(today, day + datetime.timedelta(days=rng.randint(0, 10))), 9)
    state = Confirmation.CONFIRMED
    if side != "association":
        recent = (today - day).days < 120
        roll = rng.random()
        if roll < (0.35 if recent else 0.02):
            state = Confirmation.PENDING
        elif roll > 0.985:
            state = Confirmation.REJECTED
    entry = LedgerEntry(
        helper=helper, helped=helped, pairing=pairing, area=area, kind=kind, date=day,
        description=subject.format(place=helped.short_name or helped.name, helped=helped.display_name,
                                   n=rng.randint(1, 6)) + f"（{day.year}年{day.month}月）",
        recorded_by=recorder, recorded_side=side, confirmation=state, created_at=recorded,
        **_quantities(rng, area, kind),
    )
    if state == Confirmation.REJECTED:
        entry.objection = "数量与实际不符，请核实后重新登记。"
    if state != Confirmation.PENDING and side != "association":
        other = helped.pk if side == "helper" else helper.pk
        entry.confirmed_by = people.admin(other)
        entry.confirmed_at = _past(recorded + datetime.timedelta(days=rng.randint(1, 20)))
    elif side == "association":
        entry.confirmed_at = recorded
    return entry
