"""Bad answers, fuzzed (hypothesis) through a real broker into the real agent: the agent never crashes, the
caller gets ``bad_answer`` (or ``timeout`` when the answer cannot be matched to its request), nothing else."""

from __future__ import annotations

import json
import queue
import threading
import time
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from kiosk.demo import sample_identity
from kiosk.online import Result, Status, Table
from sync import contract
from sync.online import wire
from tests.sync.conftest import HALL_ID, Broker, RawClient, mqtt_section, wait_until
from tests.sync.online_rig import start_hall, start_kiosk

WANG = sample_identity()
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
ENVELOPE_KEYS = ["v", "kind", "request_kind", "request_id", "from", "created_at", "status", "error", "reason", "result"]
RESULT_KEYS = ["service", "title", "columns", "rows", "note"]
MUTATIONS = st.one_of(
    st.tuples(st.just("raw"), st.binary(max_size=64)),
    st.tuples(st.just("json"), JSON.filter(lambda v: not isinstance(v, dict))),
    st.tuples(st.just("json"), st.dictionaries(st.sampled_from(ENVELOPE_KEYS), JSON, max_size=6)),
    st.tuples(st.just("field"), st.sampled_from(ENVELOPE_KEYS), JSON),
    st.tuples(st.just("drop"), st.sampled_from(ENVELOPE_KEYS)),
    st.tuples(st.just("result"), st.sampled_from(RESULT_KEYS), JSON),
    st.tuples(st.just("row"), JSON),
)
_DROP = object()


def _valid(request_id: str) -> dict[str, Any]:
    return wire.answer_message(
        "query", request_id, sender="hall", created_at=time.time(), status="ok",
        result={
            "service": "mi_account_query",
            "title": {"zh": "表", "en": "Table"},
            "columns": [{"key": "a", "title": {"zh": "甲", "en": "A"}}],
            "rows": [["x"]],
            "note": None,
        },
    )


def _payload(mutation: tuple, request_id: str) -> tuple[bytes, bool]:
    """The bytes to answer with, and whether they are certainly not a valid answer."""
    what = mutation[0]
    if what == "raw":
        return mutation[1], True
    if what == "json":
        return json.dumps(mutation[1]).encode(), True
    msg = _valid(request_id)
    if what == "field":
        msg[mutation[1]] = mutation[2]
    elif what == "drop":
        msg.pop(mutation[1], None)
    elif what == "result":
        msg["result"][mutation[1]] = mutation[2]
    else:
        msg["result"]["rows"] = [mutation[1]]
    return json.dumps(msg).encode(), what == "drop" and mutation[1] not in ("reason", "result")


