"""Find the document in a camera frame and deskew it: the quadrilateral of its outline (contours of its
edges, a polygon of four corners), then a perspective warp to an upright rectangle.

The document camera looks down on a desk: the page is the largest four-cornered outline with enough contrast
to the desk. Detection runs on a copy scaled to ``DETECT_SIDE`` (fast, and smooths away text and noise); the
corners are scaled back and the warp takes the full-resolution pixels.
"""

from __future__ import annotations

import cv2
import numpy as np

DETECT_SIDE = 640  # longer side of the frame the outline is searched in


def _scaled(frame: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    """``frame`` with its longer side at most ``side`` pixels, and the factor applied."""
    h, w = frame.shape[:2]
    k = min(1.0, side / max(h, w))
    if k >= 1.0:
        return frame, 1.0
    return cv2.resize(frame, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA), k


def order_corners(points: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left (float32, shape 4x2).

    Sorted by angle around their centre, starting from the one nearest the frame's top-left direction, so a
    page turned by up to 45 degrees keeps its top edge on top.
    """
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    # Image y points down, so ascending angles run clockwise on screen: tl, tr, br, bl from the right start.
    pts = pts[np.argsort(np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0]))]
    return np.roll(pts, -int(np.argmin(pts.sum(axis=1))), axis=0)


def _quad_of(contour: np.ndarray) -> np.ndarray | None:
    """Four corners approximating ``contour``'s convex hull, or None when it is not four-cornered."""
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.015, 0.02, 0.03, 0.04, 0.05):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            return _refined(approx.reshape(4, 2).astype(np.float32), contour.reshape(-1, 2).astype(np.float32))
        if len(approx) < 4:
            return None
    return None


def _refined(quad: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The corners where lines fitted to the middle of each side meet: a polygon approximation cuts a rounded
    or blurred corner short, the straight sides do not."""
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        if length < 4:
            return quad
        direction = (b - a) / length
        rel = points - a
        along = rel @ direction
        across = np.abs(rel[:, 0] * direction[1] - rel[:, 1] * direction[0])
        near = points[(along > 0.15 * length) & (along < 0.85 * length) & (across < max(2.0, 0.03 * length))]
        if len(near) < 2:
            return quad
        vx, vy, x0, y0 = cv2.fitLine(near, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    corners = []
    for i in range(4):
        (p1, d1), (p2, d2) = lines[i - 1], lines[i]
        det = d1[0] * -d2[1] - d1[1] * -d2[0]
        if abs(det) < 1e-6:
            return quad
        t = ((p2[0] - p1[0]) * -d2[1] - (p2[1] - p1[1]) * -d2[0]) / det
        corners.append(p1 + t * d1)
    refined = np.array(corners, dtype=np.float32)
    sides = np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1)
    if np.max(np.linalg.norm(refined - quad, axis=1)) > 0.15 * float(np.min(sides)):
        return quad  # the fit went astray (a side that is not straight): keep the polygon's corners
    return refined


def _masks(gray: np.ndarray) -> list[np.ndarray]:
    """Binary images whose outlines may be the page: its edges (an outline left open by a soft or shaded edge
    then shows only what is printed inside it), and the page brighter than the desk."""
    k = max(3, round(max(gray.shape) / 128)) | 1  # kernels in proportion to the picture: 5 px at 640
    blurred = cv2.GaussianBlur(gray, (k, k), 0)
    median = float(np.median(blurred))
    edges = cv2.Canny(blurred, max(10.0, 0.5 * median), min(255.0, 1.2 * median + 20))
    edges = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((k + 2, k + 2), np.uint8))
    return [edges, bright]


def find_document(
    frame: np.ndarray, *, min_fraction: float = 0.12, side: int = DETECT_SIDE
) -> np.ndarray | None:
    """The document's corners in ``frame`` (BGR or grey), ordered tl, tr, br, bl, in frame pixels; None when no
    four-cornered outline covers at least ``min_fraction`` of the frame. ``side``: the longer side the search
    runs at (smaller is faster and coarser: the live preview's outline needs less than a page's crop)."""
    small, k = _scaled(frame, side)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    area_min = min_fraction * gray.shape[0] * gray.shape[1]
    best: tuple[float, np.ndarray] | None = None
    for mask in _masks(gray):
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            if cv2.contourArea(contour) < area_min:
                break
            quad = _quad_of(contour)
            if quad is None or not cv2.isContourConvex(quad.reshape(4, 1, 2).astype(np.int32)):
                continue
            area = cv2.contourArea(quad)
            if area >= area_min and not _touches_border(quad, gray.shape) and (best is None or area > best[0]):
                best = (area, quad)  # the largest wins: a frame printed on the page lies inside the page's edge
    if best is None:
        return None
    return order_corners(best[1] / k)


def _touches_border(quad: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Whether a corner lies on the frame's edge (the page is cut off, or the outline is the frame itself)."""
    h, w = shape[:2]
    margin = 2
    return bool(np.any((quad[:, 0] <= margin) | (quad[:, 1] <= margin)
                       | (quad[:, 0] >= w - 1 - margin) | (quad[:, 1] >= h - 1 - margin)))  # fmt: skip


def page_size(corners: np.ndarray) -> tuple[int, int]:
    """Width and height of the upright page: the means of opposite sides (a tilt shortens one of each pair)."""
    tl, tr, br, bl = corners
    width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    return max(1, round(width)), max(1, round(height))


def deskew(frame: np.ndarray, corners: np.ndarray, *, max_long_side: int | None = None) -> np.ndarray:
    """The page inside ``corners`` warped upright (its own size, the longer side at most ``max_long_side``)."""
    width, height = page_size(corners)
    if max_long_side is not None and max(width, height) > max_long_side:
        k = max_long_side / max(width, height)
        width, height = max(1, round(width * k)), max(1, round(height * k))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(np.asarray(corners, dtype=np.float32), target)
    return cv2.warpPerspective(frame, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
