"""The headless demo's own hall: a mosquitto, ``kiosk-hall run`` and the demo kiosk's ``kiosk-sync`` as processes
on loopback, answering the screen's OnlineClient; the clerk's commands; everything stopped at the end."""

from __future__ import annotations

from pathlib import Path

from kiosk.demo import sample_identity
from kiosk.online import OnlineClient, Status
from ui.demo import make_demo_config
from ui.demo_hall import DemoHall


def test_the_demo_hall_answers_signs_in_once_and_stops(tmp_path: Path) -> None:
    config = make_demo_config(tmp_path / "kiosk")
    config.kiosk.data_dir.mkdir(parents=True)
    hall = DemoHall(tmp_path / "hall", config)
    client = OnlineClient.from_config(config)
    assert not client.link_up()  # nothing serves the kiosk's socket yet
    hall.start()
    try:
        assert client.link_up()
        who = sample_identity()
        account = client.query("mi_account_query", who)
        assert account.ok and account.value.rows, account.problem
        code = hall.signin_code(who.id_number)
        first, again = client.signin(code), client.signin(code)
        assert first.ok and first.value.name == who.name
        assert again.status == Status.REFUSED and again.problem.reason == "used"
    finally:
        hall.close()
    client.close()
    assert not client.link_up()
    assert client.query("mi_account_query", who).status == Status.NO_LINK
