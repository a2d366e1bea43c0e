"""The association's settings of the exchange: the sub-types of each area (add, rename, reorder, switch off; one in
use is never deleted) and the thesaurus (validated entries, the posts re-indexed after a change), each change
audited; nobody else may touch them."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bangfu.core.models import AuditEntry
from bangfu.exchange import tasks
from bangfu.exchange.models import ExchangeRules, Post, Subtype, Synonym
from bangfu.exchange.services import post_create, rules_update
from bangfu.exchange.vocabulary import (
    subtype_add,
    subtype_delete,
    subtype_move,
    subtype_update,
    synonym_add,
    synonym_delete,
    synonym_update,
)

pytestmark = pytest.mark.django_db


def names(area: str) -> list[str]:
    return list(Subtype.objects.filter(area=area).order_by("order", "id").values_list("name", flat=True))


def audited(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# --- sub-types -----------------------------------------------------------------------------------------------


def test_the_association_adds_a_sub_type_at_the_end_of_its_area(login, world):
    before = names("creative")
    response = login(world.admin).post(reverse("exchange:subtype_add"), {"area": "creative", "name": "非遗联名"})
    assert response.status_code == 302 and response["Location"].endswith("#area-creative")
    assert names("creative") == [*before, "非遗联名"] and audited("新增供需子类") == 1


def test_a_sub_type_name_is_unique_within_its_area_and_not_empty(world):
    subtype_add(by=world.admin, area="creative", name="非遗联名")
    with pytest.raises(ValidationError, match="已有子类“非遗联名”"):
        subtype_add(by=world.admin, area="creative", name=" 非遗联名 ")
    subtype_add(by=world.admin, area="people", name="非遗联名")  # another area may have the same name
    with pytest.raises(ValidationError, match="请填写子类名称"):
        subtype_add(by=world.admin, area="people", name="  ")


def test_the_association_renames_and_switches_off_a_sub_type_on_its_page(login, world):
    subtype = subtype_add(by=world.admin, area="loan", name="短期借展")
    client = login(world.admin)
    assert "短期借展" in client.get(reverse("exchange:subtype_edit", args=[subtype.pk])).content.decode()
    client.post(reverse("exchange:subtype_edit", args=[subtype.pk]), {"name": "短期借展（一年内）"})
    subtype.refresh_from_db()
    assert (subtype.name, subtype.is_active) == ("短期借展（一年内）", False)
    entry = AuditEntry.objects.get(action="修改供需子类")
    assert entry.changes == {"name": ["短期借展", "短期借展（一年内）"], "is_active": [True, False]}


def test_sub_types_move_up_and_down_within_their_area(world):
    first, second, third = (subtype_add(by=world.admin, area="research", name=n) for n in ("甲", "乙", "丙"))
    subtype_move(by=world.admin, subtype=third, up=True)
    assert names("research")[-3:] == ["甲", "丙", "乙"]
    subtype_move(by=world.admin, subtype=first, up=False)
    assert names("research")[-3:] == ["丙", "甲", "乙"]
    last = Subtype.objects.filter(area="research").order_by("-order", "-id").first()
    subtype_move(by=world.admin, subtype=last, up=False)  # already last: nothing changes
    assert names("research")[-3:] == ["丙", "甲", "乙"]


def test_a_sub_type_in_use_cannot_be_deleted_but_can_be_switched_off(login, world):
    subtype = subtype_add(by=world.admin, area="conservation", name="彩塑修复")
    post_create(by=world.helped_admin, kind="need", area="conservation", subtype=subtype, title="彩塑修复",
                description="彩塑起甲")
    with pytest.raises(ValidationError, match="不能删除；可以停用"):
        subtype_delete(by=world.admin, subtype=subtype)
    response = login(world.admin).post(reverse("exchange:subtype_delete", args=[subtype.pk]), follow=True)
    assert "不能删除" in response.content.decode() and Subtype.objects.filter(pk=subtype.pk).exists()
    subtype_update(by=world.admin, subtype=subtype, name="彩塑修复", is_active=False)
    assert Post.objects.get().subtype_id == subtype.pk  # the post keeps it
    unused = subtype_add(by=world.admin, area="conservation", name="没人用的")
    subtype_delete(by=world.admin, subtype=unused)
    assert not Subtype.objects.filter(pk=unused.pk).exists() and audited("删除供需子类") == 1


def test_the_settings_page_shows_each_areas_sub_types_with_their_use(login, world):
    subtype = subtype_add(by=world.admin, area="conservation", name="彩塑修复")
    post_create(by=world.helped_admin, kind="need", area="conservation", subtype=subtype, title="彩塑修复",
                description="彩塑起甲")
    body = login(world.admin).get(reverse("exchange:settings")).content.decode()
    assert 'data-testid="subtypes-conservation"' in body and "彩塑修复" in body and "1 条信息" in body


# --- the thesaurus -------------------------------------------------------------------------------------------


def test_the_association_adds_an_entry_and_its_words_are_stored_space_separated(login, world):
    response = login(world.admin).post(reverse("exchange:synonym_add"),
                                       {"word": "预防保护", "means": "预防性保护，环境监测、 温湿度", "two_way": "on"})
    assert response.status_code == 302
    entry = Synonym.objects.get(word="预防保护")
    assert (entry.means, entry.two_way) == ("预防性保护 环境监测 温湿度", True)
    assert audited("新增同义词") == 1


@pytest.mark.parametrize(("word", "means", "field", "message"), [
    ("", "文物保护", "word", "请填写词语"),
    ("长" * 31, "文物保护", "word", "不能超过 30 个字"),
    ("文\x07保", "文物保护", "word", "控制字符"),
    ("文 保", "文物保护", "word", "只写一个词"),
    ("文保", "", "means", "请填写它等同的词"),
    ("文保", " ".join(f"词{i}" for i in range(11)), "means", "最多填写 10 个词"),
    ("文保", "文物保护 文保", "means", "不能等同于它自己"),
    ("文保", "文物\x1b保护", "means", "控制字符"),
])
def test_a_bad_entry_is_refused_field_by_field(world, word, means, field, message):
    with pytest.raises(ValidationError) as refused:
        synonym_add(by=world.admin, word=word, means=means)
    assert message in " ".join(refused.value.message_dict[field])


def test_a_word_is_in_the_thesaurus_once(login, world):
    synonym_add(by=world.admin, word="青铜修复", means="青铜器修复")
    response = login(world.admin).post(reverse("exchange:synonym_add"), {"word": "青铜修复", "means": "青铜器"})
    assert response.status_code == 200 and "词表中已有“青铜修复”" in response.content.decode()


def test_the_association_edits_and_removes_an_entry(login, world):
    entry = synonym_add(by=world.admin, word="宣教", means="社会教育")
    client = login(world.admin)
    assert "社会教育" in client.get(reverse("exchange:synonym_edit", args=[entry.pk])).content.decode()
    client.post(reverse("exchange:synonym_edit", args=[entry.pk]), {"word": "宣教", "means": "社会教育 讲解"})
    entry.refresh_from_db()
    assert (entry.means, entry.two_way) == ("社会教育 讲解", False)
    client.post(reverse("exchange:synonym_delete", args=[entry.pk]))
    assert not Synonym.objects.filter(word="宣教").exists()
    assert audited("修改同义词") == audited("删除同义词") == 1


def test_a_change_of_the_thesaurus_has_the_posts_reindexed_after_commit(world):
    with mock.patch("bangfu.core.background.enqueue_on_commit") as enqueue:
        entry = synonym_add(by=world.admin, word="非遗文创", means="文化创意")
        synonym_update(by=world.admin, entry=entry, word="非遗文创", means="文化创意 文创产品", two_way=True)
        synonym_delete(by=world.admin, entry=entry)
    assert [c.args for c in enqueue.call_args_list] == [(tasks.reindex_posts,)] * 3


def test_a_renamed_sub_type_has_its_posts_reindexed_after_commit(world, django_capture_on_commit_callbacks):
    subtype = subtype_add(by=world.admin, area="exhibition", name="壁画临摹展")
    post = post_create(by=world.helped_admin, kind="need", area="exhibition", title="引进一个展览",
                       description="希望引进一个小型展览。", subtype=subtype, publish=True)
    other = post_create(by=world.helped_admin, kind="need", area="exhibition", title="借展文物",
                        description="希望借展。", publish=True)
    before = Post.objects.get(pk=other.pk).search_text
    with django_capture_on_commit_callbacks(execute=True):
        subtype_update(by=world.admin, subtype=subtype, name="流动展览", is_active=True)
    post.refresh_from_db()
    assert "流动" in post.search_text.split() and "临摹" not in post.search_text.split()
    assert Post.objects.get(pk=other.pk).search_text == before


def test_switching_a_sub_type_off_does_not_reindex(world):
    subtype = subtype_add(by=world.admin, area="exhibition", name="壁画临摹展")
    with mock.patch("bangfu.exchange.vocabulary.enqueue_on_commit") as enqueue:
        subtype_update(by=world.admin, subtype=subtype, name="壁画临摹展", is_active=False)
    assert not enqueue.called


def test_the_settings_page_and_the_review_page_switch_the_same_setting(login, world):
    client = login(world.admin)
    client.post(reverse("exchange:moderation"), {"moderation": "on"})
    client.post(reverse("exchange:review"), {"moderation": "off"})
    assert ExchangeRules.current().moderation is False
    assert audited("开启发布审核") == audited("关闭发布审核") == 1


# --- review switch and who may change what --------------------------------------------------------------------


def test_the_association_switches_the_review_of_new_posts_on_and_off(login, world):
    client = login(world.admin)
    client.post(reverse("exchange:moderation"), {"moderation": "on"})
    assert ExchangeRules.current().moderation is True
    client.post(reverse("exchange:moderation"), {})
    assert ExchangeRules.current().moderation is False
    assert audited("开启发布审核") == audited("关闭发布审核") == 1


@pytest.mark.parametrize("persona", ["helper_admin", "province_supervisor", "expert", "outsider"])
def test_nobody_but_the_association_changes_the_settings(login, world, persona):
    user = getattr(world, persona)
    subtype = subtype_add(by=world.admin, area="people", name="挂职")
    entry = synonym_add(by=world.admin, word="挂职锻炼", means="挂职")
    client = login(user)
    assert client.get(reverse("exchange:settings")).status_code == 403
    assert client.post(reverse("exchange:subtype_add"), {"area": "people", "name": "跟班"}).status_code == 403
    assert client.post(reverse("exchange:subtype_delete", args=[subtype.pk])).status_code == 404
    assert client.post(reverse("exchange:synonym_delete", args=[entry.pk])).status_code == 404
    for call in (lambda: subtype_add(by=user, area="people", name="跟班"),
                 lambda: synonym_update(by=user, entry=entry, word="x", means="y", two_way=True),
                 lambda: rules_update(by=user, moderation=True)):
        with pytest.raises(PermissionDenied):
            call()
    assert names("people")[-1] == "挂职" and Synonym.objects.get(pk=entry.pk).means == "挂职"


def test_the_settings_page_query_count_does_not_grow_with_entries(login, world, django_assert_max_num_queries):
    client = login(world.admin)
    client.get(reverse("exchange:settings"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("exchange:settings"))
    for i in range(5):
        subtype_add(by=world.admin, area="people", name=f"新子类{i}")
        synonym_add(by=world.admin, word=f"新词{i}", means=f"新义{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("exchange:settings"))
