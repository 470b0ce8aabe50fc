"""The updater's parts on their own: the slots and their link, the health and visit readings from a real store,
the event spool, the visit hook for the shell, the ``[update]`` config section."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from kiosk.config import ConfigError, demo_config, parse_config
from kiosk.shared_settings import HALL_LINK_SETTING, UI_LIVENESS_SETTING, VISIT_SETTING
from kiosk.store import Store
from kiosk.visit.flow import Step
from kiosk.visit.presence import VisitPresence, visit_in_progress
from provisioning.updater.health import HealthWatch
from provisioning.updater.report import Reporter
from provisioning.updater.slots import SlotError, Slots, run_command


class Clock:
    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def bare_slot(slots: Slots, name: str, version: str | None) -> None:
    run_command([sys.executable, "-m", "venv", "--without-pip", str(slots.path(name))])
    if version is not None:
        slots.mark(name, version, "test")


def test_slots_switch_by_a_relative_link_and_never_to_an_incomplete_slot(tmp_path: Path) -> None:
    slots = Slots(tmp_path / "opt/kiosk")
    assert slots.active() is None and slots.inactive() == "a"
    with pytest.raises(SlotError):
        slots.switch("a")  # nothing there
    bare_slot(slots, "a", "1.0")
    slots.switch("a")
    assert os.readlink(slots.current_link) == "slots/a" and slots.inactive() == "b"
    bare_slot(slots, "b", None)  # a venv whose installation did not finish: no marker
    assert slots.version("b") is None and slots.release("b") is None
    with pytest.raises(SlotError, match="running one"):
        slots.clear("a")
    slots.mark("b", "2.0", "test")
    slots.switch("b")
    assert slots.active() == "b" and slots.version("a") == "1.0" and slots.version("b") == "2.0"
    assert not [p for p in slots.root.iterdir() if p.name.startswith(".current")]  # no temp link left behind
    slots.clear("a")
    assert not slots.path("a").exists()
    with pytest.raises(SlotError):
        slots.path("c")


def test_health_counts_only_what_the_new_processes_wrote(tmp_path: Path) -> None:
    clock = Clock()
    store = Store(tmp_path / "kiosk.db", clock=clock)
    watch = HealthWatch(tmp_path / "kiosk.db", ui_stale_s=30, clock=clock)
    since = clock.t
    store.set_setting(UI_LIVENESS_SETTING, since - 1)  # the old shell's last beat
    store.set_setting(HALL_LINK_SETTING, {"online": True, "at": since - 1})
    assert watch.check(since).as_dict() == {"ui_alive": False, "agent_connected": False}
    clock.t += 5
    store.set_setting(UI_LIVENESS_SETTING, clock.t)
    store.set_setting(HALL_LINK_SETTING, {"online": False, "at": clock.t})
    assert watch.check(since).as_dict() == {"ui_alive": True, "agent_connected": False}
    store.set_setting(HALL_LINK_SETTING, {"online": True, "at": clock.t})
    assert watch.check(since).healthy
    clock.t += 31  # the shell stopped beating
    assert watch.check(since).as_dict() == {"ui_alive": False, "agent_connected": True}
    # A kiosk without an MQTT link is healthy on the UI alone.
    lone = HealthWatch(tmp_path / "kiosk.db", ui_stale_s=30, need_agent=False, clock=clock)
    store.set_setting(UI_LIVENESS_SETTING, clock.t)
    store.set_setting(HALL_LINK_SETTING, {"online": False, "at": clock.t})
    assert lone.check(since).healthy
    store.close()
    assert HealthWatch(tmp_path / "missing.db", clock=clock).check(since).as_dict() == {
        "ui_alive": False,
        "agent_connected": False,
    }


def test_the_visit_hook_writes_on_start_and_end_only(tmp_path: Path) -> None:
    clock = Clock()
    store = Store(tmp_path / "kiosk.db", clock=clock)
    presence = VisitPresence(store, clock=clock)
    writes: list[object] = []
    original = store.set_setting
    store.set_setting = lambda key, value: (writes.append(value), original(key, value))  # type: ignore[method-assign]
    watch = HealthWatch(tmp_path / "kiosk.db", clock=clock, max_visit_s=3600)
    presence.stepped(Step.ATTRACT)
    assert not watch.visit_active()
    for step in (Step.IDENTIFY, Step.CHOOSE, Step.FORM, Step.REVIEW):
        presence.stepped(step)
    assert watch.visit_active()
    presence.stepped(Step.END)
    presence.stepped(Step.ATTRACT)
    assert not watch.visit_active()
    assert [w["active"] for w in writes] == [False, True, False]  # type: ignore[index]
    assert store.get_setting(VISIT_SETTING)["step"] == "end"
    # A shell that died mid-visit never wrote the end: after max_visit_s the record is not believed.
    assert visit_in_progress({"active": True, "at": clock.t}, clock.t + 3599, max_age_s=3600)
    assert not visit_in_progress({"active": True, "at": clock.t}, clock.t + 3601, max_age_s=3600)
    assert not visit_in_progress(None, clock.t) and not visit_in_progress({"active": True, "at": "x"}, clock.t)
    store.close()


def test_events_wait_in_the_spool_until_the_store_can_take_them(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.db"
    reporter = Reporter(db, tmp_path / "state/events.jsonl", kiosk_id="KSK-0001")
    reporter.report("switched", "2.0", slot="b")  # no database yet: spooled, not created by the updater
    assert not db.exists() and len(reporter.pending()) == 1
    Store(db).close()
    conn = sqlite3.connect(db)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"PRAGMA user_version = {version + 1}")  # a newer version migrated it: this code must not open it
    conn.commit()
    reporter.report("healthy", "2.0")
    assert len(reporter.pending()) == 2
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    key = reporter.pending()[0]["key"]
    assert reporter.flush() == 2 and reporter.pending() == []
    with Store(db) as store:
        rows = store.pending(kinds=["event"])
        assert [r.payload["event"] for r in rows] == ["update.switched", "update.healthy"]
        assert rows[0].key == key and rows[0].payload["kiosk_id"] == "KSK-0001" and rows[0].payload["slot"] == "b"
        # A spool delivered twice (crash before it was emptied) is not counted twice.
        store.enqueue("event", rows[0].payload, key=key)
        assert len(store.pending(kinds=["event"])) == 2


def test_the_update_section_of_the_config(tmp_path: Path) -> None:
    config = demo_config(tmp_path, update={"repository_url": "https://hall.local/kiosk", "health_timeout_s": 120})
    assert config.update.health_timeout_s == 120 and config.update.slot_root == Path("/opt/kiosk")
    assert demo_config(tmp_path).update.repository_url == ""  # off unless configured
    with pytest.raises(ConfigError, match=r"update\.repository_url"):
        parse_config({"update": {"repository_url": "http://hall.local/kiosk"}})
    with pytest.raises(ConfigError, match=r"update\.check_interval_s"):
        parse_config({"update": {"check_interval_s": 1}})
    with pytest.raises(ConfigError, match=r"update\.nonsense"):
        parse_config({"update": {"nonsense": 1}})
