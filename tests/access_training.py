"""The training pages in the access matrix (see tests/test_access_matrix.py): a published class of the association
hosted by the helper museum, with a session and the helped museum's staff member accepted and signed in, and a
completed class (its per-museum result, the ledger entry's source page). The outsider (staff of an unrelated
museum) reads the published classes and signs in pages, gets 403 for the organiser's pages and actions and for
nominating (only museum admins nominate), and for withdrawing someone else's nomination."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bangfu.training.models import ClassMuseum
from bangfu.training.services import attendance_mark, class_complete, class_create, nominate, session_add


def _url(name, attr, *extra):
    return lambda w: reverse(f"training:{name}", args=[getattr(w, attr).pk, *extra])


def _list(name):
    return lambda w: reverse(f"training:{name}")


CLASS_POSTS = ("session_add", "nominate", "assessment", "complete", "file_add")
SESSION_POSTS = ("session_remove", "attendance_mark")

MATRIX = {
    "training:classes": (_list("classes"), 200, 302),
    "training:mine": (_list("mine"), 200, 302),
    "training:class_create": (_list("class_create"), 403, 302),
    "training:class": (_url("class", "training_class"), 200, 302),
    "training:class_edit": (_url("class_edit", "training_class"), 403, 302),
    "training:manage": (_url("manage", "training_class"), 403, 302),
    "training:class_move": (_url("class_move", "training_class", "close"), 403, 302),
    **{f"training:{n}": (_url(n, "training_class"), 403, 302) for n in CLASS_POSTS},
    "training:feedback": (_url("feedback", "training_class"), 302, 302),
    "training:nomination_act": (_url("nomination_act", "training_nomination", "withdraw"), 403, 302),
    "training:session": (_url("session", "training_session"), 403, 302),
    "training:session_qr": (_url("session_qr", "training_session"), 403, 302),
    "training:session_edit": (_url("session_edit", "training_session"), 403, 302),
    **{f"training:{n}": (_url(n, "training_session"), 403, 302) for n in SESSION_POSTS},
    "training:checkin_entry": (_list("checkin_entry"), 200, 302),
    "training:checkin": (lambda w: reverse("training:checkin", args=[w.training_session.code]), 200, 302),
    "training:result": (_url("result", "training_result"), 302, 302),
}
POST_ONLY = {"training:class_move", "training:nomination_act", "training:feedback",
             *(f"training:{n}" for n in (*CLASS_POSTS, *SESSION_POSTS))}


def scene(world):
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    world.training_class = class_create(
        by=world.admin, title="县级博物馆藏品管理培训班", area="collection", start=today,
        end=today + datetime.timedelta(days=1), places=10, places_per_museum=3, host=world.helper_museum,
        place="山西博物院", publish=True)
    world.training_session = session_add(
        klass=world.training_class, by=world.admin, title="藏品账目与定级",
        start=datetime.datetime.combine(today, datetime.time(9), tzinfo=tz),
        end=datetime.datetime.combine(today, datetime.time(12), tzinfo=tz), hours=3)
    [world.training_nomination] = nominate(klass=world.training_class, by=world.helped_admin,
                                           people=[world.helped_staff])
    attendance_mark(session=world.training_session, nomination=world.training_nomination, by=world.admin,
                    present=True)
    past = today - datetime.timedelta(days=20)
    done = class_create(by=world.admin, title="讲解服务培训班", area="guiding", start=past, end=past,
                        places=5, host=world.helper_museum, place="太原", publish=True)
    session = session_add(klass=done, by=world.admin, title="讲解技巧", hours=6,
                          start=datetime.datetime.combine(past, datetime.time(9), tzinfo=tz),
                          end=datetime.datetime.combine(past, datetime.time(16), tzinfo=tz))
    [nomination] = nominate(klass=done, by=world.helped_admin, people=[world.helped_admin])
    attendance_mark(session=session, nomination=nomination, by=world.admin, present=True)
    class_complete(klass=done, by=world.admin)
    world.training_result = ClassMuseum.objects.get(klass=done, museum=world.helped_museum)
