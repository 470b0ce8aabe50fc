"""Issue 12 point 4: config and catalog downlinks carry the hall's signature, and the hall may set only some keys.

On the real broker with the shipped config and access rules: a second hall certificate (which the ACL lets write
every kiosk's down topics, as it must) publishes a config with ``from`` and ``sender`` set to the hall's identity.
Before the fix the kiosk took it; now nothing is written and the answer says why. A config the hall did sign is
held to the list of hall-settable keys and their bounds.
"""

from __future__ import annotations

import json
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from kiosk.catalog import CatalogRepository, shipped_catalog_path
from kiosk.config import load_config, parse_config
from sync import contract, signing
from sync.agent_main import catalog_installer
from sync.agent_main import hall_key as agent_hall_key
from sync.hall import Hall
from sync.hall_main import main as hall_main
from tests.sync.conftest import (
    HALL_ID,
    Broker,
    Kiosk,
    Loop,
    Pki,
    RawClient,
    hall_signing_key,
    make_hall,
    make_kiosk,
    mqtt_section,
)
from tests.waiting import wait_until

KIOSK = "KSK-0001"
# What the review's forged config set (the [maintenance] part is refused by the config's own ranges already);
# before the fix a kiosk answered this one "ok" and wrote it into kiosk.toml.
FORGED = {
    "devices": {
        "id_reader": {"transport": "simulator"},
        "printer": {"transport": "file", "address": "/etc/kiosk/kiosk.toml"},
    },
    "session": {"idle_timeout_s": 3600.0, "elderly_idle_timeout_s": 3600.0},
    "store": {"retention_hours": 8760.0},
}  # fmt: skip


def tls_of(pki: Pki, cn: str) -> dict[str, str]:
    issued = pki.client(cn)
    return {"ca_certs": str(pki.ca.cert_path), "certfile": str(issued.cert), "keyfile": str(issued.key)}


@dataclass
class Site:
    """A kiosk agent and the hall (instance hall-1, with the signing key) on the TLS broker."""

    kiosk: Kiosk
    hall: Hall
    loops: list[Loop]
    pki: Pki
    port: int

    def send(self, kind: str, kiosk: str = KIOSK, **fields: Any) -> str:
        return self.hall.submit(lambda h: h.send(kiosk, kind, **fields)).result(timeout=5)

    def result(self, msg_id: str) -> dict:
        return wait_until(lambda: self.hall.results().get(msg_id), 10, f"the result of {msg_id}")

    def impostor(self, cn: str = "hall-2") -> RawClient:
        """Another hall certificate: the broker lets it write the kiosk's down topics."""
        return RawClient(self.port, cn, tls=tls_of(self.pki, cn))


@pytest.fixture
def site(tmp_path: Path, tls_broker: Broker, pki: Pki) -> Iterator[Site]:
    kiosk_tls, hall_tls = tls_of(pki, KIOSK), tls_of(pki, "hall-1")
    link = mqtt_section(tls_broker.port, tls=True, ca_file=Path(kiosk_tls["ca_certs"]),
                        cert_file=Path(kiosk_tls["certfile"]), key_file=Path(kiosk_tls["keyfile"]))  # fmt: skip
    hall_files = (Path(hall_tls["ca_certs"]), Path(hall_tls["certfile"]), Path(hall_tls["keyfile"]))
    hall = make_hall(tmp_path / "hall.db", tls_broker.port, tls=hall_files)
    stub = type("C", (), {"kiosk": type("K", (), {"data_dir": tmp_path / KIOSK})()})()
    k = make_kiosk(tmp_path, link, catalog_installer=catalog_installer(stub))  # type: ignore[arg-type]
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    wait_until(lambda: hall.connected and k.agent.connected, 10, "hall and kiosk connected over TLS")
    wait_until(lambda: hall.db.fleet() and hall.db.fleet()[0].online, 10, "the kiosk online at the hall")
    yield Site(k, hall, loops, pki, tls_broker.port)
    for loop in reversed(loops):
        loop.stop()


def publish_as_hall(client: RawClient, topics: contract.Topics, message: dict) -> None:
    props = Properties(PacketTypes.PUBLISH)
    props.UserProperty = [("sender", "hall")]
    info = client.publish(topics.down(message["kind"]), json.dumps(message), retain=True, properties=props)
    assert info.is_published()


