"""The capture part of the headless demo: two materials photographed on the simulated document camera.

At the capture step the ID cards are left for the window (容缺); the 户口簿 is laid on the desk and
photographed (two pages), then the 结婚证: first with a hand moving (the retake hint), then sharp. Screens and
the cropped pages are written as PNGs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np

from drivers.camera.simulator import Scene
from kiosk.capture.page import Page
from kiosk.visit.flow import Step

if TYPE_CHECKING:
    from ui.demo_visit import DemoVisit


class CaptureDemo:
    """Plays the capture step of ``visit`` (which is on the review screen, the camera working)."""

    def __init__(self, visit: DemoVisit) -> None:
        self.v = visit
        self.camera = visit.shell.camera
        self.sim = visit.runtime.device("camera").simulator

    def lay(self, scene: Scene, *, found: bool) -> None:
        """Put ``scene`` on the desk; wait until the preview shows it (and its outline, when ``found``)."""
        self.sim.show(scene)
        seen = self.camera.previews
        # Previews queued while the scene was being drawn show the old one: wait a second of new ones.
        self.v.wait(lambda: self.camera.previews >= seen + 4, "the preview of the new scene")
        if found:
            self.v.wait(lambda: self.v.screen().preview_found, "the document's outline in the preview")

    def take(self, button: object) -> object:
        """Tap a photo button; wait until the picture was processed."""
        results: list[object] = []
        self.camera.captured.connect(results.append)
        try:
            self.v.tap(button)  # type: ignore[arg-type]
            self.v.wait(lambda: bool(results), "the photo to be processed")
        finally:
            self.camera.captured.disconnect(results.append)
        return results[0]

    def play(self, *, pages: bool) -> None:
        """From the review until the application is sent (the shell then shows the receipt by itself); ``pages``
        also writes the cropped pages as PNGs."""
        v = self.v
        v.wait(lambda: v.session.view().photograph_next, "the camera to be ready")
        v.tap(v.screen().confirm)
        v.wait_step(Step.CAPTURE)
        self.lay(Scene(None, seed=2), found=False)
        v.shot("capture-empty-desk")
        v.tap(v.screen().skip)  # 容缺: the ID cards go to the window
        self.lay(Scene("hukou", 0, seed=11, angle=-8), found=True)
        v.shot("capture-preview")
        self.take(v.screen().take)
        self.lay(Scene("hukou", 1, seed=12, angle=6, light=0.8), found=True)
        self.take(v.screen().take)
        v.shot("capture-two-pages")
        v.tap(v.screen().next)
        self.lay(Scene("marriage", 0, seed=13, angle=10, blur=3.5), found=False)
        if self.take(v.screen().take).page is not None:  # type: ignore[attr-defined]
            raise_failed("a blurred photo was kept")
        v.shot("capture-blurred-hint")
        self.lay(Scene("marriage", 0, seed=14, angle=10), found=True)
        self.take(v.screen().take)
        v.shot("capture-done")
        if pages:
            self.write_pages()
        v.tap(v.screen().send)
        v.wait(lambda: v.session.step in (Step.SUBMITTED, Step.RECEIPT), "the application to be sent")

    def write_pages(self) -> None:
        """The pages kept, as PNGs (the JPEGs the hall will receive, decoded)."""
        v = self.v
        for material_id, kept in v.session.photographed.items():
            for n, page in enumerate(kept, 1):
                path = v.out / f"page-{material_id}-{n}-{v.lang}.png"
                if not cv2.imwrite(str(path), decode(page)):
                    raise_failed(f"cannot write {path}")
                v.written.append(path)
                print(f"{path.name:48} [cropped page, {page.width}x{page.height}, {page.size} bytes]", file=v.echo)


def decode(page: Page) -> np.ndarray:
    """A page's JPEG as an image."""
    return cv2.imdecode(np.frombuffer(page.jpeg, np.uint8), cv2.IMREAD_COLOR)


def raise_failed(what: str) -> None:
    """Stop the demo: the capture did not go as written."""
    from ui.demo_visit import VisitFailed

    raise VisitFailed(what)
