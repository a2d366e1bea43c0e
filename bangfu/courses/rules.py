"""Who may see and act on online courses.

- The library: every signed-in user; a published course and its lessons: every signed-in user; a draft: its
  organisers only (the association, and the admins of the organising museum).
- Creating a course: the association (for itself or a museum) and museum admins (for their museum); changing a
  course and its lessons: the same organisers.
- Enrolling: anyone working at a museum (admin or staff), in a published course.
- Progress: the organisers see every learner; a museum admin sees the learners of their own museum (the page
  filters the rows); nobody else.
"""

from __future__ import annotations

import rules

from bangfu.parties import works_at_museum
from bangfu.permissions import is_association_admin, is_museum_admin, is_signed_in


@rules.predicate
def organises(user, course) -> bool:
    if course is None:
        return False
    return is_association_admin(user) or (is_museum_admin(user) and course.organiser_id == user.museum_id)


@rules.predicate
def is_published(user, course) -> bool:
    return course is not None and course.published


at_museum = rules.predicate(works_at_museum)

rules.add_perm("courses.view_library", is_signed_in)
rules.add_perm("courses.add_course", is_association_admin | is_museum_admin)
rules.add_perm("courses.view_course", is_signed_in & (is_published | organises))
rules.add_perm("courses.change_course", organises)
rules.add_perm("courses.enrol", at_museum & is_published)
rules.add_perm("courses.view_progress", organises | (is_museum_admin & is_published))
