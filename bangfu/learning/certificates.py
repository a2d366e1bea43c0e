"""A certificate as a PDF (reportlab): landscape A4, the association's name, the title by kind (结业证书 for a class
or a course, 证书 for a placement), the holder, the museum, what was completed, the 学时, the dates, the serial and
a QR code that opens the public verification page (`{SITE_URL}/verify/<code>/`).

Chinese is set in reportlab's built-in CID font STSong-Light (as the environment report): no font file is shipped
and no system package is needed; the reader's PDF viewer supplies the glyphs. reportlab writes the font with the
UniGB-UCS2-H encoding, a predefined CMap that text extractors (pypdf included) map back to Unicode, so the text of
the certificate can be searched and copied. A revoked certificate carries a red 已撤销 stamp and its reason."""

from __future__ import annotations

import io
import math

from django.urls import reverse
from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from bangfu.core.dates import cn_date
from bangfu.core.qr import qr_drawing
from bangfu.core.text import strip_control_characters

from .models import Certificate, CertificateKind

FONT = "STSong-Light"
RED = colors.HexColor("#9b1c1c")
GOLD = colors.HexColor("#b08d3c")
INK = colors.HexColor("#222222")
GREY = colors.HexColor("#666666")


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def verify_path(certificate: Certificate) -> str:
    return reverse("verify", args=[certificate.code])


def verify_url(certificate: Certificate, *, base_url: str) -> str:
    """The address the QR code opens: the site's address (settings.SITE_URL) and the verification page."""
    return base_url.rstrip("/") + verify_path(certificate)


def grouped_code(code: str) -> str:
    """ABCD-EFGH-JKLM: easier to read off paper (the verification page ignores dashes and spaces)."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def title_of(certificate: Certificate) -> str:
    return "证书" if certificate.kind == CertificateKind.PLACEMENT else "结业证书"


def _hours(value) -> str:
    return f"{value.normalize():f}" if value is not None else ""


def body_text(certificate: Certificate) -> str:
    """What the certificate says, one sentence (plain text; escaped when set)."""
    c = certificate
    museum = f"（{c.museum_name}）" if c.museum_name else ""
    if c.start and c.end:
        when = f"于 {cn_date(c.start)} 至 {cn_date(c.end)} "
    elif c.end or c.start:
        when = f"于 {cn_date(c.end or c.start)} "
    else:
        when = ""
    verb = {CertificateKind.CLASS: "参加", CertificateKind.COURSE: "学习线上课程",
            CertificateKind.PLACEMENT: "参加"}.get(c.kind, "参加")
    done = "完成全部学习任务" if c.kind != CertificateKind.PLACEMENT else "完成跟班学习/挂职锻炼任务"
    hours = f"，计 {_hours(c.hours)} 学时" if c.hours is not None else ""
    return f"{c.person_name}{museum}{when}{verb}「{c.title}」，{done}{hours}，经考核合格，特发此证。"


def _clean(text: str) -> str:
    """Text for a reportlab Paragraph (which reads a little markup): control characters out, &<> escaped."""
    return (strip_control_characters(text or "").replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def _centred(pdf: canvas.Canvas, text: str, y: float, size: float, *, width: float, colour=INK,
             max_width: float | None = None) -> None:
    """One centred line, the font made smaller until it fits `max_width`."""
    limit = max_width or width - 160
    while size > 8 and pdfmetrics.stringWidth(text, FONT, size) > limit:
        size -= 1
    pdf.setFillColor(colour)
    pdf.setFont(FONT, size)
    pdf.drawCentredString(width / 2, y, text)


def _frame(pdf: canvas.Canvas, width: float, height: float) -> None:
    pdf.setFillColor(colors.HexColor("#fffdf6"))
    pdf.rect(0, 0, width, height, stroke=0, fill=1)
    pdf.setStrokeColor(RED)
    pdf.setLineWidth(6)
    pdf.rect(22, 22, width - 44, height - 44)
    pdf.setStrokeColor(GOLD)
    pdf.setLineWidth(1.2)
    pdf.rect(34, 34, width - 68, height - 68)
    # corner ornaments
    for x, y, dx, dy in ((34, 34, 1, 1), (width - 34, 34, -1, 1), (34, height - 34, 1, -1),
                         (width - 34, height - 34, -1, -1)):
        pdf.line(x + dx * 8, y + dy * 30, x + dx * 30, y + dy * 30)
        pdf.line(x + dx * 30, y + dy * 8, x + dx * 30, y + dy * 30)


def _qr(pdf: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    renderPDF.draw(qr_drawing(url, size=size), pdf, x, y)


def _seal(pdf: canvas.Canvas, x: float, y: float, issuer: str) -> None:
    """A round red seal-like mark with the issuer's name (drawn, not an image: not an official seal)."""
    pdf.saveState()
    pdf.setStrokeColor(RED)
    pdf.setFillColor(RED)
    pdf.setLineWidth(2.5)
    pdf.circle(x, y, 46, stroke=1, fill=0)
    pdf.setFont(FONT, 30)
    pdf.drawCentredString(x, y - 10, "★")
    name = issuer[:12]
    pdf.setFont(FONT, 9)
    # the name along the upper arc
    count = len(name)
    for i, char in enumerate(name):
        angle = math.radians(200 - i * (220 / max(count - 1, 1)))
        pdf.saveState()
        pdf.translate(x + 34 * math.cos(angle), y + 34 * math.sin(angle))
        pdf.rotate(math.degrees(angle) - 90)
        pdf.drawCentredString(0, -3, char)
        pdf.restoreState()
    pdf.restoreState()


