"""The social security card reader's pipe: PC/SC through pcscd, with pyscard's low-level ``smartcard.scard`` API
(or an injected module offering the same functions, such as :class:`drivers.sscard_reader.simulator.SimulatedPcsc`).

No pyscard CardMonitor: its thread dies silently when pcscd goes away. Instead the reader, the card and pcscd
are looked at afresh on the device thread: every call (re)establishes the PC/SC context when it is missing,
finds the reader by name (so a reader that went and came back is found again) and maps PC/SC results onto the
driver family: pcscd or the reader gone -> DeviceGone, card gone -> NoMedium, a PC/SC timeout ->
DeviceTimeout. Calls without a timeout of their own (connect, transmit, ...) run on a short-lived helper
thread and are abandoned, with their context, when they overrun: a frozen card or daemon gives DeviceTimeout,
never a hung kiosk. It knows nothing of the card's files (:mod:`drivers.sscard_reader.protocol`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from drivers.base import DeviceGone, DeviceTimeout, DriverError, NoMedium, ProtocolError

log = logging.getLogger(__name__)

Transmit = Callable[[bytes], tuple[bytes, int]]


def load_scard() -> Any:
    """pyscard's ``smartcard.scard`` module; DriverError when pyscard is not installed."""
    try:
        from smartcard import scard
    except ImportError as exc:
        raise DriverError("pyscard is not installed (pip install pyscard; needs libpcsclite-dev)") from exc
    return scard


class NoCardAtConnect(NoMedium):
    """SCardConnect found no card (it left after the presence check)."""


