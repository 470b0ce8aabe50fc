"""The error a config section's own checks raise, and the sections that live outside ``kiosk/config.py``.

``kiosk/config.py`` turns :class:`InvalidSetting` into a ConfigError naming the file and the key's full path.
The device sections live here (``kiosk.config`` re-exports them) so the keypad's can subclass the others'.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class InvalidSetting(ValueError):
    """Raised by a section's own checks; turned into ConfigError with the file name."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(problem)
        self.key = key
        self.problem = problem


def check_choice(key: str, value: str, allowed: set[str] | frozenset[str]) -> None:
    """InvalidSetting unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise InvalidSetting(key, f"expected one of {sorted(allowed)}, got {value!r}")


def check_range(key: str, value: float, low: float, high: float) -> None:
    """InvalidSetting unless ``low <= value <= high``."""
    if not low <= value <= high:
        raise InvalidSetting(key, f"expected a value from {low} to {high}, got {value!r}")


@dataclass(frozen=True)
class VoiceSection:
    """Voice guidance (语音播报, kiosk/voice.py): prompts spoken by espeak-ng; a citizen can mute it on screen."""

    enabled: bool = True
    volume: int = 80  # percent of espeak-ng's full amplitude; the on-screen control changes it for one visit
    player: str = ""  # a command that plays a WAV from stdin (e.g. "aplay -q"); "": espeak-ng plays it itself
    rate: int = 150  # words per minute (espeak-ng -s); slower than its default 175, for older citizens

    def __post_init__(self) -> None:
        if not 0 <= self.volume <= 100:
            raise InvalidSetting("volume", f"expected 0 to 100 (percent), got {self.volume!r}")
        if not 80 <= self.rate <= 300:
            raise InvalidSetting("rate", f"expected 80 to 300 (words per minute), got {self.rate!r}")


DEVICE_TRANSPORTS = frozenset(
    {"simulator", "serial", "usb", "network", "file", "pcsc", "evdev", "cups", "v4l2", "none"}
)


@dataclass(frozen=True)
class DeviceSection:
    """One device. ``transport`` picks the backend; "simulator" runs the built-in simulator."""

    enabled: bool = True
    transport: str = "simulator"
    address: str = ""  # /dev/ttyUSB0 | host:port | vid:pid | file path | PC/SC reader name part
    baudrate: int = 115200
    timeout_s: float = 2.0
    poll_s: float = 5.0  # status poll interval
    options: dict[str, str] = field(default_factory=dict)  # backend-specific extras

    def __post_init__(self) -> None:
        check_choice("transport", self.transport, DEVICE_TRANSPORTS)
        check_range("timeout_s", self.timeout_s, 0.05, 120)
        check_range("poll_s", self.poll_s, 0.1, 3600)


KEYPAD_TRANSPORTS = frozenset({"none", "evdev", "simulator"})


@dataclass(frozen=True)
class KeypadSection(DeviceSection):
    """``[devices.keypad]``: the EZ Access style keypad (up, down, select, back, help) for non-visual navigation,
    read through evdev like the scanner. Not fitted unless configured (transport "none"), unlike the other kinds:
    most kiosks of a hall have none. ``evdev`` picks it by ``name`` (a substring of the input device's name),
    ``vendor_id`` (USB, hex) or ``address`` (a fixed node, e.g. /dev/input/by-id/...-event-kbd)."""

    transport: str = "none"
    name: str = ""
    vendor_id: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        check_choice("transport", self.transport, KEYPAD_TRANSPORTS)
        if self.enabled and self.transport == "evdev" and not (self.name or self.vendor_id or self.address):
            raise InvalidSetting("name", "set name, vendor_id or address to pick the keypad")
        if self.vendor_id:
            try:
                int(self.vendor_id, 16)
            except ValueError:
                problem = f"expected a hex USB id such as 04d9, got {self.vendor_id!r}"
                raise InvalidSetting("vendor_id", problem) from None
