"""A QR code drawn crisply into a QPixmap with the ``qrcode`` package (no image files)."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QWidget


def qr_image(data: str, size_px: int) -> QImage:
    """``data`` as a QR code (error correction M, 2-module quiet zone) of at most ``size_px`` square."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    module = max(1, size_px // n)  # whole pixels per module so the edges stay sharp for phone cameras
    side = module * n
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.drawRect(QRect(x * module, y * module, module, module))
    painter.end()
    return image


class QrLabel(QLabel):
    """Shows one QR code; ``data()`` is what it encodes (empty when cleared)."""

    def __init__(self, size_px: int = 320, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = ""
        self._size = size_px
        self.setFixedSize(size_px, size_px)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def data(self) -> str:
        """The encoded text."""
        return self._data

    def set_data(self, data: str) -> None:
        """Encode ``data``; an empty string clears the code."""
        if data == self._data:
            return
        self._data = data
        if data:
            self.setPixmap(QPixmap.fromImage(qr_image(data, self._size)))
        else:
            self.clear()

    def clear(self) -> None:
        """Remove the code and what it encoded."""
        self._data = ""
        super().clear()
