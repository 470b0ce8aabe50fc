"""Downlink from the hall: acknowledgements, commands, config and catalog updates, fault acknowledgements.

Every message is checked in the same order: a downlink topic of this kiosk, UTF-8 JSON, the envelope schema, the
kind matching the topic, the sender being the hall's identity (``from`` and, if present, the MQTT 5 user property
``sender``), then the kind's own schema. The broker ACL, under which only the hall may write a kiosk's down topics,
is the real guard; the sender check catches a misconfigured broker. Anything that fails gets an ``error`` result
and nothing else happens; nothing here raises into the agent.

Each message other than an ack is answered by exactly one ``command_result`` outbox row whose key is derived from
the ``msg_id`` (UUID5), and acted on once: the store's inbox remembers msg_ids, so a retained config delivered
again on every reconnect is not applied twice. A message whose handling was cut short by a crash (in the inbox,
not done) is handled again when it is delivered again; every action here is idempotent.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.faults import FAULT_INFO, FaultCode
from kiosk.shared_settings import (
    CATALOG_VERSION_SETTING,
    CONFIG_VERSION_SETTING,
    MAINTENANCE_SETTING,
    SELF_TEST,
    UI_COMMANDS,
    ui_inbox_kind,
)
from kiosk.store.models import Fault, StoreError
from sync import contract
from sync.config_update import ConfigRejected, apply_update

if TYPE_CHECKING:
    from kiosk.store import Store

log = logging.getLogger(__name__)

CatalogInstaller = Callable[[dict[str, Any]], Any]  # installs a catalog document; raises ValueError if invalid


class Downlink:
    """Handles downlink messages for one kiosk; results go to the outbox as ``command_result`` rows."""

    def __init__(
        self,
        store: Store,
        *,
        kiosk_id: str,
        hall_identity: str,
        clock: Callable[[], float] = time.time,
        config_path: Path | None = None,
        catalog_installer: CatalogInstaller | None = None,
        data_dir: Path | None = None,
        ui_command_timeout_s: float = 120.0,
    ) -> None:
        self._store = store
        self._kiosk_id = kiosk_id
        self._hall = hall_identity
        self._clock = clock
        self._config_path = config_path
        self._install_catalog = catalog_installer
        self._data_dir = data_dir
        self._ui_timeout_s = ui_command_timeout_s
        self._waiting_ui: dict[str, tuple[str, float]] | None = None  # msg_id -> (command, deadline); lazy
        self.on_requeue: Callable[[], None] = lambda: None  # the agent re-reads the outbox from the start

    # ------------------------------------------------------------------------------------------- acks
    def parse_ack(self, payload: bytes, props: dict[str, str]) -> list[str]:
        """The keys an ack confirms ([] if it is not a valid ack from the hall, which is then answered)."""
        try:
            msg = self._check("ack", payload, props)
        except contract.ContractError as exc:
            self._answer_bad("ack", payload, str(exc))
            return []
        except Exception as exc:  # whatever a hostile payload provokes, the agent keeps running
            log.exception("checking an ack failed")
            self._answer_bad("ack", payload, f"internal error: {type(exc).__name__}")
            return []
        for item in msg.get("rejected", []):
            log.error("the hall quarantined outbox row %s: %s", item["key"], item["error"])
        return [*msg["keys"], *(item["key"] for item in msg.get("rejected", []))]

    # -------------------------------------------------------------------------------------- the others
    def handle(self, kind: str, payload: bytes, props: dict[str, str]) -> None:
        """Check and carry out one downlink message; never raises."""
        try:
            if kind not in contract.DOWN_KINDS or kind == "ack":
                raise contract.ContractError(f"(topic): unknown downlink kind {kind!r}")
            msg = self._check(kind, payload, props)
        except contract.ContractError as exc:
            self._answer_bad(kind if kind in contract.DOWN_KINDS else "unknown", payload, str(exc))
            return
        except Exception as exc:  # whatever a hostile payload provokes, the agent keeps running
            log.exception("checking a downlink %s message failed", kind)
            self._answer_bad(kind, payload, f"internal error: {type(exc).__name__}")
            return
        try:
            fresh = self._store.inbox_put(msg["msg_id"], self._inbox_kind(msg), msg)
            if not fresh and not any(e.msg_id == msg["msg_id"] for e in self._store.inbox_pending()):
                log.info("downlink %s %s already handled", kind, msg["msg_id"])
                return
            status, error, detail = self._dispatch(kind, msg)
        except StoreError as exc:
            status, error, detail = "error", f"kiosk store unavailable: {exc}", {}
        except Exception as exc:  # a bug in one handler must not take the link down
            log.exception("downlink %s %s failed", kind, msg.get("msg_id"))
            status, error, detail = "error", f"internal error: {type(exc).__name__}: {exc}", {}
        if status == "waiting":
            return  # the screen process answers; see poll_ui()
        self._answer(msg["msg_id"], kind, status, error, detail, command=msg.get("command"))
        try:
            self._store.inbox_done(msg["msg_id"], {"status": status, "error": error, "detail": detail})
        except StoreError as exc:
            log.error("cannot mark downlink %s handled: %s", msg["msg_id"], exc)

    def poll_ui(self) -> None:
        """Answer commands handed to the screen process once it has done them, or once it is too late."""
        now = self._clock()
        waiting = self._waiting()
        if not waiting:
            return
        pending = {e.msg_id for e in self._store.inbox_pending(kinds=[ui_inbox_kind(c) for c in UI_COMMANDS])}
        for msg_id, (command, deadline) in list(waiting.items()):
            if msg_id in pending and now < deadline:
                continue
            del waiting[msg_id]
            if msg_id in pending:
                error = f"the screen process did not carry out {command} within {self._ui_timeout_s:g} s"
                self._answer(msg_id, "command", "error", error, {}, command=command)
                self._store.inbox_done(msg_id, {"status": "error", "error": error, "detail": {}})
                continue
            entry = self._inbox_entry(msg_id)
            result = (entry.result if entry is not None else None) or {}
            status = result.get("status") if result.get("status") in ("ok", "rejected", "error") else "ok"
            error = result.get("error") if isinstance(result.get("error"), str) else None
            detail = result.get("detail") if isinstance(result.get("detail"), dict) else {}
            self._answer(msg_id, "command", status, error, detail, command=command)

    def _waiting(self) -> dict[str, tuple[str, float]]:
        if self._waiting_ui is None:  # first use: pick up what an earlier run handed over and never answered
            deadline = self._clock() + self._ui_timeout_s
            self._waiting_ui = {
                e.msg_id: (e.kind.removeprefix("command."), deadline)
                for e in self._store.inbox_pending(kinds=[ui_inbox_kind(c) for c in UI_COMMANDS])
            }
        return self._waiting_ui

    # --------------------------------------------------------------------------------------- checking
    def _check(self, kind: str, payload: bytes, props: dict[str, str]) -> dict[str, Any]:
        msg = contract.decode(payload)
        if kind == "ack" and isinstance(msg, dict) and msg.get("kind") == "ack":
            contract.check_ack(msg)  # the hot path: same rules as the schema, a fraction of the cost
        else:
            contract.validate("down-envelope", msg)
        if msg["kind"] != kind:
            raise contract.ContractError(f"kind: {msg['kind']!r} sent on the {kind!r} topic")
        sender = props.get("sender")
        if msg["from"] != self._hall or (sender is not None and sender != self._hall):
            raise contract.ContractError(f"from: {msg['from']!r} is not the hall's identity; ignored")
        if kind == "command" and msg.get("command") not in contract.COMMANDS:
            raise contract.ContractError(f"command: unknown command {msg.get('command')!r}")
        if kind != "ack":
            contract.validate(contract.down_schema(kind), msg)
        return msg

    def _inbox_kind(self, msg: dict[str, Any]) -> str:
        if msg["kind"] == "command" and msg["command"] in UI_COMMANDS:
            return ui_inbox_kind(msg["command"])
        return msg["kind"]

    def _inbox_entry(self, msg_id: str) -> Any:
        getter = getattr(self._store, "inbox_get", None)
        return getter(msg_id) if getter is not None else None

    # ----------------------------------------------------------------------------------------- answers
    def _answer(
        self,
        msg_id: str | None,
        kind: str,
        status: str,
        error: str | None,
        detail: dict[str, Any],
        *,
        command: str | None = None,
        key: str | None = None,
    ) -> None:
        payload: dict[str, Any] = {
            "msg_id": msg_id,
            "request_kind": kind,
            "status": status,
            "error": error[:2000] if error else None,
            "detail": detail,
        }
        if command:
            payload["command"] = command
        key = key or contract.event_key(self._kiosk_id, "result", msg_id)
        try:
            self._store.enqueue("command_result", payload, key=key)
        except StoreError as exc:
            log.error("cannot queue the result of downlink %s: %s", msg_id, exc)
            return
        log_fn = log.info if status == "ok" else log.warning
        log_fn("downlink %s %s: %s %s", kind, msg_id, status, error or "")

    def _answer_bad(self, kind: str, payload: bytes, error: str) -> None:
        msg_id = None
        try:
            parsed = contract.decode(payload)
            if isinstance(parsed, dict) and isinstance(parsed.get("msg_id"), str) and len(parsed["msg_id"]) <= 200:
                msg_id = parsed["msg_id"]
        except contract.ContractError:
            pass
        # The same bad message delivered again (a retained one, on every reconnect) is answered once.
        digest = hashlib.sha256(kind.encode() + b"\0" + payload).hexdigest()
        self._answer(msg_id, kind, "error", error, {}, key=contract.event_key(self._kiosk_id, "bad", digest))

    # ---------------------------------------------------------------------------------------- dispatch
    def _dispatch(self, kind: str, msg: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
        if kind == "command":
            return self._command(msg)
        if kind == "config":
            return self._config(msg)
        if kind == "catalog":
            return self._catalog(msg)
        return self._fault_ack(msg)

    def _command(self, msg: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
        name, args = msg["command"], msg["args"]
        if name == "self_test":
            return self._self_test()
        if name in UI_COMMANDS:
            self._waiting()[msg["msg_id"]] = (name, self._clock() + self._ui_timeout_s)
            return "waiting", None, {}
        if name == "enter_maintenance":
            value = {"on": True, "by": msg["from"], "since": self._clock(), "reason": args.get("reason", "")}
            self._store.set_setting(MAINTENANCE_SETTING, value)
            return "ok", None, {"maintenance": True}
        if name == "leave_maintenance":
            self._store.set_setting(MAINTENANCE_SETTING, {"on": False, "by": msg["from"], "since": self._clock()})
            return "ok", None, {"maintenance": False}
        if name == "purge_personal":
            if args.get("scope", "expired") == "all":
                count = self._store.purge_all_personal()
                self.on_requeue()  # purged rows left the pending set: forget what was in flight
            else:
                count = self._store.purge_personal()
            return "ok", None, {"purged": count, "scope": args.get("scope", "expired")}
        if name == "resend_since":
            count = self._store.requeue_since(float(args["since"]))
            self.on_requeue()
            return "ok", None, {"requeued": count}
        return "error", f"command {name!r} is not implemented", {}  # schema and COMMANDS disagree: a bug

    def _self_test(self) -> tuple[str, str | None, dict[str, Any]]:
        problems: list[str] = []
        probe = self._clock()
        self._store.set_setting(SELF_TEST.key, probe)
        if self._store.get_setting(SELF_TEST.key) != probe:
            problems.append("store did not read back what was written")
        devices = {kind: str(s.state) for kind, s in self._store.device_statuses().items()}
        problems += [
            f"device {kind} is {state}"
            for kind, state in sorted(devices.items())
            if state not in ("ok", "degraded", "disabled")
        ]
        detail: dict[str, Any] = {
            "devices": devices,
            "open_faults": [f.code for f in self._store.open_faults()],
            "outbox_depth": self._store.outbox_stats().depth,
        }
        if self._data_dir is not None:
            detail["disk_free_bytes"] = shutil.disk_usage(self._data_dir).free
        if problems:
            return "error", "; ".join(problems), detail
        return "ok", None, detail

    def _config(self, msg: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
        if self._config_path is None:
            return "rejected", "this kiosk has no writable config file", {}
        note = f"written by kiosk-sync: hall config update {msg['version']} ({msg['msg_id']})"
        try:
            apply_update(self._config_path, msg["config"], note=note)
        except ConfigRejected as exc:
            return "rejected", str(exc), {"version": msg["version"]}
        except OSError as exc:
            return "error", f"cannot write {self._config_path}: {exc}", {"version": msg["version"]}
        self._store.set_setting(CONFIG_VERSION_SETTING, msg["version"])
        # Running processes read their config at start; the new one takes effect when they restart.
        return "ok", None, {"version": msg["version"], "restart_required": True}

    def _catalog(self, msg: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
        if self._install_catalog is None:
            return "rejected", "this kiosk cannot install catalogs", {"version": msg["version"]}
        try:
            self._install_catalog(msg["catalog"])
        except (ValueError, KeyError, TypeError) as exc:
            return "rejected", f"invalid catalog: {exc}", {"version": msg["version"]}
        except OSError as exc:
            return "error", f"cannot install the catalog: {exc}", {"version": msg["version"]}
        self._store.set_setting(CATALOG_VERSION_SETTING, msg["version"])
        return "ok", None, {"version": msg["version"]}

    def _fault_ack(self, msg: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
        fault_id = int(msg["fault_id"])
        changed = self._store.ack_fault(fault_id, msg["by"])
        fault = find_fault(self._store, fault_id)
        if fault is None:
            return "rejected", f"no fault {fault_id} on this kiosk", {"fault_id": fault_id}
        if changed:
            self._store.enqueue(
                "fault", fault_event(fault, "acked"), key=contract.event_key(self._kiosk_id, "fault", fault_id, "acked")
            )
        return "ok", None, {"fault_id": fault_id, "already_acked": not changed}


def find_fault(store: Store, fault_id: int) -> Fault | None:
    """The fault with ``fault_id`` (open ones first; the store has no lookup by id)."""
    for fault in store.open_faults():
        if fault.id == fault_id:
            return fault
    for fault in store.faults_since(0.0):
        if fault.id == fault_id:
            return fault
    return None


def fault_event(fault: Fault, event: str) -> dict[str, Any]:
    """The payload of a ``fault`` outbox row for ``event`` (raised, cleared, acked)."""
    try:
        info = FAULT_INFO[FaultCode(fault.code)]
        action_zh, action_en = info.action_zh, info.action_en
    except ValueError:
        action_zh, action_en = "按大厅维护规则处理", "See the hall's maintenance rules"
    return {
        "event": event,
        "fault_id": fault.id,
        "code": fault.code,
        "device": fault.device,
        "severity": fault.severity,
        "message": fault.message,
        "action_zh": action_zh,
        "action_en": action_en,
        "raised_at": fault.raised_at,
        "cleared_at": fault.cleared_at,
        "duration_s": fault.duration_s,
        "acked_at": fault.acked_at,
        "acked_by": fault.acked_by,
    }
