"""Restarting the kiosk's services after a switch: ``systemctl restart kiosk-ui kiosk-sync`` in production,
anything with a ``restart(units)`` method in tests (which record the calls)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from provisioning.updater.slots import Runner, run_command

UNITS = ("kiosk-sync.service", "kiosk-ui.service")


class ServiceManager(Protocol):
    """Restarts units; raises when that fails."""

    def restart(self, units: Sequence[str]) -> None: ...


class Systemctl:
    """The real service manager. ``systemctl restart`` returns once the units are up again (Type=notify: after
    READY=1) or have failed, so the processes of the previous version are gone when it returns."""

    def __init__(self, runner: Runner = run_command) -> None:
        self._runner = runner

    def restart(self, units: Sequence[str]) -> None:
        """Restart ``units``; raises :class:`~provisioning.updater.slots.SlotError` if systemctl fails."""
        self._runner(["systemctl", "restart", *units])
