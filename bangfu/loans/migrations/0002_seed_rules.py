"""The rules table's defaults (bangfu/loans/law.py, copied here so the migration does not change with the code)."""

from django.db import migrations

LAW = "《文物保护法》（2024年修订）"
NOTICE = "国家文物局关于馆藏一级文物借展管理的通知（2025年7月）"
RULES = (
    ("max_term", "借展期限", "一次借用馆藏文物的期限不得超过规定月数。", f"{LAW}第五十六条", 36, "个月", True),
    ("competent_filing", "国有馆之间借用报主管部门备案", "国有文物收藏单位之间借用馆藏文物，报主管的文物行政部门备案。",
     f"{LAW}第五十六条", None, "", True),
    ("national_filing_grade1", "借用一级文物报国家文物局备案",
     "借用馆藏一级文物的，同时报国务院文物行政部门（国家文物局）备案。", f"{LAW}第五十六条", None, "", True),
    ("private_approval", "非国有借入方须经批准",
     "非国有文物收藏单位和其他单位借用国有馆藏文物，报主管的文物行政部门批准；借用一级文物须经国家文物局批准。",
     f"{LAW}第五十六条", None, "", True),
    ("exchange_approval", "交换须省级批准并报国家文物局备案",
     "国有文物收藏单位之间交换馆藏文物，经省级文物行政部门批准，并报国家文物局备案。", f"{LAW}第五十七条", None, "", True),
    ("record_required", "未建档不得出借", "未建立馆藏文物档案的文物，不得出借、交换。", f"{LAW}第五十八条", None, "", True),
    ("chain_cap", "一级文物累计借展期限",
     "同一件一级文物连续借展（出借给同一或不同借入方）累计不得超过规定月数；未拒绝、撤回或取消的借展都计入。", NOTICE, 36,
     "个月", True),
    ("chain_cap_all_grades", "累计期限适用于所有级别", "开启后，累计借展期限同样适用于二级、三级、一般文物和未定级文物。",
     f"{NOTICE}（协会扩展）", None, "", False),
    ("condition", "状况不佳、易损或修复中的文物不得出借", "保存状态较差、运输易损或正在修复的文物不得出借。", NOTICE, None, "",
     True),
    ("expert_review_grade1", "一级文物须经专家评估", "出借一级文物前，须经专家评估其是否适宜展陈和运输。", NOTICE, None, "",
     True),
    ("filing_lead_days", "展览提前备案", "在借入馆或巡展馆举办展览，应在开展前规定的工作日数报主管部门备案；不足时提醒。",
     "《博物馆条例》第三十一条", 10, "个工作日", True),
)


def seed(apps, schema_editor):
    LoanRule = apps.get_model("loans", "LoanRule")
    for order, (code, title, text, source, value, unit, enabled) in enumerate(RULES):
        LoanRule.objects.get_or_create(code=code, defaults=dict(
            title=title, text=text, source=source, value=value, unit=unit, enabled=enabled, order=order))


def unseed(apps, schema_editor):
    apps.get_model("loans", "LoanRule").objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_loans")]
    operations = [migrations.RunPython(seed, unseed)]
