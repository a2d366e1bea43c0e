"""What the association edits in the exchange: the sub-types of each area (巡展, 检测分析…) and the domain thesaurus
(文保 = 文物保护); the review switch is services.rules_update. Every write checks `exchange.manage_settings`, runs in
one transaction and is audited; a change of the thesaurus, or a sub-type's new name, has the posts re-indexed in the
background."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from bangfu.core.areas import Area
from bangfu.core.audit import audit, diff, snapshot
from bangfu.core.background import enqueue_on_commit
from bangfu.core.text import has_control_characters
from bangfu.permissions import require

from . import text
from .models import Post, Subtype, Synonym

SUBTYPE_NAME_MAX = 40
WORD_MAX = 30
MEANS_MAX_WORDS = 10
# Words of `means` are separated by spaces or commas (half- or full-width) or 、; stored space-separated.
_SEPARATORS = re.compile(r"[\s,，、;；]+")


# --- sub-types -----------------------------------------------------------------------------------------------


def _subtype_name(name: str, *, area: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写子类名称。"})
    if len(name) > SUBTYPE_NAME_MAX:
        raise ValidationError({"name": f"子类名称不能超过 {SUBTYPE_NAME_MAX} 个字。"})
    if has_control_characters(name):
        raise ValidationError({"name": "子类名称不能包含控制字符。"})
    if Subtype.objects.filter(area=area, name=name).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": f"“{Area(area).label}”中已有子类“{name}”。"})
    return name


@transaction.atomic
def subtype_add(*, by, area: str, name: str) -> Subtype:
    """A new sub-type at the end of its area's list."""
    require(by, "exchange.manage_settings")
    if area not in Area.values:
        raise ValidationError({"area": "请从列表中选择领域。"})
    name = _subtype_name(name, area=area)
    last = Subtype.objects.filter(area=area).aggregate(m=Max("order"))["m"]
    subtype = Subtype.objects.create(area=area, name=name, order=0 if last is None else last + 1)
    audit(actor=by, action="新增供需子类", obj=subtype,
          changes={"领域": [None, Area(area).label], "名称": [None, name]})
    return subtype


@transaction.atomic
def subtype_update(*, by, subtype: Subtype, name: str, is_active: bool) -> Subtype:
    """Rename a sub-type or switch it off (posts that use it keep it; new posts cannot choose it)."""
    require(by, "exchange.manage_settings")
    subtype = Subtype.objects.select_for_update().get(pk=subtype.pk)
    before = snapshot(subtype, ["name", "is_active"])
    subtype.name = _subtype_name(name, area=subtype.area, exclude_pk=subtype.pk)
    subtype.is_active = bool(is_active)
    subtype.save(update_fields=["name", "is_active"])
    changes = diff(before, snapshot(subtype, ["name", "is_active"]))
    if changes:
        action = "修改供需子类" if "name" in changes else ("启用供需子类" if subtype.is_active else "停用供需子类")
        audit(actor=by, action=action, obj=subtype, changes=changes)
    if "name" in changes:  # the sub-type's name is indexed with its posts
        from .tasks import reindex_subtype

        enqueue_on_commit(reindex_subtype, subtype_id=subtype.pk)
    return subtype


@transaction.atomic
def subtype_move(*, by, subtype: Subtype, up: bool) -> Subtype:
    """Swap a sub-type with its neighbour above (or below) in its area's list; at either end nothing changes."""
    require(by, "exchange.manage_settings")
    siblings = list(Subtype.objects.select_for_update().filter(area=subtype.area).order_by("order", "id"))
    index = next((i for i, s in enumerate(siblings) if s.pk == subtype.pk), None)
    if index is None:
        raise ValidationError("没有这个子类。")
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return siblings[index]
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, item in enumerate(siblings):  # renumber: equal or sparse orders from earlier edits are tidied too
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])
    moved = siblings[other]
    audit(actor=by, action="调整供需子类顺序", obj=moved, changes={"位置": [index + 1, other + 1]})
    return moved


