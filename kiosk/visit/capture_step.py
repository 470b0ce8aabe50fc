"""The capture step's actions: the bundle's materials photographed one at a time with the document camera.

The pages come from the shell, which has the camera take and process them off the GUI thread
(:mod:`kiosk.capture.pipeline`); the session only keeps them: ``Visit.materials`` (material id -> pages) is
what the submission hands over (``_photographed_pages``: staged in the store, linked to the submission and sent
to the hall), and every material without a page is still to be brought to the window (容缺受理). None of these
actions moves the visit except :meth:`CaptureSteps.photograph_materials`; the session's ``confirm`` sends.
"""

from __future__ import annotations

import logging

from kiosk.capture.page import HINTS, Page
from kiosk.catalog import Text
from kiosk.visit.core import SessionCore
from kiosk.visit.flow import SessionError, Step
from kiosk.visit.materials import (
    MAX_PAGES_PER_MATERIAL,
    MAX_PAGES_PER_VISIT,
    CaptureView,
    capture_view,
    material_ids,
    pages_by_index,
)

log = logging.getLogger(__name__)

TOO_MANY_PAGES = Text(
    f"这一项最多拍{MAX_PAGES_PER_MATERIAL}页，其余请到窗口递交。",
    f"At most {MAX_PAGES_PER_MATERIAL} pages for one material: please bring the rest to the window.",
)
TOO_MANY_IN_ALL = Text(
    f"本次最多拍{MAX_PAGES_PER_VISIT}页，其余材料请到窗口递交。",
    f"At most {MAX_PAGES_PER_VISIT} pages in one visit: please bring the other materials to the window.",
)
NO_CAMERA = Text(
    "拍照设备暂时不能使用，请直接提交，材料带到窗口。",
    "The document camera is not working now: please send, and bring the materials to the window.",
)
NO_MATERIALS = Text("这一事项不需要提交材料，请直接提交。", "Nothing to hand in for this item: please send it.")
PHOTOGRAPH_OR_SKIP = Text(
    "请先拍照，或选择“到窗口补交”。", "Photograph this one first, or choose to bring it to the window."
)