class PcscLink:
    """The first PC/SC reader whose name contains ``reader_match`` (case-insensitive; "" = the first reader),
    through ``scard`` (default: pyscard's, loaded on first use)."""

    def __init__(self, reader_match: str = "", *, timeout_s: float = 2.0, scard: Any = None) -> None:
        self.reader_match = reader_match
        self.timeout_s = timeout_s
        self._scard = scard
        self._ctx: Any = None
        self._reader: str | None = None
        self._watch_state: int | None = None  # last event state seen by wait_for_change()

    @property
    def reader_name(self) -> str | None:
        """The full name of the reader in use (None before it was found)."""
        return self._reader

    @property
    def watching(self) -> bool:
        """Whether :meth:`wait_for_change` knows the reader's state, so the next change will be told."""
        return self._watch_state is not None

    @property
    def _s(self) -> Any:
        if self._scard is None:
            self._scard = load_scard()
        return self._scard

    def find_reader(self, deadline: float | None = None) -> str:
        """The reader's full name, (re)connecting to pcscd first when needed."""
        s = self._s
        deadline = deadline if deadline is not None else time.monotonic() + self.timeout_s
        if self._ctx is None:
            rc, ctx = self._bounded("connect to pcscd", deadline, s.SCardEstablishContext, s.SCARD_SCOPE_USER)
            if rc != s.SCARD_S_SUCCESS:
                raise DeviceGone(f"pcscd is not running ({_message(s, rc)})", code=_hex(rc))
            self._ctx = ctx
        rc, readers = self._bounded("list readers", deadline, s.SCardListReaders, self._ctx, [])
        if rc == s.SCARD_E_NO_READERS_AVAILABLE:
            readers = []
        else:
            self._check(rc, "list readers")
        match = self.reader_match.casefold()
        candidates = [r for r in readers if match in r.casefold()]
        if not candidates:
            self._reader = None
            raise DeviceGone(f"no PC/SC reader matching {self.reader_match!r} (readers: {readers})")
        name = self._reader if self._reader in candidates else candidates[0]
        if name != self._reader:
            log.info("social security card reader: %s", name)
            self._reader = name
            self._watch_state = None
        return name

    def card_present(self, name: str) -> bool:
        """True when a card is in reader ``name``, False when not; a timeout of 0: it only looks."""
        s = self._s
        rc, states = s.SCardGetStatusChange(self._ctx, 0, [(name, s.SCARD_STATE_UNAWARE)])
        self._check(rc, "reader state")
        state = states[0][1]
        if state & (s.SCARD_STATE_UNKNOWN | s.SCARD_STATE_UNAVAILABLE):
            self._reader = None
            raise DeviceGone(f"reader {name} is no longer available")
        return bool(state & s.SCARD_STATE_PRESENT)

    def wait_for_change(self, timeout_s: float) -> bool | None:
        """Wait up to ``timeout_s`` for a card to come or go: whether one is in now when that happened, else
        None (the first call only learns the current state)."""
        s = self._s
        # Called many times a second: reuse the known reader; a vanished one fails the call below anyway.
        name = self._reader if self._ctx is not None and self._reader else self.find_reader()
        current = self._watch_state if self._watch_state is not None else s.SCARD_STATE_UNAWARE
        # GetStatusChange carries its own timeout, so it runs here rather than on a helper thread.
        rc, states = s.SCardGetStatusChange(self._ctx, max(int(timeout_s * 1000), 0), [(name, current)])
        if rc == s.SCARD_E_TIMEOUT:
            return None
        self._check(rc, "watch reader")
        event = states[0][1] & ~s.SCARD_STATE_CHANGED
        before, self._watch_state = self._watch_state, event
        present = bool(event & s.SCARD_STATE_PRESENT)
        if before is not None and bool(before & s.SCARD_STATE_PRESENT) != present:
            log.info("card %s reader %s", "in" if present else "out of", name)
            return present
        return None

    def with_card(self, name: str, deadline: float, job: Callable[[Transmit], Any]) -> Any:
        """Connect to the card, run ``job(transmit)`` with every exchange bounded by ``deadline``, disconnect.

        NoCardAtConnect when there is no card to connect to; NoMedium when it leaves during the job.
        """
        s = self._s
        rc, handle, protocol = self._bounded(
            "connect",
            deadline,
            s.SCardConnect,
            self._ctx,
            name,
            s.SCARD_SHARE_SHARED,
            s.SCARD_PROTOCOL_T0 | s.SCARD_PROTOCOL_T1,
        )
        if rc in _no_card_codes(s):
            raise NoCardAtConnect(f"no card in {name}")
        self._check(rc, "connect")

        def transmit(apdu: bytes) -> tuple[bytes, int]:
            rc, response = self._bounded("transmit", deadline, s.SCardTransmit, handle, protocol, list(apdu))
            if rc in _no_card_codes(s):
                raise NoMedium(f"the card was taken out of {name} during the read ({_message(s, rc)})", code=_hex(rc))
            self._check(rc, "transmit")
            if not response:
                # vpcd (and some readers) "succeed" with nothing when the card went away mid-command.
                raise NoMedium(f"the card in {name} stopped answering during the read (taken out?)")
            if len(response) < 2:
                raise ProtocolError(f"card answer of {len(response)} bytes has no status word")
            return bytes(response[:-2]), (response[-2] << 8) | response[-1]

        # Reset the card after a good read (no verified PIN left behind); after a failure just let go: resetting
        # a card that has gone confuses pcscd's view of the slot (it then misses the next card).
        disposition = s.SCARD_LEAVE_CARD
        try:
            result = job(transmit)
            disposition = s.SCARD_RESET_CARD
            return result
        finally:
            if self._ctx is not None:  # not abandoned by a timeout or a vanished pcscd
                try:
                    self._bounded(
                        "disconnect", time.monotonic() + self.timeout_s, s.SCardDisconnect, handle, disposition
                    )
                except DriverError:
                    log.debug("disconnect failed", exc_info=True)

    def release(self, *, wait: bool = True) -> None:
        """Drop the PC/SC context (a restarted pcscd does not know the old one); safe to call twice."""
        ctx, self._ctx = self._ctx, None
        self._watch_state = None
        if ctx is None:
            return
        release = threading.Thread(target=self._s.SCardReleaseContext, args=(ctx,), name="pcsc-release", daemon=True)
        release.start()
        if wait:
            release.join(self.timeout_s)  # bounded: a stuck daemon must not hold close()

    def _check(self, rc: int, what: str) -> None:
        """Raise the driver error for PC/SC result ``rc`` (nothing on success)."""
        s = self._s
        if rc == s.SCARD_S_SUCCESS:
            return
        message = f"PC/SC {what}: {_message(s, rc)}"
        if rc in _gone_codes(s):
            self.release()  # a restarted pcscd does not know the old context
            raise DeviceGone(message, code=_hex(rc))
        if rc in _no_card_codes(s):
            raise NoMedium(message, code=_hex(rc))
        if rc == s.SCARD_E_TIMEOUT:
            raise DeviceTimeout(message, code=_hex(rc))
        raise DriverError(message, code=_hex(rc))

    def _bounded(self, what: str, deadline: float, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)`` on a helper thread, waited for until ``deadline``; DeviceTimeout when it overruns."""
        result: list[Any] = []
        failure: list[BaseException] = []

        def run() -> None:
            try:
                result.append(fn(*args))
            except BaseException as exc:  # handed to the caller's thread below
                failure.append(exc)

        helper = threading.Thread(target=run, name=f"pcsc-{what}", daemon=True)
        helper.start()
        helper.join(max(deadline - time.monotonic(), 0.0))
        if helper.is_alive():
            # The call is stuck inside pcsc-lite holding the context: leave both behind and start afresh.
            self.release(wait=False)
            raise DeviceTimeout(f"PC/SC {what} did not return in time")
        if failure:
            raise DriverError(f"PC/SC {what} failed: {failure[0]}") from failure[0]
        return result[0]


def _hex(rc: int) -> str:
    return f"{rc & 0xFFFFFFFF:08X}"


def _message(s: Any, rc: int) -> str:
    return f"{s.SCardGetErrorMessage(rc)} ({_hex(rc)})"


def _gone_codes(s: Any) -> frozenset[int]:
    return frozenset(
        {
            s.SCARD_E_NO_SERVICE,
            s.SCARD_E_SERVICE_STOPPED,
            s.SCARD_E_NO_READERS_AVAILABLE,
            s.SCARD_E_UNKNOWN_READER,
            s.SCARD_E_READER_UNAVAILABLE,
            s.SCARD_E_INVALID_HANDLE,
            s.SCARD_F_COMM_ERROR,
        }
    )


def _no_card_codes(s: Any) -> frozenset[int]:
    # vpcd reports a card killed mid-command as NOT_TRANSACTED; real readers as REMOVED/UNRESPONSIVE.
    return frozenset(
        {
            s.SCARD_E_NO_SMARTCARD,
            s.SCARD_W_REMOVED_CARD,
            s.SCARD_W_RESET_CARD,
            s.SCARD_W_UNPOWERED_CARD,
            s.SCARD_W_UNRESPONSIVE_CARD,
            s.SCARD_E_NOT_TRANSACTED,
        }
    )
