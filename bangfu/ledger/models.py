"""The assistance ledger (帮扶台账): one row per completed piece of help, whatever module it came from.

Evaluation, statistics, the public showcase and exports read this table only (DESIGN.md "One flow, one ledger").
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.core.areas import Area
from bangfu.core.models import Attachment
from bangfu.core.numbers import grouped
from bangfu.core.scopes import scoped
from bangfu.core.workflow import Move, Workflow
from bangfu.museums.models import Museum
from bangfu.pairings.models import Pairing
from bangfu.parties import other_side, party


class Confirmation(models.TextChoices):
    """The state of an entry. Only confirmed entries count by default; void and withdrawn entries never count
    (they stay visible, with who ended them, when and why)."""

    CONFIRMED = "confirmed", "已确认"
    PENDING = "pending", "待对方确认"
    REJECTED = "rejected", "对方有异议"
    VOID = "void", "已作废"
    WITHDRAWN = "withdrawn", "已撤回"


# States that are out of every total, chart and export sum, whatever the filter.
ENDED = (Confirmation.VOID, Confirmation.WITHDRAWN)
# Why an entry that no longer waits cannot be confirmed or objected to.
_NOT_WAITING = {Confirmation.CONFIRMED: "这条记录已经确认。",
                **dict.fromkeys(ENDED, "这条记录{source}，不能再确认。")}
# The longest description of a piece of help, however it is recorded (page, API, task completion) or corrected.
DESCRIPTION_MAX_LENGTH = 2000


class LedgerQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmation=Confirmation.CONFIRMED)

    def counted(self):
        """Entries that may enter a total: everything but void and withdrawn entries."""
        return self.exclude(confirmation__in=ENDED)

    def with_parties(self):
        return self.select_related("helper", "helped", "helped__city", "pairing", "recorded_by")

    def visible_to(self, user):
        """What the user may see: the association all, a supervisor their jurisdiction, a museum its own."""
        return scoped(self, user, "helper", "helped")

    def awaiting_confirmation_by(self, user):
        """Manual entries waiting for this user's side: for museum staff those the other museum recorded, for the
        association every pending entry; nobody else confirms."""
        pending = self.filter(confirmation=Confirmation.PENDING)
        if user.is_authenticated and user.is_association_admin:
            return pending
        if user.is_authenticated and user.is_active and user.is_museum_member:
            return pending.filter(Q(helper_id=user.museum_id, recorded_side="helped")
                                  | Q(helped_id=user.museum_id, recorded_side="helper"))
        return self.none()


# --- quantities -------------------------------------------------------------------------------------------


class Quantity(NamedTuple):
    """One of the five quantities a piece of help is measured in: a field of every ledger entry, of every agreement
    task (planned, then achieved) and of the association's limits."""

    name: str
    label: str
    unit: str
    default_limit: int  # the most one entry records, until the association sets otherwise
    capacity: int  # the most its column holds

    @property
    def heading(self) -> str:
        """The label with its unit, as forms, columns and the API name the quantity: 培训人数（人次）."""
        return f"{self.label}（{self.unit}）"


QUANTITIES = (
    Quantity("people_trained", "培训人数", "人次", 10_000, 2_000_000_000),
    Quantity("days", "帮扶天数", "天", 3_650, 999_999),
    Quantity("object_count", "文物/展品", "件", 100_000, 2_000_000_000),
    Quantity("visitors", "受众", "人次", 10_000_000, 2_000_000_000),
    Quantity("money_yuan", "投入金额", "元", 100_000_000, 999_999_999_999),
)
QUANTITY_FIELDS = [q.name for q in QUANTITIES]
PEOPLE_TRAINED, DAYS, OBJECT_COUNT, VISITORS, MONEY_YUAN = QUANTITIES


class QuantityFields(models.Model):
    """The five QUANTITIES as model fields: a ledger entry records them, an agreement task plans them (and its
    completion records what was achieved)."""

    people_trained = models.PositiveIntegerField(PEOPLE_TRAINED.heading, default=0)
    days = models.DecimalField(DAYS.heading, max_digits=7, decimal_places=1, default=0)
    object_count = models.PositiveIntegerField(OBJECT_COUNT.heading, default=0)
    visitors = models.PositiveIntegerField(VISITORS.heading, default=0)
    money_yuan = models.DecimalField(MONEY_YUAN.heading, max_digits=14, decimal_places=2, default=0)

    class Meta:
        abstract = True

    @property
    def quantity_values(self) -> list[tuple[Quantity, str]]:
        """Each quantity with its value written out, zeros included."""
        return [(q, grouped(getattr(self, q.name))) for q in QUANTITIES]

    @property
    def quantity_summary(self) -> str:
        """The quantities that are not zero, e.g. "培训人数 30 人次 · 帮扶天数 2 天" ("" when there are none)."""
        return " · ".join(f"{q.label} {value} {q.unit}" for q, value in self.quantity_values
                          if getattr(self, q.name))


