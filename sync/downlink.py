"""Downlink from the hall: acknowledgements, commands, config and catalog updates, fault acknowledgements.

Every message is checked in the same order: a downlink topic of this kiosk, its size (``contract.MAX_DOWN_BYTES``),
UTF-8 JSON without NaN, the envelope schema, the kind matching the topic, the sender being the hall's identity
(``from``, then, if present, the MQTT 5 user property ``sender``), the kind's own schema, and for config and
catalog updates the hall's signature (``sync/signing.py``), the kiosk it names (``to``) and that it is not older
than the update last applied. The broker ACL, under which only the hall may write a kiosk's down topics, is the
guard for commands and acks; ``from`` and ``sender`` are what the publisher says, so what changes the kiosk for
days (its settings, its catalog) must carry the hall's signature. Anything that fails gets an ``error`` result and
nothing else happens; nothing here raises into the agent.

Each message other than an ack is answered by exactly one ``command_result`` outbox row whose key is derived from
the ``msg_id`` (UUID5), and acted on once: the store's inbox remembers msg_ids, so a retained config delivered
again on every reconnect is not applied twice. A message whose handling was cut short by a crash (in the inbox,
not done) is handled again when it is delivered again; every action here is idempotent.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.devices import DeviceKind
from kiosk.faults import FAULT_INFO, FaultCode
from kiosk.hall_settings import HALL_SETTINGS_FILE
from kiosk.shared_settings import (
    CATALOG_VERSION_SETTING,
    CONFIG_VERSION_SETTING,
    MAINTENANCE_SETTING,
    SELF_TEST,
    SIGNED_APPLIED,
    UI_COMMANDS,
    UI_LIVENESS,
    ui_inbox_kind,
)
from kiosk.store.models import Fault, StoreError
from sync import contract, signing
from sync.config_update import ConfigRejected, apply_update

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

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
        hall_key: Ed25519PublicKey | None = None,
        hall_settings_path: Path | None = None,
        ui_stale_s: float = 30.0,
    ) -> None:
        """``config_path`` is the technician's kiosk.toml (read only: the base the hall's settings are checked
        over); the hall's settings go to ``hall_settings_path`` (default ``<data_dir>/hall-settings.toml``).
        ``hall_key`` is the hall's public signing key: without it config and catalog updates are refused."""
        self._store = store
        self._kiosk_id = kiosk_id
        self._hall = hall_identity
        self._clock = clock
        self._config_path = config_path
        self._install_catalog = catalog_installer
        self._data_dir = data_dir
        self._hall_key = hall_key
        if hall_settings_path is None and data_dir is not None:
            hall_settings_path = data_dir / HALL_SETTINGS_FILE
        self._settings_path = hall_settings_path
        self._ui_stale_s = ui_stale_s
        self._ui_timeout_s = ui_command_timeout_s
        self._waiting_ui: dict[str, tuple[str, float]] | None = None  # msg_id -> (command, deadline); lazy
        self.on_requeue: Callable[[], None] = lambda: None  # the agent re-reads the outbox from the start

    # ------------------------------------------------------------------------------------------- acks
    def parse_ack(self, payload: bytes, props: dict[str, str]) -> list[str]:
        """The keys an ack confirms ([] if it is not a valid ack from the hall, which is then answered)."""
        try:
            self._check_size("ack", payload)
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
            self._check_size(kind, payload)
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
    @staticmethod
    def _check_size(kind: str, payload: bytes) -> None:
        limit = contract.MAX_DOWN_BYTES.get(kind, contract.MAX_UNKNOWN_DOWN_BYTES)
        if len(payload) > limit:
            raise contract.ContractError(
                f"(message): {len(payload)} bytes; a {kind} downlink may have at most {limit} bytes (not read)"
            )

    def _check(self, kind: str, payload: bytes, props: dict[str, str]) -> dict[str, Any]:
        msg = contract.decode(payload)
        if kind == "ack" and isinstance(msg, dict) and msg.get("kind") == "ack":
            contract.check_ack(msg)  # the hot path: same rules as the schema, a fraction of the cost
        else:
            contract.validate("down-envelope", msg)
        if msg["kind"] != kind:
            raise contract.ContractError(f"kind: {msg['kind']!r} sent on the {kind!r} topic")
        if msg["from"] != self._hall:
            raise contract.ContractError(f"from: {msg['from']!r} is not the hall's identity {self._hall!r}; ignored")
        sender = props.get("sender")
        if sender is not None and sender != self._hall:
            raise contract.ContractError(
                f"sender (MQTT user property): {sender!r} is not the hall's identity {self._hall!r}; ignored"
            )
        if kind == "command" and msg.get("command") not in contract.COMMANDS:
            raise contract.ContractError(f"command: unknown command {msg.get('command')!r}")
        if kind != "ack":
            contract.validate(contract.down_schema(kind), msg)
        if kind in contract.SIGNED_DOWN_KINDS:
            self._check_signed(kind, msg)
        return msg

    def _check_signed(self, kind: str, msg: dict[str, Any]) -> None:
        """The hall's signature, the kiosk named, and not older than what was applied (a replayed old update)."""
        if self._hall_key is None:
            raise contract.ContractError(
                f"sig: this kiosk has no hall signing key, so it takes no {kind} update "
                "(install the hall's signing.pub: kiosk-provision enroll --hall-key FILE)"
            )
        try:
            signing.verify(msg, self._hall_key)
        except signing.SignatureError as exc:
            raise contract.ContractError(str(exc)) from None
        if msg["to"] != self._kiosk_id:
            raise contract.ContractError(f"to: signed for kiosk {msg['to']!r}, this is {self._kiosk_id!r}")
        applied = self._store.get_setting(SIGNED_APPLIED.key) or {}
        last = applied.get(kind) if isinstance(applied, dict) else None
        if not isinstance(last, dict) or not isinstance(last.get("created_at"), int | float):
            return
        if msg["created_at"] < last["created_at"] and msg["msg_id"] != last.get("msg_id"):
            raise contract.ContractError(
                f"created_at: this {kind} update is older than the one applied ({last.get('msg_id')}); ignored"
            )

    def _applied(self, kind: str, msg: dict[str, Any]) -> None:
        applied = self._store.get_setting(SIGNED_APPLIED.key) or {}
        applied = dict(applied) if isinstance(applied, dict) else {}
        applied[kind] = {"msg_id": msg["msg_id"], "created_at": msg["created_at"], "version": msg["version"]}
        self._store.set_setting(SIGNED_APPLIED.key, applied)

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
        key = key or contract.result_key(self._kiosk_id, str(msg_id))
        try:
            self._store.enqueue("command_result", payload, key=key)
        except StoreError as exc:
            log.error("cannot queue the result of downlink %s: %s", msg_id, exc)
            return
        log_fn = log.info if status == "ok" else log.warning
        log_fn("downlink %s %s: %s %s", kind, msg_id, status, error or "")

    def _answer_bad(self, kind: str, payload: bytes, error: str) -> None:
        msg_id = None
        limit = contract.MAX_DOWN_BYTES.get(kind, contract.MAX_UNKNOWN_DOWN_BYTES)
        parsed = contract.decode_lenient(payload) if len(payload) <= limit else None  # too big: not read at all
        if isinstance(parsed, dict) and isinstance(parsed.get("msg_id"), str) and len(parsed["msg_id"]) <= 200:
            msg_id = parsed["msg_id"]
        # The same bad message delivered again (a retained one, on every reconnect) is answered once.
        self._answer(msg_id, kind, "error", error, {}, key=contract.bad_message_key(self._kiosk_id, kind, payload))

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
        # The screen process owns the devices and records their states; while it is down they are unknown.
        liveness = self._store.get_setting(UI_LIVENESS.key)
        seen = isinstance(liveness, int | float) and not isinstance(liveness, bool)
        age = max(0.0, probe - float(liveness)) if seen else None
        ui_alive = age is not None and age <= self._ui_stale_s
        recorded = {kind: str(s.state) for kind, s in self._store.device_statuses().items()}
        devices = {k.value: recorded.get(k.value, "unknown") if ui_alive else "unknown" for k in DeviceKind}
        if not ui_alive:
            since = "never started" if age is None else f"last seen {age:.0f} s ago"
            problems.append(f"the screen process is not running ({since}): device states unknown")
        problems += [
            f"device {kind} is {state}"
            for kind, state in sorted(devices.items())
            if ui_alive and state not in ("ok", "degraded", "disabled", "unknown")  # unknown: not reported yet
        ]
        detail: dict[str, Any] = {
            "devices": devices,
            "ui": {"alive": ui_alive, "liveness_age_s": None if age is None else round(age, 3)},
            "open_faults": [f.code for f in self._store.open_faults()],
            "outbox_depth": self._store.outbox_stats().depth,
        }
        if self._data_dir is not None:
            detail["disk_free_bytes"] = shutil.disk_usage(self._data_dir).free
        if problems:
            return "error", "; ".join(problems), detail
        return "ok", None, detail

    def _config(self, msg: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
        if self._config_path is None or self._settings_path is None:
            return "rejected", "this kiosk keeps no hall settings", {}
        note = f"written by kiosk-sync: hall config update {msg['version']} ({msg['msg_id']})"
        try:
            apply_update(self._settings_path, msg["config"], note=note, base=self._config_path)
        except ConfigRejected as exc:
            return "rejected", str(exc), {"version": msg["version"]}
        except OSError as exc:
            return "error", f"cannot write {self._settings_path}: {exc}", {"version": msg["version"]}
        self._applied("config", msg)
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
        self._applied("catalog", msg)
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
