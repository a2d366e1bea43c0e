"""Who may do what in 远程咨询.

- Read: every signed-in user reads every question, answer, comment and meeting (the knowledge base is shared).
- Ask: museum staff (for their own museum).
- Answer: staff of a helper museum (a museum of the helper tier, or the asker's helper in an open pairing), experts
  of the pool with an account, and the association — never the asker's own museum (it comments instead); only
  while the question waits for an answer (open or answered).
- Comment: the asker's museum, whoever may answer, the association; while the question waits.
- Accept an answer, close the question: the asker, or their museum's admin (the museum owns the question when the
  asker is away); the association may close.
- Meetings: the asker's museum and whoever may answer book one; its booker, its participants, the asker's museum
  and the association reschedule, cancel and record it (the record only once it has started).
Anonymous visitors are sent to sign in."""

from __future__ import annotations

import rules

from bangfu.parties import works_at_museum
from bangfu.permissions import is_association_admin, is_signed_in

from .models import WAITING


def expert_of(user):
    """The active expert profile of a user, or None (one query, cached on the user)."""
    if not (user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, "_consulting_expert"):
        from bangfu.experts.models import Expert

        user._consulting_expert = Expert.objects.filter(user=user, is_active=True).first()
    return user._consulting_expert


def helps_museum(user, museum_id: int | None) -> bool:
    """The user works at a helper museum other than `museum_id`: of the helper tier, or its open pairing's helper."""
    if not works_at_museum(user) or user.museum_id == museum_id:
        return False
    if user.museum.is_helper:
        return True
    from bangfu.pairings.models import Pairing

    return Pairing.objects.open().filter(helper_id=user.museum_id, helped_id=museum_id).exists()


@rules.predicate
def at_museum(user) -> bool:
    return works_at_museum(user)


@rules.predicate
def may_answer(user, question) -> bool:
    if question is None:
        return False
    if is_association_admin(user):
        return True
    if works_at_museum(user) and user.museum_id == question.museum_id:
        return False
    return helps_museum(user, question.museum_id) or expert_of(user) is not None


@rules.predicate
def is_waiting(user, question) -> bool:
    return question is not None and question.status in WAITING


@rules.predicate
def of_asker_museum(user, question) -> bool:
    return question is not None and works_at_museum(user) and user.museum_id == question.museum_id


@rules.predicate
def is_asker_or_admin(user, question) -> bool:
    """The asker themself, or an admin of the asker's museum."""
    if question is None or not (user.is_authenticated and user.is_active):
        return False
    return user.pk == question.asked_by_id or (of_asker_museum(user, question) and user.role == "museum_admin")


@rules.predicate
def may_answer_someone(user) -> bool:
    """Answers questions of some museum (the pages' "questions I can answer")."""
    if is_association_admin(user) or expert_of(user) is not None:
        return True
    if not works_at_museum(user):
        return False
    if user.museum.is_helper:
        return True
    from bangfu.pairings.models import Pairing

    return Pairing.objects.open().filter(helper_id=user.museum_id).exists()


@rules.predicate
def acts_on_meeting(user, meeting) -> bool:
    if meeting is None or not (user.is_authenticated and user.is_active):
        return False
    if is_association_admin(user) or user.pk == meeting.booked_by_id or of_asker_museum(user, meeting.question):
        return True
    return meeting.participants.filter(pk=user.pk).exists()


@rules.predicate
def may_remove_file(user, attachment) -> bool:
    return attachment is not None and (is_association_admin(user) or attachment.added_by_id == user.pk)


rules.add_perm("consulting.view", is_signed_in)
rules.add_perm("consulting.view_question", is_signed_in)
rules.add_perm("consulting.view_meeting", is_signed_in)
rules.add_perm("consulting.ask", at_museum)
rules.add_perm("consulting.answer", may_answer & is_waiting)
rules.add_perm("consulting.answer_any", may_answer_someone)
rules.add_perm("consulting.comment", (of_asker_museum | may_answer) & is_waiting)
rules.add_perm("consulting.accept", is_asker_or_admin & is_waiting)
rules.add_perm("consulting.close", (is_asker_or_admin | is_association_admin) & is_waiting)
rules.add_perm("consulting.add_question_file", of_asker_museum | is_association_admin)
rules.add_perm("consulting.book_meeting", of_asker_museum | may_answer)
rules.add_perm("consulting.change_meeting", acts_on_meeting)
rules.add_perm("consulting.remove_file", may_remove_file)
