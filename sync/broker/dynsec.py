"""Who may do what on a hall's broker, as mosquitto's dynamic-security plugin ("dynsec") expresses it.

Why dynsec and not ``acl_file``: mosquitto 2.0's acl_file never checks SUBSCRIBE (only delivery), so a kiosk
could join the hall's shared-subscription group and have every message the broker handed it dropped by the read
rule: uplink black-holed. Dynsec checks subscriptions (SUBACK "not authorized"), sending and receiving.

It has no ``%u`` patterns, so every identity is registered by name with its own role (made from the literal hall
id and topic root, so nothing reaches another hall's tree). An identity not registered may do nothing at all.

- kiosk ``<id>`` (role ``kiosk-<id>``): send ``<R>/kiosk/<id>/up/+``, ``<R>/kiosk/<id>/status``,
  ``<R>/kiosk/<id>/req/+``; subscribe to and receive ``<R>/kiosk/<id>/down/+`` and ``<R>/hall/+/status``.
- hall instance ``<identity>-<n>`` (role ``hall``): subscribe to ``$share/<group>/<R>/kiosk/+/up/+`` and
  ``$share/<group>/<R>/kiosk/+/req/+`` (shared only) and ``<R>/kiosk/+/status``; receive those; send
  ``<R>/kiosk/+/down/+`` and ``<R>/hall/+/status``.
- admin ``<identity>-admin`` (role ``admin``): the plugin's own ``$CONTROL/dynamic-security/#`` topics.

``<R>`` is ``<topic root>/<hall id>``. :func:`document` is the plugin's config file; :class:`DynsecAdmin` changes
the running broker (register a new kiosk, remove a revoked one) through ``$CONTROL/dynamic-security/v1``.
"""

from __future__ import annotations

import json
import ssl
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from kiosk import ids

CONTROL_TOPIC = "$CONTROL/dynamic-security/v1"
RESPONSE_TOPIC = f"{CONTROL_TOPIC}/response"
HALL_ROLE = "hall"
ADMIN_ROLE = "admin"
# Nobody may do anything not granted by a role; unsubscribing is harmless.
DEFAULT_ACCESS = {"publishClientSend": False, "publishClientReceive": False, "subscribe": False, "unsubscribe": True}


class DynsecError(RuntimeError):
    """The broker refused or did not answer a dynamic-security command."""


def _acl(kind: str, topic: str) -> dict[str, Any]:
    return {"acltype": kind, "topic": topic, "priority": 0, "allow": True}


def hall_tree(root: str, hall_id: str) -> str:
    """``<root>/<hall>``, both checked: the literal prefix of every rule."""
    parts = root.split("/")
    if not root or any(not p or "+" in p or "#" in p or p.startswith("$") for p in parts):
        raise ValueError(f"topic root {root!r} must be plain levels like gov/v1")
    return f"{root}/{ids.check_id(hall_id, 'hall id')}"


def kiosk_role_name(kiosk_id: str) -> str:
    """The role holding one kiosk's rules."""
    return f"kiosk-{kiosk_id}"


def kiosk_role(root: str, hall_id: str, kiosk_id: str) -> dict[str, Any]:
    """One kiosk's rules: its own uplink, status, requests and downlink, and the hall instances' status."""
    tree = hall_tree(root, hall_id)
    own = f"{tree}/kiosk/{ids.check_id(kiosk_id, 'kiosk id')}"
    halls = f"{tree}/hall/+/status"
    return {
        "rolename": kiosk_role_name(kiosk_id),
        "textname": f"kiosk {kiosk_id}",
        "acls": [
            _acl("publishClientSend", f"{own}/up/+"),
            _acl("publishClientSend", f"{own}/status"),
            _acl("publishClientSend", f"{own}/req/+"),
            _acl("publishClientReceive", f"{own}/down/+"),
            _acl("publishClientReceive", halls),
            _acl("subscribePattern", f"{own}/down/+"),
            _acl("subscribePattern", halls),
        ],
    }


def hall_role(root: str, hall_id: str) -> dict[str, Any]:
    """The rules every hall instance shares."""
    kiosks = f"{hall_tree(root, hall_id)}/kiosk/+"
    return {
        "rolename": HALL_ROLE,
        "textname": f"hall {hall_id} instances",
        "acls": [
            _acl("subscribePattern", f"$share/+/{kiosks}/up/+"),
            _acl("subscribePattern", f"$share/+/{kiosks}/req/+"),
            _acl("subscribePattern", f"{kiosks}/status"),
            _acl("publishClientReceive", f"{kiosks}/up/+"),
            _acl("publishClientReceive", f"{kiosks}/req/+"),
            _acl("publishClientReceive", f"{kiosks}/status"),
            _acl("publishClientSend", f"{kiosks}/down/+"),
            _acl("publishClientSend", f"{hall_tree(root, hall_id)}/hall/+/status"),
        ],
    }


def admin_role() -> dict[str, Any]:
    """The plugin's own control topics."""
    control = "$CONTROL/dynamic-security/#"
    return {
        "rolename": ADMIN_ROLE,
        "textname": "broker administration",
        "acls": [
            _acl("publishClientSend", control),
            _acl("publishClientReceive", control),
            _acl("subscribePattern", control),
        ],
    }


def _client(username: str, rolename: str, text: str) -> dict[str, Any]:
    return {"username": username, "textname": text, "roles": [{"rolename": rolename, "priority": 0}]}


