"""``wipe`` (personal data, factory reset) and the one-device commands on the real drivers' simulators."""

from __future__ import annotations

import json
import time

from kiosk.shared_settings import UI_LIVENESS_SETTING
from kiosk.store import Store
from tests.provisioning.helpers import Kiosk, init_args

CITIZEN = {"name": "张三", "id_number": "150102199003071234"}


def seed(k: Kiosk) -> tuple[str, str]:
    assert k.cli(*init_args(k, "--no-broker-test")).code == 0
    with Store(k.data_dir / "kiosk.db") as store:
        sent = store.enqueue("submission", CITIZEN, personal=True).key
        store.confirm(sent)
        unsent = store.enqueue("submission", CITIZEN, personal=True).key
        store.enqueue("event", {"what": "boot"})
    return sent, unsent


def test_wipe_asks_first_and_then_purges_every_personal_payload(kiosk: Kiosk) -> None:
    sent, unsent = seed(kiosk)
    r = kiosk.cli("wipe")  # no terminal, no --yes: nothing happens
    assert r.code == 1 and "add --yes" in r.err and "1 of them not yet at the hall" in r.err
    assert kiosk.cli("wipe", answers=["no"]).code == 1
    with Store(kiosk.data_dir / "kiosk.db") as store:
        assert store.get(unsent).payload == CITIZEN
    r = kiosk.cli("--json", "wipe", answers=["WIPE"])
    assert r.code == 0, r.err
    assert json.loads(r.out) | {"pictures_removed": 0} == {
        "ok": True, "purged": 2, "unsent_lost": 1, "pictures_removed": 0
    }  # fmt: skip
    with Store(kiosk.data_dir / "kiosk.db") as store:
        assert store.get(sent).purged and store.get(unsent).purged
        assert store.get(unsent).state == "purged"  # never sent now
        assert store.outbox_stats().depth == 1  # the event stays
    raw = b"".join(p.read_bytes() for p in kiosk.data_dir.glob("kiosk.db*"))
    assert "张三".encode() not in raw and b"150102199003071234" not in raw


def test_factory_reset_leaves_a_fresh_install(kiosk: Kiosk) -> None:
    seed(kiosk)
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test", tls=True)).code == 0
    assert kiosk.cli("enroll").code == 0
    pki = kiosk.config.parent / "pki"
    assert (pki / "kiosk.key").exists()
    r = kiosk.cli("wipe", "--factory-reset", "--yes")
    assert r.code == 0, r.err
    assert list(kiosk.data_dir.iterdir()) == []
    assert not (pki / "kiosk.key").exists() and not (pki / "kiosk.csr").exists()
    assert not kiosk.config.exists() and not kiosk.config.with_name("kiosk.toml.bak").exists()
    assert kiosk.data_dir.is_dir()  # the directory itself (owner, mode) stays


def test_wipe_refuses_while_the_shell_runs(kiosk: Kiosk) -> None:
    seed(kiosk)
    with Store(kiosk.data_dir / "kiosk.db") as store:
        store.set_setting(UI_LIVENESS_SETTING, time.time())
    r = kiosk.cli("wipe", "--yes")
    assert r.code == 1 and "systemctl stop kiosk-ui" in r.err
    assert kiosk.cli("wipe", "--yes", "--force").code == 0


def test_test_print_and_ticket_go_through_the_drivers(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    r = kiosk.cli("--json", "test-print")
    assert r.code == 0, r.out + r.err
    result = json.loads(r.out)
    assert result["ok"] and result["printed"].startswith("receipt TEST-") and result["status"].startswith("ok")
    assert list((kiosk.data_dir / "simulator" / "printer").glob("*.png")), "the simulator rendered the receipt"
    r = kiosk.cli("test-ticket")
    assert r.code == 0 and "dispenser: PASS" in r.out and "ticket T000" in r.out
    assert list((kiosk.data_dir / "simulator" / "dispenser").glob("*.png"))


def test_test_print_on_a_missing_printer_says_what_to_fix(kiosk: Kiosk) -> None:
    args = init_args(kiosk, "--no-broker-test", "--device", f"printer=serial:{kiosk.root / 'ttyUSB9'}")
    assert kiosk.cli(*args).code == 0
    r = kiosk.cli("test-print")
    assert r.code == 1 and "printer: FAIL" in r.out and "does not exist" in r.out
    assert kiosk.cli("init", "--no-broker-test", "--non-interactive", "--device", "printer=none").code == 0
    r = kiosk.cli("test-print")
    assert r.code == 1 and "the printer is disabled" in r.err


def test_device_commands_leave_the_devices_to_a_running_shell(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test", "--device", "scanner=none")).code == 0
    with Store(kiosk.data_dir / "kiosk.db") as store:
        store.set_setting(UI_LIVENESS_SETTING, time.time())
    r = kiosk.cli("test-ticket")
    assert r.code == 1 and "systemctl stop kiosk-ui" in r.err


def test_read_card_shows_the_card_masked(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    for reader in ("id_reader", "sscard_reader"):
        r = kiosk.cli("--json", "read-card", "--reader", reader, "--wait", "5")
        assert r.code == 0, r.out + r.err
        card = json.loads(r.out)["card"]
        assert "*" in card["name"] and "*" in card["id_number"], card
        assert len(card["id_number"]) == 18 and card["id_number"][4:14] == "*" * 10
        assert "place a card" in r.err
