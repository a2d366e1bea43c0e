"""The exhibitions pages in the access matrix (see tests/test_access_matrix.py): a published touring exhibition of
the helper museum with a window and a photo, a stop requested by the helped museum, and a co-curation project of
the helped museum guided by the helper. The outsider (staff of an unrelated museum) sees the public marketplace and
the published exhibition (and may request a stop: an empty request comes back with its reasons, 400), but gets
403 for the owner's pages and 404 for the stop and the project."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bangfu.exhibitions.services import guidance_add, project_create, stop_request, touring_create, touring_photo_add

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
       b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def _url(name, attr):
    return lambda w: reverse(f"exhibitions:{name}", args=[getattr(w, attr).pk])


MATRIX = {
    "exhibitions:touring_list": (lambda w: reverse("exhibitions:touring_list"), 200, 200),
    "exhibitions:touring_create": (lambda w: reverse("exhibitions:touring_create"), 200, 302),
    "exhibitions:touring": (_url("touring", "touring"), 200, 200),
    "exhibitions:touring_edit": (_url("touring_edit", "touring"), 403, 302),
    "exhibitions:touring_publish": (_url("touring_publish", "touring"), 403, 302),
    "exhibitions:touring_withdraw": (_url("touring_withdraw", "touring"), 403, 302),
    "exhibitions:window_add": (_url("window_add", "touring"), 403, 302),
    "exhibitions:window_remove": (_url("window_remove", "touring_window"), 403, 302),
    "exhibitions:photo_add": (_url("photo_add", "touring"), 403, 302),
    "exhibitions:stop_request": (_url("stop_request", "touring"), 400, 302),
    "exhibitions:stops": (lambda w: reverse("exhibitions:stops"), 200, 302),
    "exhibitions:stop": (_url("stop", "tour_stop"), 404, 302),
    "exhibitions:stop_accept": (_url("stop_accept", "tour_stop"), 404, 302),
    "exhibitions:stop_decline": (_url("stop_decline", "tour_stop"), 404, 302),
    "exhibitions:stop_withdraw": (_url("stop_withdraw", "tour_stop"), 404, 302),
    "exhibitions:stop_complete": (_url("stop_complete", "tour_stop"), 404, 302),
    "exhibitions:stop_file_add": (_url("stop_file_add", "tour_stop"), 404, 302),
    "exhibitions:projects": (lambda w: reverse("exhibitions:projects"), 200, 302),
    "exhibitions:project_create": (lambda w: reverse("exhibitions:project_create"), 200, 302),
    "exhibitions:project": (_url("project", "curation_project"), 404, 302),
    "exhibitions:project_edit": (_url("project_edit", "curation_project"), 404, 302),
    "exhibitions:guidance_add": (_url("guidance_add", "curation_project"), 404, 302),
    "exhibitions:project_advance": (_url("project_advance", "curation_project"), 404, 302),
    "exhibitions:project_cancel": (_url("project_cancel", "curation_project"), 404, 302),
}
POST_ONLY = {"exhibitions:touring_publish", "exhibitions:touring_withdraw", "exhibitions:window_add",
             "exhibitions:window_remove", "exhibitions:photo_add",
             "exhibitions:stop_request", "exhibitions:stop_accept", "exhibitions:stop_decline",
             "exhibitions:stop_withdraw", "exhibitions:stop_complete", "exhibitions:stop_file_add",
             "exhibitions:guidance_add", "exhibitions:project_advance",
             "exhibitions:project_cancel"}


def scene(world):
    today = timezone.localdate()
    world.touring = touring_create(
        museum=world.helper_museum, by=world.helper_admin, title="晋国霸业", theme="青铜器",
        description="晋国青铜器精品巡展。", floor_area=600, windows=[(today, today + datetime.timedelta(days=365))],
        publish=True)
    world.touring_window = world.touring.windows.get()
    world.touring_photo = touring_photo_add(exhibition=world.touring, by=world.helper_admin,
                                            file=SimpleUploadedFile("展厅.png", PNG, content_type="image/png"))
    world.tour_stop = stop_request(exhibition=world.touring, venue=world.helped_museum, by=world.helped_admin,
                                   start=today + datetime.timedelta(days=30), end=today + datetime.timedelta(days=90))
    world.curation_project = project_create(museum=world.helped_museum, helper=world.helper_museum,
                                            by=world.helped_admin, title="安泽历史文化陈列")
    note = guidance_add(project=world.curation_project, by=world.helper_staff, stage="topic", date=today,
                        note="建议以荀子故里为主线。", link="https://example.org/提纲", caption="选题提纲")
    world.guidance_file = note.attachments.get()
