"""Writer process for the store's crash and two-process tests (run as a script; pytest does not collect it).

``python -S store_writer.py run DB SEED [COUNT]``: open the store, print ``pid <pid>``, ``ready``, then for each
submission, only after ``enqueue()`` returned, ``<key> <sha256 of its canonical payload> <ticket>``. Without
COUNT it writes until killed.

``python -S store_writer.py citizen DB SEED COUNT SYNCHRONOUS``: the power-loss workload (tests/powerloss): COUNT
citizen records through ``Store.record_citizen`` (submissions with a reference number, appointments that also
book a slot in the ledger), with telemetry and confirmations in between as the sync agent would make them; after
each record has returned it prints ``commit <key> <sha256 of its payload> <number> <kind> <slot or ->``.

``python -S store_writer.py attach DB SEED COUNT`` (or ``attach-nosync``): submissions naming staged pages
(attachments), for the power-loss test of attachments; see :func:`write_attachments`.

``python -S store_writer.py upgrade DB SEED COUNT``: the upgrade workload (tests/powerloss): a database as the
previous release left it (schema 2, no incremental vacuum) with COUNT citizen records, half confirmed days ago;
after it is on disk, ``commit <key> <sha256 of its payload> old`` for each. Then the store opens it (backup,
migration 3, the VACUUM that switches on incremental vacuum) and runs its retention with the pause between
batches used to write new records, as the UI would: ``commit <key> <sha256> new`` after each returned.

``python -S store_writer.py zygote``: a fork server, so hundreds of kill rounds do not each pay for a Python
start-up. For each ``DB SEED`` line on stdin it forks a writer (as ``run`` without COUNT, a fresh Store in a
fresh process) and, once that child has died, prints ``exit <pid> <wait status>``. Every line goes out in one
``write`` on the shared stdout pipe, so lines of a child killed mid-way are never torn.
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import sys
import traceback
from datetime import date, datetime, time
from pathlib import Path
from types import SimpleNamespace

from kiosk.appointments import CHINA_TZ, StoreBookingLedger
from kiosk.store import Store, canonical_json

_WORDS = ("张三", "李四", "身份证补领", "社保卡挂失", "户籍证明", "不动产登记", "Zoë", "🙂", "a\nb", '"q"', "\\")


def sha256_text(text: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_payload(rng: random.Random, n: int, ticket: int, **extra: str) -> dict:
    """A citizen submission of random size (up to a few pages) carrying a hash of the rest of itself."""
    body = {
        **extra,
        "n": n,
        "ticket": ticket,
        "name": rng.choice(_WORDS) + rng.choice(_WORDS),
        "note": "".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 60))),
        "amount": rng.randint(-(10**12), 10**12),
        "blob": "字" * rng.choice((0, 10, 500, 3000)),
    }
    body["self_sha"] = sha256_text(canonical_json(body))
    return body


def emit(line: str) -> None:
    """One unbuffered write per line: the parent may SIGKILL us at any instant."""
    os.write(1, (line + "\n").encode("utf-8"))


def write_submissions(db: Path, seed: int, count: int | None) -> None:
    """Open the store and write submissions, reporting each one after it is committed."""
    emit(f"pid {os.getpid()}")
    rng = random.Random(seed)
    store = Store(db)
    emit("ready")
    n = 0
    while count is None or n < count:
        ticket = store.next_number("ticket")
        payload = make_payload(rng, n, ticket)
        entry = store.enqueue("submission", payload, personal=True)
        emit(f"{entry.key} {sha256_text(canonical_json(payload))} {ticket}")
        n += 1
    store.close()


SLOTS = tuple(datetime.combine(date(2027, 3, 8), time(h), CHINA_TZ) for h in (9, 10, 11))
TODAY = date(2027, 3, 5)


def write_citizen_records(db: Path, seed: int, count: int, synchronous: str) -> None:
    """The power-loss workload (see the module docstring)."""
    rng = random.Random(seed)
    store = Store(db, synchronous=synchronous)
    ledger = StoreBookingLedger(store)
    for n in range(count):
        booking = None
        slot = rng.choice(SLOTS) if rng.random() < 0.3 else None
        if slot is not None:
            booking = ledger.booking(f"11010519491231{n:04d}", slot, TODAY)

        def build(number: int | None, n: int = n, slot: datetime | None = slot) -> dict:
            extra = {"slot": f"{slot:%Y-%m-%d %H:%M}"} if slot else {}
            return make_payload(rng, n, number or 0, **extra)

        kind = "submission" if slot is None else "appointment"
        record = store.record_citizen(kind, build, personal=True, counter="reference", booking=booking)
        emit(f"commit {record.entry.key} {sha256_text(record.entry.payload_json)} {record.number} {kind} "
             f"{slot.isoformat() if slot else '-'}")
        if n % 7 == 3:
            store.enqueue("heartbeat", {"n": n, "up": rng.random()})
        if n % 10 == 9:  # the hall confirms a few, as the sync agent records it
            store.confirm_many(e.key for e in store.pending(limit=4))
    store.close()


def write_attachments(db: Path, seed: int, count: int, sync_pages: bool) -> None:
    """The power-loss workload of attachments: COUNT submissions, each naming 1-3 pages staged just before (of
    random size, some shared); after each record it prints ``commit <key> <sha256 of payload> <page,page,...>``.
    Without ``sync_pages`` the pages' fsyncs are skipped: the test's proof that its checker catches that."""
    if not sync_pages:
        import kiosk.store.attachments as attachments

        attachments.os = SimpleNamespace(**{**vars(os), "fsync": lambda fd: None})  # type: ignore[assignment]
        attachments.fsync_dir = lambda directory: None  # type: ignore[assignment]
    rng = random.Random(seed)
    store = Store(db)
    shared = store.stage_attachment(b"the same blank page", "image/png")
    for n in range(count):
        pages = [store.stage_attachment(rng.randbytes(rng.choice((100, 5000, 70_000, 200_000))), "image/jpeg")
                 for _ in range(rng.randint(1, 3))]  # fmt: skip
        if n % 5 == 0:
            pages.append(shared)

        def build(number: int | None, n: int = n, pages: list = pages) -> dict:
            return make_payload(rng, n, number or 0, pages=",".join(p.sha256 for p in pages))

        record = store.record_citizen("submission", build, personal=True, counter="reference", attachments=pages)
        emit(f"commit {record.entry.key} {sha256_text(record.entry.payload_json)} "
             f"{','.join(p.sha256 for p in pages)}")
        if n % 6 == 5:  # the agent's progress notes and deliveries, as it records them
            store.record_attachment_progress(pages[0].sha256, 65536, 1)
            store.mark_attachment_delivered(pages[-1].sha256)
    store.close()


def upgrade_and_purge(db: Path, seed: int, count: int, synchronous: str = "FULL") -> None:
    """The upgrade workload (see the module docstring)."""
    from kiosk.store.files import fsync_dir, make_dirs
    from kiosk.store.migrations import MIGRATIONS, migrate
    from kiosk.store.space import Pacer

    rng, now = random.Random(seed), 1_800_000_000.0
    make_dirs(db.parent)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    migrate(conn, None, MIGRATIONS[:2])
    rows = []
    for n in range(count):
        text = canonical_json(make_payload(rng, n, n))
        rows.append((f"old-{seed}-{n}", text, now - 5 * 86400 + n, n % 2))
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO outbox (key, kind, payload, created_at, personal, state, confirmed_at) "
        "VALUES (?, 'submission', ?, ?, 1, CASE ? WHEN 1 THEN 'confirmed' ELSE 'pending' END, ?)",
        [(key, text, created, old, created if old else None) for key, text, created, old in rows],
    )
    conn.execute("COMMIT")
    conn.close()
    fsync_dir(db.parent)
    for key, text, _, _ in rows:
        emit(f"commit {key} {sha256_text(text)} old")
    written = [0]

    def new_record(_pause: float) -> None:  # what the UI writes while retention pauses between its batches
        payload = make_payload(rng, written[0], written[0])
        entry = store.enqueue("submission", payload, personal=True)
        emit(f"commit {entry.key} {sha256_text(entry.payload_json)} new")
        written[0] += 1

    pacer = Pacer(sleep=new_record, first=8, lo=8, hi=8)
    store = Store(db, clock=lambda: now, retention_s=72 * 3600, pacer=pacer, synchronous=synchronous)
    store.housekeep()
    store.close()


def zygote() -> None:
    """Fork one writer per command line and report how it ended."""
    for command in sys.stdin:
        db, seed = command.split()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                write_submissions(Path(db), int(seed), None)
            except BaseException:
                traceback.print_exc()
                code = 70
            finally:
                os._exit(code)  # never fall back into the server loop
        _, status = os.waitpid(pid, 0)
        emit(f"exit {pid} {status}")


def main(argv: list[str]) -> int:
    """Dispatch ``run`` or ``zygote``."""
    if argv[0] == "zygote":
        zygote()
    elif argv[0] in ("attach", "attach-nosync"):
        write_attachments(Path(argv[1]), int(argv[2]), int(argv[3]), argv[0] == "attach")
    elif argv[0] == "upgrade":
        upgrade_and_purge(Path(argv[1]), int(argv[2]), int(argv[3]), *argv[4:5])
    elif argv[0] == "citizen":
        write_citizen_records(Path(argv[1]), int(argv[2]), int(argv[3]), argv[4])
    else:
        write_submissions(Path(argv[1]), int(argv[2]), int(argv[3]) if len(argv) > 3 else None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
