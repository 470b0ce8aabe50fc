"""Issue 12 point 13: ``kiosk-provision init`` refuses a kiosk id the broker would treat as the hall's, and every
id the contract cannot carry, with the same rule as the config (kiosk/ids.py)."""

from __future__ import annotations

import pytest

from tests.provisioning.helpers import Kiosk, init_args


@pytest.mark.parametrize(
    ("kiosk_id", "message"),
    [
        ("hall", "kiosk id 'hall' is reserved"),
        ("hall-2", "kiosk id 'hall-2' is reserved"),
        ("HALL-admin", "is reserved"),
        ("$SYS", "must start with a letter or a digit"),
        ("KSK+", "may contain only letters, digits"),
        ("KSK/01", "may contain only letters, digits"),
        ("K" * 80, "at most 64"),
    ],
)
def test_init_refuses_reserved_and_malformed_kiosk_ids(kiosk: Kiosk, kiosk_id: str, message: str) -> None:
    args = init_args(kiosk, "--no-broker-test")
    args[args.index("--kiosk-id") + 1] = kiosk_id
    r = kiosk.cli(*args)
    assert r.code == 2, r.out
    assert message in r.err
    assert not kiosk.config.exists()


def test_init_accepts_an_ordinary_id_and_refuses_the_renamed_hall_identity_too(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    # A hall that calls itself "central": its instances are central-1, ...; a kiosk may not be one of them.
    text = kiosk.config.read_text().replace("[mqtt]", '[mqtt]\nhall_identity = "central"')
    kiosk.config.write_text(text)
    r = kiosk.cli("init", "--kiosk-id", "central-1", "--no-broker-test", "--non-interactive")
    assert r.code == 2 and "kiosk id 'central-1' is reserved" in r.err
