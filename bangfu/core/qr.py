"""QR codes drawn with reportlab (which the project installs anyway for its PDFs): a scalable drawing to place on a
PDF page (a certificate's verification link) and an SVG document for a page (a training session's sign-in link).
No image library, no network."""

from __future__ import annotations

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing


def qr_drawing(text: str, *, size: float, level: str = "M") -> Drawing:
    """A square drawing `size` points wide holding the QR code of `text` (error correction `level`: L, M, Q, H)."""
    widget = QrCodeWidget(text, barLevel=level)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def qr_svg(text: str, *, size: float = 240, level: str = "M") -> str:
    """The QR code of `text` as an SVG document (served as image/svg+xml by a view that checks access)."""
    return renderSVG.drawToString(qr_drawing(text, size=size, level=level))
