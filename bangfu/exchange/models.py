"""The supply–demand exchange (供需对接): needs and offers (posts), the 对接 threads that follow a match to its end,
and what the association edits — the sub-types per area, the domain thesaurus — plus subscriptions and the term
index the matching and the search read."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.core.areas import Area
from bangfu.core.models import Attachment
from bangfu.core.text import no_control_characters
from bangfu.core.workflow import Move, Workflow

MAX_CAPACITY = 50  # an offer serves at most this many museums (a typing mistake beyond)


class PostKind(models.TextChoices):
    NEED = "need", "需求"
    OFFER = "offer", "供给"


class PostStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审核"
    PUBLISHED = "published", "已发布"
    TALKS = "talks", "对接中"
    MATCHED = "matched", "已对接"
    COMPLETED = "completed", "已完成"
    WITHDRAWN = "withdrawn", "已撤回"
    EXPIRED = "expired", "已过期"


# Posts others can find, respond to and be matched with.
OPEN_STATUSES = (PostStatus.PUBLISHED, PostStatus.TALKS)
# Posts the public board, the search and the API show (a matched or completed post stays visible as a result).
VISIBLE_STATUSES = (PostStatus.PUBLISHED, PostStatus.TALKS, PostStatus.MATCHED, PostStatus.COMPLETED)


class ContactVisibility(models.TextChoices):
    PUBLIC = "public", "所有人（含公众）"
    SIGNED_IN = "signed_in", "平台用户"
    PARTIES = "parties", "仅对接方"


class Subtype(models.Model):
    """A sub-type of help within an area (巡展, 检测分析, 研学课程…): a list per area the association edits."""

    area = models.CharField("领域", max_length=20, choices=Area.choices)
    name = models.CharField("名称", max_length=40, validators=[no_control_characters])
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("可选用", default=True)

    class Meta:
        verbose_name = "供需子类"
        verbose_name_plural = "供需子类"
        ordering = ["area", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="exchange_subtype_unique")]

    def __str__(self):
        return self.name


class ExchangeRules(models.Model):
    """The association's settings of the exchange (one row): whether new posts wait for its review."""

    moderation = models.BooleanField("发布前由协会审核", default=False,
                                     help_text="开启后，新发布的供需信息经协会审核通过才公开")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "供需对接设置"
        verbose_name_plural = "供需对接设置"

    def __str__(self):
        return "供需对接设置"

    @classmethod
    def current(cls) -> ExchangeRules:
        rules, _ = cls.objects.get_or_create(pk=1)
        return rules


class Synonym(models.Model):
    """One entry of the domain thesaurus: a word and what it stands for (文保 = 文物保护; 温湿度 → 温度 湿度).
    Two-way entries are equivalents (either finds the other); one-way entries expand the word only."""

    word = models.CharField("词语", max_length=30, unique=True, validators=[no_control_characters])
    means = models.CharField("等同于", max_length=200, validators=[no_control_characters],
                             help_text="一个或几个词，用空格或逗号分隔，如 文物保护；温度 湿度")
    two_way = models.BooleanField("双向", default=True, help_text="双向时搜索右边的词也能找到左边的词")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "同义词"
        verbose_name_plural = "同义词"
        ordering = ["word"]

    def __str__(self):
        return f"{self.word} = {self.means}"


class PostQuerySet(models.QuerySet):
    def published(self):
        """What everyone may see: published posts and the results they led to."""
        return self.filter(status__in=VISIBLE_STATUSES)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def visible_to(self, user):
        """Published posts for everyone; drafts, pending and closed posts for their owners, the association, and
        the supervisor of the owning museum's jurisdiction."""
        visible = Q(status__in=VISIBLE_STATUSES)
        if not (user.is_authenticated and user.is_active):
            return self.filter(visible)
        if user.is_association_admin:
            return self
        own = Q(created_by=user)
        if user.role in ("museum_admin", "museum_staff") and user.museum_id:
            own |= Q(museum_id=user.museum_id)
        elif user.role == "supervisor" and user.jurisdiction_id:
            j = user.jurisdiction
            own |= Q(museum__province=j.name) if j.level == "province" else Q(museum__city_id=j.pk)
        elif user.role == "expert":
            own |= Q(expert__user=user)
        return self.filter(visible | own)

    def with_owner(self):
        return self.select_related("museum", "museum__city", "expert", "expert__museum", "subtype", "city")


