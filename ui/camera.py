"""The document camera in the shell: the live preview while the capture step is up, and captures turned into
pages on the camera's own thread, handed to the session as ``add_page`` (or ``capture_problem`` with the
retake hint). Nothing here touches the camera on the GUI thread: every call goes through the DeviceBridge.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.capture.page import CaptureSettings
from kiosk.devices import DeviceKind, DeviceStatus
from kiosk.visit.flow import Step
from ui.capture_work import Preview, take_page
from ui.devices import CallCancelled, DeviceBridge, camera_trouble
from ui.navigator import Navigator
from ui.screens.capture import CaptureScreen

log = logging.getLogger(__name__)

CAMERA = str(DeviceKind.CAMERA)


class CameraControl(QObject):
    """Starts and stops the preview with the capture step, shows its frames, takes pages.

    ``captured(result)`` is emitted on the GUI thread after each capture was processed (kept or not): the
    demo and the tests wait for it.
    """

    captured = Signal(object)

    def __init__(
        self, bridge: DeviceBridge, navigator: Navigator, settings: CaptureSettings, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.navigator = navigator
        self.settings = settings
        self.previewing = False  # a preview was asked for (the camera may have dropped it since)
        self.busy = False  # a capture is being taken and processed
        self.previews = 0  # preview frames shown (diagnostics, tests)
        bridge.previewed.connect(self.on_preview)

    def _screen(self) -> CaptureScreen | None:
        screen = self.navigator.current
        view = self.navigator.view
        if isinstance(screen, CaptureScreen) and view is not None and view.step == Step.CAPTURE:
            return screen
        return None

    def stepped(self, old: Step | None, new: Step) -> None:
        """The visit moved: preview on entering the capture step, off on leaving it."""
        if new == Step.CAPTURE:
            self.start()
        elif old == Step.CAPTURE or self.previewing:
            self.stop()

    def start(self) -> None:
        """Ask the camera to stream (no-op without a usable camera)."""
        if not self.bridge.usable(CAMERA):
            return
        self.previewing = True
        device = self.bridge.device(CAMERA)
        self.bridge.call(CAMERA, device.start_preview, on_error=self._preview_failed)

    def stop(self) -> None:
        """Stop the stream (the camera forgets its last frame)."""
        self.previewing, self.busy = False, False
        if self.bridge.has(CAMERA):
            self.bridge.call(CAMERA, self.bridge.device(CAMERA).stop_preview)

    def on_status(self, status: DeviceStatus) -> None:
        """The camera came back (restart its preview) or went away (the screen says so)."""
        if status.kind != CAMERA or self._screen() is None:
            return
        if status.usable:
            self.start()  # a reopened camera streams only when asked again
        self.navigator.render()

    def on_preview(self, preview: Preview) -> None:
        """A preview frame (GUI thread): shown on the capture screen, dropped anywhere else."""
        screen = self._screen()
        if screen is not None and self.previewing:
            self.previews += 1
            screen.show_preview(preview)

    def capture(self, material_id: str, replace: bool = False) -> bool:
        """Take a page of ``material_id`` (``replace``: instead of its last page, once the new one is good)."""
        screen = self._screen()
        if self.busy or screen is None or not self.bridge.usable(CAMERA):
            return False
        self.busy = True
        screen.set_busy(True)
        device = self.bridge.device(CAMERA)
        self.bridge.call(
            CAMERA, take_page, device, self.settings,
            on_done=lambda result: self._taken(material_id, replace, result), on_error=self._failed,
        )  # fmt: skip
        return True

    def _idle(self) -> CaptureScreen | None:
        self.busy = False
        screen = self._screen()
        if screen is not None:
            screen.set_busy(False)
        return screen

    def _taken(self, material_id: str, replace: bool, result: Any) -> None:
        screen = self._idle()
        if screen is not None:  # still photographing (not timed out or cancelled meanwhile)
            if result.page is not None:
                if replace:
                    self.navigator.dispatch("retake_page", (material_id,))
                self.navigator.dispatch("add_page", (material_id, result.page))
            else:
                self.navigator.dispatch("capture_problem", (result.problem,))
        log.info("capture: %s in %.0f ms", "kept" if result.page else result.problem,
                 1000 * sum(result.timings.values()))  # fmt: skip
        self.captured.emit(result)

    def _failed(self, exc: BaseException) -> None:
        screen = self._idle()
        if isinstance(exc, CallCancelled):
            return
        if screen is not None:
            screen.set_device_note(camera_trouble(), False)
            self.navigator.render()
        self.captured.emit(None)

    def _preview_failed(self, exc: BaseException) -> None:
        self.previewing = False
        screen = self._screen()
        if screen is not None and not isinstance(exc, CallCancelled):
            screen.set_device_note(camera_trouble(), False)
