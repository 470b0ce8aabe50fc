"""A photographed page as the visit keeps it, the processing settings, and the retake hints in plain words.

Nothing here imports an imaging library: the session and the receipts use these types without OpenCV.
A page is personal data (a photograph of a citizen's certificate): it lives in the visit's memory only and
goes when the visit ends; it is never logged (its repr shows the size, not the bytes or the hash).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.catalog import Text

JPEG = "image/jpeg"
PAGE_BUDGET_BYTES = 500_000  # per page: a certificate photographed at ~200 dpi stays legible well below this


class CaptureError(ValueError):
    """A page or a setting that cannot be used."""


@dataclass(frozen=True, repr=False)
class Page:
    """One photographed page: the cropped, deskewed, compressed JPEG and what identifies it."""

    jpeg: bytes = field(compare=False)
    sha256: str
    size: int
    width: int
    height: int
    media_type: str = JPEG

    @classmethod
    def from_jpeg(cls, jpeg: bytes, width: int, height: int) -> Page:
        """A page of ``jpeg`` (``width`` x ``height`` pixels), hashed here."""
        if not isinstance(jpeg, bytes) or not jpeg.startswith(b"\xff\xd8"):
            raise CaptureError("a page must be JPEG bytes")
        if width <= 0 or height <= 0:
            raise CaptureError(f"bad page size {width}x{height}")
        return cls(jpeg, hashlib.sha256(jpeg).hexdigest(), len(jpeg), width, height)

    def __repr__(self) -> str:
        return f"Page({self.width}x{self.height}, {self.size} bytes)"


@dataclass(frozen=True)
class CaptureSettings:
    """How frames become pages. ``from_options`` reads them from ``[devices.camera] options``."""

    page_budget_bytes: int = PAGE_BUDGET_BYTES
    max_long_side: int = 2400  # pixels of a page's longer side (more is not more legible, only bigger)
    min_long_side: int = 1000  # never scaled below this to meet the budget (~120 dpi on an A4 page)
    min_document_fraction: float = 0.12  # a document smaller than this part of the frame is "not found"
    min_sharpness: float = 40.0  # variance of the Laplacian of the normalised page (see quality.py)
    min_brightness: float = 70.0  # mean luminance 0..255 of the cropped page
    max_glare: float = 0.6  # part of the page blown out to white (a lamp reflected in a plastic cover)

    def __post_init__(self) -> None:
        if not 50_000 <= self.page_budget_bytes <= 20_000_000:
            raise CaptureError(f"page budget {self.page_budget_bytes} bytes: expected 50 kB to 20 MB")
        if not 400 <= self.min_long_side <= self.max_long_side <= 10_000:
            raise CaptureError(f"page sides {self.min_long_side}..{self.max_long_side}: expected 400 <= min <= max")
        if not 0.01 <= self.min_document_fraction <= 0.9:
            raise CaptureError(f"min_document_fraction {self.min_document_fraction}: expected 0.01..0.9")

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> CaptureSettings:
        """Settings from a device section's options (``page_kb``, ``max_long_side``, ``min_long_side``);
        missing keys keep their defaults. CaptureError names a bad value."""
        kwargs: dict[str, int] = {}
        for key, name, scale in (("page_kb", "page_budget_bytes", 1000), ("max_long_side", "max_long_side", 1),
                                 ("min_long_side", "min_long_side", 1)):  # fmt: skip
            raw = options.get(key, "").strip()
            if not raw:
                continue
            try:
                kwargs[name] = int(raw) * scale
            except ValueError:
                raise CaptureError(f"devices.camera.options.{key} {raw!r}: expected a whole number") from None
        return cls(**kwargs)


# Why a photograph was not kept, in plain words with what to do (the capture screen shows them as they are).
NOT_FOUND = "not_found"
BLURRED = "blurred"
DARK = "dark"
GLARE = "glare"
HINTS: dict[str, Text] = {
    NOT_FOUND: Text(
        "没有找到材料。请把材料平放在拍摄区内，四个角都要露出来，再拍一次。",
        "No document found. Lay it flat inside the marked area with all four corners showing, then try again.",
    ),
    BLURRED: Text(
        "照片模糊。请把材料放平、手离开材料，稍等一下再拍。",
        "The photo is blurred. Lay the document flat, take your hands away, wait a moment and try again.",
    ),
    DARK: Text(
        "照片太暗。请不要遮挡灯光，把材料放在拍摄区中间再拍。",
        "The photo is too dark. Do not block the light; put the document in the middle and try again.",
    ),
    GLARE: Text(
        "照片反光太亮。请把材料放平，或取下塑料封套再拍。",
        "Too much glare. Lay the document flat or take it out of its plastic cover and try again.",
    ),
}
