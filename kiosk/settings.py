"""The error a config section's own checks raise, and the sections that live outside ``kiosk/config.py``.

``kiosk/config.py`` turns :class:`InvalidSetting` into a ConfigError naming the file and the key's full path.
"""

from __future__ import annotations

from dataclasses import dataclass


class InvalidSetting(ValueError):
    """Raised by a section's own checks; turned into ConfigError with the file name."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(problem)
        self.key = key
        self.problem = problem


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


@dataclass(frozen=True)
class KeypadSection:
    """The EZ Access style keypad (up, down, select, back, help) for non-visual navigation; read through evdev."""

    transport: str = ""  # "" none | evdev | simulator
    name: str = ""  # a substring of the input device's name
    vendor_id: str = ""  # USB vendor id, hex
    path: str = ""  # a fixed node, e.g. /dev/input/by-id/...-event-kbd

    def __post_init__(self) -> None:
        if self.transport not in ("", "evdev", "simulator"):
            raise InvalidSetting("transport", f'expected "", "evdev" or "simulator", got {self.transport!r}')
        if self.transport == "evdev" and not (self.name or self.vendor_id or self.path):
            raise InvalidSetting("name", "set name, vendor_id or path to pick the keypad")
        if self.vendor_id:
            try:
                int(self.vendor_id, 16)
            except ValueError:
                problem = f"expected a hex USB id such as 04d9, got {self.vendor_id!r}"
                raise InvalidSetting("vendor_id", problem) from None
