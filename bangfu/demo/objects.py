"""Demo objects (藏品) of 山西博物院 and 安泽县博物馆, through the registry's service, with stable registration
numbers that the loan and exhibition demos name (SX-0001… for 山西博物院, AZ-0001… for 安泽县博物馆)."""

from __future__ import annotations

from decimal import Decimal

from bangfu.accounts.models import User
from bangfu.museums.models import Museum
from bangfu.objects.models import CollectionObject
from bangfu.objects.services import object_create

# number, name, era, category, material, grade, dimensions, condition, has_record, offered, fragile, value (万元)
SXBWY = [
    ("SX-0001", "晋侯鸟尊", "西周", "铜器", "铜", "一级",
     "通高 39 厘米，长 30.5 厘米", "good", True, True, False, 50000),
    ("SX-0002", "龙形觥", "商", "铜器", "铜", "一级",
     "通高 19 厘米，长 44 厘米", "good", True, True, False, 40000),
    ("SX-0003", "赵卿墓鸟尊", "春秋", "铜器", "铜", "一级",
     "通高 25.3 厘米", "good", True, False, False, 30000),
    ("SX-0004", "晋侯猪尊", "西周", "铜器", "铜", "一级",
     "通高 22.4 厘米，长 39 厘米", "fair", True, True, False, 20000),
    ("SX-0005", "刖人守囿铜挽车", "西周", "铜器", "铜", "一级",
     "通高 9.1 厘米，长 13.7 厘米", "good", True, False, True, 15000),
    ("SX-0006", "侯马盟书（玉石片）", "东周", "玉石器、宝石", "宝玉石", "一级",
     "长 18 厘米，宽 3.2 厘米", "fair", True, False, True, 10000),
    ("SX-0007", "彩绘陶鹰", "北魏", "陶器", "陶", "二级",
     "高 24 厘米", "good", True, True, True, 300),
    ("SX-0008", "北魏石刻佛造像碑", "北魏", "石器、石刻、砖瓦", "石", "一级",
     "高 128 厘米，宽 62 厘米", "fair", True, True, True, 5000),
    ("SX-0009", "北魏石雕方砚", "北魏", "文具", "石", "一级",
     "边长 21.2 厘米，高 8.5 厘米", "good", True, False, False, 8000),
    ("SX-0010", "娄睿墓釉陶灯", "北齐", "陶器", "陶", "二级",
     "通高 50.6 厘米", "good", True, True, True, 800),
    ("SX-0011", "彩绘陶骆驼", "北齐", "陶器", "陶", "二级",
     "高 33 厘米，长 30 厘米", "good", True, True, True, 400),
    ("SX-0012", "鎏金铜佛坐像", "唐", "雕塑、造像", "铜", "二级",
     "通高 26 厘米", "good", True, True, False, 600),
    ("SX-0013", "三彩骑马俑", "唐", "陶器", "陶", "三级",
     "高 37 厘米", "good", True, True, True, 120),
    ("SX-0014", "耀州窑青釉刻花瓶", "宋", "瓷器", "瓷", "二级",
     "高 30.5 厘米，口径 6.8 厘米", "good", True, True, True, 500),
    ("SX-0015", "定窑白釉印花盘", "宋", "瓷器", "瓷", "三级",
     "口径 20.6 厘米", "good", True, True, True, 80),
    ("SX-0016", "侯马董氏墓砖雕戏俑", "金", "石器、石刻、砖瓦", "砖瓦", "二级",
     "高 20.5 厘米", "fair", True, True, True, 200),
    ("SX-0017", "磁州窑白地黑花枕", "金", "瓷器", "瓷", "三级",
     "长 29 厘米，宽 21 厘米", "good", True, True, True, 60),
    ("SX-0018", "钧窑天蓝釉碗", "元", "瓷器", "瓷", "三级",
     "口径 18.2 厘米", "good", True, False, True, 50),
    ("SX-0019", "法华釉人物罐", "明", "瓷器", "陶", "三级",
     "高 34 厘米", "good", True, True, True, 40),
    ("SX-0020", "琉璃鸱吻", "明", "石器、石刻、砖瓦", "砖瓦", "一般",
     "高 96 厘米", "poor", True, False, True, 10),
    ("SX-0021", "傅山草书立轴", "清", "书法、绘画", "纸", "二级",
     "纵 182 厘米，横 48 厘米", "good", True, True, True, 300),
    ("SX-0022", "平遥推光漆描金盒", "清", "漆器", "木", "三级",
     "长 26 厘米，宽 18 厘米", "good", True, True, False, 30),
    ("SX-0023", "晋侯墓地玉组佩", "西周", "玉石器、宝石", "宝玉石", "一级",
     "全长约 50 厘米", "good", True, False, True, 12000),
    ("SX-0024", "兽面纹铜鼎", "商", "铜器", "铜", "二级",
     "通高 24 厘米", "good", True, True, False, 700),
    ("SX-0025", "铃首铜剑", "商", "武器", "铜", "三级",
     "长 31 厘米", "good", True, True, False, 50),
    ("SX-0026", "匽侯铜盂", "西周", "铜器", "铜", "二级",
     "高 24 厘米，口径 33 厘米", "under_treatment", True, False, False, 600),
    ("SX-0027", "倗国铜簋", "西周", "铜器", "铜", "二级",
     "通高 18 厘米", "good", True, True, False, 500),
    ("SX-0028", "彩绘陶壶", "战国", "陶器", "陶", "三级",
     "高 42 厘米", "fair", True, True, True, 30),
    ("SX-0029", "汉代绿釉陶楼", "东汉", "陶器", "陶", "三级",
     "高 86 厘米", "fair", True, True, True, 40),
    ("SX-0030", "五铢钱范", "西汉", "钱币", "铜", "一般",
     "长 19 厘米", "good", True, True, False, 5),
    ("SX-0031", "北朝石雕菩萨头像", "北朝", "雕塑、造像", "石", "三级",
     "高 32 厘米", "good", True, True, False, 100),
    ("SX-0032", "元代壁画残片（朝元图）", "元", "书法、绘画", "其他无机质", "二级",
     "纵 62 厘米，横 48 厘米", "poor", True, False, True, 300),
    ("SX-0033", "铜镜（海兽葡萄纹）", "唐", "铜器", "铜", "三级",
     "直径 16.5 厘米", "good", True, True, False, 40),
    ("SX-0034", "乾隆款粉彩瓶", "清", "瓷器", "瓷", "三级",
     "高 28 厘米", "good", True, True, True, 80),
    ("SX-0035", "晋商票号汇票", "清", "票据", "纸", "一般",
     "纵 24 厘米，横 12 厘米", "good", True, True, True, 2),
    ("SX-0036", "木雕彩绘门楣", "清", "竹木雕", "木", "一般",
     "长 180 厘米", "fair", True, True, True, 5),
    ("SX-0037", "石雕狮子（一对）", "明", "石器、石刻、砖瓦", "石", "一般",
     "高 65 厘米", "good", True, True, False, 10),
    ("SX-0038", "新征集铜爵", "商", "铜器", "铜", "未定级",
     "通高 20 厘米", "good", False, False, False, None),
    ("SX-0039", "青花缠枝莲纹碗", "明", "瓷器", "瓷", "三级",
     "口径 15 厘米", "good", True, True, True, 30),
    ("SX-0040", "剪纸窗花（一组）", "近现代", "其他", "纸", "一般",
     "每幅约 20 厘米见方", "good", True, True, True, 1),
]

