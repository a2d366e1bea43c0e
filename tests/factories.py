"""Test data built through the real services (never by writing rows directly)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.accounts.services import user_create
from bangfu.museums.models import Museum
from bangfu.museums.services import museum_create
from bangfu.places.loader import load_divisions
from bangfu.places.models import Division

PASSWORD = "Test-pass-123"
_seq = itertools.count(1)


def ensure_divisions() -> None:
    if not Division.objects.exists():
        load_divisions()


def division(code: str) -> Division:
    ensure_divisions()
    return Division.objects.get(code=code)


def make_museum(name: str | None = None, *, county: str | None = None, city: str | None = None,
                grade: str = "未定级", **fields) -> Museum:
    ensure_divisions()
    return museum_create(
        by=None, name=name or f"测试博物馆{next(_seq)}", grade=grade,
        county=division(county) if county else None, city=division(city) if city else None, **fields,
    )


def make_user(role: str, *, museum: Museum | None = None, jurisdiction: str | None = None,
              username: str | None = None, **fields) -> User:
    return user_create(
        by=None, username=username or f"{role}{next(_seq)}", role=role, password=PASSWORD,
        museum=museum, jurisdiction=division(jurisdiction) if jurisdiction else None,
        full_name=fields.pop("full_name", f"{role} 测试"), **fields,
    )


@dataclass
class World:
    """The personas of STYLE.md §8 and their museums."""

    helper_museum: Museum
    helped_museum: Museum
    other_museum: Museum
    admin: User
    province_supervisor: User
    city_supervisor: User
    helper_admin: User
    helper_staff: User
    helped_admin: User
    helped_staff: User
    outsider: User
    outsider_admin: User
    expert: User


def build_world() -> World:
    helper = make_museum("山西博物院", city="140100", county="140109", grade="一级", tier="省级")
    helped = make_museum("安泽县博物馆", county="141026")
    other = make_museum("天镇县博物馆", county="140222")
    return World(
        helper_museum=helper,
        helped_museum=helped,
        other_museum=other,
        admin=make_user("association_admin", username="admin"),
        province_supervisor=make_user("supervisor", jurisdiction="140000", username="province_sup"),
        city_supervisor=make_user("supervisor", jurisdiction="140200", username="datong_sup"),
        helper_admin=make_user("museum_admin", museum=helper, username="helper_admin"),
        helper_staff=make_user("museum_staff", museum=helper, username="helper_staff"),
        helped_admin=make_user("museum_admin", museum=helped, username="helped_admin"),
        helped_staff=make_user("museum_staff", museum=helped, username="helped_staff"),
        outsider=make_user("museum_staff", museum=other, username="outsider"),
        outsider_admin=make_user("museum_admin", museum=other, username="outsider_admin"),
        expert=make_user("expert", username="expert"),
    )


def make_agreement(world: World, *, tasks: list[dict], confirmed: bool = True, helped: Museum | None = None):
    """A pairing of the world's helper museum (running from 200 days ago for two years) with its agreement and
    `tasks` (dicts of task fields: title, due_date, area, owner_side, responsible…), built through the pairing and
    agreement services; `confirmed` has both museum admins confirm it (tasks can be cancelled or completed then)."""
    from bangfu.agreements.services import agreement_confirm, agreement_create, agreement_submit, agreement_update
    from bangfu.pairings.services import pairing_create

    today = timezone.localdate()
    pairing = pairing_create(by=world.admin, helper=world.helper_museum, helped=helped or world.helped_museum,
                             start_date=today - datetime.timedelta(days=200),
                             end_date=today + datetime.timedelta(days=530))
    agreement = agreement_create(pairing=pairing, by=world.admin)
    items = [{"area": "people", "owner_side": "helper"} | task for task in tasks]
    agreement = agreement_update(agreement=agreement, by=world.admin, goals={"people": "培养县馆业务骨干"}, tasks=items)
    if confirmed:
        agreement_submit(agreement=agreement, by=world.admin)
        agreement_confirm(agreement=agreement, by=world.helper_admin)
        helped_admin = world.helped_admin if pairing.helped_id == world.helped_museum.pk else make_user(
            "museum_admin", museum=pairing.helped)
        agreement = agreement_confirm(agreement=agreement, by=helped_admin)
    return agreement
