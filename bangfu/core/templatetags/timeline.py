"""`{% timeline obj … %}`: the status moves of one or more records (core.workflow), oldest first, in one query."""

from dataclasses import dataclass

from django import template
from django.apps import apps

from bangfu.core.models import AuditEntry
from bangfu.core.workflow import workflow_of

register = template.Library()

# A record's log is short (a few moves); the newest this many are shown.
MOST = 100


@dataclass
class Step:
    entry: AuditEntry
    kind: str  # the record's kind ("结对", "帮扶协议") when the timeline shows several records, else ""
    source: str  # the states' Chinese labels; "" for an entry that is not a move
    target: str
    target_code: str
    details: list  # (label, old or None, new) of the other fields the step changed, when asked for

    @property
    def is_move(self) -> bool:
        return bool(self.entry.to_status)

    @property
    def stays(self) -> bool:
        """A move that keeps the state (one side of two confirms, a second objection)."""
        return self.is_move and self.entry.from_status == self.entry.to_status


def _kind(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return ""


def timeline_steps(*objects, everything: bool = False) -> list[Step]:
    """The log of `objects` (None ignored) as steps, oldest first: their status moves, or with `everything` every
    audit entry (corrections and other changes too). One query, the actors included."""
    entries = AuditEntry.objects.for_objects(*objects).select_related("actor", "actor__museum")
    if not everything:
        entries = entries.moves()
    rows = list(entries.order_by("-at", "-id")[:MOST])[::-1]
    several = len({(o._meta.label_lower, o.pk) for o in objects if o is not None}) > 1
    steps = []
    for entry in rows:
        workflow = workflow_of(entry.object_type)
        label = workflow.label if workflow is not None else str
        details = []
        if everything:  # the status itself is the step's from → to
            field = workflow.model._meta.get_field(workflow.field) if workflow is not None else None
            details = entry.readable_changes_except(
                *((field.name, str(field.verbose_name)) if field is not None and entry.to_status else ()))
        steps.append(Step(entry=entry, kind=_kind(entry.object_type) if several else "",
                          source=label(entry.from_status), target=label(entry.to_status),
                          target_code=entry.to_status, details=details))
    return steps


@register.inclusion_tag("core/_timeline.html")
def timeline(*objects, everything: bool = False, title: str = "经过", empty: str = "还没有状态变更。"):
    """The timeline card of `objects`: who, when, from → to with the Chinese labels, and why."""
    return {"steps": timeline_steps(*objects, everything=everything), "title": title, "empty": empty,
            "everything": everything}
