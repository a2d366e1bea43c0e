"""The people area at national scale (issue 11): the learning record with ten years of 学时, training classes,
the course library and the consulting knowledge base.

    .venv/bin/python bench/people.py                 # SQLite: bench/out/people.sqlite3, built once, then reused
    .venv/bin/python bench/people.py --rebuild       # build the data again
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bangfu_bench_people .venv/bin/python bench/people.py

In-process, like bench/loans.py: each target runs `--repeat` times on a warm process through Django's test client;
the report gives CPU ms per request (this process's user + system time: on SQLite that includes the SQL; on
PostgreSQL the database's own time is the "wall" column minus CPU), wall ms, the query count and the ratio to the
framework floor (`/__hello__/` through the same middleware).

The data (seeded): the real divisions, the 226 real Shanxi museums and synthetic ones up to `--museums`
(bench/fixture.py); `--users` platform users (bench/fixture.py's shares: mostly museum staff) plus 400 staff of
山西博物院; `--years` years of 学时 for every museum person (2–6 entries a person a year: about 1.8 M rows for ten
years), a certificate for one entry in eight; `--classes` training classes over those years with five sessions
and a dozen nominations each, and one class of 山西博物院 with 300 nominations and attendance; 500 online courses;
`--questions` resolved consulting questions with their accepted answers, indexed for the knowledge-base search
(search text and term rows written in bulk with the kernel's `chinese_text.words` / `term_weights`, as
`core.search.index_rows` writes them one at a time). Only 127.0.0.1 databases whose name contains "bench" are
touched.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import inprocess  # noqa: E402
from bench.inprocess import print_table  # noqa: E402

FIXTURE_VERSION = "1"
FLAGSHIP = "山西博物院"
FLAGSHIP_STAFF = 400
BIG_CLASS = 300
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
SOURCES = [("training.class", "培训班", "{topic}专项业务培训班"), ("courses.course", "线上课程", "{topic}线上课程"),
           ("placements.placement", "跟班学习", "{topic}跟班学习"), ("tours.tour", "专家巡讲", "{topic}专家巡讲")]
TOPICS = ["文物保护", "藏品管理", "陈列展览", "社会教育", "文创开发", "安全防范", "数字化", "考古发掘", "古建筑保护",
          "博物馆管理"]
TOPIC_AREAS = ["collection", "display", "conservation", "education", "guiding", "media", "safety"]  # training
AREAS = ["exhibition", "loan", "conservation", "creative", "education", "research", "people"]  # core.areas
QUESTION_PARTS = {
    "subject": ["库房", "展厅", "展柜", "文物库房", "临时库房", "书画库房", "青铜器库房", "纺织品库房"],
    "issue": ["湿度", "温度", "霉斑", "虫害", "锈蚀", "粉化", "开裂", "褪色", "照度", "漏水"],
    "thing": ["青铜器", "书画", "纺织品", "木器", "陶器", "瓷器", "壁画残片", "古籍", "铁器", "漆器"],
}
BODIES = ["我馆{subject}近来{issue}波动较大，{thing}出现异常，想请教应如何处理。",
          "{subject}没有恒温恒湿设备，夏季{issue}问题明显，{thing}该怎样临时保护？",
          "新建{subject}投入使用前需要检测哪些指标？{issue}控制在什么范围合适？",
          "{thing}入藏时发现{issue}迹象，是否需要先隔离再入{subject}？"]
ANSWERS = ["建议先连续记录一周{subject}的{issue}数据，找出波动来源；{thing}可用囊匣和调湿剂做微环境控制。",
           "{issue}问题首先要查明原因：{subject}的门窗密封、空调运行时间都要检查，{thing}暂移至稳定区域。",
           "可参照《馆藏文物保存环境质量检测技术规范》，{thing}的{issue}控制应保持稳定，避免日波动过大。"]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="人才培养（学时、培训班、课程库、咨询知识库）的全国规模基准测试")
    parser.add_argument("--rebuild", action="store_true", help="重建基准数据库")
    parser.add_argument("--drop", action="store_true", help="结束后删除基准数据库")
    parser.add_argument("--museums", type=int, default=7000, help="博物馆数（默认 7000）")
    parser.add_argument("--users", type=int, default=50_000, help="用户数（默认 50000）")
    parser.add_argument("--years", type=int, default=10, help="学时记录的年数（默认 10）")
    parser.add_argument("--classes", type=int, default=5000, help="培训班数（默认 5000）")
    parser.add_argument("--questions", type=int, default=20_000, help="已解决的咨询问题数（默认 20000）")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=20, help="每个目标重复次数（默认 20）")
    parser.add_argument("--only", default="", help="只测地址含此文字的目标（如 /people/hours/）")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    key = {"version": FIXTURE_VERSION, "museums": str(args.museums), "users": str(args.users),
           "years": str(args.years), "classes": str(args.classes), "questions": str(args.questions),
           "seed": str(args.seed)}
    inprocess.run(name="people", key=key, rebuild=args.rebuild, drop=args.drop, build=lambda: build(args),
                  measure=lambda db: measure(args, db))


def _code(rng: random.Random, length: int, used: set[str]) -> str:
    while True:
        code = "".join(rng.choices(CODE_ALPHABET, k=length))
        if code not in used:
            used.add(code)
            return code


def _insert(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Rows straight into a table: COPY on PostgreSQL, executemany on SQLite (a million rows in seconds)."""
    if not rows:
        return
    columns = [connection.ops.quote_name(c) for c in columns]  # "end"
    if connection.vendor == "postgresql":
        raw = connection.cursor().cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608


