"""A camera frame in, a kept page or a retake hint out: find, deskew, judge, compress."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from kiosk.capture.document import deskew, find_document
from kiosk.capture.jpeg import fit_budget
from kiosk.capture.page import DARK, NOT_FOUND, CaptureError, CaptureSettings, Page
from kiosk.capture.quality import Quality, assess


@dataclass(frozen=True, repr=False)
class CaptureResult:
    """What became of one frame: a ``page``, or the ``problem`` (a key of ``kiosk.capture.page.HINTS``)."""

    page: Page | None
    problem: str
    corners: tuple[tuple[float, float], ...] = ()  # tl, tr, br, bl in frame pixels ("" when not found)
    quality: Quality | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (benchmarks)

    def __repr__(self) -> str:
        return f"CaptureResult(page={self.page!r}, problem={self.problem!r})"


def check_frame(frame: object) -> np.ndarray:
    """``frame`` if it is an 8-bit BGR (or grey) image; CaptureError otherwise."""
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.ndim not in (2, 3):
        raise CaptureError("a frame must be an 8-bit image array")
    if frame.ndim == 3 and frame.shape[2] != 3:
        raise CaptureError(f"a frame must have 3 colour channels, not {frame.shape[2]}")
    if min(frame.shape[:2]) < 64:
        raise CaptureError(f"frame of {frame.shape[1]}x{frame.shape[0]} is too small")
    return frame


def frame_too_dark(frame: np.ndarray, settings: CaptureSettings) -> bool:
    """Whether the whole frame is too dark to find anything in (lamp blocked, lens covered)."""
    small = cv2.resize(frame, (160, 120), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    return float(np.mean(gray)) < settings.min_brightness * 0.6


def process_frame(frame: np.ndarray, settings: CaptureSettings) -> CaptureResult:
    """The page in ``frame``, or why there is none (not found, dark, glare, blurred)."""
    frame = check_frame(frame)
    t0 = time.perf_counter()
    corners = find_document(frame, min_fraction=settings.min_document_fraction)
    t1 = time.perf_counter()
    if corners is None:
        problem = DARK if frame_too_dark(frame, settings) else NOT_FOUND
        return CaptureResult(None, problem, timings={"find": t1 - t0})
    crop = deskew(frame, corners, max_long_side=settings.max_long_side)
    t2 = time.perf_counter()
    quality = assess(crop, settings)
    t3 = time.perf_counter()
    found = tuple((float(x), float(y)) for x, y in corners)
    timings = {"find": t1 - t0, "deskew": t2 - t1, "assess": t3 - t2}
    if quality.problem:
        return CaptureResult(None, quality.problem, found, quality, timings)
    jpeg, width, height = fit_budget(
        crop, settings.page_budget_bytes, max_long_side=settings.max_long_side, min_long_side=settings.min_long_side
    )
    timings["encode"] = time.perf_counter() - t3
    return CaptureResult(Page.from_jpeg(jpeg, width, height), "", found, quality, timings)


__all__ = ["CaptureError", "CaptureResult", "check_frame", "process_frame"]
