"""A virtual social security card for vsmartcard's vpcd: the real pcscd sees a card in "Virtual PCD 00 0x".

A test rig, not part of the kiosk: from the repository root run it as
``python -m tests.drivers.sscard.vicc_card --port 35963`` (35963 is reader "Virtual PCD 00 00", 35964 is
"… 00 01"). The card is vicc's ISO 7816 card with the SSSE DF ("sx1.sh.社会保障" in GBK) holding EF05 and EF06
as record files of TLVs for a fictional citizen: the same records the simulated card of
``drivers.sscard_reader.simulator`` answers with.

vicc 0.8 is a Debian package outside every Python path, so only this module's ``__main__`` adds it to
``sys.path``; importing the module does nothing of the sort. vicc's BER-TLV packing is broken on Python 3
(a SELECT asking for FCI kills the card); :func:`fix_bertlv_pack` replaces it with a working one.
With ``--reconnect`` (the default) the card waits for vpcd and plugs itself in again after pcscd restarts.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import logging
import sys
import time
from typing import Any

from drivers.sscard_reader.protocol.profile import EF05, EF06, SSSE_DF_NAME
from drivers.sscard_reader.simulator import SAMPLE_CITIZEN, SsCitizen, ef05_records, ef06_records

log = logging.getLogger(__name__)

VICC_PATH = "/usr/lib/python3/site-packages/virtualsmartcard"
DEFAULT_PORT = 35963
SSSE_FID = 0x1001  # file ID of the DF (cards select it by name; the ID only has to be unique)
_RETRY_S = 0.2


def _bertlv_pack(items: list[Any]) -> bytes:
    """BER-TLV encode ``[(tag, length, value)]`` (value bytes or a nested list); lengths are recomputed."""
    out = bytearray()
    for tag, _length, value in (item[:3] for item in items):
        if tag in (0x00, 0xFF):
            out.append(tag)
            continue
        body = value if isinstance(value, bytes | bytearray) else _bertlv_pack(value)
        out += tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
        if len(body) < 0x80:
            out.append(len(body))
        else:
            size = len(body).to_bytes((len(body).bit_length() + 7) // 8, "big")
            out += bytes([0x80 | len(size)]) + size
        out += body
    return bytes(out)


def fix_bertlv_pack() -> None:
    """Replace vicc's broken ``bertlv_pack`` (``b"".join`` over bytes) so SELECT with P2 = 00/04 works."""
    from virtualsmartcard import SmartcardFilesystem

    SmartcardFilesystem.bertlv_pack = _bertlv_pack


def add_ssse(mf: Any, citizen: SsCitizen = SAMPLE_CITIZEN) -> Any:
    """Append the SSSE DF with EF05 and EF06 (linear variable record files) to vicc's MF; returns the DF."""
    from virtualsmartcard.ConstantDefinitions import FDB
    from virtualsmartcard.SmartcardFilesystem import DF, Record, RecordStructureEF

    df = DF(mf, SSSE_FID, dfname=SSSE_DF_NAME)
    mf.append(df)
    for fid, records in ((EF05, ef05_records(citizen)), (EF06, ef06_records(citizen))):
        ef = RecordStructureEF(
            df, fid, FDB["EFSTRUCTURE_LINEAR_VARIABLE_NOFURTHERINFO"], records=[Record(data=r) for r in records]
        )
        df.append(ef)
    return df


def build_card(port: int = DEFAULT_PORT, host: str = "localhost", citizen: SsCitizen = SAMPLE_CITIZEN) -> Any:
    """A connected vicc ``VirtualICC`` carrying the card (raises SystemExit when vpcd is not listening)."""
    from virtualsmartcard.VirtualSmartcard import VirtualICC

    fix_bertlv_pack()
    vicc = VirtualICC(None, "iso7816", host, port, logginglevel=logging.WARNING)
    add_ssse(vicc.os.mf, citizen)
    return vicc


def _instrument(vicc: Any, *, announce: bool, delay_s: float, counter: itertools.count) -> None:
    """Print each command as it arrives (before answering) and slow the card down, for tests."""
    execute = vicc.os.execute

    def wrapped(msg: bytes) -> bytes:
        n = next(counter)
        if announce:
            print(f"apdu {n} {bytes(msg[:4]).hex()}", flush=True)
        if delay_s:
            time.sleep(delay_s)
        return execute(msg)

    vicc.os.execute = wrapped


def serve(
    port: int, host: str = "localhost", *, reconnect: bool = True, announce: bool = False, delay_s: float = 0.0
) -> None:
    """Run the card; with ``reconnect`` wait for vpcd and come back after it went away (pcscd restart)."""
    counter = itertools.count(1)
    waiting_logged = False
    while True:
        try:
            vicc = build_card(port, host)
        except SystemExit:  # vicc exits when vpcd does not listen (pcscd not running)
            if not reconnect:
                raise SystemExit(f"vicc_card: vpcd is not listening on {host}:{port} (is pcscd running?)") from None
            if not waiting_logged:
                log.warning("waiting for vpcd on %s:%d", host, port)
                waiting_logged = True
            time.sleep(_RETRY_S)
            continue
        waiting_logged = False
        print(f"card inserted on port {port}", flush=True)
        _instrument(vicc, announce=announce, delay_s=delay_s, counter=counter)
        try:
            vicc.run()
        except (SystemExit, OSError, UnboundLocalError):  # vpcd closed (vicc 0.8 may trip over its own recv)
            pass
        finally:
            vicc.stop()
        print("vpcd went away", flush=True)
        if not reconnect:
            return
        time.sleep(_RETRY_S)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--port``, ``--host``, ``--once`` (no reconnect), ``--announce``, ``--delay``."""
    parser = argparse.ArgumentParser(description="virtual social security card for vpcd")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--once", action="store_true", help="exit when vpcd goes away")
    parser.add_argument("--announce", action="store_true", help="print 'apdu N' as each command arrives")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before each answer")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="vicc_card: %(levelname)s %(message)s")
    # vicc logs each failed connection attempt (and its default SAM) again and again; the loop says it once.
    noise = ("Failed to open socket", "Is pcscd running", "Using default SAM parameters")
    logging.getLogger().addFilter(lambda r: not r.getMessage().startswith(noise))
    with contextlib.suppress(KeyboardInterrupt):
        serve(args.port, args.host, reconnect=not args.once, announce=args.announce, delay_s=args.delay)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, VICC_PATH)
    raise SystemExit(main())
