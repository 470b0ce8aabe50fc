"""What the simulated camera sees: a desk, and maybe a sample page lying on it, photographed from above.

:func:`compose` makes a frame the way a real document camera would see it: the page warped by a random
perspective (turned, tilted, off-centre), a soft shadow, light falling off across the desk (a gradient and a
vignette), optionally out of focus or in the dark, and sensor noise. Everything follows the scene's ``seed``,
so a test can ask for the same picture again; the page's true corners in the frame come with it.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import cv2
import numpy as np

from drivers.camera.simulator.documents import DOCUMENTS, render_page

FRAME_SIZE = (1600, 1200)  # a 2-megapixel document camera


@dataclass(frozen=True)
class Scene:
    """One picture: ``document`` (a key of DOCUMENTS, or None for the empty desk) and how it is photographed."""

    document: str | None = None
    page: int = 0
    seed: int = 0
    angle: float | None = None  # degrees the page is turned; None: from the seed, within +-12
    tilt: float = 0.03  # perspective: corners moved by up to this part of the page's size
    fill: float = 0.8  # the page's size against the frame (before turning)
    light: float = 1.0  # 1 is the camera's lamp on a bright day; 0.25 a blocked lamp at night
    shade: float = 0.3  # how much the light falls off across the desk
    blur: float = 0.0  # Gaussian sigma in frame pixels (a hand moved, out of focus)
    noise: float = 3.0  # sensor noise, grey levels
    blank: bool = False  # the lamp is broken or the lens covered: an even black picture
    size: tuple[int, int] = FRAME_SIZE


@dataclass(frozen=True, repr=False)
class Shot:
    """A composed frame (BGR) and where the page's corners are in it (tl, tr, br, bl; None: no page)."""

    frame: np.ndarray
    corners: np.ndarray | None
    page_size: tuple[int, int] | None  # width, height of the sample page drawn


@functools.lru_cache(maxsize=4)
def _desk(size: tuple[int, int], seed: int) -> np.ndarray:
    """A wooden desk top: brown, with grain and blotches (float32 BGR)."""
    w, h = size
    rng = np.random.default_rng(seed)
    base = np.array([52, 84, 118], np.float32)  # BGR of a mid-brown desk
    x = np.arange(w, dtype=np.float32)[None, :]
    y = np.arange(h, dtype=np.float32)[:, None]
    grain = np.sin(y / 9.0 + 3.0 * np.sin(x / 140.0 + rng.uniform(0, 6))) * 6.0
    blotches = cv2.resize(rng.normal(0, 10, (h // 80 + 2, w // 80 + 2)).astype(np.float32), (w, h),
                          interpolation=cv2.INTER_CUBIC)  # fmt: skip
    desk = base[None, None, :] + (grain + blotches)[:, :, None]
    return np.clip(desk, 0, 255).astype(np.float32)


def _placement(scene: Scene, page_size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Where the page's corners land in the frame (tl, tr, br, bl)."""
    fw, fh = scene.size
    pw, ph = page_size
    angle = math.radians(scene.angle if scene.angle is not None else rng.uniform(-12, 12))
    scale = scene.fill * min(fw / pw, fh / ph)
    corners = np.array([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]], np.float32)
    corners *= scale
    corners += rng.uniform(-scene.tilt, scene.tilt, (4, 2)).astype(np.float32) * np.array([pw, ph]) * scale
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], np.float32)
    corners = corners @ rot.T
    span = corners.max(axis=0) - corners.min(axis=0)
    limit = np.array([fw, fh], np.float32) * 0.94
    corners *= min(1.0, float(np.min(limit / span)))  # keep every corner inside the frame
    span = corners.max(axis=0) - corners.min(axis=0)
    room = (np.array([fw, fh], np.float32) - span) / 2 * 0.8
    centre = np.array([fw / 2, fh / 2], np.float32) + rng.uniform(-1, 1, 2).astype(np.float32) * room
    return (corners - (corners.max(axis=0) + corners.min(axis=0)) / 2 + centre).astype(np.float32)


def _light(scene: Scene, rng: np.random.Generator) -> np.ndarray:
    """The light on the desk, a factor per pixel: a gradient in a random direction and a vignette."""
    w, h = scene.size
    theta = rng.uniform(0, 2 * math.pi)
    x = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    y = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    gradient = (x * math.cos(theta) + y * math.sin(theta)) / 2  # -0.7 .. 0.7
    vignette = 1.0 - 0.12 * (x * x + y * y)
    return (scene.light * (1.0 + scene.shade * gradient) * vignette).astype(np.float32)


def _noise(shape: tuple[int, ...], sigma: float, seed: int) -> np.ndarray:
    """Gaussian sensor noise (OpenCV's generator: numpy's is several times slower at this size)."""
    cv2.setRNGSeed(seed)  # the generator is per thread: this only fixes this thread's next draws
    noise = np.empty(shape, np.float32)
    cv2.randn(noise, 0.0, sigma)
    return noise


def _shadow(corners: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """How much light the page's soft shadow leaves on the desk (drawn small, blurred, scaled up)."""
    w, h = size
    k = 4
    small = np.zeros((h // k, w // k), np.float32)
    cv2.fillConvexPoly(small, np.round((corners + np.array([10, 14], np.float32)) / k).astype(np.int32), 1.0)
    small = cv2.GaussianBlur(small, (0, 0), 9 / k)
    return 1.0 - 0.45 * cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def compose(scene: Scene, *, noise_seed: int = 0) -> Shot:
    """The frame of ``scene`` (``noise_seed`` varies only the sensor noise, as between video frames)."""
    w, h = scene.size
    if scene.blank:
        frame = np.clip(6 + _noise((h, w, 3), 0.6, noise_seed), 0, 255).astype(np.uint8)
        return Shot(frame, None, None)
    rng = np.random.default_rng(scene.seed)
    img = _desk(scene.size, scene.seed % 4).copy()
    corners = page_size = None
    if scene.document is not None:
        page = render_page(scene.document, scene.page)
        page_size = (page.shape[1], page.shape[0])
        corners = _placement(scene, page_size, rng)
        src = np.array([[0, 0], [page_size[0], 0], [page_size[0], page_size[1]], [0, page_size[1]]], np.float32)
        matrix = cv2.getPerspectiveTransform(src, corners)
        np.multiply(img, _shadow(corners, scene.size)[:, :, None], out=img)
        warped = cv2.warpPerspective(page, matrix, (w, h), flags=cv2.INTER_LINEAR).astype(np.float32)
        mask = cv2.warpPerspective(np.ones(page.shape[:2], np.float32), matrix, (w, h), flags=cv2.INTER_LINEAR)
        img = cv2.blendLinear(warped, img, mask, 1.0 - mask)
    np.multiply(img, _light(scene, rng)[:, :, None], out=img)
    if scene.blur > 0:
        img = cv2.GaussianBlur(img, (0, 0), scene.blur)
    if scene.noise > 0:
        np.add(img, _noise(img.shape, scene.noise, noise_seed), out=img)
    np.clip(img, 0, 255, out=img)
    return Shot(img.astype(np.uint8), corners, page_size)


def sample_scenes() -> list[Scene]:
    """A spread of good photographs of every sample page, at different angles and in different light."""
    scenes = []
    seed = 1
    for key, kind in DOCUMENTS.items():
        for page in range(kind.pages):
            for light, angle in ((1.0, -9.0), (0.6, 4.0), (0.9, 11.0)):
                scenes.append(Scene(key, page, seed=seed, angle=angle, light=light))
                seed += 1
    return scenes
