"""The loan pages, by part: the lists and the request (`lists`), the loan page and its steps (`loan`), the condition
report (`checks`), the agreement as a document (`documents`), the rules table and an object's history (`rules`)."""

from .checks import check
from .documents import agreement_docx, agreement_print
from .lists import loan_list, loan_request
from .loan import attachment_add, detail, review_item, step
from .rules import object_history, rules

__all__ = ["agreement_docx", "agreement_print", "attachment_add", "check", "detail", "loan_list", "loan_request",
           "object_history", "review_item", "rules", "step"]
