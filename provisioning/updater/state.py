"""What the updater remembers between runs (``<state_dir>/state.json``): when it last asked the hall, the update
on trial (switched to, not yet found healthy) and the versions it rolled back, so it does not install them again.

The trial is written *before* ``current`` is switched: if the updater or the machine stops half-way, the next run
finds the trial and finishes it (healthy, or back to the previous slot) instead of leaving an untested version.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kiosk.atomicfile import write_atomic

log = logging.getLogger(__name__)


@dataclass
class Trial:
    """A version switched to and waiting to prove itself healthy."""

    version: str
    slot: str
    previous: str | None
    schema_before: int | None  # the database schema before the switch (a rollback must not face a newer one)
    since: float | None = None  # services restarted at (health written after this counts)
    deadline: float | None = None
    rollback: str | None = None  # why it is being rolled back, once that has begun


@dataclass
class UpdaterState:
    """The updater's memory."""

    last_check: float = 0.0
    trial: Trial | None = None
    rejected: list[str] = field(default_factory=list)  # versions rolled back: never installed again

    def to_bytes(self) -> bytes:
        """As JSON."""
        return (json.dumps(asdict(self), sort_keys=True, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_dict(cls, body: dict[str, Any]) -> UpdaterState:
        """From :meth:`to_bytes`'s JSON; raises ``TypeError``/``ValueError`` when malformed."""
        trial = body.get("trial")
        return cls(
            last_check=float(body.get("last_check", 0.0)),
            trial=Trial(**trial) if isinstance(trial, dict) else None,
            rejected=[str(v) for v in body.get("rejected", [])],
        )


def load_state(path: Path) -> UpdaterState:
    """The state at ``path``; a fresh one if there is none. A damaged file is set aside, not trusted."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        return UpdaterState.from_dict(body)
    except FileNotFoundError:
        return UpdaterState()
    except (OSError, TypeError, ValueError) as exc:
        log.error("updater state %s is damaged (%s): starting afresh", path, exc)
        path.replace(path.with_name(path.name + ".damaged"))
        return UpdaterState()


def save_state(path: Path, state: UpdaterState) -> None:
    """Write the state atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, state.to_bytes(), mode=0o600)
