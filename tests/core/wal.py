"""The size of a store's WAL, in frames, read from its file (tests that count what commits write)."""

from __future__ import annotations

from pathlib import Path

PAGE = 4096  # the store's page size (SQLite's default)
FRAME = PAGE + 24  # a WAL frame: its header, then the page
HEADER = 32  # the WAL file's own header


def wal_frames(db: Path) -> int:
    """Frames in ``db``'s WAL file (0 when it has none); it only grows until a checkpoint restarts it."""
    wal = Path(f"{db}-wal")
    return max(0, (wal.stat().st_size - HEADER) // FRAME) if wal.exists() else 0