def build(args) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.accounts.models import Role, User
    from bangfu.museums.models import Museum
    from bangfu.places.geo import PlaceIndex
    from bangfu.places.loader import load_divisions
    from bench import fixture

    rng = random.Random(args.seed)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        load_divisions()
        places = PlaceIndex()
        rows = fixture.real_museums(places)
        rows += fixture.synthetic_museums(rng, places, count=args.museums - len(rows), used={m.name for m in rows})
        museums = Museum.objects.bulk_create(rows, batch_size=500)
        flagship = next(m for m in museums if m.name == FLAGSHIP)
        users = fixture.platform_users(rng, museums, places, total=args.users)
        password = make_password("bench-password-not-secret")
        users.append(User(username="xiehui-people", password=password, role=Role.ASSOCIATION_ADMIN,
                          full_name="协会管理员"))
        users.append(User(username="guanzhang-people", password=password, role=Role.MUSEUM_ADMIN, museum=flagship,
                          full_name="山西博物院馆管理员"))
        users += [User(username=f"shanbo{i:04d}", password=password, role=Role.MUSEUM_STAFF, museum=flagship,
                       full_name=f"山博馆员{i}") for i in range(FLAGSHIP_STAFF)]
        User.objects.bulk_create(users, batch_size=2000)
    print(f"  用户 {User.objects.count():,}")
    people = list(User.objects.filter(role__in=(Role.MUSEUM_ADMIN, Role.MUSEUM_STAFF), museum__isnull=False)
                  .values_list("pk", "museum_id", "full_name").order_by("pk"))
    admin = User.objects.get(username="xiehui-people")
    counts = {"museums": len(museums), "users": len(users)}
    counts.update(_hours(args, rng, connection, people, today, now, admin))
    counts.update(_training(args, rng, connection, museums, flagship, people, today, now, admin))
    counts.update(_courses(rng, museums, admin))
    counts.update(_consulting(args, rng, connection, museums, people, now, admin))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return counts


