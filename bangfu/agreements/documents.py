"""The agreement as a document: the context of the print view and the .docx in an official layout.

Both read the agreement's content dict (services.agreement_content, or a frozen AgreementVersion.content), so a
confirmed version prints exactly as it was confirmed. Every text reaches the .docx through `_paragraph` or `_cell`,
which strip the control characters Word's XML cannot hold."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from bangfu.core.text import strip_control_characters

from .services import cn_date

BODY_FONT = "宋体"  # SimSun: present wherever Word is; LibreOffice maps it to a CJK serif
HEADING_FONT = "黑体"  # SimHei
LATIN_FONT = "Times New Roman"
CN_NUMERALS = "一二三四五六七八九十"
CLAUSES = [
    "本协议经甲乙双方在山西省博物馆帮扶信息平台确认后生效，有效期同协议期限。",
    "协议执行中如需调整，由任一方在平台提出修订，经双方重新确认后生效；原版本留档备查。",
    "双方按季度在平台填报帮扶进展；每项任务完成后登记完成情况与佐证材料，记入帮扶台账。",
    "本协议未尽事宜，由双方协商解决，并报山西省博物馆协会备案。",
    "本协议一式三份，甲乙双方各执一份，报山西省博物馆协会一份，具有同等效力。",
]


def _date(value: str) -> str:
    return cn_date(datetime.date.fromisoformat(value)) if value else ""


def document_context(content: dict) -> dict:
    """The content with dates written out in Chinese and the numbering the document uses."""
    confirmations = {}
    for side, item in (content.get("confirmations") or {}).items():
        at = timezone.localtime(datetime.datetime.fromisoformat(item["at"])) if item.get("at") else None
        confirmations[side] = {"by": item.get("by", ""), "at": cn_date(at.date()) if at else ""}
    present = ["term", "background" if content.get("background") else None, "goals", "tasks",
               "deliverables" if content.get("deliverables") else None, "clauses"]
    numbers = dict(zip([s for s in present if s], CN_NUMERALS, strict=False))
    return {
        "numbers": numbers,
        "title": content["title"], "helper": content["helper"], "helped": content["helped"],
        "term_start": _date(content["term_start"]), "term_end": _date(content["term_end"]),
        "background": content.get("background", ""), "deliverables": content.get("deliverables", []),
        "goals": [g | {"numeral": CN_NUMERALS[i] if i < 10 else str(i + 1)}
                  for i, g in enumerate(content.get("goals", []))],
        "tasks": [t | {"due": _date(t["due_date"])} for t in content.get("tasks", [])],
        "clauses": CLAUSES, "confirmations": confirmations,
    }


def docx_filename(title: str, version: int) -> str:
    return content_disposition_header(True, f"{strip_control_characters(title)}（第{version}版）.docx")


# --- building the .docx ---------------------------------------------------------------------------------


def _fonts(target, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a run's or a style's fonts: Latin and East Asian (w:eastAsia, which Word uses for Chinese)."""
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
    r_fonts.set(qn("w:ascii"), LATIN_FONT)
    r_fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _paragraph(doc_or_cell, text: str = "", *, font: str = BODY_FONT, size: float = 12, bold: bool = False,
               align=None, indent: bool = False, space_after: float = 4):
    paragraph = doc_or_cell.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = 1.35
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # two characters, as Chinese prose is set
    if text:
        _fonts(paragraph.add_run(strip_control_characters(text)), font, size, bold)
    return paragraph


def _heading(doc, text: str) -> None:
    paragraph = _paragraph(doc, text, font=HEADING_FONT, size=14, space_after=6)
    paragraph.paragraph_format.space_before = Pt(10)
    paragraph.paragraph_format.keep_with_next = True


