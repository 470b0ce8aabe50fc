"""Compress a page to a byte budget while keeping it legible: the best JPEG quality that fits, scaled down
step by step (never below ``min_long_side``) only when even a modest quality does not fit."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.capture.page import CaptureError

QUALITY_MAX = 90
QUALITY_FLOOR = 50  # below this, scaling down keeps text more legible than more compression
QUALITY_MIN = 25  # the last resort at the smallest size
SCALE_STEP = 0.85


def encode(image: np.ndarray, quality: int) -> bytes:
    """``image`` (BGR or grey) as a baseline JPEG at ``quality`` (optimised Huffman tables)."""
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_OPTIMIZE, 1])
    if not ok:
        raise CaptureError("JPEG encoding failed")
    return data.tobytes()


def _best_quality(image: np.ndarray, budget: int, low: int) -> bytes | None:
    """The highest quality in ``low..QUALITY_MAX`` whose JPEG fits ``budget`` (binary search), or None."""
    data = encode(image, QUALITY_MAX)
    if len(data) <= budget:
        return data  # the usual case: one encoding
    best = None
    lo, hi = low, QUALITY_MAX - 1
    while lo <= hi:
        q = (lo + hi) // 2
        data = encode(image, q)
        if len(data) <= budget:
            best, lo = data, q + 1
        else:
            hi = q - 1
    return best


def _resized(image: np.ndarray, long_side: int) -> np.ndarray:
    h, w = image.shape[:2]
    k = long_side / max(h, w)
    return cv2.resize(image, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)


def fit_budget(image: np.ndarray, budget: int, *, max_long_side: int, min_long_side: int) -> tuple[bytes, int, int]:
    """(JPEG, width, height) of ``image`` in at most ``budget`` bytes. CaptureError when even the smallest size
    at the lowest quality does not fit (a budget far too small for a page)."""
    if max(image.shape[:2]) > max_long_side:
        image = _resized(image, max_long_side)
    while True:
        data = _best_quality(image, budget, QUALITY_FLOOR)
        if data is not None:
            return data, image.shape[1], image.shape[0]
        long_side = max(image.shape[:2])
        if long_side <= min_long_side:
            break
        image = _resized(image, max(min_long_side, round(long_side * SCALE_STEP)))
    data = _best_quality(image, budget, QUALITY_MIN)
    if data is None:
        raise CaptureError(f"a page does not fit in {budget} bytes even at {max(image.shape[:2])} px")
    return data, image.shape[1], image.shape[0]
