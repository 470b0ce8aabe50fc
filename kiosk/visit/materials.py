"""The materials of a visit (一套材料): which the citizen photographed at the kiosk, which they will bring to the
window (容缺受理), and the plain-data view of the capture step.

A material has no id in the catalog: within one item's notice it is known by its place, ``m1``, ``m2``...
(stable for a catalog version, which the submission names). The pages themselves are
:class:`kiosk.capture.page.Page`: personal data kept in the visit's memory only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kiosk.capture.page import Page
from kiosk.catalog import Material

MAX_PAGES_PER_MATERIAL = 10
MAX_PAGES_PER_VISIT = 40  # at the page budget (500 kB) this bounds a visit's photographs to 20 MB of memory


def material_id(index: int) -> str:
    """The id of the material at ``index`` (0-based) of a notice's list."""
    return f"m{index + 1}"


def material_ids(materials: Sequence[Material]) -> tuple[str, ...]:
    """The ids of a notice's materials, in order."""
    return tuple(material_id(i) for i in range(len(materials)))


@dataclass(frozen=True)
class MaterialView:
    """One material on the capture screen: its pages so far, and whether it will come to the window instead."""

    id: str
    material: Material
    pages: tuple[Page, ...] = field(repr=False)  # personal: photographs of the citizen's documents
    skipped: bool  # 容缺: the citizen chose to bring it to the window

    @property
    def photographed(self) -> bool:
        """Whether at least one page of it was taken."""
        return bool(self.pages)


@dataclass(frozen=True)
class CaptureView:
    """The capture step as the screen shows it: every material, the one being photographed, the camera."""

    materials: tuple[MaterialView, ...]
    current: str  # id of the material being photographed now
    camera_ready: bool  # False: the camera failed meanwhile; the rest goes to the window
    max_pages: int = MAX_PAGES_PER_MATERIAL

    @property
    def index(self) -> int:
        """Place of the current material (0-based)."""
        return next((i for i, m in enumerate(self.materials) if m.id == self.current), 0)

    @property
    def current_material(self) -> MaterialView:
        """The material being photographed now."""
        return self.materials[self.index]

    @property
    def is_last(self) -> bool:
        """Whether the current material is the last of the list."""
        return self.index == len(self.materials) - 1


def still_to_bring(materials: Sequence[Material], pages: Mapping[str, Sequence[Page]]) -> tuple[Material, ...]:
    """The materials with no page photographed: exactly what the citizen still has to bring to the window."""
    return tuple(m for mid, m in zip(material_ids(materials), materials, strict=True) if not pages.get(mid))


def provided(materials: Sequence[Material], pages: Mapping[str, Sequence[Page]]) -> tuple[tuple[Material, int], ...]:
    """(material, pages photographed) for every material handed in at the kiosk, in the notice's order."""
    return tuple(
        (m, len(pages[mid])) for mid, m in zip(material_ids(materials), materials, strict=True) if pages.get(mid)
    )


def pages_by_index(
    materials: Sequence[Material], pages: Mapping[str, Sequence[Page]]
) -> dict[int, list[tuple[bytes, str]]]:
    """The photographed pages as the submission stages them (``SessionCore._photographed_pages``): by the
    material's index (0-based) in the notice's list, each page as (JPEG bytes, media type). Exactly the
    materials :func:`provided` lists, so the receipt and the submission's ``materials`` agree."""
    return {
        i: [(page.jpeg, page.media_type) for page in pages[mid]]
        for i, mid in enumerate(material_ids(materials))
        if pages.get(mid)
    }


def capture_view(
    materials: Sequence[Material], pages: Mapping[str, Sequence[Page]], skipped: frozenset[str] | set[str],
    current: str, camera_ready: bool,
) -> CaptureView:
    """The plain-data view of the capture step."""
    return CaptureView(
        materials=tuple(
            MaterialView(mid, m, tuple(pages.get(mid, ())), mid in skipped)
            for mid, m in zip(material_ids(materials), materials, strict=True)
        ),
        current=current,
        camera_ready=camera_ready,
    )  # fmt: skip
