"""The document camera as the rest of the kiosk sees it, and the one that drives it: frames from the video
link (:mod:`.transport`), checked and made into preview frames by :mod:`.protocol`.

The camera streams only while a preview runs (the capture screen is up): then its runner's idle calls to
:meth:`DocumentCamera.watch` read every frame, keep the newest and hand a scaled-down copy to the
subscribers a few times a second. Outside a preview the stream is closed (no decoding, no CPU) and the
status poll only checks that the camera is there. A frame is a photograph of a citizen's document: the newest
is dropped when the preview stops, and nothing here logs or keeps more than that one.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import abstractmethod
from collections.abc import Callable
from typing import ClassVar

import numpy as np

from drivers.base import Device, DeviceGone, DeviceTimeout, DriverError, SelfTestResult, Simulator
from drivers.camera.protocol import PreviewFrame, is_blank, preview_frame
from drivers.camera.transport import VideoLink
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus
from kiosk.faults import FaultCode

log = logging.getLogger(__name__)

PreviewListener = Callable[[PreviewFrame], None]


class DocumentCamera(Device):
    """A document camera (高拍仪): a live preview while the capture screen is up, and full-size captures."""

    kind: ClassVar[DeviceKind] = DeviceKind.CAMERA
    io_methods = Device.io_methods | {"capture", "start_preview", "stop_preview"}
    local_methods = Device.local_methods | {"subscribe"}
    event_driven = True

    def __init__(self) -> None:
        self._listeners: list[PreviewListener] = []

    def subscribe(self, listener: PreviewListener) -> None:
        """Call ``listener(frame)`` with each preview frame (on the device thread); any thread may subscribe."""
        self._listeners.append(listener)

    def _hand_on(self, frame: PreviewFrame) -> None:
        for listener in list(self._listeners):
            try:
                listener(frame)
            except Exception:  # a listener bug must not look like a camera failure
                log.exception("camera preview listener failed")

    @abstractmethod
    def watch(self, timeout_s: float) -> None:
        """During a preview, read frames and hand preview copies on; otherwise wait ``timeout_s``."""

    @abstractmethod
    def start_preview(self) -> None:
        """Start streaming: preview frames flow to the subscribers until :meth:`stop_preview`."""

    @abstractmethod
    def stop_preview(self) -> None:
        """Stop streaming and forget the last frame."""

    @abstractmethod
    def capture(self) -> np.ndarray:
        """A full-size frame taken after this call began (BGR, HxWx3 uint8)."""


class OpenCvCamera(DocumentCamera):
    """A camera read through OpenCV: a V4L2 node, or an MJPEG stream (a network camera, or the simulator)."""

    def __init__(
        self,
        link: VideoLink,
        *,
        preview_fps: float = 4.0,
        preview_width: int = 640,
        simulator: Simulator | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.link = link
        self.simulator = simulator  # the simulated camera, when transport = "simulator"
        self.preview_interval_s = 1.0 / max(preview_fps, 0.1)
        self.preview_width = preview_width
        self._clock = clock
        self._previewing = False
        self._latest: np.ndarray | None = None
        self._latest_at = 0.0
        self._preview_at = -1e9
        self._seq = 0
        self._blank = False
        self._size = (0, 0)
        self._idle = threading.Event()  # never set: watch() waits on it while there is nothing to read

    @property
    def previewing(self) -> bool:
        """Whether a preview runs (read on the device thread; elsewhere only as a hint)."""
        return self._previewing

    def open(self) -> None:
        """Check the camera is there and sends pictures (one frame read and judged), then close the stream."""
        if not self.link.present():
            raise DeviceGone(f"camera {self.link.describe()['source']} is not there")
        self.link.open()
        try:
            self._judge(self.link.read())
        finally:
            if not self._previewing:
                self.link.close()

    def close(self) -> None:
        """Stop any preview and release the stream; safe twice."""
        self._previewing = False
        self._latest = None
        self.link.close()

    def _judge(self, frame: np.ndarray) -> np.ndarray:
        self._blank = is_blank(frame)
        self._size = (int(frame.shape[1]), int(frame.shape[0]))
        return frame

    def status(self) -> DeviceStatus:
        """OK while the camera is there (and, during a preview, frames keep coming); FAULT for blank pictures."""
        if self._previewing:
            if self._clock() - self._latest_at > max(self.link.timeout_s, 2 * self.preview_interval_s):
                raise DeviceTimeout("camera sends no frames")
        elif not self.link.present():
            raise DeviceGone(f"camera {self.link.describe()['source']} is gone")
        detail = {**self.link.describe(), "width": self._size[0], "height": self._size[1],
                  "previewing": self._previewing}  # fmt: skip
        if self._blank:
            return DeviceStatus(self.kind, DeviceState.FAULT, frozenset({FaultCode.CAMERA_NO_IMAGE}), detail)
        return DeviceStatus(self.kind, DeviceState.OK, detail=detail)

    def self_test(self) -> SelfTestResult:
        """Read one frame and check it shows something."""
        try:
            frame = self._fresh_frame()
        except DriverError as exc:
            return SelfTestResult(ok=False, steps=(("frame", False, str(exc)),))
        size = f"{frame.shape[1]}x{frame.shape[0]}"
        ok = not self._blank
        return SelfTestResult(ok=ok, steps=(("frame", True, size), ("image", ok, "" if ok else "blank")))

    def start_preview(self) -> None:
        """Open the stream (if needed) and let :meth:`watch` read it."""
        if not self.link.is_open:
            self.link.open()
        self._previewing = True
        self._latest_at = self._clock()
        self._preview_at = -1e9

    def stop_preview(self) -> None:
        """Close the stream and drop the newest frame (it may show a citizen's document)."""
        self._previewing = False
        self._latest = None
        self.link.close()

    def watch(self, timeout_s: float) -> None:
        """During a preview: read the next frame, keep it, hand a preview copy on at the preview rate."""
        if not self._previewing:
            self._idle.wait(timeout_s)
            return
        frame = self._judge(self.link.read())
        now = self._clock()
        self._latest, self._latest_at = frame, now
        if now - self._preview_at >= self.preview_interval_s:
            self._preview_at = now
            self._seq += 1
            self._hand_on(preview_frame(frame, self._seq, self.preview_width))

    def capture(self) -> np.ndarray:
        """A full-size frame exposed after the call (never one buffered before the citizen pressed)."""
        frame = self._fresh_frame()
        if self._previewing:
            self._latest, self._latest_at = frame, self._clock()
        return frame.copy()

    def _fresh_frame(self) -> np.ndarray:
        if self.link.is_open:
            # Frames exposed before the press may still be queued: in the driver's few buffers (V4L2), or, on a
            # network stream, in the socket without bound when this thread fell behind. A new connection starts
            # with a frame sent after it opened; the driver's buffers are read through.
            if self.link.url is not None:
                self.link.open()
            else:
                for _ in range(self.link.buffers()):
                    self.link.read()
            return self._judge(self.link.read())
        self.link.open()  # no preview: a stream just for this frame
        try:
            return self._judge(self.link.read())
        finally:
            self.link.close()
