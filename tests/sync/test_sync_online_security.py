"""Online requests under the shipped broker config and ACL (mutual TLS, CN as username): only the asking kiosk
can receive its answer, no kiosk can ask as another, and the hall never answers anywhere but the asker's topic."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from paho.mqtt.properties import Properties

from kiosk.demo import sample_identity
from sync import contract
from sync.online import wire
from tests.sync.conftest import HALL_ID, Broker, Pki, RawClient, mqtt_section, wait_until
from tests.sync.online_rig import start_hall, start_kiosk
from tests.sync.test_sync_security import tls_for

WANG = sample_identity()


def _tls_files(pki: Pki, cn: str) -> tuple[Path, Path, Path]:
    t = tls_for(pki, cn)
    return Path(t["ca_certs"]), Path(t["certfile"]), Path(t["keyfile"])


def _request(kiosk: str, *, response_topic: str) -> tuple[str, bytes, Properties]:
    request_id = str(uuid.uuid4())
    msg = wire.request_message(
        "query",
        request_id=request_id,
        kiosk_id=kiosk,
        hall_id=HALL_ID,
        sent_at=1.0,
        timeout_s=5.0,
        service="mi_account_query",
        params={},
        identity={"name": WANG.name, "id_number": WANG.id_number, "assurance": "id_card"},
    )
    props = wire.request_properties(response_topic, wire.correlation_of(request_id), 5.0)
    return request_id, contract.encode(msg), props


def test_only_the_asking_kiosk_receives_its_answer(
    tls_broker: Broker, pki: Pki, tmp_path: Path, hall_db: str
) -> None:
    hall = start_hall(hall_db, tls_broker.port, tls=_tls_files(pki, "hall-1"))
    ca, cert, key = _tls_files(pki, "KSK-0001")
    link = mqtt_section(tls_broker.port, tls=True, ca_file=ca, cert_file=cert, key_file=key)
    kiosk = start_kiosk(tmp_path, link)
    one = wire.RequestTopics("gov/v1", HALL_ID, "KSK-0001")
    two = wire.RequestTopics("gov/v1", HALL_ID, "KSK-0002")
    # Another kiosk's certificate listens to everything it can, and to the first kiosk's answers by name.
    # (The broker refuses a kiosk's SUBSCRIBE outside its own downlink; its own downlink carries the controls.)
    spy = RawClient(
        tls_broker.port, "KSK-0002", tls=tls_for(pki, "KSK-0002"), subscribe=["gov/v1/#", two.base + "/down/+"]
    )
    spy.client.subscribe(one.answer, qos=1)
    wait_until(lambda: len(spy.suback) >= 3, 5, "the spy's SUBACKs")
    try:
        result = kiosk.client.query("mi_account_query", WANG)
        assert result.ok, result.problem  # the control: the asker gets its answer through the shipped ACL
        # A message the spy may read, sent by the hall after the answer: once it arrives, the answer would have.
        hall.hall.submit(lambda h: h.send("KSK-0002", "command", command="self_test", args={})).result(5)
        wait_until(lambda: any(t == two.base + "/down/command" for t, _, _ in spy.received()), 5, "the control")
        seen = spy.received()
        assert not [t for t, _, _ in seen if "/down/answer" in t or "/req/" in t]
        assert not [p for _, p, _ in seen if WANG.name.encode() in p or WANG.id_number.encode() in p]

        # The spy cannot ask as the first kiosk: the broker refuses the publish.
        _, body, props = _request("KSK-0001", response_topic=one.answer)
        info = spy.publish(one.request("query"), body, properties=props)
        wait_until(lambda: info.mid in spy.puback, 5, "the PUBACK")
        assert spy.puback[info.mid].getName() == "Not authorized"

        # Asking as itself but pointing the Response Topic at the first kiosk: answered, on its own topic only.
        # (The broker gives a connection the client id of its certificate, so the spy itself asks, and the first
        # kiosk's agent makes way for a listener with its certificate.)
        kiosk.stop()
        own = spy
        victim = RawClient(tls_broker.port, "KSK-0001", tls=tls_for(pki, "KSK-0001"), subscribe=one.base + "/down/+")
        try:
            request_id, body, props = _request("KSK-0002", response_topic=one.answer)
            own.publish(two.request("query"), body, properties=props)
            wait_until(lambda: [m for m in own.received() if m[0] == two.answer], 5, "the answer on its own topic")
            answer = json.loads(next(p for t, p, _ in own.received() if t == two.answer))
            assert answer["request_id"] == request_id and answer["status"] == "bad_request"
            assert "Response Topic" in answer["error"]
            hall.hall.submit(lambda h: h.send("KSK-0001", "command", command="self_test", args={})).result(5)
            wait_until(lambda: any(t.endswith("/down/command") for t, _, _ in victim.received()), 5, "the control")
            assert not [t for t, _, _ in victim.received() if t.endswith("/down/answer")]
        finally:
            victim.close()
    finally:
        spy.close()
        kiosk.stop()
        hall.stop()
