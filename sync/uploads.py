"""The agent's attachment lane: pages of pending submissions sent to the hall in chunks, each acknowledged.

At most ``mqtt.chunk_window`` chunks are unacknowledged at once (all uploads together), so a control message or
another citizen's record published meanwhile waits behind at most that many chunks in the connection; uploads
take turns chunk by chunk, so one big file does not hold back a small one. A chunk not acknowledged within
``ack_timeout_s`` (doubling per attempt), or still unacknowledged when a later chunk of its file was, is sent
again. The leading acknowledged chunks are noted in the store, so after a restart of the agent the upload resumes
there (the hall acknowledges copies too). When the hall says ``complete`` (whole file, hash checked) the page is
marked delivered, and the rows naming it may go out. Chunk bytes are read from the file when sent and never kept.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.store.models import StoreError
from sync import attachment_wire as wire

if TYPE_CHECKING:
    from kiosk.store import OutboxEntry, Store
    from kiosk.store.attachments import AttachmentState

log = logging.getLogger(__name__)

LOAD_LIMIT = 8  # uploads taken up at once
EARLY_GAP_S = 0.2  # a chunk passed by a later acknowledged one is resent once it is at least this old
NOTE_EVERY_S = 0.5  # the resume point is noted at most this often (a store commit each): copies are cheap

Publish = Callable[[bytes], bool]  # publishes one frame on the attachment topic; False when the link cannot


@dataclass
class _Sent:
    due: float
    attempt: int
    serial: int
    sent: float


@dataclass
class _Upload:
    sha256: str
    size: int
    media_type: str
    chunk: int
    count: int
    prefix: int  # leading chunks acknowledged (and noted in the store when changed)
    next: int  # the first chunk never sent by this process
    acked: set[int] = field(default_factory=set)  # acknowledged chunks beyond the prefix
    inflight: dict[int, _Sent] = field(default_factory=dict)
    acked_serial: int = 0  # the latest-sent acknowledged chunk (for early resends)
    noted: float = 0.0  # monotonic time the resume point was last noted


class Uploader:
    """Chunked, acknowledged, resumable delivery of attachments (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        *,
        kiosk_id: str,
        hall_id: str,
        chunk_bytes: int,
        window: int,
        ack_timeout_s: float,
        retry_max_s: float,
        clock: Callable[[], float],
        poll_s: float = 0.25,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._kiosk_id = kiosk_id
        self._hall_id = hall_id
        self._chunk = min(chunk_bytes, wire.MAX_CHUNK_BYTES)
        self.window = window
        self._ack_timeout_s = ack_timeout_s
        self._retry_max_s = retry_max_s
        self._clock = clock
        self._poll_s = poll_s
        self._mono = monotonic
        self._uploads: dict[str, _Upload] = {}
        self._turn = 0
        self._serial = 0
        self._idle_until = 0.0
        self.sent = 0
        self.resent = 0
        self.delivered = 0

    @property
    def inflight(self) -> int:
        """Chunks published and not acknowledged."""
        return sum(len(u.inflight) for u in self._uploads.values())

    def wake(self) -> None:
        """New pages may wait in the store: look on the next fill."""
        self._idle_until = 0.0

    def link_reset(self, now: float) -> None:
        """A new connection: whatever was in flight may be gone, send it again now."""
        log.debug("uploads: %s", [(u.sha256[:8], u.prefix, u.next, sorted(u.inflight)) for u in self._uploads.values()])
        for upload in self._uploads.values():
            for sent in upload.inflight.values():
                sent.due = now

    # ------------------------------------------------------------------------------------------ sending
    def fill(self, now: float, publish: Publish) -> int:
        """Publish due resends, and new chunks while fewer than ``window`` are unacknowledged, uploads taking
        turns; how many."""
        if not self._uploads or now >= self._idle_until:
            self._load(now)
        done = 0
        idle_rounds = 0
        while self._uploads and idle_rounds < len(self._uploads):
            uploads = list(self._uploads.values())
            upload = uploads[self._turn % len(uploads)]
            self._turn += 1
            index = self._next_chunk(upload, now, self.inflight < self.window)
            if index is None:
                idle_rounds += 1
                continue
            idle_rounds = 0
            if not self._send(upload, index, now, publish):
                break
            done += 1
        return done

    def _next_chunk(self, upload: _Upload, now: float, room: bool) -> int | None:
        due = [i for i, s in upload.inflight.items() if s.due <= now or self._passed(upload, s, now)]
        if due:
            return min(due)
        if not room:
            return None
        while upload.next < upload.count and (upload.next < upload.prefix or upload.next in upload.acked):
            upload.next += 1
        if upload.next < upload.count:
            return upload.next
        if not upload.inflight and upload.prefix >= upload.count:
            # Every chunk acknowledged but not "complete" (that ack was lost, or we restarted after noting it):
            # the last chunk again makes the hall say complete.
            return upload.count - 1
        return None

    @staticmethod
    def _passed(upload: _Upload, sent: _Sent, now: float) -> bool:
        return sent.serial < upload.acked_serial and now - sent.sent >= EARLY_GAP_S

    def _send(self, upload: _Upload, index: int, now: float, publish: Publish) -> bool:
        try:
            data = self._store.read_attachment(upload.sha256, index * upload.chunk, upload.chunk)
        except StoreError as exc:
            log.error("cannot read attachment %s…: %s; dropping it from this round", upload.sha256[:12], exc)
            self._uploads.pop(upload.sha256, None)
            return True
        previous = upload.inflight.get(index)
        attempt = previous.attempt + 1 if previous is not None else 1
        header = wire.chunk_header(
            kiosk_id=self._kiosk_id, hall_id=self._hall_id, sha256=upload.sha256, size=upload.size,
            media_type=upload.media_type, chunk_size=upload.chunk, index=index, sent_at=self._clock(),
            attempt=attempt,
        )  # fmt: skip
        if not publish(wire.encode_chunk(header, data)):
            return False
        self._serial += 1
        backoff = min(self._ack_timeout_s * 2 ** min(attempt - 1, 16), max(self._ack_timeout_s, self._retry_max_s))
        upload.inflight[index] = _Sent(now + backoff, attempt, self._serial, now)
        if index >= upload.next:
            upload.next = index + 1
        if attempt > 1:
            self.resent += 1
        self.sent += 1
        return True

    def _load(self, now: float) -> None:
        self._idle_until = now + self._poll_s
        if len(self._uploads) >= LOAD_LIMIT:
            return
        try:
            states = self._store.undelivered_attachments(limit=LOAD_LIMIT)
        except StoreError as exc:
            log.error("cannot read the attachments to send: %s", exc)
            return
        for state in states:
            if state.sha256 not in self._uploads and len(self._uploads) < LOAD_LIMIT:
                upload = self._uploads[state.sha256] = self._upload(state)
                log.debug("upload %s…: %d chunks, from %d", upload.sha256[:12], upload.count, upload.prefix)

    def _upload(self, state: AttachmentState) -> _Upload:
        count = wire.chunk_count(state.size, self._chunk)
        # Resume where the hall's acknowledgements had reached, if the chunk size is still the same.
        prefix = min(state.acked_chunks, count) if state.chunk_bytes == self._chunk else 0
        return _Upload(state.sha256, state.size, state.media_type, self._chunk, count, prefix, prefix)

    # ---------------------------------------------------------------------------------------- receiving
    def on_ack(self, items: list[dict[str, Any]]) -> bool:
        """Apply an ``attachment_ack``; True when a page was completed (rows waiting for it may go now)."""
        completed = False
        for item in items:
            upload = self._uploads.get(item["sha256"])
            if item["complete"]:
                completed |= self._complete(item["sha256"])
                continue
            if upload is None:
                continue  # an ack of a copy sent before a restart, or of a file already complete
            if item.get("restart"):
                log.warning("the hall restarts attachment %s… from chunk 0: %s", upload.sha256[:12], item.get("error"))
                upload.prefix = upload.next = 0
                upload.acked.clear()
                upload.inflight.clear()
                self._note(upload)
                continue
            self._acknowledge(upload, item["chunks"])
        return completed

    def _acknowledge(self, upload: _Upload, chunks: list[int]) -> None:
        before = upload.prefix
        for index in chunks:
            sent = upload.inflight.pop(index, None)
            if sent is not None:
                upload.acked_serial = max(upload.acked_serial, sent.serial)
            if index >= upload.prefix:
                upload.acked.add(index)
        while upload.prefix in upload.acked:
            upload.acked.discard(upload.prefix)
            upload.prefix += 1
        now = self._mono()
        if upload.prefix != before and (now - upload.noted >= NOTE_EVERY_S or upload.prefix >= upload.count):
            upload.noted = now
            self._note(upload)

    def _note(self, upload: _Upload) -> None:
        try:
            self._store.record_attachment_progress(upload.sha256, upload.chunk, upload.prefix)
        except StoreError as exc:  # only the resume point is lost: the hall acknowledges copies
            log.warning("cannot note the progress of attachment %s…: %s", upload.sha256[:12], exc)

    def _complete(self, sha256: str) -> bool:
        try:
            changed = self._store.mark_attachment_delivered(sha256)
        except StoreError as exc:
            log.error("cannot note attachment %s… delivered: %s", sha256[:12], exc)
            return False  # it stays loaded; the next chunk sent gets "complete" again
        self._uploads.pop(sha256, None)
        if changed:
            self.delivered += 1
        return True


class HeldRows:
    """Rows naming pages the hall does not hold yet: the citizen lane passes them by, and reads them again once
    a page completes (the rows that no longer wait go out then)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._held: dict[str, OutboxEntry] = {}

    def __len__(self) -> int:
        return len(self._held)

    def waiting(self, rows: list[OutboxEntry]) -> set[str]:
        """Which of ``rows`` must wait (read after the rows: a row and its page links commit together)."""
        if not any(entry.kind == "submission" for entry in rows):
            return set()
        return self._store.keys_awaiting_attachments()

    def hold(self, entry: OutboxEntry) -> None:
        """Pass ``entry`` by for now."""
        self._held[entry.key] = entry

    def release(self) -> int | None:
        """After a page completed: the lowest seq of the rows that no longer wait (None: none)."""
        if not self._held:
            return None
        try:
            waiting = self._store.keys_awaiting_attachments()
        except StoreError as exc:
            log.error("cannot read which rows wait for pages: %s", exc)
            return None
        released = [entry for key, entry in self._held.items() if key not in waiting]
        for entry in released:
            del self._held[entry.key]
        return min((entry.seq for entry in released), default=None)
