"""Template helpers for pairings: the status moves a pairing allows, status colours."""

from django import template

from ..models import Pairing, PairingStatus

register = template.Library()

STATUS_BADGES = {
    PairingStatus.PROPOSED: "text-bg-warning",
    PairingStatus.AGREED: "text-bg-info",
    PairingStatus.ACTIVE: "text-bg-success",
    PairingStatus.COMPLETED: "text-bg-primary",
    PairingStatus.ENDED: "text-bg-secondary",
}


@register.filter
def next_moves(pairing) -> list[tuple[str, str]]:
    """(status, button label) for each forward move the declaration allows from the pairing's status (guards are
    the service's: asking them here would cost a query per pairing); ending early has its own form."""
    return [(m.target, m.label) for m in Pairing.workflow.moves
            if pairing.status in m.source and m.target != PairingStatus.ENDED]


@register.filter
def can_end(pairing) -> bool:
    return not Pairing.workflow.source_error(pairing, to=PairingStatus.ENDED)


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light")