def _hours(args, rng, connection, people, today, now, admin) -> dict:
    """2–6 entries a person a year for `--years` years (this year's up to today), one in eight with a
    certificate; every entry its own source (source_id counts up)."""
    from django.db import transaction

    first_year = today.year - args.years + 1
    source_id = made = certificates = 0
    codes: set[str] = set()
    serials: dict[int, int] = {}
    columns = ["person_id", "date", "hours", "title", "source_type", "source_id", "source_label", "url", "created_at"]
    cert_columns = ["serial", "code", "kind", "person_id", "person_name", "museum_name", "title", "hours", "start",
                    "end", "issued_on", "issuer", "source_type", "source_id", "issued_by_id", "revoked_at",
                    "revoked_reason", "created_at"]
    batch, certs = [], []

    def flush():
        with transaction.atomic():
            _insert(connection, "learning_hoursentry", columns, batch)
            _insert(connection, "learning_certificate", cert_columns, certs)
        batch.clear()
        certs.clear()

    for person_id, _museum_id, name in people:
        for year in range(first_year, today.year + 1):
            last = today if year == today.year else datetime.date(year, 12, 31)
            span = (last - datetime.date(year, 1, 1)).days
            for _ in range(rng.randint(2, 6)):
                source_id += 1
                kind, label, title = rng.choice(SOURCES)
                date = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, span))
                hours = Decimal(rng.choice(["2.0", "4.0", "8.0", "12.0", "16.0", "24.0", "32.0"]))
                title = title.format(topic=rng.choice(TOPICS))
                batch.append((person_id, date, hours, title, kind, source_id, label, "", now))
                if kind != "courses.course" and rng.random() < 0.125:
                    serials[year] = serials.get(year, 0) + 1
                    certs.append((f"SXMA-{year}-{serials[year]:06d}", _code(rng, 12, codes),
                                  "class" if kind == "training.class" else "placement", person_id, name or "学员",
                                  "", title, hours, date, date, date, "山西省博物馆协会", kind, source_id, admin.pk,
                                  None, "", now))
                    certificates += 1
        if len(batch) >= 50_000:
            made += len(batch)
            flush()
            print(f"  学时 {made:,}", end="\r", flush=True)
    made += len(batch)
    flush()
    print(f"  学时 {made:,}，证书 {certificates:,}")
    return {"hours_entries": made, "certificates": certificates}


