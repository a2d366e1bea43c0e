"""The loan agreement as a print view and a .docx (both read `documents.agreement_context`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from bangfu.core.views import SERVED_TYPES

from .. import selectors
from ..documents import agreement_context, build_docx, docx_filename
from .loan import get_loan


@login_required
def agreement_print(request, pk: int):
    loan = get_loan(request, pk)
    doc = agreement_context(loan, selectors.loan_items(loan))
    return render(request, "loans/agreement_print.html", {"loan": loan, "doc": doc})


@login_required
def agreement_docx(request, pk: int):
    loan = get_loan(request, pk)
    doc = agreement_context(loan, selectors.loan_items(loan))
    response = HttpResponse(build_docx(doc), content_type=SERVED_TYPES[".docx"])
    response["Content-Disposition"] = docx_filename(doc)
    response["X-Content-Type-Options"] = "nosniff"
    return response
