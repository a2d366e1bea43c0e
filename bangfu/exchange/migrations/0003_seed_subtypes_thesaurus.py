"""The starting lists the association edits afterwards: sub-types per area and the domain thesaurus."""

from django.db import migrations

SUBTYPES = {
    "exhibition": ["巡展", "联合策展", "策展全过程指导", "展陈设计", "讲解培训"],
    "loan": ["展品借展", "展品交换", "借展手续指导"],
    "conservation": ["检测分析", "保护修复方案", "专家会诊", "濒危文物修复", "预防性保护", "环境监测", "修复技能培训"],
    "creative": ["IP 授权", "联合开发", "设计支持", "销售渠道"],
    "education": ["研学课程", "博物馆进校园", "流动博物馆", "节庆活动", "志愿者"],
    "research": ["联合申报课题", "图书资料", "数据库", "考古报告", "论文指导与刊发"],
    "people": ["跟班学习", "挂职锻炼", "短期指导", "培训名额", "专家巡讲", "线上课程", "远程咨询"],
}

# word, what it stands for, two-way
SYNONYMS = [
    ("文保", "文物保护", True),
    ("温湿度", "温度 湿度", False),
    ("预防性保护", "环境监测 温湿度", False),
    ("文创", "文创产品 文化创意", True),
    ("研学", "研学旅行 研学课程", True),
    ("巡展", "巡回展览", True),
    ("借展", "展品借用", True),
    ("会诊", "专家会诊", True),
    ("彩塑", "泥塑 彩绘泥塑", True),
    ("壁画", "壁画保护", False),
    ("青铜器", "青铜 铜器", True),
    ("社教", "社会教育", True),
    ("讲解员", "讲解", True),
    ("数字化", "三维扫描 数字采集", False),
    ("病害", "文物病害", True),
]


def seed(apps, schema_editor):
    Subtype = apps.get_model("exchange", "Subtype")
    Synonym = apps.get_model("exchange", "Synonym")
    for area, names in SUBTYPES.items():
        for order, name in enumerate(names):
            Subtype.objects.get_or_create(area=area, name=name, defaults={"order": order})
    for word, means, two_way in SYNONYMS:
        Synonym.objects.get_or_create(word=word, defaults={"means": means, "two_way": two_way})


def unseed(apps, schema_editor):
    apps.get_model("exchange", "Subtype").objects.filter(
        name__in=[n for names in SUBTYPES.values() for n in names]).delete()
    apps.get_model("exchange", "Synonym").objects.filter(word__in=[w for w, _, _ in SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("exchange", "0002_search_index")]
    operations = [migrations.RunPython(seed, unseed)]
