"""The exchange's Chinese full-text search: jieba words with the domain dictionary, the thesaurus, the PostgreSQL GIN
index or the SQLite term index (the same results on both: run this file with DATABASE_URL on PostgreSQL too), and
highlighting."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from bangfu.exchange import text
from bangfu.exchange.index import index_post, reindex_all
from bangfu.exchange.models import Post, PostTerm, Synonym
from bangfu.exchange.search import search_posts, tsquery
from bangfu.exchange.services import post_create

from .factories import make_museum, make_user

LONG_MURAL = (
    "我馆为县级综合类博物馆，现有馆藏文物三千余件，其中明清时期的寺观文物较多。"
    "近年来在文物普查中发现，馆内保存的一铺明代寺观壁画因早年揭取后长期存放在简易库房，出现了起甲、空鼓、酥碱等多种病害，"
    "部分画面颜料层已经脱落，亟需开展抢救性修复。由于我馆没有专业的修复人员，也缺乏必要的检测设备，"
    "希望省内有条件的大馆能够派出专家现场查看，协助制定保护修复方案，并对我馆业务人员进行基础培训。"
    "此外，库房内没有温湿度监测和调控设备，夏季潮湿、冬季干燥，对纸质和木质文物的保存也很不利，"
    "希望一并指导库房环境改善工作，提出切实可行、经费可控的建议。"
)


def post(by, title, description, *, kind="need", area="conservation", **fields):
    return post_create(by=by, kind=kind, area=area, title=title, description=description, publish=True, **fields)


def found(q, queryset=None):
    results, _ = search_posts(queryset if queryset is not None else Post.objects.published(), q)
    return list(results)


def titles(q):
    return [p.title for p in found(q)]


@pytest.fixture
def staff(db):
    return make_user("museum_staff", museum=make_museum("安泽县博物馆", county="141026"))


@pytest.fixture
def other_staff(db):
    return make_user("museum_staff", museum=make_museum("山西博物院", city="140100", county="140109", grade="一级"))


@pytest.fixture
def posts(staff, other_staff):
    return {
        "mural": post(staff, "寻求文物保护方面的专家支持", LONG_MURAL),
        "bronze": post(other_staff, "青铜器除锈与加固培训",
                       "可为县馆提供青铜器病害调查、除锈、加固等技能培训，每期 10 人。", kind="offer"),
        "wenbao": post(other_staff, "文物保护实验室开放", "本院文物保护实验室向县级馆开放，承担材质分析与无损检测。",
                       kind="offer"),
        "creative": post(staff, "文创产品设计合作", "希望与大馆合作开发具有本地特色的文创产品，共享销售渠道。",
                         area="creative"),
    }


def test_short_words_are_found_inside_a_long_text(posts):
    for word in ("壁画", "修复", "温湿度", "库房", "病害"):
        assert "寻求文物保护方面的专家支持" in titles(word), word


def test_a_short_word_finds_only_the_posts_that_contain_it(posts):
    assert titles("壁画") == ["寻求文物保护方面的专家支持"]
    assert titles("温湿度") == ["寻求文物保护方面的专家支持"]
    assert set(titles("病害")) == {"寻求文物保护方面的专家支持", "青铜器除锈与加固培训"}


def test_wenbao_finds_posts_that_say_wenwu_baohu_only(posts):
    assert "文保" not in LONG_MURAL and "文保" not in posts["wenbao"].description
    assert set(titles("文保")) == {"寻求文物保护方面的专家支持", "文物保护实验室开放"}


def test_wenbao_finds_wenwu_baohu_however_jieba_cut_the_sentence(staff):
    post(staff, "文物保护修复站建设", "筹建县级文物保护修复站。")
    assert titles("文保") == ["文物保护修复站建设"]


def test_a_synonym_is_found_both_ways_when_the_entry_is_two_way(staff):
    post(staff, "县馆急需文保人员", "我馆只有两名文保人员，请求培训。")
    assert titles("文物保护") == ["县馆急需文保人员"]


def test_a_one_way_entry_expands_the_word_only(staff):
    post(staff, "库房改造", "库房温度偏高，湿度也大。")
    assert titles("温湿度") == ["库房改造"]  # 温湿度 → 温度、湿度
    post(staff, "展厅温湿度", "展厅的温湿度需要调控。")
    assert titles("温度") == ["库房改造"]  # but 温度 does not find 温湿度


def test_every_word_of_the_query_must_be_found(posts):
    assert titles("壁画 修复") == ["寻求文物保护方面的专家支持"]
    assert titles("壁画 青铜器") == []
    assert titles("青铜器 培训") == ["青铜器除锈与加固培训"]


def test_a_long_query_word_is_matched_by_its_parts(staff):
    post(staff, "壁画的修复与保护", "需要制定修复的方案。")
    assert titles("修复方案") == ["壁画的修复与保护"]


def test_the_post_that_says_it_more_often_ranks_first(staff, other_staff):
    post(staff, "库房需要改造", "库房里的书画需要整理，也有几件壁画残片。" + "馆舍老旧。" * 10)
    post(other_staff, "壁画修复", "承担壁画修复：壁画病害调查、壁画加固与壁画清洗。", kind="offer")
    assert titles("壁画") == ["壁画修复", "库房需要改造"]


def test_search_keeps_the_querysets_own_filters(posts):
    offers = Post.objects.published().filter(kind="offer")
    assert [p.title for p in found("文保", offers)] == ["文物保护实验室开放"]


def test_a_blank_or_punctuation_query_leaves_the_list_unfiltered(posts):
    everything = Post.objects.published()
    for q in ("", "   ", "，。！？、", "...", "的 了"):
        results, terms = search_posts(everything, q)
        assert terms == []
        assert results.count() == 4


def test_a_very_long_query_counts_its_first_ten_words_only(db):
    q = " 、".join(["壁画", "青铜器", "彩塑", "琉璃", "木雕", "砖雕", "石刻", "碑刻", "古籍", "书画", "陶瓷"] * 30)
    groups = text.query_groups(q)
    assert 0 < len(groups) <= text.MAX_QUERY_GROUPS
    assert groups[0][0] == "壁画"


def test_quotes_and_operators_in_the_query_are_words_not_sql(posts):
    for q in ("壁画' OR 1=1 --", "壁画 & | ! ( ) :*", "'; DROP TABLE exchange_post; --", "\\x00壁画"):
        assert titles(q) in ([], ["寻求文物保护方面的专家支持"])
    assert Post.objects.count() == 4


def test_the_tsquery_quotes_every_word():
    assert tsquery([["文保", "文物保护"], ["壁画"]]) == "('文保' | '文物保护') & ('壁画')"


def test_the_words_to_highlight_include_the_synonyms(posts):
    _, terms = search_posts(Post.objects.published(), "文保 壁画")
    assert terms[:2] == ["文保", "文物保护"]
    assert "壁画" in terms


def test_highlighting_escapes_the_text_and_marks_the_words():
    html = text.highlight('<script>alert("壁画")</script> & 壁画修复', ["壁画", "修复"])
    assert html == ('&lt;script&gt;alert(&quot;<mark>壁画</mark>&quot;)&lt;/script&gt; &amp; '
                    '<mark>壁画</mark><mark>修复</mark>')


def test_highlighting_marks_the_longest_word_whole():
    assert text.highlight("文物保护", ["文物", "保护", "文物保护"]) == "<mark>文物保护</mark>"


def test_highlighting_never_marks_inside_escaped_markup():
    assert text.highlight("a<b>&amp;", ["amp", "lt", "b"]) == "a&lt;<mark>b</mark>&gt;&amp;<mark>amp</mark>;"
    assert text.highlight("<壁画>", []) == "&lt;壁画&gt;"


def test_words_drop_punctuation_stop_words_and_meaningless_single_characters(db):
    words = text.words("我馆需要玉器和瓷器的修复，以及“铜”！")
    assert "需要" not in words and "和" not in words and "的" not in words and "，" not in words
    assert {"玉器", "瓷器", "修复", "铜"} <= set(words)


def test_words_find_domain_words_however_jieba_cuts_the_sentence(db):
    # jieba cuts 文物保护修复站 as 文物 / 保护修复 / 站: search mode alone never yields 文物保护
    assert "文物保护" in text.words("文物保护修复站")
    assert {"壁画", "修复"} <= set(text.words("墓室壁画修复师"))
    assert {"温湿度", "湿度"} <= set(text.words("库房温湿度计"))


def test_full_width_letters_are_read_as_ascii(db):
    assert "ip授权" in text.words("提供ＩＰ授权")


def test_indexing_writes_search_text_and_weighted_terms_without_saving_the_post(staff):
    p = post(staff, "壁画修复", "壁画起甲。")
    updated = Post.objects.get(pk=p.pk).updated_at
    index_post(Post.objects.get(pk=p.pk))
    stored = Post.objects.get(pk=p.pk)
    assert stored.updated_at == updated
    assert "壁画" in stored.search_text.split()
    terms = dict(PostTerm.objects.filter(post=p).values_list("term", "weight"))
    assert terms["壁画"] > terms["起甲"] > 0  # 壁画 three times (title twice), 起甲 once
    assert PostTerm.objects.filter(post=p, is_open=True, kind="need", area="conservation").count() == len(terms)


def test_a_withdrawn_post_is_no_longer_open_in_the_term_index(staff):
    from bangfu.exchange.services import post_withdraw

    p = post(staff, "壁画修复", "壁画起甲。")
    post_withdraw(post=p, by=staff, reason="已自行解决")
    assert not PostTerm.objects.filter(post=p, is_open=True).exists()
    assert PostTerm.objects.filter(post=p).exists()


def test_reindexing_rebuilds_every_post(posts):
    PostTerm.objects.all().delete()
    Post.objects.update(search_text="")
    assert found("壁画") == [] or connection.vendor == "postgresql"
    assert reindex_all(batch=2) == 4
    assert titles("壁画") == ["寻求文物保护方面的专家支持"]
    assert PostTerm.objects.filter(post=posts["bronze"], term="青铜器").exists()


def test_the_reindex_command_says_how_many_posts_it_rebuilt(posts, capsys):
    call_command("reindex_exchange", "--batch", "3")
    assert "已重建 4 条供需信息的索引" in capsys.readouterr().out


def test_a_new_thesaurus_entry_is_used_by_the_next_search(posts, django_capture_on_commit_callbacks):
    # The association edits the thesaurus through its own page (another part of the exchange); here the row is
    # written directly and thesaurus_changed() called, as the synonym services do.
    assert titles("化验") == []
    with django_capture_on_commit_callbacks(execute=True):
        Synonym.objects.create(word="化验", means="无损检测 材质分析", two_way=False)
        text.thesaurus_changed()
    assert titles("化验") == ["文物保护实验室开放"]


def test_the_thesaurus_links_two_way_entries_both_ways_and_one_way_entries_forward():
    current = text.build_thesaurus([("文保", "文物保护", True), ("温湿度", "温度，湿度", False)])
    assert current.equivalents["文保"] == ("文物保护",)
    assert current.equivalents["文物保护"] == ("文保",)
    assert current.equivalents["温湿度"] == ("温度", "湿度")
    assert "温度" not in current.equivalents


def test_search_runs_a_fixed_number_of_queries(posts, staff, django_assert_max_num_queries):
    for i in range(10):
        post(staff, f"壁画修复需求{i}", "壁画需要修复。")
    with django_assert_max_num_queries(5):
        results, _ = search_posts(Post.objects.published(), "壁画 修复")
        assert len(list(results)) == 11


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_postgresql_answers_from_the_gin_index(posts):
    results, _ = search_posts(Post.objects.all(), "文保 壁画")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test table is tiny: make the planner show its choice
        sql, params = results.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "exchange_post_search_vector" in plan
    assert [p.title for p in results] == ["寻求文物保护方面的专家支持"]