def _cell(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT, size: float = 10.5) -> None:
    cell.text = ""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _fonts(paragraph.add_run(strip_control_characters(text)), HEADING_FONT if bold else BODY_FONT, size, False)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _page_number_footer(section) -> None:
    """"— 1 —" centred at the foot of each page, as official documents number their pages."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(paragraph.add_run("— "), BODY_FONT, 10.5)
    run = paragraph.add_run()
    _fonts(run, BODY_FONT, 10.5)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    _fonts(paragraph.add_run(" —"), BODY_FONT, 10.5)


def _row_flag(row, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _task_table(doc, tasks: list[dict]) -> None:
    headers = ["序号", "领域", "任务内容", "负责方", "负责人", "完成期限"]
    widths = [Mm(12), Mm(20), Mm(54), Mm(16), Mm(20), Mm(34)]  # 156 mm: the text width between the margins
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows; Word follows the cells' widths
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        _cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, "EFEFEF")
        cell.width = width
    _row_flag(table.rows[0], "w:tblHeader")  # the header row repeats on every page
    for number, task in enumerate(tasks, start=1):
        title = task["title"] + (f"\n{task['description']}" if task.get("description") else "")
        values = [str(number), task["area_label"], title, task["owner_side_label"], task.get("responsible") or "",
                  task["due"]]
        row = table.add_row()
        _row_flag(row, "w:cantSplit")  # a task never breaks across two pages
        cells = row.cells
        for index, (cell, text, width) in enumerate(zip(cells, values, widths, strict=True)):
            center = index in (0, 1, 3, 4, 5)
            _cell(cell, text, align=WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT)
            cell.width = width


def _signatures(doc, doc_context: dict) -> None:
    table = doc.add_table(rows=5, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        _row_flag(row, "w:cantSplit")
    confirmations = doc_context["confirmations"]
    for column, (side, label, museum) in enumerate((("helper", "甲方", doc_context["helper"]),
                                                    ("helped", "乙方", doc_context["helped"]))):
        confirmed = confirmations.get(side)
        lines = [f"{label}（盖章）：", museum, "负责人（签字）：", "日期：　　　　年　　月　　日",
                 f"平台确认：{confirmed['by']}，{confirmed['at']}" if confirmed else ""]
        for row, text in enumerate(lines):
            cell = table.cell(row, column)
            _cell(cell, text, size=9 if row == 4 else 12)
            cell.paragraphs[0].paragraph_format.space_before = Pt(10 if row in (2, 3) else 4)
            cell.paragraphs[0].paragraph_format.keep_with_next = row < 4  # the block stays on one page
            if row == 4 and text:
                cell.paragraphs[0].runs[0].font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def build_docx(content: dict, *, version: int, draft: bool) -> bytes:
    """The agreement as a Word document: title, parties, term, goals, a table of tasks, deliverables, the usual
    clauses and a signature block for both seals."""
    context = document_context(content)
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)  # GB/T 9704 margins
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _fonts(doc.styles["Normal"], BODY_FONT, 12)
    doc.core_properties.title = strip_control_characters(context["title"])
    doc.core_properties.subject = "帮扶协议"
    doc.core_properties.author = "山西省博物馆帮扶信息平台"

    _paragraph(doc, "「大馆带小馆 携手共前行」结对帮扶", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    _paragraph(doc, context["title"], font=BODY_FONT, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
               space_after=4)
    mark = f"（第 {version} 版{' · 草案' if draft else ''}）"
    _paragraph(doc, mark, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=16)

    _paragraph(doc, f"甲方（帮扶方）：{context['helper']}", size=14, space_after=2)
    _paragraph(doc, f"乙方（受援方）：{context['helped']}", size=14, space_after=12)
    _paragraph(doc, "为贯彻落实山西省博物馆协会「大馆带小馆 携手共前行」倡议，发挥大馆在展览、文保、文创、社教、学术、"
                    "人才等方面的优势，帮助县级博物馆提升业务能力，甲乙双方本着平等自愿、优势互补、注重实效的原则，"
                    "经协商一致，订立本协议。", indent=True)

    number = context["numbers"]
    _heading(doc, f"{number['term']}、协议期限")
    _paragraph(doc, f"本协议期限自{context['term_start']}起至{context['term_end']}止。", indent=True)
    if context["background"]:
        _heading(doc, f"{number['background']}、背景与总体目标")
        for line in strip_control_characters(context["background"]).splitlines():  # \x0b would split a line
            if line.strip():
                _paragraph(doc, line.strip(), indent=True)
    _heading(doc, f"{number['goals']}、帮扶目标")
    if context["goals"]:
        for goal in context["goals"]:
            _paragraph(doc, f"（{goal['numeral']}）{goal['area_label']}：{goal['text']}", indent=True)
    else:
        _paragraph(doc, "（尚未填写）", indent=True)
    _heading(doc, f"{number['tasks']}、任务与进度安排")
    if context["tasks"]:
        _task_table(doc, context["tasks"])
    else:
        _paragraph(doc, "（尚未列出任务）", indent=True)
    if context["deliverables"]:
        _heading(doc, f"{number['deliverables']}、预期成果")
        for index, line in enumerate(context["deliverables"], start=1):
            _paragraph(doc, f"{index}. {line}", indent=True)
    _heading(doc, f"{number['clauses']}、其他约定")
    for index, clause in enumerate(context["clauses"], start=1):
        _paragraph(doc, f"{index}. {clause}", indent=True)
    _paragraph(doc, "（以下无正文）", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=18).paragraph_format \
        .keep_with_next = True
    _signatures(doc, context)
    _page_number_footer(section)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
