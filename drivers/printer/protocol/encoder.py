"""PrintJob -> ESC/POS bytes, with every byte under our control.

Why not python-escpos's text(): 3.1 sends a string as raw GB18030 only when it holds a character in
U+4E00-U+9FA5, with no FS & and no code-page switch, and a string of only CJK punctuation ("（１）：") comes out
as "????". Here every run of non-ASCII characters is sent as ``FS &`` + GB18030 + ``FS .`` (Chinese mode on,
off) and ASCII runs outside it, after ``ESC @`` and an explicit ``FS .`` so the printer's power-up Chinese-mode
default does not matter.

Widths: the printer draws ASCII in half-width cells (12 dots) and every double-byte character in full-width
cells (24 dots), so a character counts 1 column if ASCII, else 2; 80 mm paper has 48 columns, 58 mm 32.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from drivers.base import DriverError
from kiosk.languages import has_mongolian
from kiosk.layout import Align, Block, Feed, KeyValue, PrintJob, QrCode, Rule, TextLine

log = logging.getLogger(__name__)

ESC, GS, FS, LF = b"\x1b", b"\x1d", b"\x1c", b"\n"
INIT = ESC + b"@"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
ALIGN = {Align.LEFT: ESC + b"a\x00", Align.CENTER: ESC + b"a\x01", Align.RIGHT: ESC + b"a\x02"}
BOLD_ON, BOLD_OFF = ESC + b"E\x01", ESC + b"E\x00"
CUT_FULL = GS + b"V\x00"
QR_MAX_BYTES = 2331  # QR version 40, ECC level M, byte mode
KV_SEP = "："


@dataclass(frozen=True)
class PaperProfile:
    """Paper width in half-width columns (ASCII cells) and printable dots."""

    name: str
    columns: int
    dots: int


PAPER_80MM = PaperProfile("80mm", 48, 576)
PAPER_58MM = PaperProfile("58mm", 32, 384)


def char_width(ch: str) -> int:
    """Columns a character takes on the printer: ASCII is half-width, every double-byte glyph full-width."""
    return 1 if ord(ch) < 0x80 else 2


def display_width(text: str) -> int:
    """Columns ``text`` takes on the printer."""
    return sum(char_width(c) for c in text)


def sanitize(text: str) -> str:
    """Drop what must never reach the printer raw: control characters would be read as commands."""
    return "".join(" " if (ord(c) < 0x20 or ord(c) == 0x7F) else c for c in text)


OPENING = "（《「『【〔〈“‘"  # never last on a line: glued to what follows
CLOSING = "）》」』】〕〉”’，。、；：！？"  # never first on a line: glued to what precedes


def _tokens(text: str) -> list[str]:
    """Break points: an ASCII word (with its trailing spaces) stays whole; any other character stands alone,
    except that brackets and stops stay with their neighbour ("（原件1份）" never breaks as "（" / "原件1份" / "）")."""
    glued: list[str] = []
    for tok in _plain_tokens(text):
        if glued and (tok[0] in CLOSING or glued[-1][-1] in OPENING):
            glued[-1] += tok
        else:
            glued.append(tok)
    return glued


def _plain_tokens(text: str) -> list[str]:
    out: list[str] = []
    word = ""
    for ch in text:
        if ord(ch) < 0x80:
            if ch == " " or not word or word[-1] != " ":
                word += ch
            else:
                out.append(word)
                word = ch
        else:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
    if word:
        out.append(word)
    return out


def wrap(text: str, width: int) -> list[str]:
    """Wrap ``text`` to lines of at most ``width`` columns; ASCII words break only when longer than a line.

    Newlines start a new line; control characters become spaces; trailing spaces are dropped.
    """
    width = max(width, 2)
    lines: list[str] = []
    for para in text.replace("\r\n", "\n").split("\n"):
        line, used = "", 0
        for tok in _tokens(sanitize(para)):
            core = tok.rstrip(" ")  # trailing spaces may hang past the edge
            if not core:  # spaces alone: kept inside a line, dropped where the line breaks
                if used + len(tok) <= width:
                    line += tok
                    used += len(tok)
                continue
            if line and used + display_width(core) > width and display_width(core) <= width:
                lines.append(line.rstrip(" "))
                line, used = "", 0
            if used + display_width(core) > width:  # longer than a whole line: hard-split it
                for ch in core:
                    if used + char_width(ch) > width:
                        lines.append(line)
                        line, used = "", 0
                    line += ch
                    used += char_width(ch)
                tok = tok[len(core) :]
            line += tok
            used += display_width(tok)
        lines.append(line.rstrip(" "))
    return lines


def encode_text(text: str) -> bytes:
    """Text bytes: ASCII as is, every non-ASCII run as FS & + GB18030 + FS . (text must be sanitized)."""
    out = bytearray()
    run: list[str] = []
    for ch in text:
        if ord(ch) < 0x80:
            if run:
                out += CHINESE_ON + "".join(run).encode("gb18030") + CHINESE_OFF
                run = []
            out.append(ord(ch))
        else:
            run.append(ch)
    if run:
        out += CHINESE_ON + "".join(run).encode("gb18030") + CHINESE_OFF
    return bytes(out)


def size_command(scale: int) -> bytes:
    """GS ! n: width and height multipliers (1..8) in the high and low nibble."""
    s = min(max(scale, 1), 8) - 1
    return GS + b"!" + bytes([(s << 4) | s])


def _gs_k(fn: int, payload: bytes) -> bytes:
    """One GS ( k function for QR (cn = 0x31): pL pH count cn, fn and the payload."""
    n = len(payload) + 2
    return GS + b"(k" + bytes([n & 0xFF, n >> 8, 0x31, fn]) + payload


def qr_native(data: str, size: int) -> bytes:
    """Native QR: model 2, module size, ECC M, store, print (printer-rendered, a few dozen bytes)."""
    raw = data.encode("utf-8")
    if len(raw) > QR_MAX_BYTES:
        raise DriverError(f"QR data too long: {len(raw)} bytes (max {QR_MAX_BYTES})")
    return (
        _gs_k(0x41, b"\x32\x00")  # model 2
        + _gs_k(0x43, bytes([min(max(size, 1), 16)]))  # module size in dots
        + _gs_k(0x45, b"\x31")  # error correction M
        + _gs_k(0x50, b"\x30" + raw)  # store the data
        + _gs_k(0x51, b"\x30")  # print it
    )


def qr_image(data: str, size: int) -> bytes:
    """QR as a raster image (GS v 0): what printers without native QR need; many times the bytes."""
    import qrcode  # imported here: only the image path and the simulator's renderer need it
    from qrcode.constants import ERROR_CORRECT_M

    if len(data.encode("utf-8")) > QR_MAX_BYTES:
        raise DriverError(f"QR data too long for a QR code: {len(data.encode('utf-8'))} bytes")
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=min(max(size, 1), 16), border=0)
    qr.add_data(data.encode("utf-8"))
    qr.make(fit=True)
    img = qr.make_image().get_image().convert("1")
    return raster_image(img)


def raster_image(img) -> bytes:  # img: PIL.Image.Image in mode "1"
    """GS v 0 m xL xH yL yH d..: 1 bit per dot, MSB first, a set bit prints black."""
    width, height = img.size
    row_bytes = (width + 7) // 8
    data = io.BytesIO()
    px = img.load()
    for y in range(height):
        row = bytearray(row_bytes)
        for x in range(width):
            if not px[x, y]:  # mode "1": 0 is black
                row[x >> 3] |= 0x80 >> (x & 7)
        data.write(row)
    return GS + b"v0\x00" + bytes([row_bytes & 0xFF, row_bytes >> 8, height & 0xFF, height >> 8]) + data.getvalue()


class EscposEncoder:
    """Renders :class:`kiosk.layout.PrintJob` to ESC/POS for one paper width."""

    def __init__(self, paper: PaperProfile = PAPER_80MM, *, image_qr: bool = False, feed_before_cut: int = 4) -> None:
        self.paper = paper
        self.image_qr = image_qr
        self.feed_before_cut = feed_before_cut

    def encode(self, job: PrintJob) -> bytes:
        """The whole job: init, Chinese mode off, every block, then feed and cut if the job says so."""
        out = bytearray(INIT + CHINESE_OFF)
        for block in job.blocks:
            out += self.encode_block(block)
        if job.cut:
            # The cutter sits a few lines above the head: feed the last line past it, then cut.
            out += ESC + b"d" + bytes([self.feed_before_cut]) + CUT_FULL
        return bytes(out)

    def encode_block(self, block: Block) -> bytes:
        """One layout block; every block ends with attributes back at left, normal size, not bold."""
        if isinstance(block, TextLine):
            if has_mongolian(block.text):  # no printer font has the script: the line goes as an image
                return self._image_line(block.text, block.align, block.scale, block.bold)
            return self._text_line(block)
        if isinstance(block, KeyValue):
            if has_mongolian(block.key) or has_mongolian(block.value):
                return self._image_line(f"{block.key}: {block.value}", Align.LEFT, 1, False)
            return b"".join(encode_text(line) + LF for line in self.key_value_lines(block))
        if isinstance(block, Rule):
            ch = sanitize(block.char or "-")[:1] or "-"
            return encode_text(ch * (self.paper.columns // char_width(ch))) + LF
        if isinstance(block, QrCode):
            qr = qr_image(block.data, block.size) if self.image_qr else qr_native(block.data, block.size)
            # The print function prints the symbol as a line of its own: no LF after it.
            return ALIGN[block.align] + qr + ALIGN[Align.LEFT]
        if isinstance(block, Feed):
            return LF * max(block.lines, 0)
        raise DriverError(f"unknown layout block {type(block).__name__}")

    def _image_line(self, text: str, align: Align, scale: int, bold: bool) -> bytes:
        """A line in a script the printer has no font for, drawn as a GS v 0 raster image (ui-independent)."""
        from drivers.printer.protocol.raster_text import text_image  # Pillow and fonts only when needed

        img = text_image(text, self.paper.dots, scale=min(max(scale, 1), 2), align=align.value, bold=bold)
        return raster_image(img)

    def _text_line(self, line: TextLine) -> bytes:
        scale = min(max(line.scale, 1), 8)
        out = bytearray()
        if line.align != Align.LEFT:
            out += ALIGN[line.align]
        if scale != 1:
            out += size_command(scale)
        if line.bold:
            out += BOLD_ON
        for part in wrap(line.text, self.paper.columns // scale):
            out += encode_text(part) + LF
        if line.bold:
            out += BOLD_OFF
        if scale != 1:
            out += size_command(1)
        if line.align != Align.LEFT:
            out += ALIGN[Align.LEFT]
        return bytes(out)

    def key_value_lines(self, kv: KeyValue) -> list[str]:
        """ "label：value" on one line if it fits, else the label line and the value wrapped, indented 2."""
        label = sanitize(kv.key) + KV_SEP
        value = sanitize(kv.value)
        cols = self.paper.columns
        if display_width(label) + display_width(value) <= cols and "\n" not in kv.value:
            return [label + value]
        return [*wrap(label, cols), *("  " + part for part in wrap(kv.value, cols - 2))]

    def plain_lines(self, job: PrintJob) -> list[str]:
        """The text lines the job prints (what the simulator should read back), QR codes as "[QR data]"."""
        out: list[str] = []
        for b in job.blocks:
            if isinstance(b, TextLine):
                out += wrap(b.text, self.paper.columns // min(max(b.scale, 1), 8))
            elif isinstance(b, KeyValue):
                out += self.key_value_lines(b)
            elif isinstance(b, Rule):
                ch = sanitize(b.char or "-")[:1] or "-"
                out.append(ch * (self.paper.columns // char_width(ch)))
            elif isinstance(b, QrCode):
                out += [f"[QR {b.data}]"]
            elif isinstance(b, Feed):
                out += [""] * max(b.lines, 0)
        return out