class FakeHall:
    """A paho client that takes the hall's place: it reads requests and answers whatever it is told."""

    def __init__(self, port: int) -> None:
        self.requests: queue.Queue[tuple[str, bytes, Any]] = queue.Queue()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="fuzz-hall", protocol=mqtt.MQTTv5)
        self.client.on_message = lambda _c, _u, m: self.requests.put((m.topic, bytes(m.payload), m.properties))
        subscribed = threading.Event()
        self.client.on_subscribe = lambda *_a: subscribed.set()
        self.client.on_connect = lambda c, *_a: c.subscribe(f"gov/v1/{HALL_ID}/kiosk/+/req/+", qos=1)
        self.client.connect("127.0.0.1", port, keepalive=5)
        self.client.loop_start()
        assert subscribed.wait(5), "the fake hall did not subscribe"

    def answer(self, kiosk: str, payload: bytes, correlation: bytes) -> None:
        props = Properties(PacketTypes.PUBLISH)
        props.CorrelationData = correlation
        topic = wire.RequestTopics("gov/v1", HALL_ID, kiosk).answer
        self.client.publish(topic, payload, qos=1, properties=props).wait_for_publish(5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def test_fuzzed_answers_never_crash_the_agent_and_the_caller_gets_bad_answer(
    tmp_path: Path, broker: Broker, hall_db: str
) -> None:
    kiosk = start_kiosk(tmp_path, mqtt_section(broker.port), timeout_s=3.0)
    fake = FakeHall(broker.port)
    counts: dict[str, int] = {}

    def ask(answer_with: Any) -> Result[Table]:
        out: list[Result[Table]] = []
        asker = threading.Thread(target=lambda: out.append(kiosk.client.query("mi_account_query", WANG)))
        asker.start()
        _topic, body, props = fake.requests.get(timeout=5)
        payload, correlation = answer_with(json.loads(body)["id"], props.CorrelationData)
        fake.answer("KSK-0001", payload, correlation)
        asker.join(timeout=10)
        assert out, "the caller never returned"
        return out[0]

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(mutation=MUTATIONS)
    def check(mutation: tuple) -> None:
        certain: list[bool] = []

        def answer_with(request_id: str, correlation: bytes) -> tuple[bytes, bytes]:
            payload, bad = _payload(mutation, request_id)
            certain.append(bad)
            return payload, correlation

        result = ask(answer_with)
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
        assert result.status is not Status.TIMEOUT  # the answer was matched to its request
        if certain[0]:
            assert result.status is Status.BAD_ANSWER, mutation
        if result.ok:
            table = result.value
            assert isinstance(table, Table) and all(len(r) == len(table.columns) for r in table.rows)
        else:
            assert result.problem is not None and result.problem.message.zh

    try:
        check()
        assert counts.get("bad_answer", 0) > 50, counts
        # An answer for another request id, and one with the wrong correlation data.
        wrong_id = ask(lambda _rid, corr: (contract.encode(_valid("00000000-0000-4000-8000-000000000000")), corr))
        assert wrong_id.status is Status.BAD_ANSWER and "another request" in wrong_id.error
        stray = kiosk.relay.stats.stray_answers
        unmatched = ask(lambda rid, _corr: (contract.encode(_valid(rid)), b"someone else's"))
        assert unmatched.status is Status.TIMEOUT and kiosk.relay.stats.stray_answers == stray + 1
        assert kiosk.loop.error is None and kiosk.k.agent.connected
    finally:
        fake.close()
    # Still working: a real hall now answers, and nothing was written to the outbox for any of it.
    hall = start_hall(hall_db, broker.port)
    try:
        assert kiosk.client.query("mi_account_query", WANG).ok
        assert kiosk.k.store.outbox_stats().depth == 0 and hall.hall.db.count("command_result") == 0
    finally:
        kiosk.stop()
        hall.stop()


def answerable(body: dict[str, Any], kind: str) -> bool:
    """Whether the hall owes a fuzzed request with an id an answer: one it can read (JSON has no Infinity: nothing
    to answer) of a known kind, which asks it to answer within a few moments at least (an answer later than the
    request's own ``timeout_s``, a number that may be 1e-300 or negative here, is rightly dropped)."""
    try:
        contract.decode(json.dumps(body).encode())
    except contract.ContractError:
        return False
    timeout = body.get("timeout_s")
    return kind != "gossip" and (not isinstance(timeout, int | float) or timeout >= 2.0)


def test_fuzzed_requests_never_crash_the_hall_and_get_bad_request_or_nothing(
    tmp_path: Path, broker: Broker, hall_db: str
) -> None:
    hall = start_hall(hall_db, broker.port)
    topics = wire.RequestTopics("gov/v1", HALL_ID, "KSK-0007")
    listener = RawClient(broker.port, "KSK-0007-listener", subscribe=topics.answer)
    sender = RawClient(broker.port, "KSK-0007-sender")
    sent = {"answerable": 0}

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(body=JSON | st.dictionaries(st.sampled_from(["v", "kind", "id", "kiosk_id", "hall_id", "sent_at",
                                                        "timeout_s", "service", "params", "identity", "code"]),
                                       JSON, max_size=8),
           kind=st.sampled_from(["query", "certificate", "progress", "signin", "gossip"]),
           with_id=st.booleans())
    def check(body: Any, kind: str, with_id: bool) -> None:
        request_id = wire.new_request_id()
        if with_id and isinstance(body, dict):
            body["id"] = request_id
            sent["answerable"] += answerable(body, kind)
        props = wire.request_properties(topics.answer, wire.correlation_of(request_id), 5.0)
        sender.publish(topics.request(kind), json.dumps(body).encode(), properties=props)

    try:
        check()
        wait_until(lambda: len(listener.received()) >= sent["answerable"], 60, "an answer to each answerable one")
        answers = [json.loads(p) for _, p, _ in listener.received()]
        assert answers and all(a["status"] in ("bad_request", "no_record", "refused") for a in answers)
        assert hall.loop.error is None and hall.hall.connected
        kiosk = start_kiosk(tmp_path, mqtt_section(broker.port))  # and a real kiosk is still served
        try:
            assert kiosk.client.query("mi_account_query", WANG).ok
        finally:
            kiosk.stop()
    finally:
        listener.close()
        sender.close()
        hall.stop()
