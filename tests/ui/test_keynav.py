"""A keys-only visit: with the EZ Access keypad alone (constructed evdev events on the simulated keypad's node,
read by the real transport on its device thread), a citizen goes card → service → notice → a short form → submit
→ receipt, hearing each control as the focus ring reaches it; and the keypad pulled out mid-visit and plugged
back in, as the store, the shell and the hall's heartbeat see it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from kiosk.devices import DeviceKind, DeviceState
from kiosk.faults import FaultCode
from kiosk.health import HealthRules
from kiosk.languages import has_mongolian
from kiosk.visit.flow import Step
from sync.heartbeat import HealthMonitor
from tests.waiting import wait_until
from ui.demo import NIGHT, DemoClock, open_demo

SERVICE = "flexible_si_declaration"  # a short form: name and ID from the card, a phone, a choice, a year


class Citizen:
    """Presses keys and listens: what the focus ring says is all it knows of the screen."""

    def __init__(self, qapp: Any, shell: Any, runtime: Any) -> None:
        self.qapp, self.shell = qapp, shell
        self.keypad = runtime_keypad(runtime)
        self.heard: list[str] = []
        shell.focus.moved.connect(self.heard.append)
        self.pressed: list[str] = []
        self.acted_before = 0
        self.ring_checks = 0

    def press(self, command: str) -> None:
        before = len(self.heard)
        self.acted_before = self.shell.focus.acted
        self.keypad.press(command)
        self.pressed.append(command)

        def done() -> bool:
            self.qapp.processEvents()
            if command in ("up", "down"):
                return len(self.heard) > before
            return True

        wait_until(done, 5, f"the keypad's {command}")
        if command in ("up", "down"):
            self.check_ring()
        if command == "select":  # the command crosses to the GUI thread as a queued signal: let it act
            wait_until(lambda: self._acted(), 5, "the selection to act")

    def check_ring(self) -> None:
        """The ring is shown, on top, around the control just read out."""
        focus = self.shell.focus
        control = focus.current
        assert control is not None and focus.ring.isVisible()
        centre = control.mapTo(self.shell.window, control.rect().center())
        assert focus.ring.geometry().contains(centre) and focus.ring.geometry().width() > control.width()
        self.ring_checks += 1

    def _acted(self) -> bool:
        self.qapp.processEvents()
        return self.shell.focus.acted > self.acted_before

    def find(self, wanted: str, limit: int = 120, exact: bool = False) -> None:
        """Press down until the ring reads out a control containing ``wanted`` (or just that, ``exact``)."""
        for _ in range(limit):
            self.press("down")
            if (wanted == self.heard[-1]) if exact else (wanted in self.heard[-1]):
                return
        raise AssertionError(f"never heard {wanted!r}; heard {self.heard[-limit:]}")

    def choose(self, wanted: str, exact: bool = False) -> None:
        self.find(wanted, exact=exact)
        self.press("select")

    def presses_of(self, command: str) -> int:
        return self.pressed.count(command)

    def type_digits(self, digits: str) -> None:
        for digit in digits:
            self.choose(digit, exact=True)


def runtime_keypad(runtime: Any) -> Any:
    """The simulated keypad the runtime's keypad runner reads."""
    return runtime.device("keypad").simulator


def keypad_grabbed(runtime: Any) -> bool:
    """Whether the keypad's runner has it open (grabbed), so a key pressed now is read."""
    return runtime.runners[DeviceKind.KEYPAD].is_open


def test_a_visit_with_the_keypad_alone(qapp: Any, tmp_path: Path) -> None:
    clock = DemoClock(NIGHT)
    # The voice is on, into a player that takes and drops the sound (the test machine has no sound card).
    runtime, shell = open_demo(tmp_path / "kiosk", clock, keypad=True, voice={"player": "true"})
    spoken: list[str] = []
    shell.speaker.started.connect(spoken.append)
    try:
        shell.start(show=True)
        citizen = Citizen(qapp, shell, runtime)
        wait_until(lambda: keypad_grabbed(runtime), 5, "the keypad grabbed")
        service = runtime.session.catalog.services[SERVICE].name.get("zh")
        citizen.choose("开始")
        assert shell.session.step == Step.IDENTIFY
        runtime.device("id_reader").simulator.insert("normal")  # the card goes on the reader, found by touch
        wait_until(lambda: qapp.processEvents() or shell.session.step == Step.CHOOSE, 10, "the card read")
        citizen.choose("税务")
        citizen.choose(service)
        assert shell.session.step == Step.NOTICE
        citizen.choose("我已阅读")
        assert shell.session.step == Step.FORM
        assert shell.session.view().fields[2].key == "phone"
        citizen.choose("联系电话")
        citizen.type_digits("13904771234")
        citizen.choose("下一项")  # the contribution base: a choice, its options are controls too
        citizen.choose("平均工资的60%")
        citizen.choose("下一项")  # the year: digits again
        citizen.type_digits("2026")
        citizen.choose("检查并继续")
        assert shell.session.step == Step.REVIEW, shell.session.view().fields
        citizen.press("help")  # the screen's prompt again, on demand
        citizen.choose("信息无误")
        wait_until(lambda: qapp.processEvents() or shell.session.step == Step.RECEIPT, 10, "the receipt screen")
        view = shell.session.view()
        assert view.reference and view.receipt is not None
        assert view.chosen is not None and view.chosen.name.get("zh") == service
        # Every control reached was spoken (the speaker started a "control" utterance for each move).
        moves = citizen.presses_of("up") + citizen.presses_of("down")
        assert spoken.count("control") == moves > 50, (spoken.count("control"), moves)
        assert "screen:review" in spoken[spoken.index("screen:review") + 1 :]  # help said the prompt again
        assert citizen.ring_checks == moves  # the ring was seen around each control it reached
    finally:
        shell.stop()
        runtime.close()


