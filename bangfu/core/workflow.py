"""Status changes: the allowed moves are declared beside each model, and one call makes a move.

A model declares its moves as a class attribute::

    class Pairing(models.Model):
        status = models.CharField(choices=PairingStatus.choices, ...)
        workflow = Workflow(
            Move("agree", "商定", source=[PairingStatus.PROPOSED], target=PairingStatus.AGREED,
                 guards=[agreement_confirmed]),
            Move("end", "提前终止", source=[...], target=PairingStatus.ENDED, reason="提前终止必须说明原因。"),
        )

and every service that changes the status calls `transition(obj, to=…, by=…, reason=…, set={…})`, which takes
the row lock, checks the move, saves the status and the fields the move sets (`set`; nothing else), records the
move in the audit log (an `AuditEntry` with `from_status` and `to_status`: the one history mechanism) and registers
the callbacks to run after commit. A page asks `Model.workflow.available(obj, by)` for the moves it may offer, and
shows the log with `{% timeline obj %}`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q

from .audit import audit
from .models import AuditEntry
from .params import text_param

# A guard says why a move may not happen now: a message (or {field: message}), or "" / None when it may.
Guard = Callable[[Any, Any], "str | dict[str, str] | None"]

_WORKFLOWS: dict[str, Workflow] = {}  # "app_label.model" → its workflow, for the timeline's labels


@dataclass(frozen=True)
class Move:
    """One allowed status change: from any of `source` to `target`.

    `label` is the Chinese name of the move (the default action in the log). `guards` are asked in order once the
    source state fits. `reason`, when set, makes a reason compulsory and is the message when it is missing
    (reported under `reason_field`). `refusals` maps a current state to the message given when the move is asked
    from it (default: "<model>当前为“<state>”，不能改为“<target>”。"); a message may use {source} and {target},
    the states' Chinese labels."""

    name: str
    label: str
    source: Iterable[str]
    target: str
    guards: tuple[Guard, ...] | list[Guard] = ()
    reason: str = ""
    reason_field: str = "reason"
    refusals: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "source", frozenset(str(s) for s in self.source))
        object.__setattr__(self, "target", str(self.target))
        object.__setattr__(self, "guards", tuple(self.guards))
        object.__setattr__(self, "refusals", {str(k): v for k, v in self.refusals.items()})


class Workflow:
    """The moves a model's status field allows. Declared in the model's class body (Django hands it the model)."""

    def __init__(self, *moves: Move, field: str = "status", refusal: str = ""):
        self.moves = moves
        self.field = field
        self.refusal = refusal or "{model}当前为“{source}”，不能改为“{target}”。"
        self.model: type[models.Model] | None = None
        names = [m.name for m in moves]
        if len(set(names)) != len(names):
            raise ValueError(f"moves named twice: {names}")

    def contribute_to_class(self, cls, name):
        self.model = cls
        setattr(cls, name, self)
        if not cls._meta.abstract:
            _WORKFLOWS[cls._meta.label_lower] = self

    # --- reading the declaration ----------------------------------------------------------------------------

    def label(self, state: str) -> str:
        """The Chinese label of a state ("" stays "")."""
        if not state:
            return ""
        choices = {str(k): str(v) for k, v in self.model._meta.get_field(self.field).flatchoices}
        return choices.get(state, state)

    def state_of(self, obj) -> str:
        return str(getattr(obj, self.field))

    def move(self, name: str) -> Move:
        for move in self.moves:
            if move.name == name:
                return move
        raise KeyError(name)

    def moves_to(self, target: str) -> list[Move]:
        return [m for m in self.moves if m.target == str(target)]

    def _find(self, source: str, target: str, name: str = "") -> Move | None:
        for move in self.moves_to(target):
            if source in move.source and (not name or move.name == name):
                return move
        return None

    # --- checking a move ------------------------------------------------------------------------------------

    def source_error(self, obj, *, to: str, name: str = "") -> str:
        """Why `obj` cannot move to `to` from the state it is in ("" when a declared move allows it)."""
        source, target = self.state_of(obj), str(to)
        if self._find(source, target, name) is not None:
            return ""
        candidates = [m for m in self.moves_to(target) if not name or m.name == name]
        message = next((m.refusals[source] for m in candidates if source in m.refusals), self.refusal)
        return message.format(model=self.model._meta.verbose_name, source=self.label(source),
                              target=self.label(target))

    def require_source(self, obj, *, to: str, name: str = "") -> None:
        """Refuse (ValidationError) unless a declared move leads from the object's state to `to`."""
        message = self.source_error(obj, to=to, name=name)
        if message:
            raise ValidationError(message)

    def check(self, obj, *, to: str, by=None, reason: str = "", name: str = "") -> Move:
        """The move from the object's state to `to`, after its checks: declared, reason given if required,
        every guard passed. Refusals are ValidationErrors with the declared Chinese messages."""
        self.require_source(obj, to=to, name=name)
        move = self._find(self.state_of(obj), str(to), name)
        if move.reason and not (reason or "").strip():
            raise ValidationError({move.reason_field: move.reason})
        for guard in move.guards:
            refusal = guard(obj, by)
            if refusal:
                raise ValidationError(refusal)
        return move

    def available(self, obj, by=None) -> list[Move]:
        """The moves `obj` may make now (state fits, guards pass; a required reason is the caller's), for pages
        that offer them."""
        state, result = self.state_of(obj), []
        for move in self.moves:
            if state in move.source and move.target != state and not any(g(obj, by) for g in move.guards):
                result.append(move)
        return result


