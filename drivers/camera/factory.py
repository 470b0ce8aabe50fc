"""Make the document camera the config asks for.

``transport`` "v4l2": a USB (UVC) document camera at ``address`` (/dev/video0, better a stable
/dev/v4l/by-id/... link); "network": an MJPEG camera whose stream URL is ``address``; "simulator": a
:class:`~drivers.camera.simulator.CameraSimulator` serving MJPEG on loopback, read by the same OpenCV link and
facade. ``options``: ``width``, ``height`` and ``fps`` asked of a V4L2 camera, ``fourcc`` (default MJPG),
``preview_fps`` (default 4) and ``preview_width`` (default 640) of the live preview; the simulator takes
``fps`` too. The capture settings in the same options (``page_kb``...) are read by
``kiosk.capture.page.CaptureSettings.from_options``.
"""

from __future__ import annotations

from pathlib import Path

from drivers.base import DriverError
from drivers.camera.facade import OpenCvCamera
from drivers.camera.transport import VideoLink
from kiosk.config import DeviceSection


def _number(section: DeviceSection, key: str, default: float, low: float, high: float) -> float:
    raw = section.options.get(key, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise DriverError(f"devices.camera.options.{key} {raw!r}: expected a number") from None
    if not low <= value <= high:
        raise DriverError(f"devices.camera.options.{key} {raw!r}: expected {low:g} to {high:g}")
    return value


def open_from_config(section: DeviceSection, *, data_dir: Path | None = None) -> OpenCvCamera:
    """The camera for ``section`` (not opened: its DeviceRunner opens it on its own thread)."""
    preview_fps = _number(section, "preview_fps", 4.0, 0.5, 30.0)
    preview_width = int(_number(section, "preview_width", 640, 160, 1920))
    fps = _number(section, "fps", 0.0, 0.0, 60.0)
    if section.transport == "simulator":
        from drivers.camera.simulator import CameraSimulator

        sim = CameraSimulator(fps=fps or 6.0)
        link = VideoLink(sim.url, timeout_s=section.timeout_s)
        return OpenCvCamera(link, preview_fps=preview_fps, preview_width=preview_width, simulator=sim)
    if section.transport in ("v4l2", "network"):
        link = VideoLink(
            section.address,
            width=int(_number(section, "width", 0, 0, 10_000)),
            height=int(_number(section, "height", 0, 0, 10_000)),
            fps=fps,
            fourcc_code=section.options.get("fourcc", "MJPG"),
            timeout_s=section.timeout_s,
        )
        if section.transport == "network" and link.url is None:
            raise DriverError("devices.camera: transport network needs address = the stream URL")
        return OpenCvCamera(link, preview_fps=preview_fps, preview_width=preview_width)
    raise DriverError(f"devices.camera.transport {section.transport!r} is not supported (v4l2, network, simulator)")
