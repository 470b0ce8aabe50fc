"""A sound card stand-in (a test rig): ``python tests/sound_card.py LOG`` plays a WAV from stdin into nothing.

It takes the samples at the rate the WAV header gives, as a sound card does, so an utterance lasts as long as
it would on a kiosk's speaker (the test machines and the demo have no sound card). When it has played all of
it, it appends ``played <seconds>`` to LOG; a player killed mid-way (the next screen interrupted it) never does.
"""

from __future__ import annotations

import struct
import sys
import time
from pathlib import Path
from typing import BinaryIO

CHUNK_S = 0.05


def _read(stream: BinaryIO, n: int) -> bytes:
    data = b""
    while len(data) < n:
        more = stream.read(n - len(data))
        if not more:
            break
        data += more
    return data


def byte_rate(header: bytes) -> int:
    """The bytes per second of a RIFF/WAVE header (its fmt chunk); ValueError when it is not one."""
    if header[:4] != b"RIFF" or header[8:12] != b"WAVE" or header[12:16] != b"fmt ":
        raise ValueError("not a WAV stream")
    return struct.unpack_from("<I", header, 28)[0]


def play(stream: BinaryIO) -> float:
    """Consume ``stream`` in real time; returns the seconds of sound played."""
    rate = byte_rate(_read(stream, 44))
    chunk = max(1, int(rate * CHUNK_S))
    played = 0
    start = time.monotonic()
    while data := _read(stream, chunk):
        played += len(data)
        ahead = start + played / rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
    return played / rate


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: the argument is the log to append to."""
    args = sys.argv[1:] if argv is None else argv
    seconds = play(sys.stdin.buffer)
    if args:
        with Path(args[0]).open("a", encoding="utf-8") as log:
            log.write(f"played {seconds:.2f}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