def workflow_of(model_or_label) -> Workflow | None:
    """The workflow declared on a model (or "app_label.model"), None when it declares none."""
    label = model_or_label if isinstance(model_or_label, str) else model_or_label._meta.label_lower
    return _WORKFLOWS.get(label)


def _auto_now_fields(model: type[models.Model]) -> list[str]:
    """The fields `save()` stamps itself (`auto_now`): written with every move, as a full save would."""
    return [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]


def transition(
    obj: models.Model, *, to: str, by, reason: str = "", action: str = "", note: str | None = None,
    changes: dict | None = None, name: str = "", on_commit: Iterable[Callable[[], Any]] = (),
    set: Mapping[str, Any] | None = None,  # the fields the move changes besides the status
) -> AuditEntry:
    """Move `obj` to the status `to`: the one way a declared status changes.

    In the caller's transaction (or one of its own): lock the row (SELECT … FOR UPDATE) and read its status
    afresh; check that a declared move leads there (`name` picks one when several do), that a required reason is
    given and that every guard passes; set the status and the fields the move changes with it (`set`, {field:
    value}, applied to `obj` before the guards run) and save only those (`update_fields`, with any `auto_now`
    stamp): whatever else `obj` holds may be a stale read and is never written back, so a concurrent edit of
    another field survives the move. Then record the move in the audit log (who, when, `action` or the move's
    label, from → to, `note` or the reason, `changes`) and register `on_commit` callbacks (e-mails, tasks:
    anything outside the database) to run only once the transaction commits. Returns the log entry. `by` is any
    user object, or None for the system."""
    workflow = workflow_of(type(obj))
    if workflow is None:
        raise TypeError(f"{type(obj).__name__} declares no workflow")
    values = dict(set or {})
    if workflow.field in values:
        raise TypeError(f"the status is `to`, not set[{workflow.field!r}]")
    with transaction.atomic():  # a savepoint inside the caller's transaction: a refusal leaves it usable
        current = (type(obj)._base_manager.select_for_update(no_key=True).filter(pk=obj.pk)
                   .values_list(workflow.field, flat=True).get())
        setattr(obj, workflow.field, current)
        for key, value in values.items():
            setattr(obj, key, value)
        move = workflow.check(obj, to=to, by=by, reason=reason, name=name)
        setattr(obj, workflow.field, move.target)
        written = [workflow.field, *values]
        obj.save(update_fields=written + [f for f in _auto_now_fields(type(obj)) if f not in written])
        entry = audit(actor=by, action=action or move.label, obj=obj, changes=changes,
                      note=(reason or "").strip() if note is None else note,
                      from_status=str(current), to_status=move.target)
        for callback in on_commit:
            transaction.on_commit(callback)
    return entry


def status_tabs(request, visible, statuses, *, hide_empty: bool = False):
    """A list's tabs by status: the status asked for by `?status=` ("" for all, or for one the list does not know),
    the rows of `visible` in it, and the tabs [(status, label, count)] with 全部 first — the counts in one query.
    `statuses` is the model's TextChoices; `hide_empty` leaves out statuses without rows."""
    counts = visible.aggregate(all=Count("pk"), **{s: Count("pk", filter=Q(status=s)) for s in statuses.values})
    status = text_param(request, "status")
    status = status if status in statuses.values else ""
    rows = visible.filter(status=status) if status else visible
    tabs = [("", "全部", counts["all"])] + [(s, label, counts[s]) for s, label in statuses.choices
                                            if counts[s] or not hide_empty]
    return status, rows, tabs
