"""The predicates of bangfu/permissions.py that later modules build on."""

import pytest

from bangfu.permissions import is_member_of, supervises

from .factories import make_museum

pytestmark = pytest.mark.django_db


def test_city_supervisor_supervises_museums_of_their_city_only(world):
    assert supervises(world.city_supervisor, world.other_museum)  # 天镇县 is in 大同市
    assert not supervises(world.city_supervisor, world.helped_museum)  # 安泽县 is in 临汾市


def test_province_supervisor_supervises_every_museum_of_the_province(world):
    assert supervises(world.province_supervisor, world.helped_museum)
    assert not supervises(world.province_supervisor, make_museum("外省博物馆", province="河北省"))


def test_museum_staff_and_admins_are_members_of_their_own_museum_only(world):
    assert is_member_of(world.helped_staff, world.helped_museum)
    assert not is_member_of(world.outsider, world.helped_museum)
    assert not is_member_of(world.admin, world.helped_museum)
    world.helped_staff.is_active = False
    assert not is_member_of(world.helped_staff, world.helped_museum)
