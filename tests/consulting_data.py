"""Shared set-up of the 远程咨询 tests: a pairing of the world's helper with the helped museum, two experts of the
pool (one in conservation with matching tags, one in education), and a question asked through the services."""

import datetime

from django.utils import timezone

from bangfu.consulting.services import question_ask
from bangfu.experts.services import expert_create
from bangfu.pairings.services import pairing_create

from .factories import make_user


def pair(world):
    today = timezone.localdate()
    return pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                          start_date=today - datetime.timedelta(days=30), end_date=today + datetime.timedelta(days=300))


def experts(world):
    world.expert_profile = expert_create(by=world.admin, name="冯雅琴", organisation="山西考古研究院",
                                         areas=["conservation"], tags="青铜器修复, 锈蚀", user=world.expert)
    world.educator = make_user("expert", username="educator")
    world.educator_profile = expert_create(by=world.admin, name="王讲解", organisation="山西博物院",
                                           areas=["education"], tags="讲解", user=world.educator)
    return world


def ask(world, *, by=None, title="青铜器表面出现浅绿色粉状锈怎么办", area="conservation", tags="青铜器，锈蚀",
        body="库房里一件战国铜戈表面出现浅绿色粉状物，疑似青铜病。", **kwargs):
    return question_ask(by=by or world.helped_staff, area=area, title=title, body=body, tags=tags, **kwargs)