def quantity_formfield(quantity: Quantity, **kwargs):
    """The form field of a quantity for a form that is not a model form: its label, decimals and lower bound as the
    model has them (the upper bound is the association's limit, checked by the services)."""
    return QuantityFields._meta.get_field(quantity.name).formfield(min_value=0, **kwargs)


class LedgerEntry(QuantityFields):
    PARTIES = {"helper": "helper", "helped": "helped"}  # the two sides (bangfu.parties)

    helper = models.ForeignKey(Museum, verbose_name="帮扶方", on_delete=models.PROTECT, related_name="ledger_given")
    helped = models.ForeignKey(Museum, verbose_name="受援方", on_delete=models.PROTECT, related_name="ledger_received")
    pairing = models.ForeignKey(Pairing, verbose_name="结对", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="ledger_entries")
    # Where the entry came from: "agreements.task" + id, or "manual". A reference, not a foreign key, so the
    # ledger depends on no module (modules depend on the ledger).
    source_type = models.CharField("来源", max_length=40, default="manual")
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    source_label = models.CharField("来源说明", max_length=200, blank=True)
    area = models.CharField("领域", max_length=20, choices=Area.choices)
    kind = models.CharField("帮扶形式", max_length=40, help_text="如 培训、巡展、修复、讲座、借展")
    date = models.DateField("日期", db_index=True)
    # The five QUANTITIES come from QuantityFields.
    description = models.TextField("内容", max_length=DESCRIPTION_MAX_LENGTH,
                                   validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)])
    # Photos, documents and links the other side confirms against (`core.Attachment`, kind "evidence").
    evidence = GenericRelation(Attachment, related_query_name="ledger_entry")
    confirmation = models.CharField("状态", max_length=10, choices=Confirmation.choices,
                                    default=Confirmation.CONFIRMED, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_side = models.CharField("登记方", max_length=12, blank=True, help_text="helper、helped 或 association")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    objection = models.CharField("异议", max_length=300, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="作废/撤回人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    ended_at = models.DateTimeField("作废/撤回时间", null=True, blank=True)
    end_reason = models.CharField("作废/撤回理由", max_length=300, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="更正人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    corrected_at = models.DateTimeField("更正时间", null=True, blank=True)
    correction_reason = models.CharField("更正理由", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    # A manual entry waits for the other side, who confirms it or objects (and may confirm it later); the side
    # that recorded it may withdraw it while unconfirmed; the association voids (core.workflow.transition).
    workflow = Workflow(
        Move("confirm", "确认", source=[Confirmation.PENDING, Confirmation.REJECTED], target=Confirmation.CONFIRMED,
             refusals=_NOT_WAITING),
        Move("object", "提出异议", source=[Confirmation.PENDING, Confirmation.REJECTED], target=Confirmation.REJECTED,
             reason="请说明异议。", reason_field="objection", refusals=_NOT_WAITING),
        Move("withdraw", "撤回", source=[Confirmation.PENDING, Confirmation.REJECTED], target=Confirmation.WITHDRAWN,
             refusals=dict.fromkeys(Confirmation.values, "这条记录{source}，不能撤回。")),
        Move("void", "作废", source=[Confirmation.CONFIRMED, Confirmation.PENDING, Confirmation.REJECTED],
             target=Confirmation.VOID, reason="请说明作废的理由。",
             refusals=dict.fromkeys(ENDED, "这条记录{source}。")),
        field="confirmation",
    )

    class Meta:
        verbose_name = "台账记录"
        verbose_name_plural = "帮扶台账"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(helper=models.F("helped")), name="ledger_two_museums",
                                   violation_error_message="帮扶方和受援方不能是同一家博物馆。"),
            models.CheckConstraint(condition=Q(money_yuan__gte=0, days__gte=0), name="ledger_amounts_positive",
                                   violation_error_message="天数和金额不能为负数。"),
            models.UniqueConstraint(fields=["source_type", "source_id"], condition=Q(source_id__isnull=False),
                                    name="ledger_one_entry_per_source",
                                    violation_error_message="这项帮扶已经记入台账。"),
        ]
        indexes = [
            # A museum's or a pairing's entries in a state, newest first: the list of a museum's staff, a museum or
            # pairing filter (with the state in the index SQLite, which has no statistics, prefers these to walking
            # every confirmed entry by date until it finds 30 of one museum's).
            models.Index(fields=["helper", "confirmation", "-date", "-id"], name="ledger_helper_state_idx"),
            models.Index(fields=["helped", "confirmation", "-date", "-id"], name="ledger_helped_state_idx"),
            models.Index(fields=["pairing", "confirmation", "-date", "-id"], name="ledger_pairing_state_idx"),
            models.Index(fields=["area", "-date"], name="ledger_area_idx"),
            # The list's default: confirmed entries, newest first (SQLite, without statistics, needs it spelled out).
            models.Index(fields=["confirmation", "-date", "-id"], name="ledger_state_date_idx"),
        ]

    def __str__(self):
        return f"{self.date} {self.helper.display_name}→{self.helped.display_name} {self.kind}"

    @property
    def is_ended(self) -> bool:
        """Void or withdrawn: shown, never counted."""
        return self.confirmation in ENDED

    @property
    def recording_museum(self) -> Museum | None:
        """The museum that recorded the entry, None when the association (or the platform) did."""
        return party(self, self.recorded_side)

    @property
    def awaiting_museum(self) -> Museum | None:
        """The museum whose confirmation a museum's entry waits for: the other side's (None for the association's
        entries, which count at once)."""
        return party(self, other_side(self, self.recorded_side))

    @property
    def is_manual(self) -> bool:
        return self.source_type == "manual"

    @property
    def evidence_link(self) -> str:
        """The first link among the evidence ("" when there is none): the API's and the export's 佐证链接. Lists
        prefetch `evidence`."""
        return next((a.link for a in self.evidence.all() if a.link), "")

    @property
    def has_evidence_file(self) -> bool:
        return any(a.file for a in self.evidence.all())

    @property
    def source_name(self) -> str:
        """What kind of record wrote the entry, as its module declares it (协议任务, 平台外帮扶…)."""
        from .sources import label  # the registry is read at display time, not at import

        return label(self.source_type)

    @property
    def source_url(self) -> str:
        """The page of the record that wrote the entry ("" for manual entries), reversed from its reference."""
        from .sources import record_url

        return record_url(self.source_type, self.source_id)


# --- the summary ----------------------------------------------------------------------------------------

# The states an entry is summarised in: every state but void and withdrawn (which never count).
SUMMARISED = (Confirmation.CONFIRMED, Confirmation.PENDING, Confirmation.REJECTED)

# The decimal places of the decimal quantities (days, money), as their fields declare them: sums are rounded to
# them (SQLite adds decimals as floating point) and the summary stores figures with them.
PLACES = {name: Decimal(1).scaleb(-LedgerEntry._meta.get_field(name).decimal_places)
          for name in QUANTITY_FIELDS if LedgerEntry._meta.get_field(name).get_internal_type() == "DecimalField"}


class SummaryFigures(models.Model):
    """How many entries a summary row holds and the sums of their five quantities (wide enough for ten years of a
    country's entries)."""

    entries = models.PositiveIntegerField("台账记录（条）", default=0)
    people_trained = models.BigIntegerField(PEOPLE_TRAINED.heading, default=0)
    days = models.DecimalField(DAYS.heading, max_digits=14, decimal_places=1, default=0)
    object_count = models.BigIntegerField(OBJECT_COUNT.heading, default=0)
    visitors = models.BigIntegerField(VISITORS.heading, default=0)
    money_yuan = models.DecimalField(MONEY_YUAN.heading, max_digits=20, decimal_places=2, default=0)

    class Meta:
        abstract = True


class LedgerSummary(SummaryFigures):
    """The ledger's totals per month × area × helper × helped × pairing × state, for the entries that count or may
    count (void and withdrawn entries are in no row). Kept by the ledger's services in the transaction that
    changes an entry (`ledger.summary`); `recount_ledger_summary` rebuilds it from the entries. The list's totals
    and charts, the dashboard and whatever reads the ledger's totals read it instead of every entry."""

    month = models.DateField("月份")  # the first day of the month
    area = models.CharField("领域", max_length=20, choices=Area.choices)
    helper = models.ForeignKey(Museum, verbose_name="帮扶方", on_delete=models.CASCADE, related_name="+")
    helped = models.ForeignKey(Museum, verbose_name="受援方", on_delete=models.CASCADE, related_name="+")
    pairing = models.ForeignKey(Pairing, verbose_name="结对", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    state = models.CharField("状态", max_length=10, choices=Confirmation.choices)

    objects = LedgerQuerySet.as_manager()  # visible_to() scopes it by helper and helped, as the entries

    class Meta:
        verbose_name = "台账汇总"
        verbose_name_plural = "台账汇总"
        constraints = [
            # One row per key; a NULL pairing is a key of its own (two partial indexes: both databases).
            models.UniqueConstraint(fields=["month", "area", "helper", "helped", "state", "pairing"],
                                    condition=Q(pairing__isnull=False), name="ledger_summary_one_row"),
            models.UniqueConstraint(fields=["month", "area", "helper", "helped", "state"],
                                    condition=Q(pairing__isnull=True), name="ledger_summary_one_unpaired_row"),
        ]
        # No index led by state or month: every read of this table filters by a museum, a pairing or a scope
        # (their foreign-key indexes); one led by month tempts SQLite (no statistics) to walk it for the GROUP BY.

    def __str__(self):
        return f"{self.month:%Y-%m} {self.area} {self.helper_id}→{self.helped_id} {self.state}: {self.entries}"


class LedgerMonthTotal(SummaryFigures):
    """The same figures per month × area × state over all museums: what the association's unfiltered ledger (and
    its year and area filters) reads — a few hundred rows for ten years, where the per-museum summary has tens of
    thousands. Kept together with LedgerSummary."""

    month = models.DateField("月份")
    area = models.CharField("领域", max_length=20, choices=Area.choices)
    state = models.CharField("状态", max_length=10, choices=Confirmation.choices)

    class Meta:
        verbose_name = "台账月度合计"
        verbose_name_plural = "台账月度合计"
        constraints = [models.UniqueConstraint(fields=["state", "month", "area"], name="ledger_month_total_one_row")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.area} {self.state}: {self.entries}"


class LedgerMuseumTotal(SummaryFigures):
    """The same figures per museum × side (helper or helped) × state, over all time: which museums the
    association's filters offer (a few thousand rows, where reading every museum out of the per-museum summary
    took 10–50 ms), and each museum's totals. Kept together with LedgerSummary."""

    museum = models.ForeignKey(Museum, verbose_name="博物馆", on_delete=models.CASCADE, related_name="+")
    side = models.CharField("角色", max_length=6, choices=[("helper", "帮扶方"), ("helped", "受援方")])
    state = models.CharField("状态", max_length=10, choices=Confirmation.choices)

    class Meta:
        verbose_name = "博物馆台账合计"
        verbose_name_plural = "博物馆台账合计"
        constraints = [models.UniqueConstraint(fields=["museum", "side", "state"], name="ledger_museum_total_one_row")]
        indexes = [models.Index(fields=["side", "museum"], name="ledger_museum_total_side_idx")]

    def __str__(self):
        return f"{self.museum_id} {self.side} {self.state}: {self.entries}"


# --- quantity limits --------------------------------------------------------------------------------------


def _limit_field(quantity: Quantity):
    label, capacity = quantity.label, quantity.capacity
    return models.PositiveBigIntegerField(
        f"{label}上限（{quantity.unit}）", default=quantity.default_limit,
        validators=[MinValueValidator(1, f"{label}上限至少为 1。"),
                    MaxValueValidator(capacity, f"{label}上限不能超过 {capacity:,}（数据库能存的最大值）。")])


class QuantityLimits(models.Model):
    """The most one ledger entry (or one agreement task) may record of each quantity: one row, edited by the
    association. A figure above it is almost surely a typing slip (999999999 people) and would distort every total.
    """

    people_trained = _limit_field(PEOPLE_TRAINED)
    days = _limit_field(DAYS)
    object_count = _limit_field(OBJECT_COUNT)
    visitors = _limit_field(VISITORS)
    money_yuan = _limit_field(MONEY_YUAN)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "数量上限"
        verbose_name_plural = "数量上限"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="quantity_limits_single_row")]

    def __str__(self):
        return "台账数量上限"

    @classmethod
    def current(cls) -> QuantityLimits:
        """The limits in force: the stored row, or the defaults while the association has not changed them."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def errors(self, values) -> dict[str, str]:
        """{field: Chinese message} for the quantities in `values` that are negative or above the limits."""
        found = {}
        for quantity in QUANTITIES:
            value = values.get(quantity.name)
            if value is None:
                continue
            number = Decimal(str(value))
            if not number.is_finite():
                found[quantity.name] = f"请填写有效的{quantity.label}。"
            elif number < 0:
                found[quantity.name] = self.negative_message(quantity)
            elif number > getattr(self, quantity.name):
                found[quantity.name] = self.limit_message(quantity)
        return found

    @staticmethod
    def negative_message(quantity: Quantity) -> str:
        return f"{quantity.label}不能为负数。"

    def limit_message(self, quantity: Quantity) -> str:
        return (f"{quantity.label}不能超过 {getattr(self, quantity.name):,} {quantity.unit}（协会设定的单条记录上限）；"
                "请核对是否多输了位数，确需登记请联系协会。")
