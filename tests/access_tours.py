"""The lecture tour pages in the access matrix (see tests/test_access_matrix.py): a tour led by the helper museum
with the world's expert on its team, one stop at the helped museum done (attendance, a photo, a ledger entry) and
one still to come at the outsider's museum's neighbour. Every signed-in user reads the list, the tour, a stop and
their own schedule; the outsider (staff of an unrelated museum) may not form, plan or record (403)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bangfu.tours.services import stop_add, stop_photo_add, stop_record, tour_create

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
       b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def _url(name, attr):
    return lambda w: reverse(f"tours:{name}", args=[getattr(w, attr).pk])


def _list(name):
    return lambda w: reverse(f"tours:{name}")


MATRIX = {
    "tours:list": (_list("list"), 200, 302),
    "tours:create": (_list("create"), 403, 302),
    "tours:mine": (_list("mine"), 200, 302),
    "tours:mine_ics": (_list("mine_ics"), 200, 302),
    "tours:tour": (_url("tour", "tour"), 200, 302),
    "tours:edit": (_url("edit", "tour"), 403, 302),
    "tours:move": (_url("move", "tour"), 403, 302),
    "tours:stop_create": (_url("stop_create", "tour"), 403, 302),
    "tours:stop": (_url("stop", "tour_stop_done"), 200, 302),
    "tours:stop_edit": (_url("stop_edit", "tour_stop"), 403, 302),
    "tours:stop_record": (_url("stop_record", "tour_stop"), 403, 302),
    "tours:stop_cancel": (_url("stop_cancel", "tour_stop"), 403, 302),
    "tours:stop_answer": (_url("stop_answer", "tour_stop"), 403, 302),
    "tours:stop_file_add": (_url("stop_file_add", "tour_stop_done"), 403, 302),
}
POST_ONLY = {"tours:move", "tours:stop_record", "tours:stop_cancel", "tours:stop_file_add", "tours:stop_answer"}


def scene(world):
    today = timezone.localdate()
    world.tour = tour_create(by=world.admin, title="文物保护专家县域巡讲", lead_museum=world.helper_museum,
                             start=today - datetime.timedelta(days=30), end=today + datetime.timedelta(days=60),
                             experts=[world.expert_profile], leader=world.expert_profile, theme="预防性保护")
    world.tour_stop_done = stop_add(tour=world.tour, by=world.admin, museum=world.helped_museum,
                                    date=today - datetime.timedelta(days=3), topic="库房温湿度控制",
                                    teachers=[world.expert_profile], expected=30)
    stop_record(stop=world.tour_stop_done, by=world.admin, attendance=28, attendees=[world.helped_staff],
                notes="现场答疑 40 分钟")
    stop_photo_add(stop=world.tour_stop_done, by=world.helped_admin,
                   file=SimpleUploadedFile("现场.png", PNG, content_type="image/png"), caption="现场")
    world.tour_stop = stop_add(tour=world.tour, by=world.admin, museum=world.helper_museum.__class__.objects.exclude(
        pk__in=[world.helper_museum.pk, world.helped_museum.pk, world.other_museum.pk]).first()
        or world.helped_museum, date=today + datetime.timedelta(days=5), topic="青铜器病害识别",
        teachers=[world.expert_profile])
