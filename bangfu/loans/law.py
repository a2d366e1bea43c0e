"""The rules of lending objects, each with its source: the defaults of the `LoanRule` table (the association edits
titles, values and whether a rule applies; the codes are what the services read).

Sources:
- 《中华人民共和国文物保护法》, revised 2024-11-08, in force 2025-03-01: Art. 56 (loans between state-owned
  collections are filed with the competent cultural-heritage authority, those of 一级文物 also with the State
  Administration (国家文物局); a non-state borrower needs approval instead; a loan runs at most three years),
  Art. 57 (an exchange of objects between state-owned collections is approved by the provincial authority and filed
  with the State Administration), Art. 58 (an object without a collection record (藏品档案) may not be lent,
  exchanged or transferred).
- 国家文物局《关于进一步加强馆藏一级文物借展管理的通知》(July 2025): one 一级文物's successive loans, to the
  same or different borrowers, add up to at most three years; objects in poor condition, easily damaged in
  transport or under treatment are not lent; a 一级文物 is lent only after an expert review of its fitness for
  display and transport.
- 《博物馆条例》Art. 31: an exhibition held at another venue is filed with the competent authority 10 working days
  before it opens (Chinese working days: `bangfu.core.workdays`).
"""

from __future__ import annotations

from typing import NamedTuple

LAW = "《文物保护法》（2024年修订）"
NOTICE = "国家文物局关于馆藏一级文物借展管理的通知（2025年7月）"
REGULATION = "《博物馆条例》"


class RuleDefault(NamedTuple):
    code: str
    title: str
    text: str
    source: str
    value: int | None = None
    unit: str = ""
    enabled: bool = True


RULES = (
    RuleDefault("max_term", "借展期限", "一次借用馆藏文物的期限不得超过规定月数。", f"{LAW}第五十六条", 36, "个月"),
    RuleDefault("competent_filing", "国有馆之间借用报主管部门备案",
                "国有文物收藏单位之间借用馆藏文物，报主管的文物行政部门备案。", f"{LAW}第五十六条"),
    RuleDefault("national_filing_grade1", "借用一级文物报国家文物局备案",
                "借用馆藏一级文物的，同时报国务院文物行政部门（国家文物局）备案。", f"{LAW}第五十六条"),
    RuleDefault("private_approval", "非国有借入方须经批准",
                "非国有文物收藏单位和其他单位借用国有馆藏文物，报主管的文物行政部门批准；借用一级文物须经国家文物局批准。",
                f"{LAW}第五十六条"),
    RuleDefault("exchange_approval", "交换须省级批准并报国家文物局备案",
                "国有文物收藏单位之间交换馆藏文物，经省级文物行政部门批准，并报国家文物局备案。", f"{LAW}第五十七条"),
    RuleDefault("record_required", "未建档不得出借", "未建立馆藏文物档案的文物，不得出借、交换。", f"{LAW}第五十八条"),
    RuleDefault("chain_cap", "一级文物累计借展期限",
                "同一件一级文物连续借展（出借给同一或不同借入方）累计不得超过规定月数；未拒绝、撤回或取消的借展都计入。",
                NOTICE, 36, "个月"),
    RuleDefault("chain_cap_all_grades", "累计期限适用于所有级别",
                "开启后，累计借展期限同样适用于二级、三级、一般文物和未定级文物。", f"{NOTICE}（协会扩展）",
                enabled=False),
    RuleDefault("condition", "状况不佳、易损或修复中的文物不得出借",
                "保存状态较差、运输易损或正在修复的文物不得出借。", NOTICE),
    RuleDefault("expert_review_grade1", "一级文物须经专家评估",
                "出借一级文物前，须经专家评估其是否适宜展陈和运输。", NOTICE),
    RuleDefault("filing_lead_days", "展览提前备案",
                "在借入馆或巡展馆举办展览，应在开展前规定的工作日数报主管部门备案；不足时提醒。",
                f"{REGULATION}第三十一条", 10, "个工作日"),
)

RULE_CODES = tuple(r.code for r in RULES)