def answer_to(site: Site, msg_id: str) -> dict:
    """The kiosk's answer as the hall stored it (the hall reads every kiosk's results, whoever asked)."""
    return wait_until(lambda: site.hall.results().get(msg_id), 10, f"the kiosk's answer to {msg_id}")


def test_a_config_forged_with_another_hall_certificate_is_refused(site: Site) -> None:
    topics = contract.Topics("gov/v1", HALL_ID, KIOSK)
    toml_before = site.kiosk.config_path.read_bytes()
    forged = contract.down_message("config", sender="hall", created_at=time.time(), version="evil", config=FORGED)
    mallory = site.impostor()
    try:
        publish_as_hall(mallory, topics, forged)
        res = answer_to(site, forged["msg_id"])
    finally:
        mallory.close()
    assert res["status"] == "error", res
    assert "sig" in res["error"] or "'to' is a required property" in res["error"], res
    assert site.kiosk.config_path.read_bytes() == toml_before
    assert not site.kiosk.hall_settings_path.exists()
    config = load_config(site.kiosk.config_path)
    assert config.session.idle_timeout_s == 90.0 and config.store.retention_hours == 72.0
    assert config.devices.printer.address == ""


def test_a_forged_catalog_signed_with_another_key_is_refused(site: Site, tmp_path: Path) -> None:
    topics = contract.Topics("gov/v1", HALL_ID, KIOSK)
    catalog = json.loads(shipped_catalog_path().read_text(encoding="utf-8"))
    catalog["version"] = "6.6.6"
    forged = contract.down_message("catalog", sender="hall", created_at=time.time(), version="6.6.6", to=KIOSK,
                                   catalog=catalog)  # fmt: skip
    forged = signing.sign(forged, signing.new_private_key())  # well formed, but not the hall's key
    mallory = site.impostor()
    try:
        publish_as_hall(mallory, topics, forged)
        res = answer_to(site, forged["msg_id"])
    finally:
        mallory.close()
    assert res["status"] == "error" and "sig/key_id" in res["error"], res
    assert CatalogRepository(tmp_path / KIOSK).active().version != "6.6.6"


def test_a_signed_message_altered_on_the_way_or_meant_for_another_kiosk_is_refused(site: Site) -> None:
    topics = contract.Topics("gov/v1", HALL_ID, KIOSK)
    key = hall_signing_key()
    good = contract.down_message("config", sender="hall", created_at=time.time(), version="v", to=KIOSK,
                                 config={"session": {"idle_timeout_s": 100.0}})  # fmt: skip
    altered = {**signing.sign(good, key), "config": {"session": {"idle_timeout_s": 600.0}}}
    other = signing.sign({**good, "msg_id": contract.down_message("x", sender="h", created_at=0)["msg_id"],
                          "to": "KSK-0002"}, key)  # fmt: skip
    mallory = site.impostor()
    try:
        for message in (altered, other):
            publish_as_hall(mallory, topics, message)
        assert "does not match" in answer_to(site, altered["msg_id"])["error"]
        assert "to: signed for kiosk 'KSK-0002'" in answer_to(site, other["msg_id"])["error"]
    finally:
        mallory.close()
    assert not site.kiosk.hall_settings_path.exists()


def test_the_hall_signed_config_is_applied_and_an_older_one_replayed_later_is_refused(site: Site) -> None:
    old = site.send("config", version="2026-12", config={"session": {"idle_timeout_s": 100.0}})
    assert site.result(old)["status"] == "ok"
    new = site.send("config", version="2027-01", config={"session": {"idle_timeout_s": 150.0}})
    assert site.result(new)["status"] == "ok"
    assert load_config(site.kiosk.config_path).session.idle_timeout_s == 150.0
    # The hall's earlier message, captured and replayed once the kiosk has forgotten its msg_id: signed, but older.
    replay = signing.sign(
        contract.down_message("config", sender="hall", created_at=time.time() - 3600, version="2026-11", to=KIOSK,
                              config={"session": {"idle_timeout_s": 100.0}}),
        hall_signing_key(),
    )  # fmt: skip
    mallory = site.impostor()
    try:
        publish_as_hall(mallory, contract.Topics("gov/v1", HALL_ID, KIOSK), replay)
        res = answer_to(site, replay["msg_id"])
    finally:
        mallory.close()
    assert res["status"] == "error" and "older than the one applied" in res["error"], res
    assert load_config(site.kiosk.config_path).session.idle_timeout_s == 150.0


