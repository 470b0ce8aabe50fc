"""Issue 12's broker findings, attacked on a real mosquitto started with the shipped config and rules.

1. a kiosk certificate joining the hall's shared subscription black-holed the uplink (60 of 60 -> 15 of 60);
2. a certificate connecting with another client id took over that client (and the hall's persistent session);
7. an offline hall session queued 20 x 7 MB and the broker grew from 9 to 150 MB;
14. the rules named the hall with ``+``: a kiosk could publish into another hall's tree.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from kiosk.config import Config
from provisioning.broker import check_broker
from sync import contract
from sync.transport import connect_properties
from tests.sync.conftest import HALL_ID, Broker, Loop, Pki, RawClient, make_hall, make_kiosk, mqtt_section
from tests.sync.test_sync_security import tls_for
from tests.waiting import wait_until

UP = f"gov/v1/{HALL_ID}/kiosk/+/up/+"
SHARED_UP = f"$share/hall/{UP}"


def envelope(kiosk: str, seq: int) -> bytes:
    return contract.encode_uplink(
        key=str(uuid.uuid4()),
        kind="event",
        kiosk_id=kiosk,
        hall_id=HALL_ID,
        seq=seq,
        created_at=1.0,
        sent_at=1.0,
        attempt=1,
        personal=False,
        payload_json="{}",
    )


class Session:
    """A paho client with a persistent session (as the hall and the agent connect), stepped by hand."""

    def __init__(self, port: int, client_id: str, tls: dict, *, manual_ack: bool = False, v5: bool = True) -> None:
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311,
            clean_session=None if v5 else False,
        )
        self.client.tls_set(**tls)
        self.connack: Any = None
        self.session_present: bool | None = None
        self.messages: list[tuple[str, bytes]] = []
        self.suback: list[Any] = []
        self.disconnects: list[Any] = []
        self.client.on_connect = self._on_connect
        self.client.on_message = lambda _c, _u, m: self.messages.append((m.topic, bytes(m.payload)))
        self.client.on_subscribe = lambda _c, _u, _m, codes, _p: self.suback.extend(codes)
        self.client.on_disconnect = lambda _c, _u, _f, rc, _p: self.disconnects.append(rc)
        if v5:
            self.client.connect("127.0.0.1", port, 30, clean_start=False, properties=connect_properties(3600))
        else:
            self.client.connect("127.0.0.1", port, 30)
        self.client.loop_start()
        wait_until(lambda: self.connack is not None, 5, f"CONNACK for {client_id}")

    def _on_connect(self, _c: Any, _u: Any, flags: Any, rc: Any, _p: Any) -> None:
        self.connack = rc
        self.session_present = bool(flags.session_present)

    def subscribe(self, topic: str) -> Any:
        before = len(self.suback)
        self.client.subscribe(topic, qos=1)
        wait_until(lambda: len(self.suback) > before, 5, f"SUBACK for {topic}")
        return self.suback[-1]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def offline_hall(port: int, pki: Pki) -> None:
    """Hall instance 1 subscribes to the uplink in a persistent session, then goes away (as in a restart)."""
    hall = Session(port, "hall-1", tls_for(pki, "hall-1"))
    assert not hall.subscribe(SHARED_UP).is_failure
    hall.close()


# ------------------------------------------------------------------------------------------------ point 1


def test_a_kiosk_certificate_cannot_join_the_halls_shared_subscription(tls_broker: Broker, pki: Pki) -> None:
    hall = RawClient(tls_broker.port, "hall-1", tls=tls_for(pki, "hall-1"), subscribe=SHARED_UP)
    sender = RawClient(tls_broker.port, "KSK-B", tls=tls_for(pki, "KSK-B"))
    topic = contract.Topics("gov/v1", HALL_ID, "KSK-B").up("event")
    attackers: list[RawClient] = []
    try:
        assert not any(c.is_failure for c in hall.suback)
        for i in range(60):  # the control: the hall alone gets all of them
            sender.publish(topic, envelope("KSK-B", i + 1))
        wait_until(lambda: len(hall.received()) == 60, 10, "60 of 60 with the hall alone")
        # Three sessions of kiosk A's certificate try to join the hall's group (the review saw 15 of 60 reach
        # the hall: the broker handed 3 of every 4 messages to A, whose read rule then dropped them).
        for i in range(3):
            attackers.append(RawClient(tls_broker.port, f"KSK-A-{i}", tls=tls_for(pki, "KSK-A"), subscribe=SHARED_UP))
        for i in range(60, 120):
            sender.publish(topic, envelope("KSK-B", i + 1))
        wait_until(lambda: len(sender.puback) == 120, 10, "every PUBACK")
        try:
            wait_until(lambda: len(hall.received()) == 120, 10, "the next 60 of 60 with A's sessions around")
        finally:
            print(f"the hall got {len(hall.received()) - 60} of 60 with three sessions of A's certificate around")
        assert [c.getName() for a in attackers for c in a.suback] == ["Not authorized"] * 3
        # Nor can A subscribe to the uplink directly, to another kiosk's downlink, or to everything.
        for forbidden in (UP, contract.Topics("gov/v1", HALL_ID, "KSK-B").down_filter, "#", "$share/x/#"):
            attackers[-1].suback.clear()
            attackers[-1].client.subscribe(forbidden, qos=1)
            wait_until(lambda: attackers[-1].suback, 5, f"SUBACK for {forbidden}")
            assert attackers[-1].suback[0].getName() == "Not authorized", forbidden
        assert all(a.received() == [] for a in attackers)
    finally:
        for c in [hall, sender, *attackers]:
            c.close()


# ------------------------------------------------------------------------------------------------ point 2


def test_a_certificate_cannot_take_over_another_clients_connection(tls_broker: Broker, pki: Pki) -> None:
    victim = Session(tls_broker.port, "KSK-B", tls_for(pki, "KSK-B"))
    try:
        assert not victim.subscribe(contract.Topics("gov/v1", HALL_ID, "KSK-B").down_filter).is_failure
        for claimed in ("KSK-B", "hall-1"):
            impostor = Session(tls_broker.port, claimed, tls_for(pki, "KSK-A"))
            assert not impostor.connack.is_failure
            # The broker took over the victim's connection, if at all, before this CONNACK: a round trip on the
            # victim's connection now proves it is still the same one.
            info = victim.client.publish(contract.Topics("gov/v1", HALL_ID, "KSK-B").status, b"{}", qos=1)
            info.wait_for_publish(timeout=5)
            assert info.is_published() and victim.disconnects == [], (claimed, victim.disconnects)
            impostor.close()
    finally:
        victim.close()


def test_a_certificate_cannot_resume_the_halls_persistent_session(tls_broker: Broker, pki: Pki) -> None:
    offline_hall(tls_broker.port, pki)
    kiosk = RawClient(tls_broker.port, "KSK-B", tls=tls_for(pki, "KSK-B"))
    kiosk.publish(contract.Topics("gov/v1", HALL_ID, "KSK-B").up("event"), envelope("KSK-B", 1))
    impostor = Session(tls_broker.port, "hall-1", tls_for(pki, "KSK-A"))
    try:
        assert impostor.session_present is False  # not the hall's session: its own (new) one
        # The hall comes back: its session, with the message queued while it was away, is intact.
        hall = Session(tls_broker.port, "hall-1", tls_for(pki, "hall-1"))
        assert hall.session_present is True
        wait_until(lambda: hall.messages, 5, "the queued uplink reaching the real hall")
        assert [t for t, _ in hall.messages] == [contract.Topics("gov/v1", HALL_ID, "KSK-B").up("event")]
        assert impostor.messages == []
        hall.close()
    finally:
        impostor.close()
        kiosk.close()


def test_the_provisioning_broker_check_resumes_the_kiosks_session_without_taking_anything(
    tls_broker: Broker, pki: Pki, tmp_path: Path
) -> None:
    """With client ids bound to certificates, ``kiosk-provision doctor``'s broker check *is* the kiosk for a moment:
    it must not wipe the agent's session nor acknowledge what is queued there (a command sent while it was off)."""
    kt, ht = tls_for(pki, "KSK-0001"), tls_for(pki, "hall-1")
    link = mqtt_section(
        tls_broker.port, tls=True, ca_file=Path(kt["ca_certs"]), cert_file=Path(kt["certfile"]),
        key_file=Path(kt["keyfile"]),
    )  # fmt: skip
    hall = make_hall(
        tmp_path / "hall.db", tls_broker.port, tls=(Path(ht["ca_certs"]), Path(ht["certfile"]), Path(ht["keyfile"]))
    )
    hall_loop = Loop(hall, "hall")
    k = make_kiosk(tmp_path, link)
    agent = Loop(k.agent, "agent")
    wait_until(lambda: hall.db.fleet() and hall.db.fleet()[0].online, 10, "the kiosk online")
    agent.stop()  # a clean stop keeps the broker session (and its subscription) for the next start
    wait_until(lambda: not hall.db.fleet()[0].online, 5, "the kiosk offline")
    try:
        msg_id = hall.submit(lambda h: h.send("KSK-0001", "command", command="self_test", args={})).result(5)
        wait_until(lambda: hall.last_publish is not None and hall.last_publish.is_published(), 5, "the PUBACK")
        check = check_broker(Config(kiosk=k.kiosk, mqtt=link))
        assert check.ok, check.detail
        again = make_kiosk(tmp_path, link, store=k.store)  # the agent starts again, on the same store
        agent = Loop(again.agent, "agent again")
        wait_until(lambda: hall.results().get(msg_id), 10, "the result of the command queued while it was off")
        agent.stop()
    finally:
        hall_loop.stop()


