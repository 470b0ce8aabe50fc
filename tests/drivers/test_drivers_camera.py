"""The document camera: the simulator speaks MJPEG over HTTP, the real OpenCV link and facade read it, and the
runner reports what happens to it (previews, captures, unplugged, hung, blank pictures) to a real Store."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.base import DeviceGone, DeviceTimeout, DriverError, ProtocolError
from drivers.camera.facade import OpenCvCamera
from drivers.camera.factory import open_from_config
from drivers.camera.protocol import BOUNDARY, STREAM_PATH, check_frame, fourcc, fourcc_text, mjpeg_part
from drivers.camera.simulator import CameraSimulator, Scene
from drivers.camera.transport import VideoLink
from drivers.runner import DeviceRunner
from kiosk.capture.page import CaptureSettings
from kiosk.capture.pipeline import process_frame
from kiosk.config import DeviceSection
from kiosk.devices import DeviceState, StatusSink
from kiosk.faults import FaultCode
from kiosk.store import Store
from tests.waiting import wait_until

pytestmark = pytest.mark.timeout(90)

POLL = 0.2


def http_get(port: int, path: str, want: int) -> bytes:
    """The first ``want`` bytes a plain HTTP/1.0 GET of ``path`` returns (headers included)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: camera\r\n\r\n".encode())
        data = b""
        while len(data) < want:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


def parts(body: bytes) -> list[bytes]:
    """The JPEGs of a multipart body, read by their Content-Length (RFC 2046 framing)."""
    out = []
    marker = f"--{BOUNDARY}\r\n".encode()
    pos = body.find(marker)
    while pos >= 0:
        head_end = body.find(b"\r\n\r\n", pos)
        if head_end < 0:
            break
        headers = dict(
            line.split(": ", 1) for line in body[pos + len(marker) : head_end].decode("ascii").split("\r\n")
        )
        start = head_end + 4
        end = start + int(headers["Content-Length"])
        if end + 2 > len(body):
            break
        assert headers["Content-Type"] == "image/jpeg" and body[end : end + 2] == b"\r\n"
        out.append(body[start:end])
        pos = body.find(marker, end)
    return out


@pytest.fixture
def sim() -> Iterator[CameraSimulator]:
    s = CameraSimulator(fps=10)
    yield s
    s.close()


def test_the_simulator_speaks_mjpeg_over_http(sim: CameraSimulator) -> None:
    sim.show(Scene("marriage", 0, seed=2))
    data = http_get(sim.port, STREAM_PATH, 700_000)
    head, _, body = data.partition(b"\r\n\r\n")
    status, *header_lines = head.decode("ascii").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    assert status.startswith("HTTP/1.0 200")
    assert headers["Content-Type"] == f"multipart/x-mixed-replace; boundary={BOUNDARY}"
    jpegs = parts(body)
    assert len(jpegs) >= 2
    frame = cv2.imdecode(np.frombuffer(jpegs[0], np.uint8), cv2.IMREAD_COLOR)
    assert frame.shape == (1200, 1600, 3)
    assert process_frame(frame, CaptureSettings()).page is not None  # the page on the desk is in the picture
    assert http_get(sim.port, "/other", 100).startswith(b"HTTP/1.0 404")


def test_the_first_scene_is_drawn_from_the_start_and_a_scene_shown_meanwhile_stands() -> None:
    """Drawing takes ~0.8 s of CPU (over 2 s on a loaded CI machine): it starts with the simulator, beside the
    caller, so a first stream seldom waits for it; a scene shown before it ends is what the camera sees."""
    sim = CameraSimulator(scene=Scene("birth", 0, seed=3))
    try:
        assert sim.streams == 0
        assert wait_until(lambda: sim.shot is not None, 30, "the first scene drawn with no stream open")
    finally:
        sim.close()
    sim = CameraSimulator(scene=Scene("birth", 0, seed=3))
    try:
        assert wait_until(lambda: sim._drawing.locked(), 30, "the first drawing under way")
        shown = sim.show(Scene(blank=True))  # a blank scene is drawn at once, while the first is still drawing
        assert wait_until(lambda: not sim._drawing.locked(), 30, "the first drawing over")
        assert sim.shot is shown and sim.scene == Scene(blank=True)
    finally:
        sim.close()