ANZE = [
    ("AZ-0001", "安泽出土铜戈", "战国", "武器", "铜", "三级",
     "长 22 厘米", "good", True, True, False, 20),
    ("AZ-0002", "荀子故里石碑拓片", "清", "碑帖拓本", "纸", "一般",
     "纵 150 厘米，横 70 厘米", "good", True, True, True, 2),
    ("AZ-0003", "灰陶罐", "汉", "陶器", "陶", "一般",
     "高 28 厘米", "fair", True, True, True, 3),
    ("AZ-0004", "彩绘泥塑残块", "明", "雕塑、造像", "其他无机质", "一般",
     "12 块，最大 30 厘米", "poor", True, False, True, None),
    ("AZ-0005", "黑釉瓷碗", "宋", "瓷器", "瓷", "一般",
     "口径 16 厘米", "good", True, True, True, 2),
    ("AZ-0006", "铁犁铧", "清", "铁器、其他金属器", "铁", "一般",
     "长 30 厘米", "good", False, False, False, None),
    ("AZ-0007", "石雕柱础", "金", "石器、石刻、砖瓦", "石", "一般",
     "直径 45 厘米", "good", True, True, False, 5),
    ("AZ-0008", "铜佛造像", "明", "雕塑、造像", "铜", "三级",
     "通高 18 厘米", "good", True, True, False, 30),
]

DESCRIPTIONS = {
    "SX-0001": "1992 年曲沃北赵晋侯墓地 114 号墓出土，盖内和腹底有铭文“晋侯作向太室宝尊彝”。山西博物院镇馆之宝。",
    "SX-0026": "锈蚀严重，正在本院文物保护中心进行除锈和加固，修复完成前不能出借。",
    "SX-0038": "新征集入藏，尚未建立藏品档案、尚未定级。",
}


def _load(museum: Museum, by: User, rows: list) -> int:
    existing = set(CollectionObject.objects.filter(museum=museum).values_list("registration_number", flat=True))
    created = 0
    for number, name, era, category, material, grade, dims, condition, record, offered, fragile, value in rows:
        if number in existing:
            continue
        object_create(museum=museum, by=by, registration_number=number, name=name, era=era, category=category,
                      material=material, grade=grade, dimensions=dims, condition=condition, has_record=record,
                      offered=offered, fragile=fragile, description=DESCRIPTIONS.get(number, ""),
                      insurance_value=Decimal(value) * 10_000 if value is not None else None)
        created += 1
    return created


def load_objects() -> int:
    """The demo museums' objects (idempotent: numbers already registered are left as they are); how many were
    added."""
    created = 0
    for museum_name, username, rows in (("山西博物院", "sxbwy_staff", SXBWY), ("安泽县博物馆", "anze_staff", ANZE)):
        museum = Museum.objects.filter(name=museum_name).first()
        user = User.objects.filter(username=username, museum=museum).first()
        if museum and user:
            created += _load(museum, user, rows)
    return created
