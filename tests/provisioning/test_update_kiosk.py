"""The kiosk's updater against a real TUF repository served over HTTPS with client certificates on loopback:
a good release, a tampered file, an older release replayed as new, an expired timestamp, a release that never
gets healthy, a visit in progress, an interrupted run, a kiosk without the hall's certificate."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.shared_settings import VISIT_SETTING
from kiosk.store import Store
from provisioning.updater.client import ReleaseClient
from provisioning.updater.fetcher import MutualTLSFetcher
from provisioning.updater.main import main as update_main
from provisioning.updater.services import UNITS
from provisioning.updater.state import load_state
from sync.certs import TestCA
from sync.release.build import BuiltRelease
from tests.provisioning.update_helpers import Hall, Kiosk, make_kiosk


@pytest.fixture
def hall(tmp_path: Path, release_build: BuiltRelease) -> Iterator[Hall]:
    h = Hall(tmp_path / "hall", release_build)
    yield h
    h.close()


@pytest.fixture
def kiosk(tmp_path: Path, hall: Hall) -> Iterator[Kiosk]:
    k = make_kiosk(tmp_path / "kiosk", hall)
    yield k
    k.services.stop()


@pytest.fixture
def real_kiosk(tmp_path: Path, hall: Hall) -> Iterator[Kiosk]:
    """A kiosk whose running slot a has the real kiosk wheel installed too."""
    k = make_kiosk(tmp_path / "kiosk", hall, real_slot=True)
    yield k
    k.services.stop()


def installed_version(slot: Path) -> str:
    """The selfservice-kiosk version the slot's own Python sees (proves the wheel really went in)."""
    done = subprocess.run(
        [str(slot / "bin/python"), "-I", "-c", "import importlib.metadata as m; print(m.version('selfservice-kiosk'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_a_good_release_is_installed_switched_to_and_reported_healthy(hall: Hall, real_kiosk: Kiosk) -> None:
    kiosk = real_kiosk
    hall.publish("2.0")
    outcome = kiosk.run()
    assert (outcome.what, outcome.version) == ("healthy", "2.0")
    assert kiosk.slots.active() == "b" and kiosk.slots.version("b") == "2.0"
    assert kiosk.slots.version("a") == "1.0"  # the previous version stays, ready to go back to
    assert installed_version(kiosk.slots.path("a")) == hall.build.wheel.split("-")[1]
    slot = kiosk.slots.current_link.resolve()
    assert slot == kiosk.slots.path("b").resolve()
    assert installed_version(slot) == hall.build.wheel.split("-")[1]
    assert (slot / "bin/kiosk-update").is_file() and (slot / "bin/kiosk-sync").is_file()
    # The services were restarted once, after the switch (they started from slot b).
    assert kiosk.services.calls == [(UNITS, "b", "2.0")]
    assert kiosk.events() == [
        ("update.available", "2.0"),
        ("update.downloaded", "2.0"),
        ("update.installed", "2.0"),
        ("update.switched", "2.0"),
        ("update.healthy", "2.0"),
    ]
    healthy = kiosk.payloads()[-1]
    assert healthy["kiosk_id"] == "KSK-0001" and healthy["ui_alive"] and healthy["agent_connected"]
    assert kiosk.payloads()[0]["running"] == "1.0"
    # Nothing more to do next time: no event, no install, no restart.
    installs = len(kiosk.installs)
    assert kiosk.run().what == "up_to_date"
    assert len(kiosk.events()) == 5 and len(kiosk.installs) == installs and len(kiosk.services.calls) == 1


@pytest.mark.parametrize("how", ["flipped", "appended"])
def test_a_tampered_file_is_refused_and_nothing_switches(hall: Hall, kiosk: Kiosk, how: str) -> None:
    hall.publish("2.0")
    served = hall.target_file("2.0", hall.build.wheel)
    data = bytearray(served.read_bytes())
    if how == "flipped":
        data[len(data) // 2] ^= 0xFF  # same length, other bytes
    else:
        data += b"#!/bin/sh\n"
    served.write_bytes(bytes(data))
    outcome = kiosk.run()
    assert (outcome.what, outcome.detail) == ("refused", "tampered")
    assert kiosk.slots.active() == "a" and kiosk.slots.version("b") is None
    assert kiosk.services.calls == [] and kiosk.installs == []
    assert kiosk.events() == [("update.available", "2.0"), ("update.refused", "2.0")]
    assert kiosk.payloads()[-1]["reason"] == "tampered"


def test_an_older_release_offered_as_new_is_refused_as_a_rollback(hall: Hall, tmp_path: Path) -> None:
    hall.publish("2.0")
    old_state = tmp_path / "repo-at-2.0"
    shutil.copytree(hall.repo.directory, old_state)  # validly signed, still fresh: what an attacker can replay
    hall.publish("3.0")
    kiosk = make_kiosk(tmp_path / "kiosk", hall, running="3.0")
    try:
        assert kiosk.run().what == "up_to_date"  # the kiosk has seen the metadata of 3.0
        shutil.rmtree(hall.repo.directory)
        shutil.copytree(old_state, hall.repo.directory)  # the server now offers 2.0 as the current release
        outcome = kiosk.run()
        assert (outcome.what, outcome.detail) == ("refused", "rollback")
        assert kiosk.slots.active() == "a" and kiosk.slots.version("a") == "3.0" and kiosk.slots.version("b") is None
        assert kiosk.services.calls == [] and kiosk.installs == []
        assert kiosk.events() == [("update.refused", None)]
        assert kiosk.payloads()[0]["reason"] == "rollback"
        # The replayed state is validly signed: a kiosk that never saw 3.0 would take it. The refusal above came
        # from the metadata this kiosk had already accepted.
        cert = hall.client_cert("KSK-0002")
        fetcher = MutualTLSFetcher(ca_file=hall.ca.cert_path, cert_file=cert.cert, key_file=cert.key)
        fresh = ReleaseClient(hall.url, trust_root=hall.trust_root, metadata_dir=tmp_path / "fresh", fetcher=fetcher)
        assert fresh.current(tmp_path / "scratch").version == "2.0"
    finally:
        kiosk.services.stop()


def test_an_expired_timestamp_is_refused(hall: Hall, kiosk: Kiosk) -> None:
    hall.publish("2.0")
    hall.repo.refresh_timestamp(hall.keys, expires=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    outcome = kiosk.run()
    assert (outcome.what, outcome.detail) == ("refused", "expired")
    assert kiosk.slots.active() == "a" and kiosk.services.calls == [] and kiosk.installs == []
    assert kiosk.events() == [("update.refused", None)]
    # Re-signed by the hall's timer, the same metadata is taken again: the refusal was the expiry.
    hall.repo.refresh_timestamp(hall.keys)
    cert = hall.client_cert("KSK-0001")
    fetcher = MutualTLSFetcher(ca_file=hall.ca.cert_path, cert_file=cert.cert, key_file=cert.key)
    settings = kiosk.config.update
    client = ReleaseClient(hall.url, trust_root=settings.trust_root, metadata_dir=settings.state_dir / "metadata",
                           fetcher=fetcher)  # fmt: skip
    assert client.current(kiosk.root / "scratch").version == "2.0"


def test_a_release_that_never_gets_healthy_is_rolled_back_by_itself(hall: Hall, tmp_path: Path) -> None:
    hall.publish("2.0")
    kiosk = make_kiosk(tmp_path / "kiosk", hall, healthy={"1.0"}, health_timeout_s=1.5)
    try:
        outcome = kiosk.run()
        assert (outcome.what, outcome.version) == ("rolled_back", "2.0")
        assert kiosk.slots.active() == "a" and kiosk.slots.version("a") == "1.0"
        # Restarted on the new slot, then again on the old one.
        assert kiosk.services.calls == [(UNITS, "b", "2.0"), (UNITS, "a", "1.0")]
        assert kiosk.events() == [
            ("update.available", "2.0"),
            ("update.downloaded", "2.0"),
            ("update.installed", "2.0"),
            ("update.switched", "2.0"),
            ("update.rolled_back", "2.0"),
        ]
        last = kiosk.payloads()[-1]
        assert last["slot"] == "a" and last["ui_alive"] is False and last["agent_connected"] is False
        assert "not healthy within 1.5 s" in last["reason"]
        assert "2.0" in load_state(kiosk.config.update.state_dir / "state.json").rejected
        # The same release is not tried again (no loop of install, switch, rollback on every timer run).
        assert kiosk.run().what == "skipped"
        assert len(kiosk.events()) == 5 and len(kiosk.services.calls) == 2
    finally:
        kiosk.services.stop()


def test_no_switch_during_a_visit_then_the_next_run_switches_without_reinstalling(hall: Hall, tmp_path: Path) -> None:
    hall.publish("2.0")
    kiosk = make_kiosk(tmp_path / "kiosk", hall, visit_wait_s=0.3)
    try:
        with Store(kiosk.config.db_path) as store:
            store.set_setting(VISIT_SETTING, {"active": True, "step": "form", "at": store._now()})
            outcome = kiosk.run()
            assert (outcome.what, outcome.version) == ("deferred", "2.0")
            assert kiosk.slots.active() == "a" and kiosk.slots.version("b") == "2.0" and kiosk.services.calls == []
            installed_at = kiosk.slots.release("b")["installed_at"]
            store.set_setting(VISIT_SETTING, {"active": False, "step": "attract", "at": store._now()})
        installs = len(kiosk.installs)
        assert kiosk.run().what == "healthy"
        assert kiosk.slots.release("b")["installed_at"] == installed_at and len(kiosk.installs) == installs
        assert [e for e, _ in kiosk.events()] == [
            "update.available",
            "update.downloaded",
            "update.installed",
            "update.deferred",
            "update.switched",
            "update.healthy",
        ]
    finally:
        kiosk.services.stop()


def test_a_run_stopped_after_the_switch_is_finished_by_the_next_one(hall: Hall, kiosk: Kiosk) -> None:
    hall.publish("2.0")
    kiosk.services.failures[0] = SystemExit(1)  # the updater dies in the middle of the restart
    with pytest.raises(SystemExit):
        kiosk.run()
    assert kiosk.slots.active() == "b"
    trial = load_state(kiosk.config.update.state_dir / "state.json").trial
    assert trial is not None and trial.version == "2.0" and trial.previous == "a"
    outcome = kiosk.updater().run()  # the timer's next run, not forced: the trial comes first
    assert (outcome.what, outcome.version) == ("healthy", "2.0")
    assert [c[1] for c in kiosk.services.calls] == ["b", "b"]
    assert load_state(kiosk.config.update.state_dir / "state.json").trial is None


def test_a_rollback_stopped_half_way_is_finished_by_the_next_run(hall: Hall, tmp_path: Path) -> None:
    hall.publish("2.0")
    kiosk = make_kiosk(tmp_path / "kiosk", hall, healthy={"1.0"}, health_timeout_s=1.0)
    try:
        kiosk.services.failures[1] = SystemExit(1)  # dies while restarting the old version
        with pytest.raises(SystemExit):
            kiosk.run()
        trial = load_state(kiosk.config.update.state_dir / "state.json").trial
        assert trial is not None and trial.rollback is not None and kiosk.slots.active() == "a"
        outcome = kiosk.updater().run()
        assert (outcome.what, outcome.version) == ("rolled_back", "2.0")
        assert [c[1] for c in kiosk.services.calls] == ["b", "a", "a"]
        state = load_state(kiosk.config.update.state_dir / "state.json")
        assert state.trial is None and state.rejected == ["2.0"]
        assert kiosk.events()[-1] == ("update.rolled_back", "2.0")
    finally:
        kiosk.services.stop()


def test_a_kiosk_without_the_halls_certificate_is_turned_away(hall: Hall, tmp_path: Path) -> None:
    hall.publish("2.0")
    stranger = TestCA(tmp_path / "other-ca").issue("KSK-0001")  # right name, wrong CA
    kiosk = make_kiosk(tmp_path / "kiosk", hall, cert_file=str(stranger.cert), key_file=str(stranger.key))
    outcome = kiosk.run()
    assert outcome.what == "failed" and kiosk.slots.active() == "a" and kiosk.installs == []
    failed = kiosk.payloads()[-1]
    assert failed["event"] == "update.failed" and failed["stage"] == "check"
    assert not (kiosk.config.update.state_dir / "metadata/timestamp.json").exists()  # not a byte of metadata


def test_kiosk_update_trust_and_status(hall: Hall, kiosk: Kiosk, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    config = tmp_path / "kiosk.toml"
    settings = kiosk.config.update
    config.write_text(
        f'[kiosk]\nid = "KSK-0001"\ndata_dir = "{kiosk.config.kiosk.data_dir}"\n'
        f'[update]\nrepository_url = "{hall.url}"\nslot_root = "{settings.slot_root}"\n'
        f'state_dir = "{settings.state_dir}"\ntrust_root = "{tmp_path / "new-root.json"}"\n'
    )
    bad = tmp_path / "bad-root.json"
    body = json.loads(hall.trust_root.read_text())
    body["signed"]["version"] = 7  # the signature no longer matches
    bad.write_text(json.dumps(body))
    assert update_main(["--config", str(config), "trust", str(bad)]) == 1
    assert not (tmp_path / "new-root.json").exists()
    assert update_main(["--config", str(config), "trust", str(hall.trust_root)]) == 0
    assert (tmp_path / "new-root.json").read_bytes() == hall.trust_root.read_bytes()
    capsys.readouterr()
    assert update_main(["--config", str(config), "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["current"] == "a" and status["slots"]["a"]["version"] == "1.0" and status["slots"]["b"] is None
    assert status["trust_root"] is True and status["trial"] is None
    assert update_main(["--config", str(config), "status"]) == 0
    assert "* slot a: 1.0 (test: bare venv)" in capsys.readouterr().out
    off = tmp_path / "off.toml"
    off.write_text(f'[kiosk]\ndata_dir = "{kiosk.config.kiosk.data_dir}"\n')
    assert update_main(["--config", str(off), "run", "--now"]) == 0
    assert "updates are off" in capsys.readouterr().out
