"""The keypad's input node: the scanner's evdev link (find by name / vendor id / path, grab, bounded reads),
matching a device that has arrow and Enter keys rather than letters."""

from __future__ import annotations

from typing import Any

from drivers.scanner.transport import EvdevLink


def _has_arrows(dev: Any) -> bool:
    try:
        from evdev import ecodes

        keys = dev.capabilities().get(ecodes.EV_KEY, [])
    except (AttributeError, OSError, ImportError):
        return True  # cannot tell: accept
    return ecodes.KEY_UP in keys and ecodes.KEY_DOWN in keys


class KeypadLink(EvdevLink):
    """The keypad's grabbed evdev node (grabbed, so its keys never reach the GUI as typing)."""

    def _matches(self, dev: Any) -> bool:
        by_name = bool(self.name) and self.name.lower() in str(dev.name).lower()
        by_id = (
            self.vendor_id is not None
            and dev.info.vendor == self.vendor_id
            and (self.product_id is None or dev.info.product == self.product_id)
        )
        return (by_name or by_id) and _has_arrows(dev)