def _training(args, rng, connection, museums, flagship, people, today, now, admin) -> dict:
    from django.db import transaction

    from bangfu.training.models import Attendance, Nomination, Session, TrainingClass

    hosts = [flagship, *rng.sample(museums, 200)]
    first = today - datetime.timedelta(days=365 * args.years)
    classes = []
    for i in range(args.classes):
        start = first + datetime.timedelta(days=rng.randint(0, 365 * args.years + 120))
        past = start < today
        status = ("completed" if rng.random() < 0.9 else "cancelled") if past else rng.choice(["published", "closed"])
        host = rng.choice(hosts)
        classes.append(TrainingClass(
            title=f"{rng.choice(TOPICS)}专项业务培训班（第{i + 1}期）", area=rng.choice(TOPIC_AREAS), host=host,
            organiser_museum=host if rng.random() < 0.3 else None, start=start,
            end=start + datetime.timedelta(days=4), place="太原", places=40, status=status,
            completed_on=start + datetime.timedelta(days=4) if status == "completed" else None, created_by=admin))
    big_start = today + datetime.timedelta(days=10)
    classes.append(TrainingClass(title="山西博物院藏品保护专项业务培训班", area="conservation", host=flagship,
                                 organiser_museum=flagship, start=big_start,
                                 end=big_start + datetime.timedelta(days=9), place="山西博物院",
                                 places=BIG_CLASS + 20, status="published", created_by=admin))
    codes: set[str] = set()
    with transaction.atomic():
        created = TrainingClass.objects.bulk_create(classes, batch_size=1000)
        sessions = []
        for klass in created:
            count = 10 if klass.title.startswith("山西博物院") else 5
            for d in range(count):
                day = klass.start + datetime.timedelta(days=d // 2)
                begin = datetime.datetime.combine(day, datetime.time(9 if d % 2 == 0 else 14),
                                                  tzinfo=now.tzinfo)
                sessions.append(Session(klass=klass, title=f"第{d + 1}讲 {rng.choice(TOPICS)}", start=begin,
                                        end=begin + datetime.timedelta(hours=3), hours=Decimal("3.0"),
                                        teacher_names="专家", code=_code(rng, 6, codes)))
        Session.objects.bulk_create(sessions, batch_size=5000)
        nominations = []
        for klass in created[:-1]:
            for pid, mid, _ in rng.sample(people, rng.randint(6, 18)):
                nominations.append(Nomination(klass=klass, person_id=pid, museum_id=mid,
                                              state="accepted" if rng.random() < 0.85 else "waiting",
                                              queued_at=now, nominated_by=admin,
                                              completed=klass.status == "completed"))
        big = created[-1]
        flagship_people = [p for p in people if p[1] == flagship.pk][:BIG_CLASS]
        for pid, mid, _ in flagship_people:
            nominations.append(Nomination(klass=big, person_id=pid, museum_id=mid, state="accepted", queued_at=now,
                                          nominated_by=admin))
        Nomination.objects.bulk_create(nominations, batch_size=5000)
        big_sessions = list(Session.objects.filter(klass=big).order_by("start")[:6])
        Attendance.objects.bulk_create(
            [Attendance(session=s, nomination=n) for n in Nomination.objects.filter(klass=big)
             for s in big_sessions if rng.random() < 0.9], batch_size=5000)
    return {"classes": len(created), "sessions": len(sessions), "nominations": len(nominations),
            "big_class_attendance": Attendance.objects.count()}


def _courses(rng, museums, admin) -> dict:
    from bangfu.courses.models import Course, Lesson

    courses = Course.objects.bulk_create([
        Course(title=f"{rng.choice(TOPICS)}基础课程（{i + 1}）", area=rng.choice(AREAS), description="线上课程简介。",
               hours=Decimal("4"), organiser=rng.choice(museums) if rng.random() < 0.5 else None,
               teacher="主讲专家", published=rng.random() < 0.9, created_by=admin) for i in range(500)])
    Lesson.objects.bulk_create([Lesson(course=c, position=p, title=f"第{p}课", kind="link",
                                       link="https://example.org/lesson") for c in courses for p in range(1, 6)])
    return {"courses": len(courses)}


def _consulting(args, rng, connection, museums, people, now, admin) -> dict:
    from django.db import transaction

    from bangfu.consulting.models import Answer, Question
    from bangfu.core import chinese_text
    from bangfu.core.search import term_weights

    chinese_text.thesaurus()
    cache: dict[str, list[str]] = {}

    def words(piece: str) -> list[str]:
        found = cache.get(piece)
        if found is None:
            found = cache[piece] = chinese_text.words(piece)
        return found

    made = 0
    while made < args.questions:
        questions, texts = [], []
        for _ in range(min(2000, args.questions - made)):
            parts = {k: rng.choice(v) for k, v in QUESTION_PARTS.items()}
            title = f"{parts['subject']}{parts['issue']}怎么控制？" if rng.random() < 0.5 else \
                f"{parts['thing']}{parts['issue']}如何处理？"
            body = rng.choice(BODIES).format(**parts)
            answer = rng.choice(ANSWERS).format(**parts)
            tags = f"{parts['thing']}, {parts['issue']}"
            pid, mid, _ = rng.choice(people)
            ws = [*words(title), *words(title), *words(tags), *words(body), *words(answer)]
            asked = now - datetime.timedelta(minutes=rng.randint(600, 5 * 365 * 24 * 60))
            questions.append(Question(museum_id=mid, asked_by_id=pid, area=rng.choice(AREAS), tags=tags,
                                      title=title, body=body, status="open", search_text=" ".join(ws)))
            texts.append((answer, ws, asked))
        with transaction.atomic():
            created = Question.objects.bulk_create(questions)
            answers = Answer.objects.bulk_create([
                Answer(question=q, author=admin, role="association", body=answer)
                for q, (answer, _, _) in zip(created, texts, strict=True)])
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE consulting_question SET status = 'resolved', accepted_answer_id = %s, created_at = %s, "
                    "resolved_at = %s, first_answer_at = %s WHERE id = %s",
                    [(a.pk, asked, asked + datetime.timedelta(days=2), asked + datetime.timedelta(days=1), q.pk)
                     for q, a, (_, _, asked) in zip(created, answers, texts, strict=True)])
            _insert(connection, "consulting_questionterm", ["question_id", "term", "weight"],
                    [(q.pk, term, weight) for q, (_, ws, _) in zip(created, texts, strict=True)
                     for term, weight in term_weights(ws).items()])
        made += len(created)
        print(f"  咨询问题 {made:,} / {args.questions:,}", end="\r", flush=True)
    print()
    return {"questions": made}