def _revoked_stamp(pdf: canvas.Canvas, certificate: Certificate, width: float, height: float) -> None:
    pdf.saveState()
    pdf.translate(width / 2, height / 2)
    pdf.rotate(18)
    pdf.setStrokeColor(colors.Color(0.8, 0.1, 0.1, alpha=0.85))
    pdf.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.85))
    pdf.setLineWidth(4)
    pdf.roundRect(-170, -48, 340, 96, 12, stroke=1, fill=0)
    pdf.setFont(FONT, 56)
    pdf.drawCentredString(0, -6, "已撤销")
    pdf.setFont(FONT, 11)
    when = cn_date(certificate.revoked_at.date()) if certificate.revoked_at else ""
    reason = strip_control_characters(certificate.revoked_reason)[:40]
    pdf.drawCentredString(0, -34, f"{when} 撤销：{reason}")
    pdf.restoreState()


def certificate_pdf(certificate: Certificate, *, base_url: str) -> bytes:
    """The certificate's face as a one-page landscape A4 PDF."""
    _font()
    width, height = landscape(A4)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(f"{title_of(certificate)} {certificate.serial}")
    pdf.setAuthor(certificate.issuer)
    pdf.setSubject(certificate.title)
    pdf.setCreator("山西省博物馆帮扶信息平台")
    _frame(pdf, width, height)

    pdf.setFillColor(GREY)
    pdf.setFont(FONT, 10)
    pdf.drawRightString(width - 76, height - 60, f"证书编号：{certificate.serial}")

    _centred(pdf, strip_control_characters(certificate.issuer), height - 100, 20, width=width, colour=RED)
    title = title_of(certificate)
    _centred(pdf, "　".join(title) if len(title) <= 4 else title, height - 160, 44, width=width, colour=RED)
    pdf.setStrokeColor(GOLD)
    pdf.setLineWidth(1)
    pdf.line(width / 2 - 120, height - 176, width / 2 + 120, height - 176)

    _centred(pdf, strip_control_characters(certificate.person_name), height - 226, 30, width=width)
    if certificate.museum_name:
        _centred(pdf, strip_control_characters(certificate.museum_name), height - 250, 13, width=width,
                 colour=GREY)

    style = ParagraphStyle("body", fontName=FONT, fontSize=15, leading=26, textColor=INK, alignment=TA_JUSTIFY,
                           wordWrap="CJK", firstLineIndent=30)
    body = Paragraph(_clean(body_text(certificate)), style)
    box_width = width - 240
    _w, box_height = body.wrap(box_width, 120)
    body.drawOn(pdf, 120, height - 276 - box_height)

    facts = [("项目", certificate.title)]
    if certificate.hours is not None:
        facts.append(("学时", f"{_hours(certificate.hours)} 学时"))
    if certificate.start or certificate.end:
        span = " 至 ".join(cn_date(d) for d in (certificate.start, certificate.end) if d)
        facts.append(("时间", span))
    fact_style = ParagraphStyle("fact", fontName=FONT, fontSize=10, leading=14, textColor=GREY,
                                alignment=TA_CENTER, wordWrap="CJK")
    line = Paragraph(_clean("　｜　".join(f"{k}：{v}" for k, v in facts)), fact_style)
    _w, fact_height = line.wrap(width - 400, 40)
    line.drawOn(pdf, 200, 196 - fact_height)

    url = verify_url(certificate, base_url=base_url)
    _qr(pdf, url, 70, 58, 92)
    pdf.setFillColor(GREY)
    pdf.setFont(FONT, 9)
    pdf.drawString(170, 128, "扫码或访问以下地址验证真伪")
    pdf.setFont("Helvetica", 8)
    pdf.drawString(170, 114, url[:90])
    pdf.setFont(FONT, 9)
    pdf.drawString(170, 98, f"验证码：{grouped_code(certificate.code)}")

    _seal(pdf, width - 170, 130, strip_control_characters(certificate.issuer))
    pdf.setFillColor(INK)
    pdf.setFont(FONT, 14)
    pdf.drawCentredString(width - 170, 64, strip_control_characters(certificate.issuer))
    pdf.setFont(FONT, 12)
    pdf.drawCentredString(width - 170, 46, cn_date(certificate.issued_on))

    if certificate.revoked_at is not None:
        _revoked_stamp(pdf, certificate, width, height)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
