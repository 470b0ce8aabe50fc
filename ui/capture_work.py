"""The camera work the shell hands to the camera's device thread: preview frames made ready to show (the
document's outline found and drawn, a QImage built), and a capture processed into a page. Both run off the
GUI thread; only their results reach it, through the DeviceBridge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF

from drivers.camera.facade import DocumentCamera
from drivers.camera.protocol import PreviewFrame
from kiosk.capture.document import find_document
from kiosk.capture.page import CaptureSettings
from kiosk.capture.pipeline import CaptureResult, process_frame

PREVIEW_DETECT_SIDE = 320  # the outline on the preview: a quarter of the work of a page's detection
OUTLINE = QColor("#1EC24B")  # the outline of a document found: green, as on the hall's document cameras


@dataclass(frozen=True, repr=False)
class Preview:
    """A preview ready for the screen: the picture (outline drawn in) and whether a document was found."""

    image: QImage = field(compare=False)
    found: bool
    seq: int

    def __repr__(self) -> str:
        return f"Preview(#{self.seq}, found={self.found})"


def preview_of(frame: PreviewFrame, min_fraction: float = 0.12) -> Preview:
    """``frame`` as a QImage with the document's outline drawn in (runs on the camera's thread)."""
    rgb = np.ascontiguousarray(frame.rgb)
    h, w = rgb.shape[:2]
    image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()  # own the pixels
    corners = find_document(rgb, min_fraction=min_fraction, side=PREVIEW_DETECT_SIDE)
    if corners is not None:
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(OUTLINE, max(3, w // 160), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))  # fmt: skip
        painter.drawPolygon(QPolygonF([QPointF(float(x), float(y)) for x, y in corners]))
        painter.end()
    return Preview(image, corners is not None, frame.seq)


def take_page(camera: DocumentCamera, settings: CaptureSettings) -> CaptureResult:
    """Capture a frame and make it a page (or say why not); runs on the camera's thread."""
    return process_frame(camera.capture(), settings)
