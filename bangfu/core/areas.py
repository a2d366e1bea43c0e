"""The seven areas of help of the programme (倡议书 §二–§七), shared by every module."""

from django.db import models


class Area(models.TextChoices):
    EXHIBITION = "exhibition", "展览策划"
    LOAN = "loan", "藏品借展"
    CONSERVATION = "conservation", "文物保护"
    CREATIVE = "creative", "文创开发"
    EDUCATION = "education", "社会教育"
    RESEARCH = "research", "学术研究"
    PEOPLE = "people", "人才培养"


AREA_DESCRIPTIONS = {
    Area.EXHIBITION: "联合策展、成熟展览巡展、策展全过程指导",
    Area.LOAN: "依法依规借展、交换展品，确保文物安全",
    Area.CONSERVATION: "实验室资源开放、专家会诊、濒危文物修复、预防性保护与环境监测",
    Area.CREATIVE: "IP 授权、联合开发县域特色文创、共享设计生产与销售渠道",
    Area.EDUCATION: "博物馆进校园、流动博物馆、节庆活动、志愿者共享",
    Area.RESEARCH: "联合申报课题、开放图书资料与数据库、论文指导与刊发",
    Area.PEOPLE: "跟班学习与挂职、短期指导、培训班、专家巡讲、线上课程",
}
