"""The ESC/POS stream parser behind the printer simulator, and the page model it fills.

Incremental (bytes may arrive split anywhere: an unfinished command waits for the rest) and lenient like a real
printer: an unknown command is logged and skipped, never fatal. It understands what our encoder sends and the
common rest: ESC @, ESC a, ESC E, ESC !, ESC d, ESC J, GS !, FS & / FS . (Chinese mode: GB18030, 2- and 4-byte),
GS ( k QR (size, store, print), GS v 0 raster images, GS k barcodes (skipped), GS V cut, DLE EOT n and GS r n
(answered through a callback). Outside Chinese mode bytes >= 0x80 are code page 437, as on a real printer, so
GB18030 sent without FS & reads back as mojibake.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from drivers.printer.protocol.encoder import PAPER_80MM, PaperProfile

log = logging.getLogger(__name__)

MAX_IMAGE_ROW_BYTES, MAX_IMAGE_HEIGHT = 256, 4096  # larger raster headers are treated as corrupt


@dataclass(frozen=True)
class Run:
    """Text printed with one set of attributes."""

    text: str
    width: int = 1  # multipliers
    height: int = 1
    bold: bool = False


@dataclass
class PageLine:
    """One printed line: text runs, a QR code or a raster image."""

    align: str = "left"
    runs: list[Run] = field(default_factory=list)
    qr: str | None = None
    qr_size: int = 3
    image: tuple[int, int, bytes] | None = None  # (row bytes, height, data)

    @property
    def text(self) -> str:
        """The line's text; a QR code reads as "[QR data]", an image as "[IMAGE wxh]"."""
        if self.qr is not None:
            return f"[QR {self.qr}]"
        if self.image is not None:
            return f"[IMAGE {self.image[0] * 8}x{self.image[1]}]"
        return "".join(r.text for r in self.runs)


@dataclass
class Page:
    """A receipt: the lines printed up to a cut."""

    lines: list[PageLine] = field(default_factory=list)
    cut: bool = False

    @property
    def text_lines(self) -> list[str]:
        """Each line's text."""
        return [line.text for line in self.lines]

    @property
    def body_lines(self) -> list[str]:
        """Each line's text without the blank lines fed at the end (to get the last line past the cutter)."""
        lines = self.text_lines
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def text(self) -> str:
        """All lines joined with newlines."""
        return "\n".join(self.text_lines)


class _Incomplete(Exception):
    """The command at the buffer's start needs more bytes."""


# Commands with a fixed number of parameter bytes after the 2-byte prefix, which the simulator ignores.
_SKIP_ESC = {**dict.fromkeys(b"2SL", 0), **dict.fromkeys(b"-GMtR3Vr{ U%=?T", 1), **dict.fromkeys(b"c$\\", 2), 0x70: 3}
_SKIP_GS = {0x3A: 0, **dict.fromkeys(b"BHfhwbaI/E", 1), **dict.fromkeys(b"LWP", 2), 0x5E: 3}
_SKIP_FS = {0x32: 0, **dict.fromkeys(b"!-CW", 1), **dict.fromkeys(b"Sp", 2)}


