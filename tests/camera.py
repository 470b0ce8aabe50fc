"""Helpers of the document camera's tests: reading the sample pages' QR codes back."""

from __future__ import annotations

import cv2
import numpy as np


def read_qr(image: np.ndarray) -> str:
    """The sample page's QR code as a reader gets it: at the page's size, else zoomed in twice (OpenCV's
    detector wants about 5 pixels a module; the QR of a page cropped from a 2-megapixel frame has about 4)."""
    detector = cv2.QRCodeDetector()
    text = detector.detectAndDecode(image)[0]
    return text or detector.detectAndDecode(cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))[0]
