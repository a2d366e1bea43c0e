"""Reads of loans for the pages and the API."""

from __future__ import annotations

from bangfu.core.registry import climate_compliance

from .models import Loan

CLIMATE_DAYS = 90


def venue_climate(loan: Loan) -> list:
    """How well the borrower kept the climate over the last 90 days for the materials of the objects still in the
    loan, as the monitoring modules know it (`core.registry.climate_compliance`; [] when none monitors the
    borrower: the page says "no monitoring data")."""
    classes = sorted({item.obj.material_class for item in loan.items.select_related("obj") if item.in_loan})
    return climate_compliance(loan.borrower, classes, CLIMATE_DAYS) if classes else []


def loans_for_list(user):
    """The loans `user` sees, with what a list shows (a fixed number of queries)."""
    return (Loan.objects.visible_to(user).select_related("lender", "borrower")
            .order_by("-created_at", "-id"))
