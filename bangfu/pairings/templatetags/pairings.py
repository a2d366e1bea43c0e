"""Template helpers for pairings: the status moves a pairing allows, status colours."""

from django import template

from ..models import PairingStatus
from ..services import TRANSITIONS

register = template.Library()

STATUS_BADGES = {
    PairingStatus.PROPOSED: "text-bg-warning",
    PairingStatus.AGREED: "text-bg-info",
    PairingStatus.ACTIVE: "text-bg-success",
    PairingStatus.COMPLETED: "text-bg-primary",
    PairingStatus.ENDED: "text-bg-secondary",
}
# Button labels for the moves (the target status's name reads oddly as an action).
MOVE_LABELS = {
    PairingStatus.AGREED: "标记为已签约",
    PairingStatus.ACTIVE: "开始执行",
    PairingStatus.COMPLETED: "标记为已完成",
}


@register.filter
def next_moves(pairing) -> list[tuple[str, str]]:
    """(status, button label) for each forward move; ending early has its own form."""
    allowed = TRANSITIONS.get(pairing.status, set())
    return [(s.value, MOVE_LABELS[s]) for s in PairingStatus if s in allowed and s in MOVE_LABELS]


@register.filter
def can_end(pairing) -> bool:
    return PairingStatus.ENDED in TRANSITIONS.get(pairing.status, set())


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light")
