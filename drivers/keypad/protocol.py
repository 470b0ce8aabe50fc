"""Key events of the keypad to its five commands.

EZ Access keypads (and the USB keypads halls fit instead) send ordinary key codes: arrows up and down, Enter
(or the keypad's Enter / OK / Select), Backspace or Esc for back, and a help key (KEY_HELP, or F1 / H / question
mark on keypads that have none). A command fires on the key going down; auto-repeat repeats up and down only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from evdev import InputEvent, ecodes

COMMANDS = ("up", "down", "select", "back", "help")
KEY_DOWN, KEY_UP, KEY_REPEAT = 1, 0, 2
KEY_COMMANDS: dict[int, str] = {
    ecodes.KEY_UP: "up",
    ecodes.KEY_DOWN: "down",
    ecodes.KEY_ENTER: "select",
    ecodes.KEY_KPENTER: "select",
    ecodes.KEY_OK: "select",
    ecodes.KEY_SELECT: "select",
    ecodes.KEY_BACKSPACE: "back",
    ecodes.KEY_ESC: "back",
    ecodes.KEY_BACK: "back",
    ecodes.KEY_HELP: "help",
    ecodes.KEY_F1: "help",
    ecodes.KEY_H: "help",
    ecodes.KEY_QUESTION: "help",
}
REPEATING = frozenset({"up", "down"})
# The key each command sends (what the simulator presses).
COMMAND_KEYS = {"up": ecodes.KEY_UP, "down": ecodes.KEY_DOWN, "select": ecodes.KEY_ENTER,
                "back": ecodes.KEY_BACKSPACE, "help": ecodes.KEY_HELP}  # fmt: skip


def command_of(event: Any) -> str | None:
    """The command of one input event, or None (other keys, key up, SYN and the rest)."""
    if event.type != ecodes.EV_KEY:
        return None
    command = KEY_COMMANDS.get(event.code)
    if command is None:
        return None
    if event.value == KEY_DOWN or (event.value == KEY_REPEAT and command in REPEATING):
        return command
    return None


def commands(events: Iterable[Any]) -> Iterator[str]:
    """The commands among ``events``, in order."""
    for event in events:
        command = command_of(event)
        if command is not None:
            yield command


def events_for(command: str, t: float = 0.0) -> list[InputEvent]:
    """The events a keypad sends for one press of ``command``'s key (down, SYN, up, SYN)."""
    if command not in COMMAND_KEYS:
        raise ValueError(f"unknown keypad command {command!r} (known: {', '.join(COMMANDS)})")
    code = COMMAND_KEYS[command]
    sec, usec = int(t), int((t - int(t)) * 1e6)
    return [
        InputEvent(sec, usec, ecodes.EV_KEY, code, KEY_DOWN),
        InputEvent(sec, usec, ecodes.EV_SYN, ecodes.SYN_REPORT, 0),
        InputEvent(sec, usec + 1, ecodes.EV_KEY, code, KEY_UP),
        InputEvent(sec, usec + 1, ecodes.EV_SYN, ecodes.SYN_REPORT, 0),
    ]
