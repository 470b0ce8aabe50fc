"""``kiosk-provision outbox list | show | retry | export``: what waits for the hall, and carrying it by hand.

``export`` writes every pending row as the uplink message the agent would publish (one JSON object per line,
``sync.contract`` envelope), so the hall imports the file with ``kiosk-hall import-jsonl`` exactly as if it
had come over MQTT: rows it already has are counted as duplicates, not stored twice. The rows stay pending on
the kiosk until the hall acknowledges them over the link, which it does for copies too.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.store.files import fsync_dir
from provisioning.context import CommandError, Context
from provisioning.output import age, table, when
from sync import contract

PAGE = 500  # rows read per store call while exporting
EXPORT_MODE = 0o600  # the file holds citizens' personal data


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``outbox`` and its four subcommands."""
    p = sub.add_parser("outbox", parents=[common], help="list, show, retry or export what waits for the hall")
    osub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    ls = osub.add_parser("list", parents=[common], help="pending rows, oldest first (no personal data shown)")
    ls.add_argument("--kind", action="append", help="only this kind (repeatable): submission, heartbeat, ...")
    ls.add_argument("--limit", type=int, default=50, help="at most this many rows (default 50)")
    ls.add_argument("--after", type=int, default=0, metavar="SEQ", help="rows after this sequence number")
    ls.set_defaults(func=run_list)
    show = osub.add_parser("show", parents=[common], help="one row by its key")
    show.add_argument("key")
    show.add_argument("--show-personal", action="store_true", help="also print a personal payload")
    show.set_defaults(func=run_show)
    retry = osub.add_parser(
        "retry",
        parents=[common],
        help="send rows the hall already confirmed again (e.g. after the hall restored a backup)",
        description="Puts rows the hall confirmed back into the queue; the hall ignores copies it has. "
        "Pending rows need nothing: the agent keeps sending them by itself.",
    )
    when_ = retry.add_mutually_exclusive_group(required=True)
    when_.add_argument("--since", metavar="WHEN", help="rows created since: 2027-01-05, 2027-01-05T08:00, 6h, 2d")
    when_.add_argument("--all", action="store_true", help="every confirmed row still on the kiosk")
    retry.set_defaults(func=run_retry)
    export = osub.add_parser(
        "export",
        parents=[common],
        help="write the backlog as JSON Lines to carry to the hall",
        description="Writes every pending row to FILE (mode 0600: it holds personal data). At the hall: "
        "kiosk-hall import-jsonl FILE --db hall.db --hall HALL_ID. Delete the file once imported.",
    )
    export.add_argument("file", type=Path)
    export.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    export.set_defaults(func=run_export)


def _entry_dict(entry: Any, *, payload: bool) -> dict[str, Any]:
    out = {
        "seq": entry.seq,
        "key": entry.key,
        "kind": entry.kind,
        "state": entry.state,
        "created_at": entry.created_at,
        "attempts": entry.attempts,
        "last_attempt_at": entry.last_attempt_at,
        "confirmed_at": entry.confirmed_at,
        "personal": entry.personal,
    }
    if payload:
        out["payload"] = entry.payload
    return out


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    """Pending rows."""
    config = ctx.config()
    with ctx.inspect(config) as db:
        entries = db.pending(limit=args.limit, kinds=args.kind, after_seq=args.after)
        depth = db.outbox_stats().depth
    now = ctx.clock()
    result = {
        "ok": True,
        "pending": depth,
        "shown": len(entries),
        "rows": [_entry_dict(e, payload=False) for e in entries],
    }
    rows = [
        [
            e.seq,
            e.key,
            e.kind,
            when(e.created_at),
            age(now - e.created_at),
            e.attempts,
            when(e.last_attempt_at),
            "yes" if e.personal else "",
        ]
        for e in entries
    ]
    headers = ["seq", "key", "kind", "created", "age", "tries", "last try", "personal"]
    ctx.output.emit(result, lambda: f"{table(headers, rows)}\n{len(entries)} of {depth} pending shown")
    return 0


def run_show(args: argparse.Namespace, ctx: Context) -> int:
    """One row."""
    config = ctx.config()
    with ctx.inspect(config) as db:
        entry = db.get(args.key)
    if entry is None:
        raise CommandError(f"no outbox row with key {args.key} (list them: kiosk-provision outbox list)")
    reveal = args.show_personal or not entry.personal
    result = {"ok": True, **_entry_dict(entry, payload=reveal)}

    def human() -> str:
        rows = [[k, when(v) if k.endswith("_at") else v] for k, v in result.items() if k not in ("ok", "payload")]
        text = table(["field", "value"], rows)
        if reveal:
            return text + "\npayload:\n" + json.dumps(entry.payload, ensure_ascii=False, indent=2)
        return text + "\npayload: personal data, not shown (add --show-personal)"

    ctx.output.emit(result, human)
    return 0