def document(
    root: str, hall_id: str, *, kiosks: Iterable[str] = (), halls: Iterable[str] = (), admins: Iterable[str] = ()
) -> dict[str, Any]:
    """The plugin's config file for this hall and these identities (no passwords: identities are certificates)."""
    kiosks = sorted(set(kiosks))
    roles = [admin_role(), hall_role(root, hall_id), *(kiosk_role(root, hall_id, k) for k in kiosks)]
    clients = [
        *(_client(a, ADMIN_ROLE, "broker admin") for a in sorted(set(admins))),
        *(_client(h, HALL_ROLE, "hall instance") for h in sorted(set(halls))),
        *(_client(k, kiosk_role_name(k), "kiosk") for k in kiosks),
    ]
    return {"defaultACLAccess": dict(DEFAULT_ACCESS), "clients": clients, "groups": [], "roles": roles}


def register_kiosk(root: str, hall_id: str, kiosk_id: str) -> list[dict[str, Any]]:
    """Commands adding one kiosk to a running broker."""
    role = kiosk_role(root, hall_id, kiosk_id)
    return [
        {"command": "createRole", **role},
        {"command": "createClient", "username": kiosk_id, "textname": "kiosk"},
        {"command": "addClientRole", "username": kiosk_id, "rolename": role["rolename"], "priority": 0},
    ]


def register_hall(root: str, hall_id: str, name: str) -> list[dict[str, Any]]:
    """Commands adding one hall instance to a running broker."""
    return [
        {"command": "createRole", **hall_role(root, hall_id)},
        {"command": "createClient", "username": name, "textname": "hall instance"},
        {"command": "addClientRole", "username": name, "rolename": HALL_ROLE, "priority": 0},
    ]


def register(root: str, hall_id: str, cn: str, *, identity: str = ids.DEFAULT_HALL_IDENTITY) -> list[dict[str, Any]]:
    """Commands adding ``cn``: a hall instance if it is named ``<identity>-...``, else a kiosk."""
    if cn.startswith(f"{identity}-"):
        return register_hall(root, hall_id, cn)
    return register_kiosk(root, hall_id, cn)


def unregister(cn: str) -> list[dict[str, Any]]:
    """Commands removing an identity (and a kiosk's own role): the broker disconnects it at once."""
    return [{"command": "deleteClient", "username": cn}, {"command": "deleteRole", "rolename": kiosk_role_name(cn)}]


# Answers that mean "already as wanted": registering twice, or removing what is gone, is not a failure.
_BENIGN = ("already exists", "not found", "already has", "already in")


@dataclass(frozen=True)
class AdminLink:
    """Where the broker is and the admin certificate to reach it with."""

    host: str
    port: int
    ca_file: Path
    cert_file: Path
    key_file: Path


class DynsecAdmin:
    """Sends dynamic-security commands to a running broker as the admin identity and waits for the answers."""

    def __init__(self, link: AdminLink, *, timeout_s: float = 10.0) -> None:
        self._link = link
        self._timeout = timeout_s

    def run(self, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send ``commands`` in one message; their answers in order. :class:`DynsecError` if the broker cannot be
        reached, does not answer, or refuses one (answers meaning "already so" are accepted)."""
        tagged = [{**c, "correlationData": uuid.uuid4().hex} for c in commands]
        wanted = {c["correlationData"] for c in tagged}
        answers: dict[str, dict[str, Any]] = {}
        state: dict[str, Any] = {}
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="", protocol=mqtt.MQTTv5)
        client.tls_set(
            ca_certs=str(self._link.ca_file),
            certfile=str(self._link.cert_file),
            keyfile=str(self._link.key_file),
            cert_reqs=ssl.CERT_REQUIRED,
            tls_version=ssl.PROTOCOL_TLS_CLIENT,
        )
        client.on_connect = lambda _c, _u, _f, rc, _p: state.__setitem__("connack", rc)
        client.on_subscribe = lambda _c, _u, _m, codes, _p: state.__setitem__("suback", codes)

        def on_message(_c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
            try:
                responses = json.loads(msg.payload).get("responses", [])
            except (ValueError, AttributeError):
                return
            for r in responses:
                if isinstance(r, dict) and r.get("correlationData") in wanted:
                    answers[r["correlationData"]] = r

        client.on_message = on_message
        try:
            client.connect(self._link.host, self._link.port, keepalive=30)
        except (OSError, ssl.SSLError) as exc:
            raise DynsecError(f"cannot reach the broker at {self._link.host}:{self._link.port}: {exc}") from None
        try:
            self._wait(client, lambda: "connack" in state, "CONNACK")
            if state["connack"].is_failure:
                raise DynsecError(f"the broker refused the admin connection: {state['connack']}")
            client.subscribe(RESPONSE_TOPIC, qos=1)
            self._wait(client, lambda: "suback" in state, "SUBACK")
            if any(c.is_failure for c in state["suback"]):
                raise DynsecError("the broker does not let this certificate administer it (is it the admin's?)")
            client.publish(CONTROL_TOPIC, json.dumps({"commands": tagged}), qos=1)
            self._wait(client, lambda: wanted <= set(answers), "the broker's answer")
        finally:
            client.disconnect()
            client.loop(timeout=0.05)
        out = [answers[c["correlationData"]] for c in tagged]
        refused = [a for a in out if a.get("error") and not any(b in str(a["error"]).lower() for b in _BENIGN)]
        if refused:
            raise DynsecError("; ".join(f"{a.get('command')}: {a['error']}" for a in refused))
        return out

    def _wait(self, client: mqtt.Client, done: Any, what: str) -> None:
        deadline = time.monotonic() + self._timeout
        while not done():
            if time.monotonic() > deadline:
                raise DynsecError(f"no {what} from {self._link.host}:{self._link.port} within {self._timeout:.0f} s")
            rc = client.loop(timeout=0.05)
            if rc != mqtt.MQTT_ERR_SUCCESS:
                raise DynsecError(f"lost the broker while waiting for {what}: {mqtt.error_string(rc)}")
