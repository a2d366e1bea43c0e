"""Who may see and act on lecture tours.

- Every signed-in user reads the tour list, a tour's page and a stop's page (the route, topics and teachers are the
  programme's public face within the platform: museums see what is coming to their county). Signed-out visitors
  see nothing.
- The association forms and edits tours, plans and changes stops, starts, finishes and cancels them.
- The stop museum's admin confirms a planned stop or asks the association to move it.
- A stop's attendance is recorded (and the stop marked done) by the association or the stop museum's admin.
- The names of the staff present are seen by the association, the two museums of the stop (lead and stop museum),
  the supervisors over them and the stop's teachers; photos are added by those museums' staff, the teachers and
  the association, and removed by whoever added them (or the association).
"""

from __future__ import annotations

import rules

from bangfu.permissions import is_admin_of, is_association_admin, is_party, is_signed_in, supervises


@rules.predicate
def teaches_at(user, stop) -> bool:
    if stop is None or not (user.is_authenticated and user.is_active):
        return False
    return stop.teachers.filter(user=user).exists()


@rules.predicate
def added_it(user, attachment) -> bool:
    return attachment is not None and attachment.added_by_id == user.pk


@rules.predicate
def supervises_stop(user, stop) -> bool:
    return stop is not None and supervises(user, stop)


rules.add_perm("tours.view_tour", is_signed_in)
rules.add_perm("tours.manage_tours", is_association_admin)
rules.add_perm("tours.view_stop", is_signed_in)
rules.add_perm("tours.record_stop", is_association_admin | is_admin_of)
rules.add_perm("tours.answer_stop", is_admin_of)  # the stop museum confirms or asks to move it
rules.add_perm("tours.view_attendees", is_association_admin | is_party | teaches_at | supervises_stop)
rules.add_perm("tours.change_stop", is_association_admin | is_party | teaches_at)  # photos
rules.add_perm("tours.remove_photo", is_association_admin | added_it)
