"""Idle: a countdown warning, then back to attract with every personal field gone from widgets and memory."""

from __future__ import annotations

import gc
from dataclasses import fields, is_dataclass
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from kiosk.visit.flow import Step
from ui.privacy import leaks

from .conftest import Kiosk
from .online_rig import LI, Rig, answered, broker, rig, rig_factory, to_form, type_field
from .test_visit import fill

__all__ = ["broker", "rig", "rig_factory"]  # fixtures, used by name

PERSONAL = ["李示例", "150602198503151236", "王小禾", "13904771234", "李示范", "示例路8号", "J150602-2015-001234"]


def python_leaks(root: Any, secrets: list[str], limit: int = 200_000) -> list[str]:
    """Paths to strings containing a secret, reachable from ``root``'s Python attributes (widgets included)."""
    found: list[str] = []
    seen: set[int] = set()
    todo: list[tuple[Any, str]] = [(root, "shell")]
    while todo and len(seen) < limit:
        obj, path = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            found += [f"{path}: {s}" for s in secrets if s in obj]
            continue
        if isinstance(obj, bytes | int | float | bool | type(None)) or (callable(obj) and not isinstance(obj, QObject)):
            continue
        if isinstance(obj, dict):
            todo += [(v, f"{path}[{k!r}]") for k, v in obj.items()] + [(k, f"{path}.key") for k in obj]
        elif isinstance(obj, list | tuple | set | frozenset):
            todo += [(v, f"{path}[{i}]") for i, v in enumerate(obj)]
        elif is_dataclass(obj) and not isinstance(obj, type):
            todo += [(getattr(obj, f.name), f"{path}.{f.name}") for f in fields(obj)]
        elif hasattr(obj, "__dict__") and obj.__class__.__module__.split(".")[0] in ("ui", "kiosk"):
            todo += [(v, f"{path}.{k}") for k, v in vars(obj).items()]
        if isinstance(obj, QWidget):
            todo += [(c, f"{path}/{type(c).__name__}") for c in obj.children()]
    return found


def test_idle_warning_then_timeout_clears_everything(kiosk: Kiosk) -> None:
    k = kiosk
    k.to_form()
    fill(k)
    k.tap(k.screen.submit)
    k.wait_step(Step.REVIEW)
    window = k.shell.window
    # The checks can see personal data while the visit runs (so their empty answer later means something).
    assert leaks(window, PERSONAL) and python_leaks(k.shell, PERSONAL)
    left = k.session.idle_state().seconds_left
    k.advance(left - 10)
    assert window.overlay.isVisible() and window.overlay.remaining() <= 10
    assert "秒" in window.overlay.seconds.text()
    k.tap(window.overlay.go_on)  # "continue" restarts the countdown
    assert not window.overlay.isVisible() and k.session.step == Step.REVIEW
    k.advance(k.session.idle_state().seconds_left - 5)
    assert window.overlay.isVisible()
    k.advance(10)  # nobody came back
    k.wait_step(Step.END)
    k.advance(10)
    k.wait_step(Step.ATTRACT)
    gc.collect()
    assert leaks(window, PERSONAL) == []
    assert python_leaks(k.shell, PERSONAL) == []
    assert k.session.view().greeting_name == "" and k.session.view().fields == ()


def test_elderly_mode_waits_longer(kiosk: Kiosk) -> None:
    k = kiosk
    k.tap(k.screen.start)
    k.wait_step(Step.IDENTIFY)
    normal = k.session.idle_state().seconds_left
    k.tap(k.shell.window.elderly_button)
    assert k.session.idle_state().seconds_left > normal


def test_cancel_ends_visit_and_clears_typed_number(kiosk: Kiosk) -> None:
    k = kiosk
    k.tap(k.screen.start)
    k.wait_step(Step.IDENTIFY)
    k.screen.keypad.set_value("150602198503151236")
    k.tap(k.shell.window.cancel)
    k.wait_step(Step.END)
    assert leaks(k.shell.window, ["150602198503151236", "150602 19850315 1236"]) == []


def test_answers_and_certificate_bytes_are_gone_after_the_idle_timeout(rig: Rig) -> None:
    """Issue 10: a certificate (its PDF in memory for a reprint) and a query's table, shown and printed, are in
    the widgets and the objects while the visit runs, and nowhere once it timed out."""
    k = rig.kiosk
    k.card(True)
    to_form(k, "tax", "iit_record_print")
    type_field(k, "record_start_month", "2025-01")
    type_field(k, "record_end_month", "2025-06")
    k.tap(k.screen.submit)
    certificate_view = answered(k).certificate
    certificate = k.session.certificate()
    assert certificate is not None and len(certificate.pdf) > 1000
    k.wait(lambda: k.screen.reprint.isEnabled(), timeout_ms=30_000)  # printed on A4
    k.tap(k.screen.more)
    to_form(k, "medical_insurance", "mi_account_query")
    k.tap(k.screen.submit)
    table = answered(k).tables[0]
    pages = len(k.printer.pages)
    k.tap(k.screen.print_answer)
    k.wait(lambda: len(k.printer.pages) == pages + 1)
    secrets = [LI[0], LI[1], certificate_view.verification_code, table.rows[-1][-1], table.note.zh]
    window = k.shell.window
    # Every one of them is there while the visit runs (so the empty answers below mean something).
    assert {found[0] for found in leaks(window, secrets)} == set(secrets)
    held = python_leaks(k.shell, secrets)
    assert all(any(path.endswith(f": {secret}") for path in held) for secret in secrets), held
    k.card(False)
    k.advance(k.session.idle_state().seconds_left + 1)  # nobody came back
    k.wait_step(Step.END)
    k.advance(10)
    k.wait_step(Step.ATTRACT)
    gc.collect()
    assert leaks(window, secrets) == []
    assert python_leaks(k.shell, secrets) == []
    assert len(certificate.pdf) == 0 and k.session.certificate() is None  # the PDF bytes were overwritten

def test_photographed_pages_are_gone_after_an_idle_timeout(kiosk_factory) -> None:
    """The pages (and every picture of them: preview, thumbnails, the camera's last frame) leave with the visit."""
    from drivers.camera.simulator import Scene

    from .test_ui_capture import lay, take, to_capture

    k = kiosk_factory(camera=True)
    to_capture(k)
    lay(k, Scene("marriage", 1, seed=41))
    page = take(k, k.screen.take).page
    screen, camera = k.screen, k.runtime.device("camera")
    marks = [page.sha256]  # a page's hash stands for it: found wherever the page or its thumbnail is kept
    assert python_leaks(k.shell, marks) and screen.preview.image is not None and screen._thumbs
    k.advance(k.session.idle_state().seconds_left + 1)
    k.wait_step(Step.END)
    k.advance(10)
    k.wait_step(Step.ATTRACT)
    k.wait(lambda: camera.simulator.streams == 0)
    gc.collect()
    assert python_leaks(k.shell, marks) == []
    assert screen.preview.image is None and screen.preview.pixmap().isNull() and not screen._thumbs
    assert all(t.pixmap().isNull() for t in screen.thumb_labels)
    assert camera._latest is None and not camera.previewing  # the driver kept no frame of the document