def measure(args, db) -> None:
    from django.test import Client

    from bangfu.accounts.models import User
    from bangfu.courses.models import Course
    from bangfu.learning.models import Certificate, HoursEntry
    from bangfu.training.models import Session, TrainingClass

    def client(username):
        c = Client()
        c.force_login(User.objects.get(username=username))
        return c

    association, museum_admin, anonymous = client("xiehui-people"), client("guanzhang-people"), Client()
    person = User.objects.get(username="shanbo0000")
    staff = client(person.username)
    results = []
    floor = inprocess.timed(inprocess.getter(anonymous, "/__hello__/"), args.repeat * 5)

    def getter(client, url, params=None):  # --only: the targets whose address holds the text
        return inprocess.getter(client, url, params) if args.only in url else None

    def timed(get, repeat):
        return inprocess.timed(get, repeat) if get else None

    results.append(("floor", "/__hello__/", floor))
    r = args.repeat
    results.append(("hours overview", "/people/hours/ (association, first page)",
                    timed(getter(association, "/people/hours/"), r)))
    results.append(("hours overview, short", "/people/hours/?short=1 (association)",
                    timed(getter(association, "/people/hours/", {"short": "1"}), r)))
    results.append(("hours overview, a museum", "/people/hours/ (山西博物院 admin)",
                    timed(getter(museum_admin, "/people/hours/"), r)))
    results.append(("hub, association", "/people/ (association)", timed(getter(association, "/people/"), r)))
    results.append(("hub, museum admin", "/people/ (山西博物院 admin)", timed(getter(museum_admin, "/people/"), r)))
    results.append(("hub, staff", "/people/ (a member of staff)", timed(getter(staff, "/people/"), r)))
    results.append(("a person's record", f"/people/{person.pk}/ (association)",
                    timed(getter(association, f"/people/{person.pk}/"), r)))
    results.append(("API hours", f"GET /api/people/{person.pk}/hours (museum admin)",
                    timed(getter(museum_admin, f"/api/people/{person.pk}/hours"), r)))
    certificate = Certificate.objects.filter(person__museum__name=FLAGSHIP).order_by("pk").first()
    results.append(("verify", "/verify/<code>/ (anonymous)",
                    timed(getter(anonymous, f"/verify/{certificate.code}/"), r)))
    results.append(("certificate PDF", f"/people/certificates/{certificate.pk}/pdf/ (association)",
                    timed(getter(association, f"/people/certificates/{certificate.pk}/pdf/"), r)))
    results.append(("classes", "/training/ (association, published)", timed(getter(association, "/training/"), r)))
    results.append(("classes, all", "/training/?show=all (association)",
                    timed(getter(association, "/training/", {"show": "all"}), r)))
    big = TrainingClass.objects.get(title="山西博物院藏品保护专项业务培训班")
    results.append(("class management", f"/training/{big.pk}/manage/ ({BIG_CLASS} nominations, grid)",
                    timed(getter(museum_admin, f"/training/{big.pk}/manage/"), r)))
    session = Session.objects.filter(klass=big).order_by("start").first()
    results.append(("session sign-in page", f"/training/sessions/{session.pk}/ ({BIG_CLASS} accepted)",
                    timed(getter(museum_admin, f"/training/sessions/{session.pk}/"), r)))
    results.append(("class page", f"/training/{big.pk}/ (山西博物院 admin, may nominate)",
                    timed(getter(museum_admin, f"/training/{big.pk}/"), r)))
    results.append(("course library", "/courses/ (staff)", timed(getter(staff, "/courses/"), r)))
    results.append(("knowledge base", "/consulting/knowledge/ (staff)",
                    timed(getter(staff, "/consulting/knowledge/"), r)))
    results.append(("knowledge search", "/consulting/knowledge/?q=库房湿度 (staff)",
                    timed(getter(staff, "/consulting/knowledge/", {"q": "库房湿度"}), r)))

    results = [row for row in results if row[2] is not None]
    print_table(f"{db.label} · {HoursEntry.objects.count():,} 条学时 · {User.objects.count():,} 个用户 · "
                f"{TrainingClass.objects.count():,} 个培训班 · {Course.objects.count():,} 门课程 · "
                f"每项重复 {r} 次（取中位数）", results, floor)


if __name__ == "__main__":
    main()
