"""Is a cropped page good enough to keep? Sharpness, light and glare, measured the same way at any camera
resolution and in any light.

Sharpness is the variance of the Laplacian of the page scaled to ``NORMAL_WIDTH``, its grey levels stretched
to the full range first (so a dim page is not taken for a blurred one) and smoothed by a 3x3 Gaussian (so
sensor noise does not pass for detail). Brightness is the mean luminance; glare the part of the page blown
out to white.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.capture.page import BLURRED, DARK, GLARE, CaptureSettings

NORMAL_WIDTH = 1000
SATURATED = 252  # grey level counted as blown out


@dataclass(frozen=True)
class Quality:
    """The measures of one page and the problem they show ("" when the page is fine)."""

    sharpness: float
    brightness: float
    glare: float  # part of the page at SATURATED or above
    problem: str


def _normalised_gray(page: np.ndarray) -> np.ndarray:
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY) if page.ndim == 3 else page
    h, w = gray.shape[:2]
    if w != NORMAL_WIDTH:
        interpolation = cv2.INTER_AREA if w > NORMAL_WIDTH else cv2.INTER_LINEAR
        gray = cv2.resize(gray, (NORMAL_WIDTH, max(1, round(h * NORMAL_WIDTH / w))), interpolation=interpolation)
    return gray


def sharpness(gray: np.ndarray) -> float:
    """Variance of the Laplacian of ``gray`` (8-bit) stretched to 0..255 (2nd..98th percentile), after a 3x3
    Gaussian."""
    cumulative = np.cumsum(np.bincount(gray.ravel(), minlength=256)) / gray.size  # percentiles from the histogram
    low, high = int(np.searchsorted(cumulative, 0.02)), int(np.searchsorted(cumulative, 0.98))
    stretched = ((gray.astype(np.float32) - low) * (255.0 / max(float(high - low), 1.0))).astype(np.float32)
    smooth = cv2.GaussianBlur(stretched, (3, 3), 0)
    return float(cv2.Laplacian(smooth, cv2.CV_32F).var())


def assess(page: np.ndarray, settings: CaptureSettings) -> Quality:
    """Measure ``page`` (the deskewed crop, BGR or grey); the problem is the first of dark, glare, blurred."""
    gray = _normalised_gray(page)
    bright = float(np.mean(gray))
    glare = float(np.count_nonzero(gray >= SATURATED)) / gray.size
    sharp = sharpness(gray)
    if bright < settings.min_brightness:
        problem = DARK
    elif glare > settings.max_glare:
        problem = GLARE
    elif sharp < settings.min_sharpness:
        problem = BLURRED
    else:
        problem = ""
    return Quality(sharp, bright, glare, problem)
