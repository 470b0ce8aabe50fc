"""What the kiosk sends the A4 printer: a PDF held in memory, checked before any I/O."""

from __future__ import annotations

MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
A4_MEDIA = "iso_a4_210x297mm"
JOB_OPTIONS = {"media": A4_MEDIA, "sides": "one-sided"}


class BadDocument(ValueError):
    """The bytes are not a PDF the kiosk would print (a bug upstream, never a printer fault)."""


def check_pdf(data: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> None:
    """Raise BadDocument unless ``data`` looks like a whole PDF: the header, an end-of-file marker, a sane size."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise BadDocument(f"a document is bytes, not {type(data).__name__}")
    size = len(data)
    if size == 0:
        raise BadDocument("the document is empty")
    if size > max_bytes:
        raise BadDocument(f"the document is {size} bytes, more than {max_bytes}")
    head = bytes(data[:1024])
    if b"%PDF-" not in head:
        raise BadDocument("the document is not a PDF (no %PDF- header)")
    if b"%%EOF" not in bytes(data[-2048:]):
        raise BadDocument("the PDF is cut short (no %%EOF at its end)")


def job_title(title: str) -> str:
    """The job name CUPS keeps in its history: one line, at most 64 characters. Give the document's title (参保证明),
    never the citizen's name: the scheduler logs it."""
    clean = " ".join(str(title).split())
    return clean[:64] or "document"
