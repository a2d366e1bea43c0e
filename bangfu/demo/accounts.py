"""The demo accounts: one per role, shown on the login page in demo mode."""

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 — demo only, shown on the login page when DEMO_MODE is on

# username, role, full name, museum name (or None), jurisdiction code (or None), title
DEMO_ACCOUNTS = [
    ("xiehui", "association_admin", "协会秘书处 王芳", None, None, "秘书长"),
    ("wenwuju", "supervisor", "省文物局 李强", None, "140000", "博物馆处处长"),
    ("datong_wlj", "supervisor", "大同市文旅局 赵敏", None, "140200", "科长"),
    ("sxbwy_admin", "museum_admin", "山西博物院 陈刚", "山西博物院", None, "办公室主任"),
    ("sxbwy_staff", "museum_staff", "山西博物院 刘洋", "山西博物院", None, "馆员"),
    ("anze_admin", "museum_admin", "安泽县博物馆 杨帆", "安泽县博物馆", None, "馆长"),
    ("anze_staff", "museum_staff", "安泽县博物馆 周婷", "安泽县博物馆", None, "讲解员"),
    ("zhuanjia", "expert", "孙文博", "山西博物院", None, "研究馆员"),
]

ROLE_HINTS = {
    "xiehui": "协会管理员：名录、账号、导入、变更记录",
    "wenwuju": "主管单位（全省）：只读查看全省",
    "datong_wlj": "主管单位（大同市）：只读查看大同市",
    "sxbwy_admin": "帮扶方馆管理员：山西博物院",
    "sxbwy_staff": "帮扶方馆员：山西博物院",
    "anze_admin": "受援方馆管理员：安泽县博物馆",
    "anze_staff": "受援方馆员：安泽县博物馆",
    "zhuanjia": "专家：孙文博（山西博物院）",
}

# name, organisation, museum name, title, areas, tags, region codes (empty = whole province)
DEMO_EXPERTS = [
    ("孙文博", "山西博物院", "山西博物院", "研究馆员", ["conservation", "research"], "青铜器修复, 预防性保护", []),
    ("郭晓岚", "山西博物院", "山西博物院", "副研究馆员", ["exhibition", "education"], "策展, 展陈设计", []),
    ("韩志远", "大同市博物馆", "大同市博物馆", "研究馆员", ["research", "loan"], "北魏考古, 文物鉴定",
     ["140200", "140600"]),
    ("冯雅琴", "山西考古研究院", None, "研究员", ["conservation"], "壁画保护, 彩塑修复", []),
    ("高建国", "运城博物馆", "运城博物馆", "副研究馆员", ["creative", "education"], "文创开发, 研学课程",
     ["140800", "141000"]),
    ("吕欣然", "太原理工大学", None, "教授", ["conservation", "people"], "环境监测, 温湿度控制", ["140100"]),
]
