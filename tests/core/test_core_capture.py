"""Frames become pages: the simulator's photographs of sample certificates are found, cropped and deskewed
(checked against where the pages really lie, their corner markers and their QR codes), blurred, dark or empty
frames get the right retake hint, and every page meets the byte budget while staying legible."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from drivers.camera.simulator import Scene, compose, sample_scenes
from drivers.camera.simulator.documents import DOCUMENTS, marker_centres, qr_text
from kiosk.capture.document import find_document, order_corners
from kiosk.capture.jpeg import fit_budget
from kiosk.capture.page import BLURRED, DARK, HINTS, NOT_FOUND, CaptureError, CaptureSettings, Page
from kiosk.capture.pipeline import process_frame
from tests.camera import read_qr

SETTINGS = CaptureSettings()
SCENES = sample_scenes()


def decoded(page: Page) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(page.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None and image.shape[:2] == (page.height, page.width)
    return image


def corner_markers(page: np.ndarray) -> np.ndarray:
    """Centres of the dark square nearest each corner of ``page`` (tl, tr, br, bl), found without OCR: the
    biggest dark blob in each corner's region, thin printed lines opened away."""
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    rw, rh = int(w * 0.12), int(h * 0.12)
    found = []
    for fx, fy in ((0, 0), (1, 0), (1, 1), (0, 1)):
        x0, y0 = fx * (w - rw), fy * (h - rh)
        _, dark = cv2.threshold(gray[y0 : y0 + rh, x0 : x0 + rw], 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
        dark = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((7, 7), np.uint8))
        n, _, stats, centres = cv2.connectedComponentsWithStats(dark)
        assert n > 1, f"no marker in corner {(fx, fy)}"
        biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
        found.append(centres[biggest] + (x0, y0))
    return np.array(found)


@pytest.mark.parametrize("scene", SCENES, ids=lambda s: f"{s.document}{s.page}-light{s.light}-angle{s.angle}")
def test_every_sample_page_is_found_cropped_and_deskewed(scene: Scene) -> None:
    shot = compose(scene, noise_seed=7)
    result = process_frame(shot.frame, SETTINGS)
    assert result.problem == "" and result.page is not None
    # The outline is the page's: every corner within 1% of the frame's diagonal of where the page lies.
    error = np.linalg.norm(np.array(result.corners) - shot.corners, axis=1).max()
    assert error < 0.01 * np.hypot(*scene.size), error
    page = decoded(result.page)
    width, height = shot.page_size
    assert page.shape[1] / page.shape[0] == pytest.approx(width / height, rel=0.06)
    # Upright and uncut: the four corner markers sit at their corners of the crop (within 1% of its size) ...
    expected = marker_centres(shot.page_size) * (page.shape[1] / width, page.shape[0] / height)
    assert np.linalg.norm(corner_markers(page) - expected, axis=1).max() < 0.01 * max(page.shape[:2])
    # ... and the page is legible after compression: its QR code still reads.
    assert read_qr(page) == qr_text(scene.document, scene.page)


def test_ruled_lines_come_out_straight_and_level() -> None:
    """The 户口簿 page's table rules are level (and its columns upright) in the crop, although the page lay
    turned by 10 degrees."""
    result = process_frame(compose(Scene("hukou", 1, seed=11, angle=10.0)).frame, SETTINGS)
    page = decoded(result.page)
    edges = cv2.Canny(cv2.cvtColor(page, cv2.COLOR_BGR2GRAY), 50, 150)
    lines = cv2.HoughLinesP(edges, 1, np.pi / 720, 200, minLineLength=page.shape[1] * 0.6, maxLineGap=10)
    assert lines is not None
    angles = [abs(np.degrees(np.arctan2(y2 - y1, x2 - x1))) for x1, y1, x2, y2 in lines.reshape(-1, 4)]
    rows = [a for a in angles if a < 45 or a > 135]
    assert len(rows) >= 6 and len(angles) - len(rows) >= 2  # the table's rules and its column lines
    assert max(min(a, abs(90 - a), 180 - a) for a in angles) < 0.8, angles


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_a_blurred_photo_is_refused_with_the_blur_hint(document: str) -> None:
    result = process_frame(compose(Scene(document, 0, seed=3, blur=3.0)).frame, SETTINGS)
    assert result.page is None and result.problem == BLURRED
    assert "模糊" in HINTS[result.problem].zh and "blurred" in HINTS[result.problem].en
    sharp = process_frame(compose(Scene(document, 0, seed=3, blur=0.7)).frame, SETTINGS)
    assert sharp.page is not None  # a slight softness is still legible: not refused


