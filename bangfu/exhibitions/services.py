"""Writes of exhibitions: touring exhibitions and their stops, co-curation projects and their guidance. Helper
"exhibitions" implements the bodies; the signatures are the contract."""

from __future__ import annotations

import datetime

from django.db import transaction

from .models import CurationProject, Guidance, TouringExhibition, TourStop


@transaction.atomic
def touring_create(*, museum, by, windows=(), items=(), **values) -> TouringExhibition:
    raise NotImplementedError


@transaction.atomic
def stop_request(*, exhibition: TouringExhibition, venue, by, start: datetime.date, end: datetime.date,
                 note: str = "") -> TourStop:
    """A venue museum asks for a stop. Refused (ValidationError naming the stop it collides with) when the held
    dates — set-up before, dismantling and transit after — overlap a held stop, also under two simultaneous
    requests (row lock on the exhibition); outside every free window; shorter than the minimum run."""
    raise NotImplementedError


@transaction.atomic
def stop_complete(*, stop: TourStop, by, visitors: int, events: int, outcome: str = "") -> TourStop:
    """Record the stop's figures when it ended; one ledger entry (source `exhibitions.stop`, owner helped venue)."""
    raise NotImplementedError


@transaction.atomic
def project_create(*, museum, helper, by, title: str, **values) -> CurationProject:
    raise NotImplementedError


@transaction.atomic
def guidance_add(*, project: CurationProject, by, stage: str, date: datetime.date, note: str) -> Guidance:
    raise NotImplementedError


@transaction.atomic
def project_open(*, project: CurationProject, by, opened_on: datetime.date) -> CurationProject:
    """The exhibition opens: one ledger entry (source `exhibitions.project`, helper helped the museum)."""
    raise NotImplementedError
