"""The hidden gesture that opens the technician's PIN pad: five taps on the hall's name within three seconds.

The hall's name sits at the top left of the header and does nothing when tapped, so the taps disturb no screen;
its whole width counts (``CornerTaps.area``), and the top-left corner square counts too. A
citizen does not tap a label five times in a row by chance, and a tap anywhere else starts the count again.
The gesture alone opens nothing but the PIN pad.

On a touchscreen Qt delivers a tap to the window twice: a TouchBegin, then a mouse press synthesized from it.
Only the first counts; a real mouse (the windowed demo) counts through its presses.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRect
from PySide6.QtGui import QInputDevice, QMouseEvent, QTouchEvent

TAPS = 5
WITHIN_S = 3.0


def tap_position(event: QEvent) -> QPointF | None:
    """Where a new tap landed (window coordinates), or None if ``event`` is not the start of a tap."""
    if event.type() == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent) and event.points():
        return event.points()[0].position()
    if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
        device = event.device()
        if device is not None and device.type() == QInputDevice.DeviceType.TouchScreen:
            return None  # synthesized from a touch already counted
        return event.position()
    return None


class CornerTaps:
    """Counts taps in a ``size`` × ``size`` square at the top-left, or in ``area`` (the hall name's rectangle,
    set by the shell); ``tap()`` is True on the completing tap."""

    def __init__(self, size: float, *, taps: int = TAPS, within_s: float = WITHIN_S) -> None:
        self.size = size
        self.area: QRect | None = None
        self.taps = taps
        self.within_s = within_s
        self._times: list[float] = []

    def tap(self, x: float, y: float, now: float) -> bool:
        """A tap at (x, y) at time ``now`` (monotonic seconds); True when it completes the gesture."""
        in_area = self.area is not None and self.area.contains(round(x), round(y))
        if not (in_area or (0 <= x < self.size and 0 <= y < self.size)):
            self._times.clear()  # a tap elsewhere: the citizen is using the screen
            return False
        self._times = [t for t in self._times if now - t <= self.within_s] + [now]
        if len(self._times) >= self.taps:
            self._times.clear()
            return True
        return False

    def reset(self) -> None:
        """Forget the taps so far."""
        self._times.clear()