# ------------------------------------------------------------------------------------------------ point 7


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def _setting(conf: Path, name: str) -> int:
    found = re.search(rf"^{name} (\d+)$", conf.read_text(), re.MULTILINE)
    assert found, f"the shipped config sets no {name}"
    return int(found.group(1))


def test_an_offline_hall_session_cannot_grow_the_broker_without_bound(tls_broker: Broker, pki: Pki) -> None:
    assert tls_broker.proc is not None
    pid = tls_broker.proc.pid
    limit = _setting(tls_broker.conf, "max_packet_size")
    # The largest real message, a catalog (the demo's, as the hall sends it), must still fit with room to grow.
    catalog = json.loads((Path(__file__).resolve().parents[2] / "kiosk" / "data" / "catalog.json").read_text())
    message = contract.down_message("catalog", sender="hall", created_at=1.0, version="1", catalog=catalog)
    assert 2 * len(contract.encode(message)) < limit
    offline_hall(tls_broker.port, pki)
    topic = contract.Topics("gov/v1", HALL_ID, "KSK-B").up("event")
    rss_before = _status_kib(pid, "VmRSS")

    # A 7 MB message (the review's) is refused by the broker itself: an MQTT 3.1.1 client is not told the
    # limit in CONNACK, so it does send it, and the broker closes its connection instead of queueing it.
    if limit < 7 * 2**20:
        old = Session(tls_broker.port, "KSK-B", tls_for(pki, "KSK-B"), v5=False)
        old.client.publish(topic, b"x" * (7 * 2**20), qos=1)
        wait_until(lambda: old.disconnects, 10, "the broker dropping the oversized publisher")
        old.client.loop_stop()

    # Then 150 MB in the largest messages allowed, for the offline hall session.
    size = min(limit, 7 * 2**20) - 1024
    count = (150 * 2**20) // size + 1
    kiosk = RawClient(tls_broker.port, "KSK-B", tls=tls_for(pki, "KSK-B"))
    try:
        for _ in range(count):
            info = kiosk.publish(topic, b"y" * size)
            assert info.is_published()
        wait_until(lambda: len(kiosk.puback) == count, 30, "every PUBACK")
        peak = _status_kib(pid, "VmHWM")
    finally:
        kiosk.close()
    grown_mib = (peak - rss_before) / 1024
    print(f"broker RSS {rss_before / 1024:.0f} MiB, peak {peak / 1024:.0f} MiB after {count} x {size} bytes")
    assert grown_mib < 64, f"the broker grew by {grown_mib:.0f} MiB for one offline session"
    # The byte limit is what held it: the hall finds at most max_queued_bytes (+ one message) waiting.
    hall = Session(tls_broker.port, "hall-1", tls_for(pki, "hall-1"))
    try:
        queued = _setting(tls_broker.conf, "max_queued_bytes")
        wait_until(lambda: len(hall.messages) >= queued // size, 15, "the queued messages")
        assert len(hall.messages) * size <= queued + size
        assert all(len(p) == size for _, p in hall.messages)  # nothing of the refused 7 MB message
    finally:
        hall.close()


# ----------------------------------------------------------------------------------------------- point 14


def test_a_kiosk_cannot_reach_into_another_halls_tree(tls_broker: Broker, pki: Pki) -> None:
    kiosk = RawClient(tls_broker.port, "KSK-0001", tls=tls_for(pki, "KSK-0001"))
    spy = RawClient(tls_broker.port, "hall-1", tls=tls_for(pki, "hall-1"), subscribe=SHARED_UP)
    other = contract.Topics("gov/v1", "other-hall", "KSK-0001")
    mine = contract.Topics("gov/v1", HALL_ID, "KSK-0001")
    try:
        denied = [
            kiosk.publish(other.up("submission"), envelope("KSK-0001", 1)),
            kiosk.publish(other.status, b"{}", retain=True),
            kiosk.publish(f"gov/v1/{HALL_ID}/kiosk/KSK-0001/up", b"{}"),  # not a kind: not in the tree either
        ]
        own = kiosk.publish(mine.up("event"), envelope("KSK-0001", 1))  # the control
        wait_until(lambda: {i.mid for i in [*denied, own]} <= set(kiosk.puback), 5, "PUBACKs")
        assert [kiosk.puback[i.mid].getName() for i in denied] == ["Not authorized"] * len(denied)
        assert not kiosk.puback[own.mid].is_failure
        kiosk.client.subscribe(other.down_filter, qos=1)
        wait_until(lambda: kiosk.suback, 5, "SUBACK")
        assert kiosk.suback[0].getName() == "Not authorized"
        # And the hall instance's rights stop at its own hall too.
        spy.suback.clear()
        spy.client.subscribe("$share/hall/gov/v1/other-hall/kiosk/+/up/+", qos=1)
        wait_until(lambda: spy.suback, 5, "SUBACK")
        assert spy.suback[0].getName() == "Not authorized"
        wait_until(lambda: spy.received(), 5, "the kiosk's own message")
        assert [t for t, _, _ in spy.received()] == [mine.up("event")]
    finally:
        kiosk.close()
        spy.close()
