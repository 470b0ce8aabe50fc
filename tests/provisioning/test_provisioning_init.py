"""``init`` and ``set-pin``: the config a technician writes, validated, with a real broker check."""

from __future__ import annotations

import json
import stat
import tomllib

import pytest

from kiosk.config import load_config
from provisioning.cli import COMMANDS, build_parser
from provisioning.commands.pin import hash_pin, verify_pin
from tests.provisioning.helpers import Kiosk, Mosquitto, init_args


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    names = ["install", "init", "enroll", "set-pin", "doctor", "status", "test-print", "test-ticket", "read-card",
             "wipe", "outbox list", "outbox show", "outbox retry", "outbox export"]  # fmt: skip
    assert len(COMMANDS) == 9
    for name in names:
        with pytest.raises(SystemExit) as exc:
            parser.parse_args([*name.split(), "--help"])
        assert exc.value.code == 0
        assert "usage: kiosk-provision" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        parser.parse_args(["--help"])
    top = capsys.readouterr().out
    assert "First installation" in top and "kiosk-hall import-jsonl" in top


def test_init_writes_a_valid_config_and_the_broker_accepts_it(kiosk: Kiosk, broker: Mosquitto) -> None:
    r = kiosk.cli(*init_args(kiosk, "--screen", "portrait", broker=f"127.0.0.1:{broker.port}"))
    assert r.code == 0, r.err
    assert "PASS" in r.out and "connected as KSK-0001" in r.out
    config = load_config(kiosk.config)
    assert (config.kiosk.id, config.kiosk.hall_id, config.mqtt.port) == ("KSK-0001", "ordos-kbs", broker.port)
    assert config.screen.orientation == "portrait"
    assert config.devices.printer.transport == "simulator"
    assert stat.S_IMODE(kiosk.config.stat().st_mode) == 0o640


def test_init_reports_an_unreachable_broker_but_keeps_the_config(kiosk: Kiosk) -> None:
    r = kiosk.cli("--json", *init_args(kiosk, broker="127.0.0.1:1"))
    assert r.code == 1
    result = json.loads(r.out)
    assert result["broker"]["status"] == "fail" and "127.0.0.1:1" in result["broker"]["fix"]
    assert load_config(kiosk.config).kiosk.id == "KSK-0001"


def test_init_asks_for_what_is_missing_and_keeps_what_is_there(kiosk: Kiosk) -> None:
    answers = ["KSK-0002", "hall-7", "10.0.0.5", "portrait", "serial:/dev/kiosk-printer", "simulator", "pcsc",
               "", "none", "", "none", ""]  # fmt: skip  (no document camera; the keypad's default: none)
    r = kiosk.cli("init", "--no-broker-test", "--mode", "lab", "--data-dir", str(kiosk.data_dir), answers=answers)
    assert r.code == 0, r.err
    config = load_config(kiosk.config)
    assert (config.kiosk.id, config.kiosk.hall_id, config.mqtt.host) == ("KSK-0002", "hall-7", "10.0.0.5")
    assert config.mqtt.tls and config.mqtt.port == 8883
    assert config.mqtt.key_file == kiosk.config.parent / "pki" / "kiosk.key"
    assert config.devices.dispenser.address == "/dev/kiosk-dispenser" and config.devices.dispenser.baudrate == 9600
    assert not config.devices.scanner.enabled
    assert config.devices.keypad.transport == "none" and not config.devices.keypad.enabled  # not fitted
    assert (config.devices.document_printer.transport, config.devices.document_printer.address) == ("cups", "A4")
    # A second run changes one thing and keeps the rest; the old file is kept as .bak.
    r = kiosk.cli("init", "--no-broker-test", "--broker", "10.0.0.6", "--non-interactive")
    assert r.code == 0, r.err
    config = load_config(kiosk.config)
    assert (config.kiosk.id, config.mqtt.host, config.screen.orientation) == ("KSK-0002", "10.0.0.6", "portrait")
    assert tomllib.loads(kiosk.config.with_name("kiosk.toml.bak").read_text())["mqtt"]["host"] == "10.0.0.5"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hall-id", "h"], "--kiosk-id is needed"),
        (["--kiosk-id", "KSK 1", "--hall-id", "h"], "letters, digits"),
        (["--kiosk-id", "K", "--hall-id", "h", "--broker", "b", "--device", "printer=laser"], "transport must be"),
        (["--kiosk-id", "K", "--hall-id", "h", "--broker", "b", "--language", "en", "--data-dir", ""], "data_dir"),
    ],
)
def test_init_refuses_bad_input_without_writing(kiosk: Kiosk, args: list[str], message: str) -> None:
    r = kiosk.cli("init", "--non-interactive", "--no-broker-test", *args)
    assert r.code == 2
    assert message in r.err
    assert not kiosk.config.exists()


def test_set_pin_stores_a_verifiable_hash_and_refuses_weak_pins(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    r = kiosk.cli("set-pin", "--iterations", "1000", answers=["246810", "246810"])
    assert r.code == 0, r.err
    stored = load_config(kiosk.config).maintenance.pin_hash
    scheme, iterations, salt, digest = stored.split("$")
    assert (scheme, iterations, len(salt), len(digest)) == ("pbkdf2_sha256", "1000", 32, 64)
    assert verify_pin("246810", stored) and not verify_pin("246811", stored)
    assert "246810" not in kiosk.config.read_text()
    for pin, why in (("123456", "too easy"), ("12ab56", "digits only"), ("1357", "6 to 12")):
        r = kiosk.cli("set-pin", "--pin-stdin", stdin=pin + "\n")
        assert r.code == 2 and why in r.err
    assert kiosk.cli("set-pin", answers=["975310", "975311"]).code == 1  # the two entries differ
    assert load_config(kiosk.config).maintenance.pin_hash == stored
    assert kiosk.cli("set-pin", "--clear").code == 0
    assert load_config(kiosk.config).maintenance.pin_hash == ""


def test_pin_hash_matches_the_documented_pbkdf2_form() -> None:
    import hashlib

    salt = bytes(range(16))
    stored = hash_pin("864209", iterations=5, salt=salt)
    assert stored == "pbkdf2_sha256$5$" + salt.hex() + "$" + hashlib.pbkdf2_hmac("sha256", b"864209", salt, 5).hex()
    assert not verify_pin("864209", "") and not verify_pin("864209", "md5$1$00$00")
