"""The camera's video link: an OpenCV ``VideoCapture`` on a V4L2 node (a USB/UVC document camera) or on an
MJPEG stream over HTTP (a network document camera, and the simulator), opened while frames are wanted.

Reads are bounded: the MJPEG stream has OpenCV's open and read timeouts; a V4L2 read is bounded by the
driver's own select timeout. A stream that ends, a read that fails or times out, a node that vanished are
:class:`~drivers.base.DeviceGone` (or :class:`~drivers.base.DeviceTimeout` when it was the wait that ended);
the runner then reopens with backoff. Whether the camera is there at all, without opening a stream, is
:meth:`VideoLink.present`: the node exists, or the camera's port accepts a connection.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from urllib.parse import urlsplit

import cv2
import numpy as np

from drivers.base import DeviceGone, DeviceTimeout, DriverError
from drivers.camera.protocol import check_frame, fourcc, fourcc_text

log = logging.getLogger(__name__)


class VideoLink:
    """One camera source: ``source`` is a device path (/dev/video0, /dev/v4l/by-id/...) or an http(s) URL."""

    def __init__(
        self,
        source: str,
        *,
        width: int = 0,
        height: int = 0,
        fps: float = 0.0,
        fourcc_code: str = "MJPG",
        timeout_s: float = 2.0,
    ) -> None:
        if not source:
            raise DriverError("camera: set address to the device node or the stream URL")
        self.source = source
        self.url = urlsplit(source) if "://" in source else None
        if self.url is not None and (self.url.scheme not in ("http", "https") or not self.url.hostname):
            raise DriverError(f"camera: {source!r} is not an http(s) stream URL")
        self.api = cv2.CAP_FFMPEG if self.url is not None else cv2.CAP_V4L2
        self.width, self.height, self.fps = width, height, fps
        self.fourcc = fourcc(fourcc_code)
        self.timeout_s = timeout_s
        self._cap: cv2.VideoCapture | None = None

    @property
    def is_open(self) -> bool:
        """Whether a stream is open now."""
        return self._cap is not None

    def present(self) -> bool:
        """Whether the camera is there, without opening a stream: its node exists, or its port answers."""
        if self.url is None:
            return os.path.exists(self.source)
        port = self.url.port or (443 if self.url.scheme == "https" else 80)
        try:
            with socket.create_connection((self.url.hostname, port), timeout=min(self.timeout_s, 1.0)):
                return True
        except OSError:
            return False

    def open(self) -> None:
        """Open the stream (DeviceGone when the camera is not there or refuses it)."""
        self.close()
        ms = round(self.timeout_s * 1000)
        if self.url is not None:
            params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC, ms]
            cap = cv2.VideoCapture(self.source, self.api, params)
        else:
            if not os.path.exists(self.source):
                raise DeviceGone(f"camera {self.source} is not there")
            cap = cv2.VideoCapture(self.source, self.api)
        if not cap.isOpened():
            cap.release()
            raise DeviceGone(f"camera {self._name()} cannot be opened")
        if self.url is None:
            self._configure(cap)
        self._cap = cap
        log.info("camera %s open (%s)", self._name(), cap.getBackendName())

    def _configure(self, cap: cv2.VideoCapture) -> None:
        """Ask a V4L2 camera for its format; a camera that cannot is used as it is (the frames say what came)."""
        wanted = [(cv2.CAP_PROP_FOURCC, self.fourcc), (cv2.CAP_PROP_BUFFERSIZE, 2)]  # few buffers: fresh frames
        if self.width and self.height:
            wanted += [(cv2.CAP_PROP_FRAME_WIDTH, self.width), (cv2.CAP_PROP_FRAME_HEIGHT, self.height)]
        if self.fps:
            wanted.append((cv2.CAP_PROP_FPS, self.fps))
        for prop, value in wanted:
            if not cap.set(prop, value):
                log.info("camera %s: property %d not set to %s", self._name(), prop, value)

    def read(self) -> np.ndarray:
        """The next frame (BGR). DeviceTimeout when none came in time, DeviceGone when the stream ended."""
        cap = self._cap
        if cap is None:
            raise DeviceGone("camera stream is not open")
        started = time.monotonic()
        ok, frame = cap.read()
        if not ok or frame is None:
            waited = time.monotonic() - started
            self.close()  # a failed VideoCapture never recovers: the next open starts afresh
            if waited >= self.timeout_s * 0.9:
                raise DeviceTimeout(f"camera {self._name()} sent no frame for {waited:.1f} s")
            raise DeviceGone(f"camera {self._name()} stream ended")
        return check_frame(frame)

    def buffers(self) -> int:
        """How many frames the driver may hold queued (V4L2's buffer count; 4 when it does not say)."""
        cap = self._cap
        count = int(cap.get(cv2.CAP_PROP_BUFFERSIZE)) if cap is not None else 0
        return count if 0 < count <= 32 else 4

    def describe(self) -> dict[str, str | int | float | bool]:
        """What the open stream is (backend, format); the source only when open."""
        detail: dict[str, str | int | float | bool] = {"source": self._name()}
        cap = self._cap
        if cap is not None:
            detail["backend"] = cap.getBackendName()
            code = fourcc_text(cap.get(cv2.CAP_PROP_FOURCC))
            if code.isprintable() and code:
                detail["fourcc"] = code
        return detail

    def close(self) -> None:
        """Release the stream; safe twice."""
        cap, self._cap = self._cap, None
        if cap is not None:
            cap.release()

    def _name(self) -> str:
        # A stream URL may carry credentials: show scheme, host, port and path only.
        if self.url is None:
            return self.source
        port = f":{self.url.port}" if self.url.port else ""
        return f"{self.url.scheme}://{self.url.hostname}{port}{self.url.path}"
