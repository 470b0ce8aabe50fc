"""Photographing the materials (高拍仪): the live picture with the document's outline, the material in hand
with its pages, and the big buttons: take a photo (another page), retake the last page, bring this one to the
window instead (容缺), next material, send the application."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.capture.page import Page
from kiosk.receipts import material_line
from kiosk.visit.materials import CaptureView
from kiosk.visit.view import SessionView
from ui.capture_work import Preview
from ui.devices import camera_trouble
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.widgets.buttons import button, label, set_role

THUMBNAILS = 4  # pages shown of the material in hand (the count says how many there are)


class PreviewLabel(QLabel):
    """The live picture, scaled to fit whatever room the layout gives it (it asks for none of its own)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(QSize(160, 120))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setProperty("role", "card")
        self.image: QImage | None = None

    def show_image(self, image: QImage) -> None:
        """Show ``image`` as large as fits."""
        self.image = image
        self._scale()

    def show_text(self, text: str) -> None:
        """No picture: a line of text instead."""
        self.image = None
        self.setPixmap(QPixmap())
        self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the picture fitted."""
        super().resizeEvent(event)
        self._scale()

    def _scale(self) -> None:
        if self.image is None or self.width() < 2 or self.height() < 2:
            return
        self.setPixmap(QPixmap.fromImage(self.image).scaled(
            self.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))  # fmt: skip

    def clear(self) -> None:
        """Forget the picture."""
        self.image = None
        super().clear()


class CaptureScreen(Screen):
    """The capture step: one material at a time."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        t = self.theme
        self.material_id = ""
        self.busy = False
        self.camera_ready = True
        self.preview_found = False  # the last preview showed a document's outline
        self._thumbs: dict[str, QPixmap] = {}  # page sha256 -> thumbnail (personal: cleared with the visit)
        self._shown_pages: tuple[Page, ...] = ()
        self._full = False  # the material in hand has as many pages as it may
        self.heading = label("", "title")
        self.note = label("", "hint", autohide=True)  # the catalog's note on the material, if any
        self.preview = PreviewLabel()
        self.preview_note = label("", "hint")
        self.progress = label("", "hint")
        if not t.portrait:  # one line at the right of the status row (wrapped, it left a word alone below)
            self.progress.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.progress.setWordWrap(False)
        self.pages_note = label("", "")
        self.thumb_row = QHBoxLayout()
        self.thumb_row.setSpacing(t.gap)
        self.thumb_labels: list[QLabel] = []
        side = t.button_height
        for _ in range(THUMBNAILS):
            thumb = QLabel()
            thumb.setFixedSize(side, side)
            thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
            thumb.hide()
            self.thumb_labels.append(thumb)
            self.thumb_row.addWidget(thumb)
        self.thumb_row.addStretch(1)
        self.take = button("", "primary")
        self.retake = button("", "secondary")
        self.message = label("", "error", autohide=True)
        self.device_note = label("", "error", autohide=True)
        self.skip = button("", "secondary")
        self.next = button("", "secondary")
        self.send = button("", "primary")

        panel = QVBoxLayout()
        panel.setSpacing(t.gap)
        panel.addWidget(self.pages_note)
        panel.addLayout(self.thumb_row)
        shoot = QHBoxLayout()
        shoot.setSpacing(t.gap)
        shoot.addWidget(self.take)
        shoot.addWidget(self.retake)
        if t.portrait:
            panel.addLayout(shoot)
        panel.addStretch(1)
        row = self.split_layout()
        row.addWidget(self.preview, 3)
        row.addLayout(panel, 2)
        if t.portrait:  # the picture is what the citizen aims by: a good part of the tall panel
            self.preview.setMinimumHeight(t.height // 6)
        status = QBoxLayout(QBoxLayout.Direction.TopToBottom if t.portrait else QBoxLayout.Direction.LeftToRight)
        status.addWidget(self.preview_note, 1)
        status.addWidget(self.progress)
        actions = QGridLayout()
        actions.setSpacing(t.gap)
        if t.portrait:  # narrow: one button a row
            for i, b in enumerate((self.skip, self.next, self.send)):
                actions.addWidget(b, i, 0)
        else:
            for i, b in enumerate((self.skip, self.next, self.send)):
                actions.addWidget(b, 0, i)
        self.body.addWidget(self.heading)
        self.body.addWidget(self.note)
        self.body.addLayout(row, 1)
        if not t.portrait:  # a full-width row under the picture: beside it, two stacked buttons were squeezed
            self.body.addLayout(shoot)  # over each other when a long material name took two lines (elderly, en)
        self.body.addLayout(status)
        self.body.addWidget(self.message)
        self.body.addWidget(self.device_note)
        self.body.addLayout(actions)

        self.take.clicked.connect(lambda: self.emit("capture_page", self.material_id))
        self.retake.clicked.connect(lambda: self.emit("capture_page", self.material_id, True))
        self.skip.clicked.connect(lambda: self.emit("skip_material", self.material_id))
        self.next.clicked.connect(lambda: self.emit("next_material"))
        self.send.clicked.connect(lambda: self.emit("confirm"))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Capture", "Photograph your materials")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.retake.setText(translate("Capture", "Retake the last page"))
        self.skip.setText(translate("Capture", "Bring it to the window"))
        self.next.setText(translate("Capture", "Next material ▶"))
        self.send.setText(translate("Capture", "Send the application"))

    # -- what the camera control tells the screen ------------------------------------------------------------

    def show_preview(self, preview: Preview) -> None:
        """A live frame: shown, and whether a document is in view."""
        if not self.camera_ready:
            return
        self.preview.show_image(preview.image)
        self.preview_found = preview.found
        self._show_aim()

    def _show_aim(self) -> None:
        if self.busy:
            self.preview_note.setText(translate("Capture", "Taking the photo, please do not move the material…"))
        elif self.preview.image is not None:
            self.preview_note.setText(
                translate("Capture", "Material found: hold still and take the photo.")
                if self.preview_found
                else translate("Capture", "Lay the material flat in the lit area, all four corners in view.")
            )

    def set_busy(self, busy: bool) -> None:
        """A photo is being taken and checked: the buttons wait."""
        self.busy = busy
        self._show_aim()
        self._enable()

    # -- rendering -------------------------------------------------------------------------------------------

    def render(self, view: SessionView) -> None:
        """The material in hand, its pages, the progress."""
        super().render(view)
        self.retranslate()
        self.message.setText(self.t(view.message))
        cap = view.capture
        if cap is None:
            return
        self.camera_ready = cap.camera_ready
        current = cap.current_material
        self.material_id = current.id
        self.heading.setText(
            translate("Capture", "Material {0} of {1}: {2}").format(
                cap.index + 1, len(cap.materials), material_line(replace(current.material, note=None), self.lang)
            )
        )
        self.note.setText(self.t(current.material.note))
        pages = current.pages
        self.pages_note.setText(
            translate("Capture", "Pages taken of this material: {0}").format(len(pages))
            if pages
            else translate("Capture", "Lay the first page flat under the camera, then tap “Take photo”.")
        )
        self._show_thumbs(pages)
        self.take.setText(translate("Capture", "Take photo") if not pages else translate("Capture", "Add a page"))
        self.next.setVisible(not cap.is_last)
        self.progress.setText(self._progress(cap))
        if not cap.camera_ready:
            self.preview.show_text(camera_trouble())
            self.preview_note.clear()
        elif self.preview.image is None:
            self.preview.show_text(translate("Capture", "Starting the camera…"))
        self._full = len(pages) >= cap.max_pages
        self._enable()

    def _progress(self, cap: CaptureView) -> str:
        done = sum(1 for m in cap.materials if m.photographed)
        skipped = sum(1 for m in cap.materials if m.skipped and not m.photographed)
        left = len(cap.materials) - done - skipped
        return translate("Capture", "Photographed {0} · to the window {1} · to do {2}").format(done, skipped, left)

    def _enable(self) -> None:
        ready = self.camera_ready and not self.busy
        has_pages = bool(self._shown_pages)
        self.take.setEnabled(ready and not self._full)
        self.retake.setVisible(has_pages)
        self.retake.setEnabled(ready and has_pages)
        self.next.setEnabled(not self.busy and has_pages)
        self.skip.setEnabled(not self.busy)
        self.send.setEnabled(not self.busy)

    def _show_thumbs(self, pages: tuple[Page, ...]) -> None:
        self._shown_pages = pages
        shown = pages[-THUMBNAILS:]
        for i, thumb in enumerate(self.thumb_labels):
            if i < len(shown):
                thumb.setPixmap(self._thumb(shown[i]))
                thumb.show()
            else:
                thumb.clear()
                thumb.hide()

    def _thumb(self, page: Page) -> QPixmap:
        pixmap = self._thumbs.get(page.sha256)
        if pixmap is None:
            image = QImage.fromData(page.jpeg)
            side = self.thumb_labels[0].width()
            pixmap = QPixmap.fromImage(image).scaled(
                side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
            self._thumbs[page.sha256] = pixmap
        return pixmap

    def clear(self) -> None:
        """Forget the pictures and the material (the visit ended)."""
        self._thumbs.clear()
        self._shown_pages = ()
        self.material_id = ""
        self.busy = False
        self.preview_found = False
        self.preview.clear()
        for thumb in self.thumb_labels:
            thumb.clear()
            thumb.hide()
        for lab in (self.heading, self.note, self.pages_note, self.progress, self.message, self.preview_note):
            lab.clear()
        set_role(self.device_note, "error")
        self.device_note.clear()
