"""Social security card reader through pcscd (pyscard's low-level ``smartcard.scard`` API).

No pyscard CardMonitor: its thread dies silently when pcscd goes away. Instead the reader, the card and
pcscd are looked at afresh on the runner's thread: every call (re)establishes the PC/SC context when it is
missing, finds the reader by name (so a reader that went and came back is found again) and maps PC/SC
errors onto the driver family: pcscd or the reader gone -> DeviceGone (the runner reports DEVICE_OFFLINE
and reopens with backoff), card gone -> NoMedium. Calls without a timeout of their own (connect, transmit,
...) run on a short-lived helper thread and are abandoned, with their context, when they overrun: a frozen
card or daemon gives DeviceTimeout, never a hung kiosk.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from drivers.base import DeviceGone, DeviceTimeout, DriverError, NoMedium, ProtocolError, SelfTestResult
from drivers.sscard_reader.interface import SsCardReader
from drivers.sscard_reader.profile import SsCardProfile, select_df_apdu
from kiosk.devices import DeviceState, DeviceStatus
from kiosk.identity import Identity

log = logging.getLogger(__name__)


def load_scard() -> Any:
    """pyscard's ``smartcard.scard`` module; DriverError when pyscard is not installed."""
    try:
        from smartcard import scard
    except ImportError as exc:
        raise DriverError("pyscard is not installed (pip install pyscard; needs libpcsclite-dev)") from exc
    return scard