class EscposStreamParser:
    """Turns an ESC/POS byte stream into pages; not thread-safe (the simulator holds a lock around it).

    ``answer(command, n)`` gives the reply byte for DLE EOT n (command 0x04) and GS r n (command 0x72), or None
    for no reply; ``on_cut(page)`` receives every page when it is cut.
    """

    def __init__(
        self,
        *,
        answer: Callable[[int, int], int | None],
        on_cut: Callable[[Page], None],
        paper: PaperProfile = PAPER_80MM,
        chinese_at_power_up: bool = True,
    ) -> None:
        self.paper = paper
        self._answer = answer
        self._on_cut = on_cut
        self._buf = bytearray()
        self._chinese = chinese_at_power_up
        self._page = Page()
        self._line = PageLine()
        self._used = 0  # dots used on the current line
        self._qr_data: bytes | None = None
        self._qr_size = 3
        self.unknown: dict[str, int] = {}
        self.decode_errors = 0
        self._reset_mode()

    @property
    def current_page(self) -> Page:
        """What has been printed since the last cut, including an unfinished line."""
        lines = [*self._page.lines, self._line] if self._line.runs else list(self._page.lines)
        return Page(lines=list(lines))

    def feed(self, data: bytes) -> bytes:
        """Parse ``data`` (after what is left of earlier calls); returns the reply bytes the printer sends."""
        self._buf += data
        out = bytearray()
        pos = 0
        while pos < len(self._buf):
            try:
                pos = self._step(pos, out)
            except _Incomplete:
                break
        del self._buf[:pos]
        return bytes(out)

    def _need(self, pos: int, n: int) -> None:
        if pos + n > len(self._buf):
            raise _Incomplete

    def _unknown(self, name: str) -> None:
        if name not in self.unknown:
            log.info("printer simulator: unknown command %s skipped", name)
        self.unknown[name] = self.unknown.get(name, 0) + 1

    def _step(self, pos: int, out: bytearray) -> int:
        """Handle the item at ``pos``; returns the position after it."""
        buf = self._buf
        b = buf[pos]
        if b == 0x0A:
            self._newline()
            return pos + 1
        if b == 0x10:
            return self._dle(pos, out)
        if b == 0x1B:
            return self._esc(pos)
        if b == 0x1C:
            return self._fs(pos)
        if b == 0x1D:
            return self._gs(pos, out)
        if b == 0x09:
            self._put(" ", 1)
            return pos + 1
        if b < 0x20 or b == 0x7F:
            return pos + 1  # CR and other controls: nothing to print
        if b < 0x80:
            self._put(chr(b), 1)
            return pos + 1
        if not self._chinese:
            self._put(bytes([b]).decode("cp437"), 1)
            return pos + 1
        return self._multibyte(pos)

    def _multibyte(self, pos: int) -> int:
        buf = self._buf
        self._need(pos, 2)
        size = 4 if 0x30 <= buf[pos + 1] <= 0x39 else 2
        if size == 4:
            self._need(pos, 4)
        try:
            ch = bytes(buf[pos : pos + size]).decode("gb18030")
        except UnicodeDecodeError:
            self.decode_errors += 1
            self._put("\ufffd", 2)
            return pos + 1  # resync on the next byte: it may be a command
        self._put(ch, 2)
        return pos + size

    def _dle(self, pos: int, out: bytearray) -> int:
        self._need(pos, 2)
        cmd = self._buf[pos + 1]
        if cmd in (0x04, 0x05):  # DLE EOT n (status) / DLE ENQ n (recover)
            self._need(pos, 3)
            n = self._buf[pos + 2]
            reply = self._answer(cmd, n) if cmd == 0x04 else None
            if reply is not None:
                out.append(reply)
            return pos + 3
        if cmd == 0x14:  # DLE DC4 fn a b (pulse / power off)
            self._need(pos, 5)
            return pos + 5
        self._unknown(f"DLE {cmd:02X}")
        return pos + 2

    def _esc(self, pos: int) -> int:
        self._need(pos, 2)
        cmd = self._buf[pos + 1]
        if cmd == 0x40:  # @
            self._reset_mode()
            return pos + 2
        if cmd in b"im":
            self._cut()
            return pos + 2
        if cmd in b"aE!dJ":
            self._need(pos, 3)
            n = self._buf[pos + 2]
            if cmd == 0x61:  # a
                self._align = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}.get(
                    n, self._align
                )
            elif cmd == 0x45:  # E
                self._bold = bool(n & 1)
            elif cmd == 0x21:  # !
                self._bold = bool(n & 0x08)
                self._height = 2 if n & 0x10 else 1
                self._width = 2 if n & 0x20 else 1
            else:  # ESC d n lines / ESC J n dots: print the buffer, then feed
                lines = n if cmd == 0x64 else n // 30
                self._newline(only_if_pending=True)
                for _ in range(lines):
                    self._newline()
            return pos + 3
        if cmd == 0x2A:  # * bit image: m nL nH data
            self._need(pos, 5)
            m, count = self._buf[pos + 2], self._buf[pos + 3] | self._buf[pos + 4] << 8
            total = 5 + count * (3 if m in (32, 33) else 1)
            self._need(pos, total)
            return pos + total
        if cmd == 0x44:  # D tab positions, NUL-terminated (at most 32)
            end = self._buf.find(b"\x00", pos + 2, pos + 35)
            if end < 0:
                self._need(pos, 35)
                return pos + 35
            return end + 1
        if cmd in _SKIP_ESC:
            self._need(pos, 2 + _SKIP_ESC[cmd])
            return pos + 2 + _SKIP_ESC[cmd]
        self._unknown(f"ESC {cmd:02X}")
        return pos + 2

    def _fs(self, pos: int) -> int:
        self._need(pos, 2)
        cmd = self._buf[pos + 1]
        if cmd == 0x26:  # &
            self._chinese = True
            return pos + 2
        if cmd == 0x2E:  # .
            self._chinese = False
            return pos + 2
        if cmd in _SKIP_FS:
            self._need(pos, 2 + _SKIP_FS[cmd])
            return pos + 2 + _SKIP_FS[cmd]
        self._unknown(f"FS {cmd:02X}")
        return pos + 2

    def _gs(self, pos: int, out: bytearray) -> int:
        buf = self._buf
        self._need(pos, 2)
        cmd = buf[pos + 1]
        if cmd == 0x21:  # !
            self._need(pos, 3)
            n = buf[pos + 2]
            self._width, self._height = (n >> 4 & 0x07) + 1, (n & 0x07) + 1
            return pos + 3
        if cmd == 0x56:  # V
            self._need(pos, 3)
            m = buf[pos + 2]
            if m in (0, 1, 48, 49):
                self._cut()
                return pos + 3
            if m in (65, 66, 97, 98, 103, 104):
                self._need(pos, 4)
                self._cut()
                return pos + 4
            self._unknown(f"GS V {m:02X}")
            return pos + 3
        if cmd == 0x72:  # r
            self._need(pos, 3)
            reply = self._answer(0x72, buf[pos + 2])
            if reply is not None:
                out.append(reply)
            return pos + 3
        if cmd == 0x28:  # (
            self._need(pos, 5)
            length = buf[pos + 3] | buf[pos + 4] << 8
            self._need(pos, 5 + length)
            if buf[pos + 2] == ord("k") and length >= 2 and buf[pos + 5] == 0x31:
                self._qr(buf[pos + 6], bytes(buf[pos + 7 : pos + 5 + length]))
            elif buf[pos + 2] != ord("k"):
                self._unknown(f"GS ( {buf[pos + 2]:02X}")
            return pos + 5 + length
        if cmd == 0x76:  # v
            return self._raster(pos)
        if cmd == 0x6B:  # k
            return self._barcode(pos)
        if cmd == 0x2A:  # * downloaded bit image
            self._need(pos, 4)
            total = 4 + buf[pos + 2] * buf[pos + 3] * 8
            self._need(pos, total)
            return pos + total
        if cmd in _SKIP_GS:
            self._need(pos, 2 + _SKIP_GS[cmd])
            return pos + 2 + _SKIP_GS[cmd]
        self._unknown(f"GS {cmd:02X}")
        return pos + 2

    def _qr(self, fn: int, params: bytes) -> None:
        if fn == 0x43 and params:
            self._qr_size = params[0]
        elif fn == 0x50 and params:
            self._qr_data = params[1:]
        elif fn == 0x51:
            if self._qr_data is None:
                self._unknown("GS ( k print without data")
                return
            self._newline(only_if_pending=True)
            self._page.lines.append(
                PageLine(align=self._align, qr=self._qr_data.decode("utf-8", "replace"), qr_size=self._qr_size)
            )

    def _raster(self, pos: int) -> int:
        buf = self._buf
        self._need(pos, 8)
        if buf[pos + 2] != ord("0"):
            self._unknown("GS v")
            return pos + 2
        row_bytes, height = buf[pos + 4] | buf[pos + 5] << 8, buf[pos + 6] | buf[pos + 7] << 8
        if not (0 < row_bytes <= MAX_IMAGE_ROW_BYTES and 0 < height <= MAX_IMAGE_HEIGHT):
            self._unknown("GS v 0 with a corrupt size")
            return pos + 8
        total = 8 + row_bytes * height
        self._need(pos, total)
        self._newline(only_if_pending=True)
        image = (row_bytes, height, bytes(buf[pos + 8 : pos + total]))
        self._page.lines.append(PageLine(align=self._align, image=image))
        return pos + total

    def _barcode(self, pos: int) -> int:
        buf = self._buf
        self._need(pos, 3)
        m = buf[pos + 2]
        if m <= 6:  # data up to NUL (bounded: 255 bytes)
            end = buf.find(b"\x00", pos + 3, pos + 259)
            if end < 0:
                self._need(pos, 259)
                return pos + 259
            return end + 1
        self._need(pos, 4)
        return pos + 4 + buf[pos + 3]

    # -- page model ------------------------------------------------------------------------------------------

    def _reset_mode(self) -> None:
        self._align, self._bold, self._width, self._height = "left", False, 1, 1

    def _put(self, ch: str, cells: int) -> None:
        dots = 12 * cells * self._width
        if self._used + dots > self.paper.dots and self._line.runs:
            self._newline()  # the printer wraps a line that is too long by itself
        if not self._line.runs:
            self._line.align = self._align
        runs = self._line.runs
        last = runs[-1] if runs else None
        if last and (last.width, last.height, last.bold) == (self._width, self._height, self._bold):
            runs[-1] = Run(last.text + ch, last.width, last.height, last.bold)
        else:
            runs.append(Run(ch, self._width, self._height, self._bold))
        self._used += dots

    def _newline(self, *, only_if_pending: bool = False) -> None:
        if only_if_pending and not self._line.runs:
            return
        line = self._line
        if not line.runs:
            line = PageLine(align=self._align, runs=[Run("", self._width, self._height, self._bold)])
        self._page.lines.append(line)
        self._line = PageLine()
        self._used = 0

    def _cut(self) -> None:
        self._newline(only_if_pending=True)
        page, self._page = self._page, Page()
        page.cut = True
        self._on_cut(page)