class CaptureSteps(SessionCore):
    """The capture step on top of the visit machinery (mixed into :class:`kiosk.visit.session.Session`)."""

    def camera_ready(self) -> bool:
        """Whether the document camera works now (a failing probe counts as no camera)."""
        try:
            return bool(self._camera_ready())
        except Exception:  # the shell's device state may fail in any way; photographing is then not offered
            log.exception("camera state unavailable")
            return False

    @property
    def photographed(self) -> dict[str, tuple[Page, ...]]:
        """The pages taken so far, by material id (``m1``...), in order: what the submission hands over."""
        return {mid: tuple(pages) for mid, pages in self._visit.materials.items() if pages}

    def _photographed_pages(self) -> dict[int, list[tuple[bytes, str]]]:
        """The hook :meth:`SessionCore._stage_pages` takes at ``confirm``: the pages kept, by the material's
        index in the notice (``m1`` is 0), as (JPEG bytes, media type); the receipt lists the same materials."""
        chosen = self._visit.chosen
        return {} if chosen is None else pages_by_index(chosen.notice.materials, self._visit.materials)

    def _can_photograph(self) -> bool:
        """After the form: photograph the materials when there are any and the camera works."""
        chosen = self._visit.chosen
        return chosen is not None and bool(chosen.notice.materials) and self.camera_ready()

    def _ids(self) -> tuple[str, ...]:
        chosen = self._visit.chosen
        assert chosen is not None
        return material_ids(chosen.notice.materials)

    def _start_capture(self) -> None:
        """Entering the capture step: go on with the material in hand, else the first not yet dealt with."""
        v, ids = self._visit, self._ids()
        if v.capturing not in ids:
            pending = [mid for mid in ids if not v.materials.get(mid) and mid not in v.skipped]
            v.capturing = pending[0] if pending else ids[0]

    def _capture_action(self, material_id: str) -> str:
        """Check the capture step is on and ``material_id`` is one of its materials; counts as activity."""
        if self._step != Step.CAPTURE:
            raise SessionError("invalid_action", Text("当前页面不能拍照", f"no capture in step {self._step!s}"))
        if material_id not in self._ids():
            raise SessionError("unknown_material", Text("没有这一项材料", f"no material {material_id!r}"))
        self.touch()
        return material_id

    def add_page(self, material_id: str, page: Page) -> int:
        """Keep ``page`` as the next page of ``material_id``; returns how many pages it has now."""
        self._capture_action(material_id)
        if not isinstance(page, Page):
            raise SessionError("bad_value", Text("照片无效", f"expected a Page, got {type(page).__name__}"))
        v = self._visit
        pages = v.materials.setdefault(material_id, [])
        if len(pages) >= MAX_PAGES_PER_MATERIAL:
            raise self._refuse("too_many_pages", TOO_MANY_PAGES)
        if sum(len(p) for p in v.materials.values()) >= MAX_PAGES_PER_VISIT:
            raise self._refuse("too_many_pages", TOO_MANY_IN_ALL)
        pages.append(page)
        v.skipped.discard(material_id)
        v.capturing, v.message = material_id, None
        log.info("material %s: page %d kept (%d bytes)", material_id, len(pages), page.size)
        return len(pages)

    def retake_page(self, material_id: str, index: int = -1) -> int:
        """Drop page ``index`` (default the last) of ``material_id`` to photograph it again; pages left."""
        self._capture_action(material_id)
        pages = self._visit.materials.get(material_id, [])
        if not -len(pages) <= index < len(pages):
            raise SessionError("no_such_page", Text("没有这一页", f"no page {index} of {material_id}"))
        del pages[index]
        self._visit.capturing, self._visit.message = material_id, None
        return len(pages)

    def skip_material(self, material_id: str) -> None:
        """容缺: the citizen will bring ``material_id`` to the window (its pages are dropped); on to the next."""
        self._capture_action(material_id)
        v = self._visit
        v.materials.pop(material_id, None)
        v.skipped.add(material_id)
        v.message = None
        self._move_on(material_id)

    def next_material(self) -> None:
        """The current material is photographed: on to the next one (refused while it has no page)."""
        v = self._visit
        current = self._capture_action(v.capturing or "")
        if not v.materials.get(current):
            raise self._refuse("photograph_or_skip", PHOTOGRAPH_OR_SKIP)
        v.message = None
        self._move_on(current)

    def _move_on(self, material_id: str) -> None:
        ids = self._ids()
        later = ids[ids.index(material_id) + 1 :]
        v = self._visit
        following = [mid for mid in later if not v.materials.get(mid) and mid not in v.skipped]
        v.capturing = following[0] if following else (later[0] if later else material_id)

    def select_material(self, material_id: str) -> None:
        """Photograph ``material_id`` now (the citizen tapped it in the list)."""
        self._visit.capturing = self._capture_action(material_id)
        self._visit.message = None

    def capture_problem(self, problem: str) -> None:
        """The last photograph was not kept: show why in plain words (a key of ``kiosk.capture.page.HINTS``)."""
        if self._step != Step.CAPTURE:
            raise SessionError("invalid_action", Text("当前页面不能拍照", f"no capture in step {self._step!s}"))
        hint = HINTS.get(problem)
        if hint is None:
            raise SessionError("bad_value", Text("照片无效", f"unknown capture problem {problem!r}"))
        self.touch()
        self._visit.message = hint

    def photograph_materials(self) -> None:
        """From the review: photograph the materials before sending (only while the camera works)."""
        self._require("photograph")
        chosen = self._visit.chosen
        if chosen is None or not chosen.notice.materials:
            raise self._refuse("no_materials", NO_MATERIALS)
        if not self.camera_ready():
            raise self._refuse("no_camera", NO_CAMERA)
        self._go("photograph")

    def _capture_view(self) -> CaptureView | None:
        v = self._visit
        if self._step != Step.CAPTURE or v.chosen is None:
            return None
        return capture_view(v.chosen.notice.materials, v.materials, v.skipped, v.capturing or self._ids()[0],
                            self.camera_ready())  # fmt: skip