@pytest.mark.parametrize(
    ("config", "why"),
    [
        ({"devices": {"id_reader": {"transport": "simulator"}}}, "devices.id_reader.transport: cannot be changed"),
        ({"devices": {"printer": {"address": "/etc/kiosk/kiosk.toml"}}}, "devices.printer.address: cannot be"),
        ({"devices": {"printer": {"options": {"png_dir": "/etc"}}}}, "devices.printer.options: cannot be changed"),
        ({"session": {"idle_timeout_s": 3600.0}}, "session.idle_timeout_s: the hall may set 30 to 600"),
        ({"store": {"retention_hours": 8760.0}}, "store.retention_hours: the hall may set 0 to 168"),
        ({"maintenance": {"lockout_after": 10**9}}, "maintenance.lockout_after: the hall may set 3 to 10"),
        ({"maintenance": {"lockout_s": 0}}, "maintenance.lockout_s: the hall may set 60 to 3600"),
        ({"kiosk": {"mode": "demo"}}, "kiosk.mode: cannot be changed remotely"),
        ({"mqtt": {"tls": False}}, "mqtt.tls: cannot be changed remotely"),
        ({"mqtt": {"hall_key_file": "/tmp/mine.pub"}}, "mqtt.hall_key_file: cannot be changed remotely"),
        ({"health": {"rules": [{"id": "x", "when": "disk.free_pct <", "fault": "f"}]}}, "health.rules"),
    ],
)
def test_a_signed_config_may_set_only_hall_settable_keys_within_bounds(site: Site, config: dict, why: str) -> None:
    res = site.result(site.send("config", version="bad", config=config))
    assert res["status"] == "rejected" and why in res["error"], res
    assert not site.kiosk.hall_settings_path.exists()


def test_the_reference_hall_will_not_send_an_unsigned_config(tmp_path: Path, broker: Broker) -> None:
    hall = make_hall(tmp_path / "hall.db", broker.port, signing_key=None)
    loop = Loop(hall, "hall")
    try:
        wait_until(lambda: hall.connected, 5, "hall connected")
        future = hall.submit(lambda h: h.send(KIOSK, "config", version="v", config={}))
        with pytest.raises(ValueError, match="must be signed"):
            future.result(timeout=5)
    finally:
        loop.stop()


def test_the_hall_cli_signs_with_the_ca_key_and_the_kiosk_trusts_what_enroll_installed(
    tmp_path: Path, broker: Broker, capsys: pytest.CaptureFixture[str]
) -> None:
    """``kiosk-hall pki init-ca`` makes the signing key, ``kiosk-hall config`` signs with it, and a kiosk given
    signing.pub (as ``kiosk-provision enroll --hall-key`` installs it, ``mqtt.hall_key_file``) applies the update."""
    pki_dir = tmp_path / "hall-pki"
    assert hall_main(["pki", "init-ca", "--hall-id", HALL_ID, "--pki", str(pki_dir)]) == 0
    assert stat.S_IMODE((pki_dir / "signing.key").stat().st_mode) == 0o600
    assert "signing.pub" in capsys.readouterr().out
    mqtt = {"hall_key_file": str(pki_dir / "signing.pub")}
    config = parse_config({"kiosk": {"id": KIOSK, "hall_id": HALL_ID}, "mqtt": mqtt})
    k = make_kiosk(tmp_path, mqtt_section(broker.port), hall_key=agent_hall_key(config))
    loop = Loop(k.agent, "agent")
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"session": {"idle_timeout_s": 150}, "kiosk": {"hotline": "0477-12345"}}))
    try:
        wait_until(lambda: k.agent.connected, 5, "kiosk connected")
        link = ["--db", str(tmp_path / "hall.db"), "--hall", HALL_ID, "--port", str(broker.port), "--instance", "ops"]
        wrong = ["config", *link, KIOSK, "2027-02", str(settings), "--signing-key", str(tmp_path / "none.key")]
        assert hall_main(wrong) == 1 and "none.key" in capsys.readouterr().err  # no key, nothing sent
        cmd = ["config", *link, KIOSK, "2027-02", str(settings), "--signing-key", str(pki_dir / "signing.key")]
        assert hall_main(cmd) == 0
        wait_until(lambda: k.hall_settings_path.exists(), 10, "the signed update applied")
    finally:
        loop.stop()
    assert load_config(k.config_path).session.idle_timeout_s == 150.0
    assert load_config(k.config_path).kiosk.hotline == "0477-12345"
