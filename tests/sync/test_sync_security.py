"""Mutual TLS and the shipped ACL on a real mosquitto started with the shipped config."""

from __future__ import annotations

import json
import ssl
import time
import uuid
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from sync import contract
from sync.certs import TestCA
from tests import citizen
from tests.sync.conftest import (
    HALL_ID,
    Broker,
    Loop,
    Pki,
    RawClient,
    make_hall,
    make_kiosk,
    mqtt_section,
)
from tests.waiting import wait_until


def tls_for(pki: Pki, cn: str) -> dict:
    issued = pki.client(cn)
    return {"ca_certs": str(pki.ca.cert_path), "certfile": str(issued.cert), "keyfile": str(issued.key)}


def _try_connect(port: int, tls: dict | None) -> str:
    """What happened: 'connected', or why not."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="probe", protocol=mqtt.MQTTv5)
    if tls is not None:
        client.tls_set(**tls)
    result: list[str] = []
    client.on_connect = lambda _c, _u, _f, rc, _p: result.append("connected" if not rc.is_failure else str(rc))
    try:
        client.connect("127.0.0.1", port, keepalive=5)
        deadline = time.monotonic() + 3
        while not result and time.monotonic() < deadline:
            if client.loop(timeout=0.05) != mqtt.MQTT_ERR_SUCCESS:
                return "connection closed"
    except (ssl.SSLError, OSError) as exc:
        return f"refused: {exc}"
    finally:
        client.socket() and client.socket().close()
    return result[0] if result else "no answer"


def test_clients_without_a_certificate_of_the_hall_ca_are_refused(tls_broker: Broker, pki: Pki, tmp_path: Path) -> None:
    assert _try_connect(tls_broker.port, tls_for(pki, "KSK-0001")) == "connected"  # the control
    assert _try_connect(tls_broker.port, {"ca_certs": str(pki.ca.cert_path)}) != "connected"
    assert _try_connect(tls_broker.port, None) != "connected"  # plain MQTT on the TLS port
    stranger = TestCA(tmp_path / "other-ca").issue("KSK-0001")
    foreign = {"ca_certs": str(pki.ca.cert_path), "certfile": str(stranger.cert), "keyfile": str(stranger.key)}
    assert _try_connect(tls_broker.port, foreign) != "connected"


def test_an_agent_delivers_over_mutual_tls_and_says_it_is_online(tls_broker: Broker, pki: Pki, tmp_path: Path) -> None:
    kiosk_tls = tls_for(pki, "KSK-0001")
    hall_tls = tls_for(pki, "hall-1")  # instance 1 of identity "hall": its CN is its client id
    link = mqtt_section(
        tls_broker.port,
        tls=True,
        ca_file=Path(kiosk_tls["ca_certs"]),
        cert_file=Path(kiosk_tls["certfile"]),
        key_file=Path(kiosk_tls["keyfile"]),
    )
    hall = make_hall(
        tmp_path / "hall.db",
        tls_broker.port,
        tls=(Path(hall_tls["ca_certs"]), Path(hall_tls["certfile"]), Path(hall_tls["keyfile"])),
    )
    hall_loop = Loop(hall, "hall")
    k = make_kiosk(tmp_path, link)
    keys = [k.store.enqueue("submission", citizen.submission(i), personal=True).key for i in range(50)]
    loop = Loop(k.agent, "agent")
    try:
        wait_until(lambda: k.store.outbox_stats().depth == 0, 15, "drain over TLS")
        wait_until(lambda: hall.db.fleet() and hall.db.fleet()[0].online, 5, "online status")
        msg_id = hall.submit(lambda h: h.send("KSK-0001", "command", command="self_test", args={})).result(5)
        wait_until(lambda: hall.results().get(msg_id), 10, "a command result over TLS")
    finally:
        loop.stop()
    wait_until(lambda: not hall.db.fleet()[0].online, 5, "offline status after a clean stop")
    hall_loop.stop()
    assert sorted(hall.db.keys("submission")) == sorted(keys)


def test_under_the_acl_a_kiosk_cannot_act_as_another_nor_read_its_topics(
    tls_broker: Broker, pki: Pki, tmp_path: Path
) -> None:
    hall = make_hall(
        tmp_path / "hall.db",
        tls_broker.port,
        tls=tuple(  # type: ignore[arg-type]
            Path(v) for v in tls_for(pki, "hall-1").values()
        ),
    )
    hall_loop = Loop(hall, "hall")
    wait_until(lambda: hall.connected, 5, "hall connected")
    one = contract.Topics("gov/v1", HALL_ID, "KSK-0001")
    two = contract.Topics("gov/v1", HALL_ID, "KSK-0002")
    mallory = RawClient(tls_broker.port, "KSK-0001", tls=tls_for(pki, "KSK-0001"), subscribe="gov/v1/#")
    victim = RawClient(tls_broker.port, "KSK-0002", tls=tls_for(pki, "KSK-0002"), subscribe=two.down_filter)
    # The broker refuses the whole-tree subscription outright; mallory then subscribes to what it may read.
    assert [c.getName() for c in mallory.suback] == ["Not authorized"]
    mallory.client.subscribe(one.down_filter, qos=1)
    wait_until(lambda: len(mallory.suback) == 2, 5, "SUBACK of its own downlink")
    try:

        def envelope(kiosk: str) -> bytes:
            return contract.encode_uplink(
                key=str(uuid.uuid4()),
                kind="submission",
                kiosk_id=kiosk,
                hall_id=HALL_ID,
                seq=1,
                created_at=1.0,
                sent_at=1.0,
                attempt=1,
                personal=True,
                payload_json=json.dumps(citizen.submission(1, kiosk), ensure_ascii=False),
            )

        denied = [
            mallory.publish(two.up("submission"), envelope("KSK-0002")),  # uplink as another kiosk
            mallory.publish(two.status, b'{"online": false}', retain=True),  # another kiosk's status
            mallory.publish(
                one.down("command"),
                json.dumps(
                    contract.down_message(  # a command to itself
                        "command", sender="hall", created_at=1.0, command="purge_personal", args={"scope": "all"}
                    )
                ),
            ),
            mallory.publish(two.down("command"), b"{}"),
        ]
        own = mallory.publish(one.up("submission"), envelope("KSK-0001"))  # the control: its own uplink
        wait_until(lambda: {i.mid for i in [*denied, own]} <= set(mallory.puback), 5, "PUBACKs")
        assert [mallory.puback[i.mid].getName() for i in denied] == ["Not authorized"] * len(denied)
        assert not mallory.puback[own.mid].is_failure
        wait_until(lambda: hall.db.count("submission") == 1, 5, "the kiosk's own message")
        assert hall.db.messages("submission")[0]["kiosk_id"] == "KSK-0001"
        # The hall writes to both kiosks, then once more to KSK-0001; each reads only its own downlink.
        sent = hall.submit(
            lambda h: [h.send(k, "command", command="self_test", args={}) for k in ("KSK-0001", "KSK-0002", "KSK-0001")]
        ).result(5)
        wait_until(lambda: victim.received(), 5, "the other kiosk's own command")
        # The broker delivers the hall's messages to a subscriber in the order the hall sent them: once the last
        # one reached mallory, the one to KSK-0002 (sent before it) would have too, had the ACL let it through.
        wait_until(lambda: any(sent[2] in p.decode() for _, p, _ in mallory.received()), 5, "its own later command")
        seen = {t for t, _, _ in mallory.received()}
        assert not any("/KSK-0002/" in t for t in seen), seen
        assert sent[1] in victim.received()[0][1].decode()
    finally:
        mallory.close()
        victim.close()
        hall_loop.stop()


@pytest.mark.parametrize("cn", ["KSK-0001", "not-the-hall"])
def test_only_the_hall_identity_may_read_uplink_or_write_downlink(tls_broker: Broker, pki: Pki, cn: str) -> None:
    spy_down = contract.Topics("gov/v1", HALL_ID, cn).down("command")  # what the spy may read: its own downlink
    client = RawClient(
        tls_broker.port, f"{cn}-spy", tls=tls_for(pki, cn), subscribe=["gov/v1/+/kiosk/+/up/+", spy_down]
    )
    writer = RawClient(tls_broker.port, "KSK-0003", tls=tls_for(pki, "KSK-0003"))
    uplink = f"$share/hall/gov/v1/{HALL_ID}/kiosk/+/up/+"  # a hall instance reads uplink as a shared group
    hall = RawClient(tls_broker.port, "hall-1", tls=tls_for(pki, "hall-1"), subscribe=uplink)
    try:
        mine = writer.publish(contract.Topics("gov/v1", HALL_ID, "KSK-0003").up("event"), b"{}")
        hall_like = client.publish(contract.Topics("gov/v1", HALL_ID, "KSK-0003").down("ack"), b"{}")
        wait_until(lambda: mine.mid in writer.puback and hall_like.mid in client.puback, 5, "PUBACKs")
        assert not writer.puback[mine.mid].is_failure
        assert client.puback[hall_like.mid].getName() == "Not authorized"
        wait_until(lambda: hall.received(), 5, "the uplink at the hall, which may read it")
        # mosquitto routes a message to every subscriber before its PUBACK; a message published after that
        # PUBACK reaches the spy after anything routed to it before. Once the spy has the hall's later message,
        # the uplink would be there too, had the ACL let it through.
        marker = hall.publish(spy_down, b'{"marker": true}')
        wait_until(lambda: marker.mid in hall.puback, 5, "PUBACK of the later message")
        assert not hall.puback[marker.mid].is_failure
        wait_until(lambda: any(t == spy_down for t, _, _ in client.received()), 5, "the later message at the spy")
        assert [t for t, _, _ in client.received() if "/KSK-0003/" in t] == []
    finally:
        client.close()
        writer.close()
        hall.close()
