"""Sample cards on simulated card readers: none at the start of ``kiosk run``, put in and taken out by hand.

A simulated reader that starts with a card in it signs the kiosk in by itself at start, then waits for a card
that nobody can take away. So ``kiosk run`` starts its simulated readers empty (:func:`empty_readers`), and the
technician screen puts a sample card in or takes it out (:func:`toggle`), the way the demo's F2 does.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from kiosk.config import Config

READERS = ("id_reader", "sscard_reader")


def empty_readers(config: Config) -> Config:
    """``config`` with every simulated card reader that names no card starting with none."""
    devices = config.devices
    for kind in READERS:
        section = getattr(devices, kind)
        if section.transport == "simulator" and "card" not in section.options:
            empty = dataclasses.replace(section, options={**section.options, "card": ""})
            devices = dataclasses.replace(devices, **{kind: empty})
    return dataclasses.replace(config, devices=devices)


def _reader(bridge: Any, kind: str) -> Any:
    """The simulated reader of ``kind`` (the object with ``insert``), or None for a real one."""
    if kind not in READERS or not bridge.has(kind):
        return None
    device = bridge.device(kind)
    sim = getattr(device, "simulator", device)  # the ID reader talks to its simulator over a pty
    return sim if hasattr(sim, "insert") else None


def simulated(bridge: Any) -> list[str]:
    """The card readers of this kiosk that are simulators."""
    return [kind for kind in READERS if _reader(bridge, kind) is not None]


def card_in(bridge: Any, kind: str) -> bool:
    """Whether the simulated reader of ``kind`` has a card in it."""
    sim = _reader(bridge, kind)
    if sim is None:
        return False
    return bool(sim.card_present()) if hasattr(sim, "card_present") else sim.card is not None


def toggle(bridge: Any, kind: str) -> bool:
    """Put the sample card in the simulated reader of ``kind``, or take it out; True when one is in now."""
    sim = _reader(bridge, kind)
    if sim is None:
        return False
    if card_in(bridge, kind):
        sim.remove() if hasattr(sim, "remove") else sim.insert(None)
        return False
    sim.insert("normal") if kind == "id_reader" else sim.insert()
    return True