def test_protocol_checks_what_goes_over_the_wire() -> None:
    with pytest.raises(ProtocolError):
        mjpeg_part(b"not a jpeg")
    _ok, data = cv2.imencode(".jpg", np.zeros((20, 20, 3), np.uint8))
    assert mjpeg_part(data.tobytes()).startswith(f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n".encode())
    assert fourcc("MJPG") == cv2.VideoWriter.fourcc(*"MJPG") and fourcc_text(fourcc("YUYV")) == "YUYV"
    with pytest.raises(ProtocolError):
        fourcc("MJPEG")
    for bad in (np.zeros((100, 100), np.uint8), np.zeros((100, 100, 3), np.float32), np.zeros((4, 4, 3), np.uint8)):
        with pytest.raises(ProtocolError):
            check_frame(bad)


def test_the_factory_refuses_what_it_cannot_build() -> None:
    with pytest.raises(DriverError, match="not supported"):
        open_from_config(DeviceSection(transport="serial", address="/dev/ttyS0"))
    with pytest.raises(DriverError, match="stream URL"):
        open_from_config(DeviceSection(transport="network", address="/dev/video0"))
    with pytest.raises(DriverError, match="preview_fps"):
        open_from_config(DeviceSection(transport="v4l2", address="/dev/video0", options={"preview_fps": "lots"}))
    with pytest.raises(DriverError, match="address"):
        open_from_config(DeviceSection(transport="v4l2", address=""))


def test_a_v4l2_camera_that_is_not_there_is_gone(own_devices: None, tmp_path: Path) -> None:
    camera = open_from_config(DeviceSection(transport="v4l2", address=str(tmp_path / "video9")))
    with pytest.raises(DeviceGone, match="not there"):
        camera.open()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "kiosk.db")
    yield s
    s.close()


@pytest.fixture
def camera(store: Store) -> Iterator[tuple[DeviceRunner, OpenCvCamera, CameraSimulator]]:
    """A simulated camera through the real OpenCV link and facade, on a started runner."""
    device = open_from_config(DeviceSection(transport="simulator", timeout_s=1.0, poll_s=POLL,
                                            options={"fps": "10", "preview_fps": "4"}))  # fmt: skip
    runner = DeviceRunner(device, StatusSink(store), poll_s=POLL, backoff_max_s=0.5)
    runner.start()
    yield runner, device, device.simulator
    assert runner.stop(5.0)


def open_codes(store: Store) -> set[str]:
    return {f.code for f in store.open_faults() if f.device == "camera"}


def test_preview_frames_flow_at_the_preview_rate_and_capture_is_full_size(camera, store: Store) -> None:
    runner, device, sim = camera
    assert wait_until(lambda: runner.last_status and runner.last_status.state == DeviceState.OK, 10, "camera OK")
    assert wait_until(lambda: sim.streams == 0, 5, "the probe's stream closed")  # no preview: no decoding
    previews = []
    device.subscribe(previews.append)
    sim.show(Scene("hukou", 1, seed=4))
    runner.submit(device.start_preview).result(5)
    assert wait_until(lambda: len(previews) >= 6, 10, "six preview frames")
    started, count = time.monotonic(), len(previews)
    wait_until(lambda: len(previews) >= count + 4, 10, "four more preview frames")
    rate = (len(previews) - count) / (time.monotonic() - started)
    assert rate < 6.5  # throttled to about 4 a second while the camera sends 10
    assert previews[-1].width == 640 and previews[-1].full_width == 1600
    assert [p.seq for p in previews] == sorted({p.seq for p in previews})
    frame = runner.submit(device.capture).result(5)
    assert frame.shape == (1200, 1600, 3)
    runner.submit(device.stop_preview).result(5)
    assert wait_until(lambda: sim.streams == 0, 5, "the stream closed")
    assert device._latest is None  # the last picture of a document is not kept


