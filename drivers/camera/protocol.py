"""What travels between a document camera and the kiosk, as pure functions: MJPEG framing (the multipart
stream an MJPEG camera serves over HTTP), FOURCC codes, checks on the frames a capture backend returns, and
the small frames of the live preview. No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from drivers.base import ProtocolError

BOUNDARY = "kioskframe"
STREAM_PATH = "/stream.mjpg"
MJPG = "MJPG"
BLANK_STD = 4.0  # a frame whose grey levels vary less than this shows nothing (lamp off, lens covered)


def stream_headers() -> list[tuple[str, str]]:
    """The HTTP headers of an MJPEG stream (RFC 2046 multipart, each part replacing the one before)."""
    return [
        ("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}"),
        ("Cache-Control", "no-cache, private"),
        ("Pragma", "no-cache"),
        ("Connection", "close"),
    ]


def mjpeg_part(jpeg: bytes) -> bytes:
    """One frame of the stream: boundary, part headers, the JPEG. ProtocolError for bytes that are no JPEG."""
    if not jpeg.startswith(b"\xff\xd8") or not jpeg.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise ProtocolError("an MJPEG part must be one whole JPEG (SOI ... EOI)")
    head = f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n\r\n"
    return head.encode("ascii") + jpeg + b"\r\n"


def fourcc(code: str) -> int:
    """A FOURCC text ("MJPG", "YUYV") as the integer V4L2 and OpenCV use. ProtocolError if not 4 ASCII chars."""
    if len(code) != 4 or not code.isascii():
        raise ProtocolError(f"a FOURCC is 4 ASCII characters, not {code!r}")
    return int.from_bytes(code.encode("ascii"), "little")


def fourcc_text(value: int | float) -> str:
    """Inverse of :func:`fourcc` (OpenCV reports it as a float); "" for 0."""
    number = int(value)
    return number.to_bytes(4, "little").decode("ascii", errors="replace").strip("\x00") if number else ""


def check_frame(frame: object) -> np.ndarray:
    """``frame`` if it is what a capture backend must return: an 8-bit HxWx3 BGR image; ProtocolError if not."""
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8:
        raise ProtocolError(f"camera frame is not an 8-bit image: {type(frame).__name__}")
    if frame.ndim != 3 or frame.shape[2] != 3 or min(frame.shape[:2]) < 16:
        raise ProtocolError(f"camera frame has shape {frame.shape}, expected height x width x 3")
    return frame


def is_blank(frame: np.ndarray) -> bool:
    """Whether ``frame`` shows nothing (one flat level: lamp broken, lens covered, sensor dead)."""
    small = cv2.resize(frame, (64, 48), interpolation=cv2.INTER_AREA)
    return float(np.std(small)) < BLANK_STD


@dataclass(frozen=True, repr=False)
class PreviewFrame:
    """A live-preview frame for the screen: RGB, scaled down, numbered. Personal data (it shows a document)."""

    rgb: np.ndarray = field(compare=False)
    seq: int
    full_width: int  # of the camera frame it was made from
    full_height: int

    @property
    def width(self) -> int:
        """Width in pixels."""
        return int(self.rgb.shape[1])

    @property
    def height(self) -> int:
        """Height in pixels."""
        return int(self.rgb.shape[0])

    def __repr__(self) -> str:
        return f"PreviewFrame(#{self.seq}, {self.width}x{self.height})"


def preview_frame(frame: np.ndarray, seq: int, max_width: int) -> PreviewFrame:
    """``frame`` (BGR) as a preview: at most ``max_width`` wide, RGB, contiguous (a QImage can wrap it)."""
    h, w = frame.shape[:2]
    if w > max_width:
        frame = cv2.resize(frame, (max_width, max(1, round(h * max_width / w))), interpolation=cv2.INTER_AREA)
    return PreviewFrame(np.ascontiguousarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)), seq, w, h)
