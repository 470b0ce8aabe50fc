"""A simulated network document camera: MJPEG over HTTP on loopback, the wire an MJPEG camera speaks, so the
real OpenCV capture (its FFmpeg backend) reads it exactly as it reads a camera.

``GET /stream.mjpg`` answers a ``multipart/x-mixed-replace`` stream at ``fps``: the frames of the current
:class:`~drivers.camera.simulator.scene.Scene`, pre-rendered and encoded once per :meth:`CameraSimulator.show`
(a few copies differing only in sensor noise, served in turn, so serving costs no CPU). What a test does:
``show(scene)`` lays a page on the desk (or takes it away), ``unplug()`` drops the camera off the network
(every stream cut, connections refused), ``replug()`` brings it back on the same port, ``stall()`` keeps
streams open but sends nothing, ``close()`` stops it for good.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import cv2

from drivers.base import DriverError
from drivers.camera.protocol import STREAM_PATH, mjpeg_part, stream_headers
from drivers.camera.simulator.scene import Scene, Shot, compose

log = logging.getLogger(__name__)

NOISE_VARIANTS = 3
JPEG_QUALITY = 88  # what document cameras send in MJPEG mode


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, sim: CameraSimulator, address: tuple[str, int]) -> None:
        self.sim = sim
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        log.debug("camera simulator: " + format, *args)

    def do_GET(self) -> None:
        """The stream, or 404 for any other path."""
        if self.path.split("?")[0] != STREAM_PATH:
            self.send_error(404)
            return
        self.send_response(200)
        for name, value in stream_headers():
            self.send_header(name, value)
        self.end_headers()
        self.server.sim._stream(self.connection, self.wfile)


class CameraSimulator:
    """The far end of a simulated camera: an MJPEG stream at :attr:`url` while plugged in; thread-safe."""

    def __init__(self, *, scene: Scene | None = None, fps: float = 8.0, host: str = "127.0.0.1", port: int = 0):
        if not 0.5 <= fps <= 60:
            raise DriverError(f"camera simulator fps {fps}: expected 0.5 to 60")
        self.host = host
        self.fps = fps
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._frames: list[bytes] = []  # the scene's JPEGs, drawn in the background from the start
        self._drawing = threading.Lock()  # one first drawing, which a stream opened meanwhile waits for
        self._scene = scene or Scene()
        self.shot: Shot | None = None
        self.frames_served = 0
        self._stalled = False
        self._closed = False
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.port = port
        self.replug()
        # Drawing a scene takes ~0.8 s of CPU (over 2 s on a loaded machine): done beside the caller, so starting
        # stays cheap and the first stream rarely waits for it.
        threading.Thread(target=self._draw_first, name="camera-simulator-draw", daemon=True).start()

    # -- what a test does ------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The stream's URL."""
        return f"http://{self.host}:{self.port}{STREAM_PATH}"

    @property
    def scene(self) -> Scene:
        """What the camera sees now."""
        with self._lock:
            return self._scene

    @property
    def plugged(self) -> bool:
        """Whether the camera is on the network."""
        with self._lock:
            return self._server is not None

    @property
    def streams(self) -> int:
        """How many streams are open now (a preview holds one)."""
        with self._lock:
            return len(self._connections)

    def show(self, scene: Scene) -> Shot:
        """From the next frame on the camera sees ``scene`` (rendered and encoded here, before it is served)."""
        shot, frames = _render(scene)
        with self._changed:
            self._scene, self.shot, self._frames = scene, shot, frames
            self._changed.notify_all()
        return shot

    def stall(self, on: bool = True) -> None:
        """Keep the streams open but send nothing (a hung camera), or go on sending."""
        with self._changed:
            self._stalled = on
            self._changed.notify_all()

    def unplug(self) -> None:
        """Off the network: every stream is cut and new connections are refused."""
        with self._changed:
            server, self._server = self._server, None
            connections, self._connections = set(self._connections), set()
            self._changed.notify_all()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def replug(self) -> None:
        """Back on the network, on the same port."""
        with self._lock:
            if self._server is not None or self._closed:
                return
        server = _Server(self, (self.host, self.port))
        self.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                  name="camera-simulator", daemon=True)  # fmt: skip
        with self._lock:
            self._server, self._thread = server, thread
        thread.start()

    def close(self) -> None:
        """Stop for good."""
        with self._lock:
            self._closed = True
        self.unplug()

    # -- the wire --------------------------------------------------------------------------------------------

    def _draw_first(self) -> None:
        """Draw the scene the camera was made with, unless a scene was drawn already (by this or by ``show``)."""
        with self._drawing:
            with self._lock:
                if self._frames:
                    return
                scene = self._scene
            shot, frames = _render(scene)
            with self._lock:
                if not self._frames:  # ``show`` may have drawn its scene meanwhile: that one stands
                    self.shot, self._frames = shot, frames

    def _stream(self, conn: socket.socket, out: object) -> None:
        """Write frames to one client until it goes, or the camera is unplugged."""
        with self._lock:
            if self._server is None:
                return
            self._connections.add(conn)
        self._draw_first()  # at once if the background drawing is done; else it waits for it
        interval = 1.0 / self.fps
        due = time.monotonic()
        n = 0
        try:
            while True:
                with self._changed:
                    while self._stalled and self._server is not None:
                        self._changed.wait(0.5)
                    if self._server is None or conn not in self._connections:
                        return
                    frame = self._frames[n % len(self._frames)]
                try:
                    out.write(mjpeg_part(frame))  # type: ignore[attr-defined]
                    out.flush()  # type: ignore[attr-defined]
                except OSError:
                    return  # the client went away
                n += 1
                with self._lock:
                    self.frames_served += 1
                due += interval
                delay = due - time.monotonic()
                if delay > 0:
                    with self._changed:
                        self._changed.wait(delay)  # woken early by unplug
                else:
                    due = time.monotonic()  # a slow reader: no catching up in a burst
        finally:
            with self._lock:
                self._connections.discard(conn)


def _render(scene: Scene) -> tuple[Shot, list[bytes]]:
    """The scene's frame and its JPEGs as the camera sends them (a few, differing only in sensor noise)."""
    shots = [compose(scene, noise_seed=scene.seed * 101 + i) for i in range(NOISE_VARIANTS)]
    frames = []
    for shot in shots:
        ok, data = cv2.imencode(".jpg", shot.frame, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if not ok:
            raise DriverError("camera simulator: JPEG encoding failed")
        frames.append(data.tobytes())
    return shots[0], frames
