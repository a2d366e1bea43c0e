"""The loan agreement (借展协议) as a document: the context both the print view and the .docx read, and the .docx
in the official layout the programme's agreements use (A4, GB/T 9704 margins, 宋体/黑体, numbered pages). Every text
reaches the .docx through `_paragraph` or `_cell`, which strip the control characters Word's XML cannot hold."""

from __future__ import annotations

import io

from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bangfu.core.dates import cn_date
from bangfu.core.text import strip_control_characters

from . import services

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
CN_NUMERALS = "一二三四五六七八九十"
CLAUSES = [
    "出借方保证所借文物已建立藏品档案、权属清楚，状况适宜展陈和运输；借入方保证展厅安防、消防、温湿度与光照条件"
    "符合文物保存要求，并按双方确认的点交记录接收和归还文物。",
    "借展期间，借入方不得将文物转借、复制、拓印或用于本协议以外的用途；文物发生损坏、丢失或状况变化，借入方应立即"
    "通知出借方并保护现场，按保险合同和有关规定处理。",
    "文物的包装、运输、点交由双方共同完成，出馆和归还时各出具点交记录，经双方签字确认；归还时与出馆时状况不一致的，"
    "应在点交记录中写明。",
    "本协议经双方盖章后生效，并按《中华人民共和国文物保护法》的规定报有关文物行政部门备案或批准。",
    "本协议未尽事宜，由双方协商解决。本协议一式三份，双方各执一份，报山西省博物馆协会一份，具有同等效力。",
]


def _money(value) -> str:
    return f"{value:,.2f} 元" if value is not None else "—"


def agreement_context(loan, items) -> dict:
    """What the agreement says, from the loan as it stands: parties, objects in the loan, period, insurance…"""
    objects = [{"name": i.obj.name, "number": i.obj.registration_number, "grade": i.obj.get_grade_display(),
                "quantity": i.obj.quantity, "value": _money(i.obj.insurance_value)} for i in items if i.in_loan]
    filings = services.required_filings(loan)
    return {
        "title": f"{loan.exhibition_title or '文物'}借展协议" if loan.kind == "loan" else "馆藏文物交换协议",
        "number": loan.agreement_number, "signed_on": cn_date(loan.agreement_signed_on)
        if loan.agreement_signed_on else "",
        "lender": loan.lender.name, "borrower": loan.borrower.name, "kind": loan.get_kind_display(),
        "exhibition": loan.exhibition_title, "purpose": loan.purpose, "venue": loan.venue,
        "start": cn_date(loan.start), "end": cn_date(loan.end), "days": loan.days,
        "objects": objects,
        "insurance": {"insurer": loan.insurer or "（待定）", "policy": loan.policy_number or "（待定）",
                      "amount": _money(loan.insured_amount)},
        "transport": {"courier": loan.courier or "（待定）", "crates": loan.crates if loan.crates is not None
                      else "（待定）", "note": loan.transport_note},
        "filings": [{"label": f["label"], "done": _filed(f), "source": f["source"]} for f in filings],
        "clauses": CLAUSES,
    }


def _filed(filing: dict) -> str:
    """"山西省文物局 晋文物函〔2026〕41号，2026年11月4日" for a filing recorded, "" for one still to do."""
    done = filing.get("done")
    if not done:
        return ""
    return f"{done.authority_name or filing['name']} {done.document_number}，{cn_date(done.date)}"


def docx_filename(doc: dict) -> str:
    return content_disposition_header(True, f"{strip_control_characters(doc['title'])}.docx")


def _fonts(target, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    font = target.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    r_pr = target.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:eastAsia"), east_asian)


def _paragraph(doc, text: str = "", *, font: str = BODY_FONT, size: float = 12, bold: bool = False, align=None,
               indent: bool = False, space_after: float = 4):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.line_spacing = 1.35
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        _fonts(paragraph.add_run(strip_control_characters(str(text))), font, size, bold)
    return paragraph


def _heading(doc, text: str) -> None:
    paragraph = _paragraph(doc, text, font=HEADING_FONT, size=14, space_after=6)
    paragraph.paragraph_format.space_before = Pt(10)
    paragraph.paragraph_format.keep_with_next = True


def _cell(cell, text, *, bold: bool = False, center: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    _fonts(paragraph.add_run(strip_control_characters(str(text))), HEADING_FONT if bold else BODY_FONT, 10.5)


def build_docx(doc_context: dict) -> bytes:
    c = doc_context
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _fonts(doc.styles["Normal"], BODY_FONT, 12)
    doc.core_properties.title = strip_control_characters(c["title"])
    doc.core_properties.author = "山西省博物馆帮扶信息平台"

    _paragraph(doc, c["title"], size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    if c["number"]:
        _paragraph(doc, f"协议编号：{c['number']}", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _paragraph(doc, f"出借方（甲方）：{c['lender']}", size=14, space_after=2)
    _paragraph(doc, f"借入方（乙方）：{c['borrower']}", size=14, space_after=12)
    exhibition = f"“{c['exhibition']}”" if c["exhibition"] else "展览"
    _paragraph(doc, f"为举办{exhibition}，乙方向甲方{c['kind']}馆藏文物。双方依照《中华人民共和国文物保护法》"
                    "《博物馆条例》等规定，经协商一致，订立本协议。", indent=True)
    n = iter(CN_NUMERALS)
    _heading(doc, f"{next(n)}、借展目的与地点")
    _paragraph(doc, f"目的：{c['purpose']}", indent=True)
    _paragraph(doc, f"展出地点：{c['venue']}", indent=True)
    _heading(doc, f"{next(n)}、借展期限")
    _paragraph(doc, f"自{c['start']}起至{c['end']}止，共 {c['days']} 天。", indent=True)
    _heading(doc, f"{next(n)}、借展文物")
    headers = ["序号", "名称", "总登记号", "级别", "数量", "保险估值"]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, bold=True, center=True)
    for number, o in enumerate(c["objects"], start=1):
        cells = table.add_row().cells
        for index, text in enumerate([number, o["name"], o["number"], o["grade"], o["quantity"], o["value"]]):
            _cell(cells[index], text, center=index != 1)
    _heading(doc, f"{next(n)}、保险与运输")
    ins, tr = c["insurance"], c["transport"]
    _paragraph(doc, f"保险公司：{ins['insurer']}；保单号：{ins['policy']}；保险金额：{ins['amount']}。", indent=True)
    _paragraph(doc, f"承运单位：{tr['courier']}；包装箱数：{tr['crates']}。{tr['note']}", indent=True)
    _heading(doc, f"{next(n)}、备案与审批")
    for f in c["filings"] or [{"label": "无需备案", "done": "", "source": ""}]:
        _paragraph(doc, f"{f['label']}{'（' + f['done'] + '）' if f['done'] else ''}"
                        f"{'，依据' + f['source'] if f['source'] else ''}。", indent=True)
    _heading(doc, f"{next(n)}、其他约定")
    for index, clause in enumerate(c["clauses"], start=1):
        _paragraph(doc, f"{index}. {clause}", indent=True)
    _paragraph(doc, "（以下无正文）", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=18)
    signatures = doc.add_table(rows=4, cols=2)
    for column, (label, museum) in enumerate((("甲方（盖章）：", c["lender"]), ("乙方（盖章）：", c["borrower"]))):
        for row, text in enumerate([label, museum, "负责人（签字）：", "日期：　　　　年　　月　　日"]):
            _cell(signatures.cell(row, column), text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