class PcscCardReader(SsCardReader):
    """The first PC/SC reader whose name contains ``reader_match`` (case-insensitive; "" = the first reader).

    ``on_card(present)`` (optional) is called on the runner thread by :meth:`watch` when a card comes or goes.
    """

    def __init__(
        self,
        reader_match: str = "",
        *,
        timeout_s: float = 2.0,
        pin: str = "",
        today: Callable[[], date] | None = None,
        scard: Any = None,
        on_card: Callable[[bool], None] | None = None,
    ) -> None:
        self.reader_match = reader_match
        self.timeout_s = timeout_s
        self.on_card = on_card
        self._pin = pin
        self._today = today
        self._scard = scard
        self._ctx: Any = None
        self._reader: str | None = None
        self._watch_state: int | None = None  # last event state seen by watch()

    @property
    def reader_name(self) -> str | None:
        """The full name of the reader in use (None before it was found)."""
        return self._reader

    # -- Device ----------------------------------------------------------------------------------------------

    def open(self) -> None:
        """Connect to pcscd and find the reader; DeviceGone when pcscd is not running or no reader matches."""
        self._find_reader()

    def close(self) -> None:
        """Drop the PC/SC context; safe to call twice."""
        self._abandon_context()

    def status(self) -> DeviceStatus:
        """OK with the reader's name and whether a card is in it; DeviceGone when pcscd or the reader is gone."""
        name = self._find_reader()
        present = self._card_state(name)
        return DeviceStatus(self.kind, DeviceState.OK, frozenset(), {"reader": name, "card_present": present})

    def self_test(self) -> SelfTestResult:
        """Find the reader; with a card in it, select the social security application."""
        try:
            name = self._find_reader()
        except DriverError as exc:
            return SelfTestResult(ok=False, steps=(("reader", False, str(exc)),))
        steps: list[tuple[str, bool, str]] = [("reader", True, name)]
        try:
            if self.card_present():
                _data, sw = self._with_card(
                    name, time.monotonic() + self.timeout_s, lambda transmit: transmit(select_df_apdu())
                )
                steps.append(("select_ssse", sw == 0x9000, f"{sw:04X}"))
            else:
                steps.append(("card", True, "no card (application not checked)"))
        except DriverError as exc:
            steps.append(("select_ssse", False, str(exc)))
        return SelfTestResult(ok=all(ok for _, ok, _ in steps), steps=tuple(steps), detail={"reader": name})

    # -- SsCardReader ----------------------------------------------------------------------------------------

    def card_present(self) -> bool:
        """Whether a card is in the reader now."""
        return self._card_state(self._find_reader())

    def read_card(self, timeout_s: float | None = None) -> Identity | None:
        """The identity on the card in the reader, or None when there is none; NoMedium if pulled mid-read."""
        deadline = time.monotonic() + (self.timeout_s if timeout_s is None else timeout_s)
        name = self._find_reader(deadline)
        if not self._card_state(name):
            return None
        today = self._today() if self._today else None
        try:
            return self._with_card(name, deadline, lambda t: SsCardProfile(t, pin=self._pin).read_identity(today))
        except _NoCardAtConnect:
            return None  # the card left between the look and the connect: the same as no card

    def watch(self, timeout_s: float) -> None:
        """Wait up to ``timeout_s`` for a card to come or go and call ``on_card`` (a DeviceRunner idle hook)."""
        s = self._s
        # Called many times a second: reuse the known reader; a vanished one fails the call below anyway.
        name = self._reader if self._ctx is not None and self._reader else self._find_reader()
        current = self._watch_state if self._watch_state is not None else s.SCARD_STATE_UNAWARE
        # GetStatusChange carries its own timeout, so it runs here rather than on a helper thread.
        rc, states = s.SCardGetStatusChange(self._ctx, max(int(timeout_s * 1000), 0), [(name, current)])
        if rc == s.SCARD_E_TIMEOUT:
            return
        self._check(rc, "watch reader")
        event = states[0][1] & ~s.SCARD_STATE_CHANGED
        before, self._watch_state = self._watch_state, event
        present = bool(event & s.SCARD_STATE_PRESENT)
        if before is not None and bool(before & s.SCARD_STATE_PRESENT) != present:
            log.info("card %s reader %s", "in" if present else "out of", name)
            if self.on_card is not None:
                self.on_card(present)

    # -- PC/SC plumbing --------------------------------------------------------------------------------------

    @property
    def _s(self) -> Any:
        if self._scard is None:
            self._scard = load_scard()
        return self._scard

    def _with_card(self, name: str, deadline: float, job: Callable[[Callable[[bytes], tuple[bytes, int]]], Any]) -> Any:
        """Connect to the card, run ``job(transmit)`` with every exchange bounded by ``deadline``, disconnect."""
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
            raise _NoCardAtConnect(f"no card in {name}")
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

    def _find_reader(self, deadline: float | None = None) -> str:
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

    def _card_state(self, name: str) -> bool:
        """True when a card is in reader ``name``, False when not; a timeout of 0: it only looks."""
        s = self._s
        rc, states = s.SCardGetStatusChange(self._ctx, 0, [(name, s.SCARD_STATE_UNAWARE)])
        self._check(rc, "reader state")
        state = states[0][1]
        if state & (s.SCARD_STATE_UNKNOWN | s.SCARD_STATE_UNAVAILABLE):
            self._reader = None
            raise DeviceGone(f"reader {name} is no longer available")
        return bool(state & s.SCARD_STATE_PRESENT)

    def _check(self, rc: int, what: str) -> None:
        """Raise the driver error for PC/SC result ``rc`` (nothing on success)."""
        s = self._s
        if rc == s.SCARD_S_SUCCESS:
            return
        message = f"PC/SC {what}: {_message(s, rc)}"
        if rc in _gone_codes(s):
            self._abandon_context()  # a restarted pcscd does not know the old context
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
            self._abandon_context(wait=False)
            raise DeviceTimeout(f"PC/SC {what} did not return in time")
        if failure:
            raise DriverError(f"PC/SC {what} failed: {failure[0]}") from failure[0]
        return result[0]

    def _abandon_context(self, *, wait: bool = True) -> None:
        ctx, self._ctx = self._ctx, None
        self._watch_state = None
        if ctx is None:
            return
        release = threading.Thread(target=self._s.SCardReleaseContext, args=(ctx,), name="pcsc-release", daemon=True)
        release.start()
        if wait:
            release.join(self.timeout_s)  # bounded: a stuck daemon must not hold close()


class _NoCardAtConnect(NoMedium):
    """SCardConnect found no card (it left after the presence check)."""


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