@pytest.mark.parametrize("slow", [False, True], ids=["keeping up", "falling behind"])
def test_a_capture_shows_what_lies_there_after_the_press(camera, slow: bool) -> None:
    """Never a frame exposed before the press, even when the device thread fell behind the stream and frames
    queued up in the socket (a busy machine: here a preview listener taking longer than the frames come)."""
    runner, device, sim = camera
    wait_until(lambda: runner.last_status and runner.last_status.usable, 10, "camera OK")
    if slow:
        device.subscribe(lambda _frame: time.sleep(0.35))
    runner.submit(device.start_preview).result(5)
    settings = CaptureSettings()
    for _ in range(3):
        sim.show(Scene(None, seed=1))  # the desk, empty
        assert process_frame(runner.submit(device.capture).result(5), settings).problem == "not_found"
        sim.show(Scene("marriage", 1, seed=5))  # a page laid down, then the button pressed
        assert process_frame(runner.submit(device.capture).result(5), settings).page is not None


def test_unplugged_camera_is_offline_then_back(camera, store: Store) -> None:
    runner, device, sim = camera
    wait_until(lambda: runner.last_status and runner.last_status.usable, 10, "camera OK")
    runner.submit(device.start_preview).result(5)
    sim.unplug()
    assert wait_until(lambda: open_codes(store) == {FaultCode.DEVICE_OFFLINE}, 10, "camera offline")
    assert runner.last_status.state == DeviceState.ABSENT
    with pytest.raises(DriverError):
        runner.submit(device.capture).result(5)
    sim.replug()
    assert wait_until(lambda: runner.last_status.state == DeviceState.OK and not open_codes(store), 10, "back")
    assert not device.previewing  # the shell starts the preview again when it wants one


def test_an_idle_camera_pulled_out_is_noticed_by_the_status_poll(camera, store: Store) -> None:
    runner, _device, sim = camera
    wait_until(lambda: runner.last_status and runner.last_status.usable, 10, "camera OK")
    sim.unplug()
    assert wait_until(lambda: open_codes(store) == {FaultCode.DEVICE_OFFLINE}, 10, "camera offline")


def test_a_hung_stream_times_out(camera, store: Store) -> None:
    runner, device, sim = camera
    wait_until(lambda: runner.last_status and runner.last_status.usable, 10, "camera OK")
    runner.submit(device.start_preview).result(5)
    sim.stall()
    assert wait_until(lambda: open_codes(store) == {FaultCode.DEVICE_OFFLINE}, 10, "a hung camera reported")
    assert "frame" in runner.last_status.detail["message"]
    sim.stall(False)
    assert wait_until(lambda: runner.last_status.usable, 10, "the camera back")


def test_blank_pictures_are_a_fault_of_their_own(camera, store: Store) -> None:
    runner, device, sim = camera
    wait_until(lambda: runner.last_status and runner.last_status.usable, 10, "camera OK")
    sim.show(Scene(blank=True))  # the lamp broke
    assert not runner.submit(device.self_test).result(5).ok
    assert wait_until(lambda: open_codes(store) == {FaultCode.CAMERA_NO_IMAGE}, 10, "no image reported")
    assert runner.last_status.state == DeviceState.FAULT
    sim.show(Scene(None, seed=2))
    runner.submit(device.self_test).result(5)
    assert wait_until(lambda: not open_codes(store) and runner.last_status.usable, 10, "the fault cleared")


def test_the_link_bounds_a_read_on_a_silent_stream() -> None:
    """A server that accepts and then says nothing: the open or the read gives up within the timeout."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    held: list[socket.socket] = []
    accepter = threading.Thread(target=lambda: held.append(server.accept()[0]), daemon=True)
    accepter.start()
    link = VideoLink(f"http://127.0.0.1:{server.getsockname()[1]}{STREAM_PATH}", timeout_s=0.5)
    started = time.monotonic()
    try:
        with pytest.raises((DeviceGone, DeviceTimeout)):
            link.open()
            link.read()
        assert time.monotonic() - started < 5
    finally:
        link.close()
        for conn in held:
            conn.close()
        server.close()