def parse_when(text: str, now: float) -> float:
    """``6h`` / ``2d`` / ``30m`` before ``now``, or a local ISO date or date-time, as a UNIX time."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([mhd])", text.strip())
    if m:
        return now - float(m.group(1)) * {"m": 60, "h": 3600, "d": 86400}[m.group(2)]
    try:
        return _dt.datetime.fromisoformat(text).timestamp()
    except ValueError:
        raise CommandError(f"--since {text!r}: expected 6h, 2d or a date like 2027-01-05T08:00", exit_code=2) from None


def run_retry(args: argparse.Namespace, ctx: Context) -> int:
    """Confirmed rows back to pending."""
    config = ctx.config()
    since = 0.0 if args.all else parse_when(args.since, ctx.clock())
    store = ctx.open_store(config)
    try:
        count = store.requeue_since(since)
    finally:
        store.close()
    result = {"ok": True, "requeued": count, "since": since}
    ctx.output.emit(
        result,
        lambda: (
            f"{count} confirmed rows created since {when(since)} are queued again\n"
            "the agent reads them after a restart: systemctl restart kiosk-sync"
        ),
    )
    return 0


def create_private(path: Path) -> tuple[int, Path]:
    """A new, empty file beside ``path`` that only this user can read: (its descriptor, its name).

    The name is random and the file is made with ``O_CREAT|O_EXCL|O_NOFOLLOW`` (``tempfile.mkstemp``), so a
    file or symlink someone planted under a name they guessed is never opened, let alone followed; mode 0600
    whatever the umask, and checked on the open file before anything is written.
    """
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, EXPORT_MODE)
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or stat.S_IMODE(st.st_mode) != EXPORT_MODE:
            raise OSError(f"{name} is not a private file of ours")
    except BaseException:
        os.close(fd)
        os.unlink(name)
        raise
    return fd, Path(name)


def export_backlog(ctx: Context, config: Config, path: Path, *, progress: bool | None) -> int:
    """Write every pending row as an uplink message line to ``path``; the number written.

    Written to a private temporary file beside it (:func:`create_private`) and renamed over ``path`` once
    complete and on disk: whatever was at ``path`` (a file, a symlink) is replaced, never written through.
    """
    db = ctx.inspect(config)
    tmp: Path | None = None
    try:
        bar = ctx.output.progress(db.outbox_stats().depth, label="export", enabled=progress)
        fd, tmp = create_private(path)
        count, after = 0, 0
        with os.fdopen(fd, "wb") as handle:
            while rows := db.pending(limit=PAGE, after_seq=after):
                for entry in rows:
                    handle.write(_wire_line(config, entry, ctx.clock()))
                    count += 1
                bar.advance(len(rows))
                after = rows[-1].seq
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
        bar.finish()
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    finally:
        db.close()
    return count


def _wire_line(config: Config, entry: Any, now: float) -> bytes:
    # Exactly what the agent publishes (attempt counts this carry as one more try), plus a newline.
    return (
        contract.encode_uplink(
            key=entry.key,
            kind=entry.kind,
            kiosk_id=config.kiosk.id,
            hall_id=config.kiosk.hall_id,
            seq=entry.seq,
            created_at=entry.created_at,
            sent_at=now,
            attempt=entry.attempts + 1,
            personal=entry.personal,
            payload_json=entry.payload_json,
        )
        + b"\n"
    )


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    """Export the backlog."""
    config = ctx.config()
    try:
        count = export_backlog(ctx, config, args.file, progress=args.progress)
    except OSError as exc:
        raise CommandError(f"cannot write {args.file}: {exc.strerror or exc}") from None
    result = {"ok": True, "file": str(args.file), "exported": count, "kiosk_id": config.kiosk.id}
    ctx.output.emit(
        result,
        lambda: (
            f"wrote {count} pending rows to {args.file} (mode 0600: personal data; delete it once imported)\n"
            f"at the hall: kiosk-hall import-jsonl {args.file.name} --db hall.db --hall {config.kiosk.hall_id}"
        ),
    )
    return 0