@transaction.atomic
def subtype_delete(*, by, subtype: Subtype) -> None:
    """Delete a sub-type no post uses; one in use is refused (switch it off instead)."""
    require(by, "exchange.manage_settings")
    used = Post.objects.filter(subtype=subtype).count()
    if used:
        raise ValidationError(f"已有 {used} 条供需信息属于子类“{subtype.name}”，不能删除；可以停用它，"
                              "停用后新信息不能再选择，已有的信息不受影响。")
    audit(actor=by, action="删除供需子类", obj=subtype,
          changes={"领域": [subtype.get_area_display(), None], "名称": [subtype.name, None]})
    subtype.delete()


# --- the thesaurus -------------------------------------------------------------------------------------------


def means_words(means: str) -> list[str]:
    """The words an entry stands for, in order, each once."""
    return list(dict.fromkeys(w for w in _SEPARATORS.split(means or "") if w))


def _clean_entry(*, word: str, means: str, exclude_pk: int | None = None) -> tuple[str, str]:
    """(word, means joined by spaces), or every refusal at once, field by field."""
    errors = {}
    word = (word or "").strip()
    words = means_words(means)
    if not word:
        errors["word"] = "请填写词语。"
    elif len(word) > WORD_MAX:
        errors["word"] = f"词语不能超过 {WORD_MAX} 个字。"
    elif has_control_characters(word):
        errors["word"] = "词语不能包含控制字符。"
    elif _SEPARATORS.search(word):
        errors["word"] = "词语中不能有空格或逗号：每一行只写一个词。"
    elif Synonym.objects.filter(word__iexact=word).exclude(pk=exclude_pk).exists():
        errors["word"] = f"词表中已有“{word}”，请修改那一条。"
    if not words:
        errors["means"] = "请填写它等同的词（一个或几个，用空格或逗号分隔）。"
    elif len(words) > MEANS_MAX_WORDS:
        errors["means"] = f"最多填写 {MEANS_MAX_WORDS} 个词（现在是 {len(words)} 个）。"
    elif any(has_control_characters(w) for w in words):
        errors["means"] = "不能包含控制字符。"
    elif any(len(w) > WORD_MAX for w in words):
        errors["means"] = f"每个词不能超过 {WORD_MAX} 个字。"
    elif word and word in words:
        errors["means"] = f"“{word}”不能等同于它自己。"
    joined = " ".join(words)
    if "means" not in errors and len(joined) > Synonym._meta.get_field("means").max_length:
        errors["means"] = "等同的词合计太长，请删减。"
    if errors:
        raise ValidationError(errors)
    return word, joined


ENTRY_FIELDS = ["word", "means", "two_way"]


@transaction.atomic
def synonym_add(*, by, word: str, means: str, two_way: bool = True) -> Synonym:
    require(by, "exchange.manage_settings")
    word, means = _clean_entry(word=word, means=means)
    entry = Synonym.objects.create(word=word, means=means, two_way=bool(two_way))
    audit(actor=by, action="新增同义词", obj=entry,
          changes={k: [None, v] for k, v in snapshot(entry, ENTRY_FIELDS).items()})
    text.thesaurus_changed()
    return entry


@transaction.atomic
def synonym_update(*, by, entry: Synonym, word: str, means: str, two_way: bool) -> Synonym:
    require(by, "exchange.manage_settings")
    entry = Synonym.objects.select_for_update().get(pk=entry.pk)
    before = snapshot(entry, ENTRY_FIELDS)
    entry.word, entry.means = _clean_entry(word=word, means=means, exclude_pk=entry.pk)
    entry.two_way = bool(two_way)
    changes = diff(before, snapshot(entry, ENTRY_FIELDS))
    if changes:
        entry.save()
        audit(actor=by, action="修改同义词", obj=entry, changes=changes)
        text.thesaurus_changed()
    return entry


@transaction.atomic
def synonym_delete(*, by, entry: Synonym) -> None:
    require(by, "exchange.manage_settings")
    audit(actor=by, action="删除同义词", obj=entry,
          changes={k: [v, None] for k, v in snapshot(entry, ENTRY_FIELDS).items()})
    entry.delete()
    text.thesaurus_changed()
