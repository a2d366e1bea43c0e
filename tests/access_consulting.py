"""The 远程咨询 pages in the access matrix (see tests/test_access_matrix.py): a question of the helped museum's
staff with an expert's answer, a comment, a file, and a meeting booked for tomorrow. Every signed-in user reads the
questions, the knowledge base and the meetings (shared knowledge), and the outsider (staff of an unrelated county
museum, no helper) may ask a question of its own (the empty form); it may not answer, comment, accept, close, add
files, book, or change the meeting (403)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bangfu.consulting.services import answer_add, comment_add, meeting_book, question_ask

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
       b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def _list(name):
    return lambda w: reverse(f"consulting:{name}")


def _q(name):
    return lambda w: reverse(f"consulting:{name}", args=[w.consulting_question.pk])


def _m(name):
    return lambda w: reverse(f"consulting:{name}", args=[w.consulting_meeting.pk])


QUESTION_STEPS = ("answer_add", "comment_add", "accept", "close", "question_file_add")
MEETING_STEPS = ("meeting_reschedule", "meeting_cancel", "meeting_record", "meeting_file_add")

MATRIX = {
    "consulting:home": (_list("home"), 200, 302),
    "consulting:ask": (_list("ask"), 200, 302),
    "consulting:todo": (_list("todo"), 200, 302),
    "consulting:knowledge": (_list("knowledge"), 200, 302),
    "consulting:question": (_q("question"), 200, 302),
    **{f"consulting:{n}": (_q(n), 403, 302) for n in QUESTION_STEPS},
    "consulting:meeting_book": (_q("meeting_book"), 403, 302),
    "consulting:meeting": (_m("meeting"), 200, 302),
    **{f"consulting:{n}": (_m(n), 403, 302) for n in MEETING_STEPS},
}
POST_ONLY = {f"consulting:{n}" for n in (*QUESTION_STEPS, *MEETING_STEPS)}


def scene(world):
    world.consulting_question = question_ask(
        by=world.helped_staff, area="conservation", title="青铜器表面出现浅绿色粉状锈怎么办", tags="青铜器，锈蚀",
        body="库房里一件战国铜戈表面出现浅绿色粉状物，疑似“青铜病”。",
        files=[SimpleUploadedFile("铜戈.png", PNG, content_type="image/png")])
    answer_add(question=world.consulting_question, by=world.expert, body="先隔离并控制湿度在 40% 以下。")
    comment_add(question=world.consulting_question, by=world.helped_admin, body="隔离柜需要什么规格？")
    world.consulting_meeting = meeting_book(
        question=world.consulting_question, by=world.helped_staff, link="https://meeting.tencent.com/dm/abc123",
        starts_at=timezone.now() + datetime.timedelta(days=1), duration_minutes=60)