class Post(models.Model):
    """A need (需求) of a museum, or an offer (供给) of a museum or an expert."""

    kind = models.CharField("类型", max_length=5, choices=PostKind.choices)
    area = models.CharField("领域", max_length=20, choices=Area.choices)
    subtype = models.ForeignKey(Subtype, verbose_name="子类", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    title = models.CharField("标题", max_length=80, validators=[no_control_characters])
    description = models.TextField("详细说明", max_length=5000, validators=[no_control_characters])
    # The owner: a museum (needs always), or an expert (offers only).
    museum = models.ForeignKey("museums.Museum", verbose_name="发布馆", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="exchange_posts")
    expert = models.ForeignKey("experts.Expert", verbose_name="发布专家", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="exchange_posts")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填写人", on_delete=models.PROTECT,
                                   related_name="+")
    city = models.ForeignKey("places.Division", verbose_name="所在地", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    regions = models.ManyToManyField("places.Division", verbose_name="服务地区", blank=True, related_name="+",
                                     help_text="不选表示全省")
    until = models.DateField("有效期至", null=True, blank=True,
                             help_text="需求：希望在此日期前得到帮助；供给：可提供到此日期。过期后自动下架。")
    terms = models.CharField("预算或费用", max_length=200, blank=True, validators=[no_control_characters],
                             help_text="如 无偿；差旅由受援方承担；预算 2 万元")
    capacity = models.PositiveSmallIntegerField(
        "可服务馆数", default=1, validators=[MinValueValidator(1, "至少为 1。"),
                                             MaxValueValidator(MAX_CAPACITY, f"最多 {MAX_CAPACITY} 家。")],
        help_text="供给：最多可以帮助几家博物馆")
    contact_name = models.CharField("联系人", max_length=40, blank=True, validators=[no_control_characters])
    contact_phone = models.CharField("联系电话", max_length=40, blank=True, validators=[no_control_characters])
    contact_email = models.EmailField("电子邮箱", blank=True, validators=[no_control_characters])
    contact_visibility = models.CharField("联系方式对谁可见", max_length=10, choices=ContactVisibility.choices,
                                          default=ContactVisibility.SIGNED_IN)
    status = models.CharField("状态", max_length=10, choices=PostStatus.choices, default=PostStatus.DRAFT,
                              db_index=True)
    close_reason = models.CharField("撤回或退回原因", max_length=500, blank=True, validators=[no_control_characters])
    # The registry's need or offer the post was made from (one step from the museum page), if any.
    from_registry = models.ForeignKey("museums.MuseumArea", verbose_name="来自名录", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # The segmented text (jieba search-mode words, space separated): what the full-text search indexes
    # (a GIN index on PostgreSQL, see the migration) — written by exchange.index, never by hand.
    search_text = models.TextField(blank=True, editable=False)
    attachments = GenericRelation(Attachment, related_query_name="exchange_post")

    objects = PostQuerySet.as_manager()

    workflow = Workflow(
        Move("publish", "发布", source=[PostStatus.DRAFT], target=PostStatus.PUBLISHED),
        Move("submit", "提交审核", source=[PostStatus.DRAFT], target=PostStatus.PENDING),
        Move("approve", "审核通过", source=[PostStatus.PENDING], target=PostStatus.PUBLISHED),
        Move("resubmit", "修改后重新提交审核", source=[PostStatus.PUBLISHED, PostStatus.TALKS],
             target=PostStatus.PENDING),
        Move("return", "退回修改", source=[PostStatus.PENDING], target=PostStatus.DRAFT,
             reason="退回时请说明原因。"),
        Move("talks", "开始对接", source=[PostStatus.PUBLISHED], target=PostStatus.TALKS),
        Move("reopen", "重新开放", source=[PostStatus.TALKS, PostStatus.MATCHED], target=PostStatus.PUBLISHED),
        Move("match", "对接成功", source=[PostStatus.PUBLISHED, PostStatus.TALKS], target=PostStatus.MATCHED),
        Move("complete", "完成", source=[PostStatus.MATCHED, PostStatus.TALKS, PostStatus.PUBLISHED],
             target=PostStatus.COMPLETED),
        Move("withdraw", "撤回", source=[PostStatus.DRAFT, PostStatus.PENDING, PostStatus.PUBLISHED, PostStatus.TALKS],
             target=PostStatus.WITHDRAWN, reason="撤回时请说明原因。"),
        Move("expire", "到期下架", source=[PostStatus.PUBLISHED, PostStatus.TALKS], target=PostStatus.EXPIRED),
    )

    class Meta:
        verbose_name = "供需信息"
        verbose_name_plural = "供需信息"
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["kind", "area", "status"], name="exchange_post_kind_area")]
        constraints = [
            # Exactly one owner; a need is always a museum's.
            models.CheckConstraint(
                condition=(Q(museum__isnull=False, expert__isnull=True) | Q(museum__isnull=True, expert__isnull=False)),
                name="exchange_post_one_owner"),
            models.CheckConstraint(condition=~Q(kind="need") | Q(museum__isnull=False),
                                   name="exchange_need_of_museum"),
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                                   name="exchange_post_capacity"),
        ]

    def __str__(self):
        return self.title

    @property
    def owner_name(self) -> str:
        return str(self.museum or self.expert)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class PostTerm(models.Model):
    """The inverted index the matching reads: one row per word of a post, with its BM25 weight (term frequency
    saturated by the post's length), and the post's kind, area and openness copied so one index range answers
    "open offers containing 壁画". Rebuilt by exchange.index whenever a post's text or status changes."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="index_terms")
    term = models.CharField(max_length=30)
    weight = models.FloatField()
    kind = models.CharField(max_length=5, choices=PostKind.choices)
    area = models.CharField(max_length=20, choices=Area.choices)
    is_open = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["term", "kind", "is_open", "post", "weight"], name="exchange_term_lookup")]
        constraints = [models.UniqueConstraint(fields=["post", "term"], name="exchange_term_once")]

    def __str__(self):
        return self.term


class Subscription(models.Model):
    """A user wants to hear of new posts: of a kind (or both), in an area (or all), serving a region (or any)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_subscriptions")
    kind = models.CharField("类型", max_length=5, choices=PostKind.choices, blank=True)
    area = models.CharField("领域", max_length=20, choices=Area.choices, blank=True)
    region = models.ForeignKey("places.Division", verbose_name="地区", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "订阅"
        verbose_name_plural = "订阅"
        constraints = [models.UniqueConstraint(fields=["user", "kind", "area", "region"],
                                               name="exchange_subscription_once",
                                               nulls_distinct=False)]

    def __str__(self):
        return " · ".join(filter(None, [self.get_kind_display(), self.get_area_display(), str(self.region or "")]))


class ThreadStatus(models.TextChoices):
    OPEN = "open", "洽谈中"
    MATCHED = "matched", "已确认对接"
    COMPLETED = "completed", "已完成"
    CLOSED = "closed", "已关闭"


# A thread that holds one of a post's places (capacity): read by the services, the matching and the pages.
TAKEN_STATUSES = (ThreadStatus.MATCHED, ThreadStatus.COMPLETED)


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the two parties (their museums' staff, or the expert) and the association see a thread."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_association_admin:
            return self
        q = Q(pk__in=[])
        if user.role in ("museum_admin", "museum_staff") and user.museum_id:
            q |= Q(poster_museum_id=user.museum_id) | Q(responder_museum_id=user.museum_id)
        if user.role == "expert":
            # (an expert whose profile the association switched off acts for no thread, as in rules.thread_side)
            q |= (Q(poster_expert__user=user, poster_expert__is_active=True)
                  | Q(responder_expert__user=user, responder_expert__is_active=True))
        return self.filter(q)


class Thread(models.Model):
    """A 对接: the private conversation between a post's owner and one respondent, its agreed terms, both sides'
    confirmations of the match and of its completion, and their ratings. Each side is a museum or an expert."""

    # The museum sides (bangfu.parties); an expert's side is read from the *_expert fields (exchange.rules).
    PARTIES = {"poster": "poster_museum", "responder": "responder_museum"}

    post = models.ForeignKey(Post, verbose_name="供需信息", on_delete=models.CASCADE, related_name="threads")
    poster_museum = models.ForeignKey("museums.Museum", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    poster_expert = models.ForeignKey("experts.Expert", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    responder_museum = models.ForeignKey("museums.Museum", verbose_name="响应馆", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    responder_expert = models.ForeignKey("experts.Expert", verbose_name="响应专家", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=ThreadStatus.choices, default=ThreadStatus.OPEN)
    terms = models.TextField("商定的条件", blank=True, max_length=3000, validators=[no_control_characters])
    poster_confirmed_at = models.DateTimeField(null=True, blank=True)
    responder_confirmed_at = models.DateTimeField(null=True, blank=True)
    poster_completed_at = models.DateTimeField(null=True, blank=True)
    responder_completed_at = models.DateTimeField(null=True, blank=True)
    # What the help came to, recorded in the ledger at completion.
    people_trained = models.PositiveIntegerField("培训人数", default=0)
    days = models.DecimalField("帮扶天数", max_digits=7, decimal_places=1, default=0)
    object_count = models.PositiveIntegerField("涉及文物（件）", default=0)
    visitors = models.PositiveIntegerField("受众人次", default=0)
    money_yuan = models.DecimalField("投入金额（元）", max_digits=14, decimal_places=2, default=0)
    close_reason = models.CharField("关闭原因", max_length=500, blank=True, validators=[no_control_characters])
    created_at = models.DateTimeField("开始时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ThreadQuerySet.as_manager()

    workflow = Workflow(
        Move("match", "双方确认对接", source=[ThreadStatus.OPEN], target=ThreadStatus.MATCHED),
        Move("complete", "双方确认完成", source=[ThreadStatus.MATCHED], target=ThreadStatus.COMPLETED),
        Move("close", "关闭对接", source=[ThreadStatus.OPEN, ThreadStatus.MATCHED], target=ThreadStatus.CLOSED,
             reason="关闭对接时请说明原因。"),
    )

    class Meta:
        verbose_name = "对接"
        verbose_name_plural = "对接"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(responder_museum__isnull=False, responder_expert__isnull=True)
                           | Q(responder_museum__isnull=True, responder_expert__isnull=False)),
                name="exchange_thread_one_responder"),
            models.CheckConstraint(
                condition=(Q(poster_museum__isnull=False, poster_expert__isnull=True)
                           | Q(poster_museum__isnull=True, poster_expert__isnull=False)),
                name="exchange_thread_one_poster"),
            # One thread under way per post and respondent: a second response goes into it (exchange.threads).
            models.UniqueConstraint(fields=["post", "responder_museum"], condition=Q(status__in=["open", "matched"]),
                                    name="exchange_thread_live_once_museum",
                                    violation_error_message="该馆已有一个进行中的对接。"),
            models.UniqueConstraint(fields=["post", "responder_expert"], condition=Q(status__in=["open", "matched"]),
                                    name="exchange_thread_live_once_expert",
                                    violation_error_message="该专家已有一个进行中的对接。"),
        ]

    def __str__(self):
        return f"{self.post} · {self.responder_name}"

    @property
    def poster_name(self) -> str:
        return str(self.poster_museum or self.poster_expert)

    @property
    def responder_name(self) -> str:
        return str(self.responder_museum or self.responder_expert)


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField("一方", max_length=12)  # poster, responder or association
    body = models.TextField("内容", max_length=3000, validators=[no_control_characters])
    created_at = models.DateTimeField(auto_now_add=True)
    attachments = GenericRelation(Attachment, related_query_name="exchange_message")

    class Meta:
        verbose_name = "对接消息"
        verbose_name_plural = "对接消息"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:40]


class Rating(models.Model):
    """One side's rating of the other at completion (1–5 with a comment)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="ratings")
    side = models.CharField("评价方", max_length=12)  # poster or responder
    score = models.PositiveSmallIntegerField("评分", validators=[MinValueValidator(1, "评分为 1–5。"),
                                                                   MaxValueValidator(5, "评分为 1–5。")])
    comment = models.CharField("评价", max_length=500, blank=True, validators=[no_control_characters])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        constraints = [
            models.UniqueConstraint(fields=["thread", "side"], name="exchange_rating_once"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="exchange_rating_range"),
        ]

    def __str__(self):
        return f"{self.score} 分"
