"""Demo data for 远程咨询: 安泽县博物馆's staff ask about bronze corrosion, storeroom humidity, writing a guide's
script, licensing for creative products and pest control; 山西博物院's staff and the demo expert 孙文博 (account
zhuanjia) answer; four answers are accepted, so the knowledge base has content; one online consultation is booked
for next week and one, held last week, has its record. Built through the real services as the demo accounts (the
held meeting is booked for the future, as the service requires, then moved into the past before its record).
Idempotent: nothing is added once the museum has asked a question."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.consulting import services as s
from bangfu.consulting.models import Meeting, Question

# (asker, area, title, tags, body, [(answerer, answer)], index of the accepted answer or None)
QUESTIONS = [
    ("anze_staff", "conservation", "馆藏战国铜戈出现浅绿色粉状锈，是不是“青铜病”？", "青铜器，锈蚀，粉状锈",
     "库房清点时发现一件战国铜戈（AZ-0004）刃部出现浅绿色粉末状锈，用软毛刷轻扫会掉粉，周边几件铜器暂未发现。"
     "我馆没有专职文保人员，想知道该怎么初步判断和应急处理。",
     [("zhuanjia", "从描述看很可能是含氯的粉状锈（俗称“青铜病”），会在高湿环境下持续发展。应急处理：①立即把铜戈单独"
       "隔离，放入密封盒并加足量干燥剂，盒内相对湿度控制在 35% 以下；②不要用水或酒精擦拭；③用放大镜记录锈点位置、"
       "拍照存档。确认需要实验室检测后，可以向山西博物院申请 XRF 和拉曼检测，再制定去氯和缓蚀方案。"),
      ("sxbwy_staff", "补充一点：隔离盒里放一张湿度指示卡，每周看一次；同库房的其他铜器也建议逐件检查一遍。")], 0),
    ("anze_admin", "conservation", "库房相对湿度夏季超过 75%，怎样控制？", "库房，湿度，预防性保护",
     "我馆库房在一层，靠近河道，梅雨季和夏季相对湿度经常在 75% 以上，库里有青铜器、陶瓷和少量纸质文物。"
     "预算有限，想知道先买什么设备、湿度控制在多少合适。",
     [("zhuanjia", "混合材质库房建议相对湿度控制在 45%～55%，金属文物单独存放时可更低（40% 以下）。预算有限时："
       "①先配两台恒湿除湿机，门窗加密封条，减少外部潮气进入；②配温湿度记录仪，每 30 分钟记录一次，数据接入平台的"
       "环境监测；③纸质文物放入带硅胶的囊匣；④每天上午巡查一次并记录。一个月后根据数据再决定是否需要恒湿柜。")], 0),
    ("anze_staff", "education", "县馆新展的讲解词怎么写才生动？", "讲解，讲解词，社教",
     "我馆下月开放“古冀氏的记忆”地方史展，需要写 30 分钟的讲解词。以前的讲解词像说明牌，观众听着乏味。",
     [("sxbwy_staff", "几个经验：①每个单元选一件“主角文物”，从它的故事讲起，而不是从年代讲起；②多用设问和现场对比，"
       "比如让观众看看陶罐上的指纹；③术语第一次出现时用一句话解释；④结尾回到本地人的生活。写好后先给同事试讲，"
       "计时并删掉观众没反应的段落。我们可以把山西博物院的讲解词样本发给你们参考。"),
      ("zhuanjia", "讲解词里的年代、出土地点和定名一定要和藏品账核对一致，避免讲错。")], 0),
    ("anze_admin", "creative", "和山西博物院合作开发文创，IP 授权要注意什么？", "文创，授权，IP",
     "我馆想以馆藏“鸟纹铜壶”为元素开发一套文创，山西博物院愿意帮忙对接设计和渠道。授权合同需要写清哪些内容？",
     [("sxbwy_admin", "授权合同至少写清：授权的文物图像和使用范围（品类、地域、期限）、是否独家、"
       "收益分成方式和结算周期、样品审核流程（馆方对每款产品有终审权）、文物信息准确性的责任、侵权处理。图片由馆方提供高清版并加水印管理。"
       "协会有授权合同的参考文本，可以在平台上申请。")], 0),
    ("anze_staff", "conservation", "展厅发现衣鱼，用什么方法防治？", "虫害，纸质文物",
     "展厅墙角和一个展柜里发现了几只衣鱼，展柜里有清代契约文书。", [], None),
]


def load_consulting() -> int:
    """Add the demo's questions, answers and meetings; returns how many questions were asked (0 when already
    there)."""
    users = {u.username: u for u in User.objects.filter(username__in=[
        "sxbwy_admin", "sxbwy_staff", "anze_admin", "anze_staff", "zhuanjia"])}
    if len(users) < 5 or Question.objects.filter(museum_id=users["anze_staff"].museum_id).exists():
        return 0
    asked = []
    for asker, area, title, tags, body, answers, accepted in QUESTIONS:
        question = s.question_ask(by=users[asker], area=area, title=title, tags=tags, body=body)
        written = [s.answer_add(question=question, by=users[who], body=text) for who, text in answers]
        if accepted is not None:
            s.answer_accept(question=question, answer=written[accepted], by=users[asker])
        asked.append(question)
    s.comment_add(question=asked[4], by=users["anze_admin"], body="展柜里的契约文书已经先取出单独装盒了。")
    now = timezone.localtime()
    next_week = (now + datetime.timedelta(days=7)).replace(hour=15, minute=0, second=0, microsecond=0)
    s.meeting_book(question=asked[4], by=users["anze_staff"], starts_at=next_week, duration_minutes=45,
                   link="https://meeting.tencent.com/dm/demoInsect01", meeting_code="583 216 907",
                   participants=[users["zhuanjia"], users["sxbwy_staff"]])
    held = s.meeting_book(question=asked[1], by=users["anze_admin"],
                          starts_at=now + datetime.timedelta(hours=2), duration_minutes=60,
                          link="https://meeting.tencent.com/dm/demoHumid02", meeting_code="472 905 318",
                          participants=[users["zhuanjia"]])
    Meeting.objects.filter(pk=held.pk).update(starts_at=(now - datetime.timedelta(days=6)).replace(
        hour=10, minute=0, second=0, microsecond=0))
    held.refresh_from_db()
    s.meeting_record(meeting=held, by=users["anze_admin"],
                     minutes="孙文博研究馆员在线查看了库房布局照片和近两周的温湿度曲线，讨论了除湿机的摆放位置和"
                             "门窗密封方案。",
                     conclusions="1. 本月内配置两台恒湿除湿机，放在库房两端；2. 门窗加装密封条；"
                                 "3. 下月初再开一次线上会，看一个月的数据。")
    return len(asked)