@pytest.mark.parametrize("light", [0.25, 0.18, 0.08])
def test_a_dark_photo_is_refused_with_the_light_hint(light: float) -> None:
    result = process_frame(compose(Scene("marriage", 0, seed=5, light=light)).frame, SETTINGS)
    assert result.page is None and result.problem == DARK
    assert "太暗" in HINTS[DARK].zh


def test_dim_light_is_not_mistaken_for_blur() -> None:
    result = process_frame(compose(Scene("birth", 0, seed=6, light=0.45)).frame, SETTINGS)
    assert result.page is not None, result.problem


def test_an_empty_desk_or_a_page_half_out_of_the_frame_is_not_found() -> None:
    assert process_frame(compose(Scene(None, seed=2)).frame, SETTINGS).problem == NOT_FOUND
    small = Scene("hukou", 0, seed=2, fill=0.25)  # a card-sized thing far away: not a page to keep
    assert process_frame(compose(small).frame, SETTINGS).problem == NOT_FOUND
    shot = compose(Scene("marriage", 0, seed=2, angle=0.0))
    cut = shot.frame[:, : int(shot.corners[:, 0].mean())]  # the right half of the page outside the picture
    assert process_frame(np.ascontiguousarray(cut), SETTINGS).problem == NOT_FOUND


def test_pages_meet_the_byte_budget_and_stay_legible() -> None:
    for budget in (500_000, 150_000, 80_000):
        settings = CaptureSettings(page_budget_bytes=budget)
        for scene in (Scene("birth", 0, seed=9, noise=6.0), Scene("marriage", 1, seed=9, noise=6.0)):
            result = process_frame(compose(scene).frame, settings)
            page = result.page
            assert page is not None and page.size == len(page.jpeg) <= budget
            assert max(page.width, page.height) >= min(settings.min_long_side, 900)
            assert read_qr(decoded(page)) == qr_text(scene.document, scene.page), budget


def test_a_big_noisy_page_is_scaled_down_to_fit_but_not_below_the_minimum() -> None:
    rng = np.random.default_rng(1)
    noisy = rng.integers(0, 256, (3000, 2200, 3), dtype=np.uint8)  # worst case for JPEG: pure noise
    jpeg, width, height = fit_budget(noisy, 500_000, max_long_side=2400, min_long_side=1000)
    assert len(jpeg) <= 500_000 and max(width, height) >= 1000 and width / height == pytest.approx(2200 / 3000, 0.01)
    with pytest.raises(CaptureError, match="does not fit"):
        fit_budget(noisy, 20_000, max_long_side=2400, min_long_side=1000)


def test_page_identity_and_privacy() -> None:
    result = process_frame(compose(Scene("marriage", 0, seed=1)).frame, SETTINGS)
    page = result.page
    import hashlib

    assert page.sha256 == hashlib.sha256(page.jpeg).hexdigest() and page.media_type == "image/jpeg"
    assert page.sha256 not in repr(page) and "bytes" in repr(page) and page.sha256 not in repr(result)
    with pytest.raises(CaptureError):
        Page.from_jpeg(b"GIF89a...", 10, 10)


def test_settings_from_the_camera_options() -> None:
    assert CaptureSettings.from_options({"page_kb": "300"}).page_budget_bytes == 300_000
    assert CaptureSettings.from_options({}) == CaptureSettings()
    for bad in ({"page_kb": "lots"}, {"page_kb": "1"}, {"min_long_side": "3000", "max_long_side": "2000"}):
        with pytest.raises(CaptureError):
            CaptureSettings.from_options(bad)


def test_bad_frames_are_refused_plainly() -> None:
    for bad in (None, np.zeros((10, 10, 3), np.uint8), np.zeros((200, 200, 4), np.uint8), np.zeros((200, 200))):
        with pytest.raises(CaptureError):
            process_frame(bad, SETTINGS)  # type: ignore[arg-type]


def test_corners_are_ordered_clockwise_from_the_top_left() -> None:
    rect = np.array([[0, 0], [200, 0], [200, 100], [0, 100]], np.float32)
    theta = np.radians(30)  # turned by 30 degrees: its top edge still the top one
    turned30 = rect @ np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]], np.float32)
    assert np.allclose(order_corners(turned30[[2, 0, 3, 1]]), turned30)
    turned = np.array([[20, 10], [220, 40], [200, 190], [0, 160]], np.float32)
    assert order_corners(turned[::-1]).tolist() == turned.tolist()
    assert find_document(np.zeros((300, 400, 3), np.uint8)) is None