def test_in_mongolian_the_ring_says_each_control_in_mandarin(qapp: Any, tmp_path: Path) -> None:
    """espeak-ng has no Mongolian voice: a control showing Mongolian is said as its Chinese (from the .ts files)."""
    clock = DemoClock(NIGHT)
    runtime, shell = open_demo(tmp_path / "kiosk", clock, keypad=True, lang="mn")
    said: list[str] = []
    shell.focus.said.connect(said.append)
    try:
        shell.start(show=True)
        citizen = Citizen(qapp, shell, runtime)
        wait_until(lambda: keypad_grabbed(runtime), 5, "the keypad grabbed")
        for _ in range(len(shell.focus.controls())):  # once round the attract screen
            citizen.press("down")
        assert any(has_mongolian(text) for text in citizen.heard)
        assert not any(has_mongolian(text) for text in said), said
        assert "点击此处开始办理" in said and "English" in said
    finally:
        shell.stop()
        runtime.close()


def test_a_keypad_unplugged_mid_visit_is_a_fault_for_the_hall_and_works_again_plugged_back(
    qapp: Any, tmp_path: Path
) -> None:
    """The keypad is a device like the others: unplugged mid-visit it is ABSENT with keypad_offline (major) in the
    store, on the shell's bridge and in the heartbeat, and the visit goes on on the touchscreen; plugged back in
    it is OK, the fault cleared, and the citizen's keys move the ring again."""
    clock = DemoClock(NIGHT)
    runtime, shell = open_demo(tmp_path / "kiosk", clock, keypad=True)
    config = runtime.config
    monitor = HealthMonitor(runtime.store, kiosk=config.kiosk, link=config.mqtt, health=config.health,
                            rules=HealthRules.from_config(config.health))  # fmt: skip
    on_threads: list[str] = []  # where each command reached the shell: the GUI thread, never the device's
    shell.bridge.key_command.connect(lambda _name: on_threads.append(threading.current_thread().name))
    try:
        shell.start(show=True)
        citizen = Citizen(qapp, shell, runtime)
        wait_until(lambda: keypad_grabbed(runtime), 5, "the keypad grabbed")
        assert keypad_state(runtime) == DeviceState.OK
        citizen.choose("开始")
        assert shell.session.step == Step.IDENTIFY

        citizen.keypad.unplug()  # mid-visit: the cable is pulled
        # The state and its fault are one commit (Store.report_device): once one is seen, so is the other.
        wait_until(lambda: keypad_state(runtime) == DeviceState.ABSENT, 5, "the keypad reported absent")
        faults = {(f.code, f.device): f.severity for f in runtime.store.open_faults()}
        assert faults == {(FaultCode.KEYPAD_OFFLINE, "keypad"): "major"}
        wait_until(lambda: qapp.processEvents() or not shell.bridge.usable("keypad"), 5, "the shell told")
        monitor.check()
        monitor.check()  # a rule acts when two evaluations agree: the keypad's fault stays the one the sink raised
        beat = monitor.heartbeat()
        assert beat["ui"]["alive"] and beat["devices"]["keypad"]["state"] == "absent"
        assert beat["devices"]["keypad"]["faults"] == ["keypad_offline"]
        assert [(f["code"], f["device"], f["severity"]) for f in beat["open_faults"]] == [
            ("keypad_offline", "keypad", "major")
        ]
        assert beat["effects"] == []  # nothing switched off: sighted citizens are served as before
        assert shell.session.step == Step.IDENTIFY  # the visit goes on, on the touchscreen

        citizen.keypad.replug()
        wait_until(lambda: keypad_state(runtime) == DeviceState.OK and keypad_grabbed(runtime), 10, "the keypad back")
        assert not runtime.store.open_faults()
        heard = len(citizen.heard)
        citizen.press("down")  # the keys work again
        assert len(citizen.heard) == heard + 1
        monitor.check()
        beat = monitor.heartbeat()
        assert beat["devices"]["keypad"]["state"] == "ok" and beat["open_faults"] == []
        assert on_threads == [threading.main_thread().name] * len(citizen.pressed)
    finally:
        shell.stop()
        runtime.close()


def keypad_state(runtime: Any) -> DeviceState | None:
    """The keypad's state as its runner last wrote it to the store (None: not yet)."""
    status = runtime.store.device_statuses().get("keypad")
    return status.state if status is not None else None
