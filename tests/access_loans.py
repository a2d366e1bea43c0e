"""The loan pages in the access matrix (tests/test_access_matrix.py and the crawl): a loan and everything under it
is seen by its two sides, the association and the supervisors of either side only, so an outsider (staff of an
unrelated museum) gets 404; the lists, the request form and the rules table answer every signed-in museum user
(each sees their own scope); an anonymous visitor is sent to the login page everywhere."""

from django.urls import reverse

from tests.loans_helpers import make_object, request


def _loan(w):
    return [w.loan.pk]


def _item(w):
    return [w.loan_item.pk]


MATRIX = {
    "loans:list": (lambda w: reverse("loans:list"), 200, 302),
    "loans:request": (lambda w: reverse("loans:request"), 200, 302),
    "loans:rules": (lambda w: reverse("loans:rules"), 200, 302),
    "loans:object_history": (lambda w: reverse("loans:object_history", args=[w.loan_object.pk]), 200, 302),
    "loans:detail": (lambda w: reverse("loans:detail", args=_loan(w)), 404, 302),
    "loans:step": (lambda w: reverse("loans:step", args=[w.loan.pk, "decline"]), 404, 302),
    "loans:attachment_add": (lambda w: reverse("loans:attachment_add", args=_loan(w)), 404, 302),
    "loans:agreement_print": (lambda w: reverse("loans:agreement_print", args=_loan(w)), 404, 302),
    "loans:agreement_docx": (lambda w: reverse("loans:agreement_docx", args=_loan(w)), 404, 302),
    "loans:review_item": (lambda w: reverse("loans:review_item", args=_item(w)), 404, 302),
    "loans:check": (lambda w: reverse("loans:check", args=[w.loan_item.pk, "outgoing"]), 404, 302),
}
POST_ONLY = {"loans:step", "loans:attachment_add", "loans:review_item"}


def scene(world):
    """A loan requested by the helped museum's staff of one offered object of the helper museum (the lender)."""
    world.loan_object = make_object(world.helper_museum, name="青铜鼎", grade="二级")
    world.loan = request(world, [world.loan_object], exhibition_title="晋国青铜文明展")
    world.loan_item = world.loan.items.get()
