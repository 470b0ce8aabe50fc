"""The document camera through the capture screen: the simulated camera (MJPEG over HTTP, read by the real
OpenCV driver on its own thread) photographs sample certificates laid on the desk; pages are found, cropped,
judged and kept; the camera failing falls back to "bring it to the window"; no camera, no capture step."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from drivers.camera.simulator import Scene
from drivers.camera.simulator.documents import qr_text
from kiosk.visit.flow import Step
from tests.camera import read_qr

from .conftest import Kiosk
from .test_visit import fill

pytestmark = pytest.mark.timeout(240)


def to_capture(k: Kiosk) -> None:
    """Card, bundle 新生儿出生, notice, form filled, review, then photograph."""
    k.wait(lambda: k.runtime.bridge.usable("camera"))
    k.to_form()
    fill(k)
    k.tap(k.screen.submit)
    k.wait_step(Step.REVIEW)
    assert k.view.photograph_next and "拍照" in k.screen.confirm.text()
    k.tap(k.screen.confirm)
    k.wait_step(Step.CAPTURE)


def take(k: Kiosk, button) -> object:
    """Tap a photo button and wait until the camera's thread has taken and processed the picture."""
    results: list[object] = []
    k.shell.camera.captured.connect(results.append)
    try:
        k.tap(button)
        assert k.shell.camera.busy and not k.screen.take.isEnabled()  # no second press while it works
        k.wait(lambda: bool(results))
    finally:
        k.shell.camera.captured.disconnect(results.append)
    return results[0]


def lay(k: Kiosk, scene: Scene) -> None:
    """Lay ``scene`` on the desk and wait until the preview shows it (the outline found, or not)."""
    k.runtime.device("camera").simulator.show(scene)
    shown = k.shell.camera.previews
    k.wait(lambda: k.shell.camera.previews >= shown + 2)


def test_two_materials_photographed_one_skipped_and_the_receipt_lists_the_rest(kiosk_factory) -> None:
    k = kiosk_factory(camera=True)
    sim = k.runtime.device("camera").simulator
    sim.show(Scene(None, seed=1))
    to_capture(k)
    screen = k.screen
    k.wait(lambda: screen.preview.image is not None)  # the live picture reached the GUI thread
    assert sim.streams == 1
    assert "第1项（共5项）：夫妻双方身份证" in screen.heading.text()
    assert "平放" in screen.preview_note.text()  # nothing on the desk yet
    k.tap(screen.skip)  # 容缺: the ID cards go to the window
    assert "第2项" in screen.heading.text() and "户口簿" in screen.heading.text()
    lay(k, Scene("hukou", 0, seed=21, angle=-7))
    k.wait(lambda: "已找到材料" in screen.preview_note.text())
    result = take(k, screen.take)
    assert result.page is not None and k.session.view().capture.current_material.photographed
    assert screen.take.text() == "再拍一页" and screen.thumb_labels[0].isVisible()
    lay(k, Scene("hukou", 1, seed=22, angle=5))
    take(k, screen.take)
    lay(k, Scene("hukou", 1, seed=23, blur=3.5))  # the hand moved: refused, with the hint
    before = [p.sha256 for p in k.session.view().capture.current_material.pages]
    assert take(k, screen.retake).problem == "blurred"
    assert "模糊" in screen.message.text() and screen.message.isVisible()
    assert [p.sha256 for p in k.session.view().capture.current_material.pages] == before  # the old page stays
    lay(k, Scene("hukou", 1, seed=24, angle=-4))
    take(k, screen.retake)  # a good retake replaces the last page
    pages = k.session.view().capture.current_material.pages
    assert len(pages) == 2 and pages[0].sha256 == before[0] and pages[1].sha256 != before[1]
    assert screen.message.text() == "" and "2页" in screen.pages_note.text()
    for n, page in enumerate(pages):
        image = cv2.imdecode(np.frombuffer(page.jpeg, np.uint8), cv2.IMREAD_COLOR)
        assert read_qr(image) == qr_text("hukou", n)  # cropped, deskewed and legible
        assert page.size <= 500_000
    k.tap(screen.next)
    lay(k, Scene("marriage", 0, seed=25, angle=9, light=0.7))
    take(k, screen.take)
    assert "已拍照2项" in screen.progress.text() and "到窗口补交1项" in screen.progress.text()
    k.tap(screen.send)
    k.wait_step(Step.RECEIPT)  # the shell goes on from SUBMITTED by itself: number, QR and the printout
    k.wait(lambda: sim.streams == 0)  # the preview stopped with the step
    details = k.screen.details.plain_text()
    assert "夫妻双方户口簿（已拍照2页）" in details and "夫妻双方结婚证（已拍照1页）" in details
    to_bring = details[details.index("请携带以下材料到窗口") :]
    assert "夫妻双方身份证" in to_bring and "出生医学证明" in to_bring and "民族成份确认书" in to_bring
    assert "户口簿" not in to_bring and "结婚证" not in to_bring
    k.wait(lambda: len(k.printer.pages) == 1)
    printed = k.printer.pages[0].text()
    assert "已拍照提交的材料" in printed and "民族成份确认书" in printed


def test_the_camera_unplugged_mid_capture_falls_back_to_the_window_and_comes_back(kiosk_factory) -> None:
    k = kiosk_factory(camera=True)
    sim = k.runtime.device("camera").simulator
    to_capture(k)
    screen = k.screen
    lay(k, Scene("birth", 0, seed=31))
    take(k, screen.take)
    sim.unplug()
    k.wait(lambda: not k.session.view().capture.camera_ready)
    k.wait(lambda: not screen.take.isEnabled() and "不能使用" in screen.preview.text())
    assert screen.skip.isEnabled() and screen.send.isEnabled()  # the way on: send, bring the rest
    sim.replug()
    k.wait(lambda: k.session.view().capture.camera_ready and screen.take.isEnabled(), timeout_ms=20_000)
    shown = k.shell.camera.previews
    k.wait(lambda: k.shell.camera.previews > shown + 1)  # the preview started again by itself
    sim.unplug()
    k.wait(lambda: not k.session.view().capture.camera_ready)
    k.tap(screen.send)
    k.wait_step(Step.RECEIPT)  # SUBMITTED goes on to RECEIPT by itself
    receipt = k.session.view().receipt
    assert [m.name.zh for m, _ in receipt.provided] == ["夫妻双方身份证"]
    assert len(receipt.materials) == 4


@pytest.mark.parametrize("fitted", [False, True], ids=["no camera", "camera gone"])
def test_without_a_working_camera_the_visit_is_as_before(kiosk_factory, fitted: bool) -> None:
    k = kiosk_factory(camera=fitted)
    if fitted:
        k.wait(lambda: k.runtime.bridge.usable("camera"))
        k.runtime.device("camera").simulator.unplug()
        k.wait(lambda: not k.runtime.bridge.usable("camera"))
    k.to_form()
    fill(k)
    k.tap(k.screen.submit)
    k.wait_step(Step.REVIEW)
    assert not k.view.photograph_next and "拍照" not in k.screen.confirm.text()
    k.tap(k.screen.confirm)
    k.wait_step(Step.RECEIPT)  # straight on: no capture step (SUBMITTED goes on by itself)
    receipt = k.session.view().receipt
    assert receipt.provided == () and receipt.materials == k.session.view().notice.materials
