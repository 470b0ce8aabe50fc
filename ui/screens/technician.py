"""The technician screen: device status with a self-test per device, the paper and ticket counters, the daily
inspection, and the way out. Three pages behind tab buttons, so it fits a portrait and a landscape panel.

The screen only shows and asks; :class:`ui.maintenance.Maintenance` runs the self-tests on the device threads,
resets the counters and sends the inspection.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.appointments import CHINA_TZ
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus
from kiosk.maintenance import Counter
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.screens.inspection import InspectionPage
from ui.widgets.boxes import card, scrolling
from ui.widgets.buttons import button, label, set_role


def device_name(kind: str) -> str:
    """The device's name for the technician."""
    names: dict[str, str] = {
        DeviceKind.PRINTER: translate("Maintenance", "Receipt printer"),
        DeviceKind.ID_READER: translate("Maintenance", "ID card reader"),
        DeviceKind.SSCARD_READER: translate("Maintenance", "Social security card reader"),
        DeviceKind.DISPENSER: translate("Maintenance", "Queue ticket dispenser"),
        DeviceKind.SCANNER: translate("Maintenance", "QR code scanner"),
        DeviceKind.CAMERA: translate("Maintenance", "Document camera"),
        DeviceKind.DOCUMENT_PRINTER: translate("Maintenance", "A4 certificate printer"),
        DeviceKind.KEYPAD: translate("Maintenance", "Accessibility keypad"),
    }
    return names.get(kind, kind)


def state_text(status: DeviceStatus | None) -> str:
    """The device's state in plain words."""
    if status is None:
        return translate("Maintenance", "No report yet")
    return {
        DeviceState.OK: translate("Maintenance", "Working"),
        DeviceState.DEGRADED: translate("Maintenance", "Needs attention"),
        DeviceState.FAULT: translate("Maintenance", "Fault"),
        DeviceState.ABSENT: translate("Maintenance", "Not connected"),
        DeviceState.DISABLED: translate("Maintenance", "Not installed"),
    }[status.state]


def when(t: float) -> str:
    """A time of day on the kiosk's clock, with the date (the counters run for days)."""
    return datetime.fromtimestamp(t, CHINA_TZ).strftime("%m-%d %H:%M")


class DeviceCard(QWidget):
    """One device: name, state, open faults, a self-test button and its outcome."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.box, lay = card()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.box)
        top = QHBoxLayout()
        self.name = label("", "tile-title")
        self.state = label("", "ok")
        self.test = button("", "secondary")
        self.test.setObjectName(f"self-test-{kind}")
        self.sample = button("", "secondary")  # simulated card readers only
        self.sample.setObjectName(f"sample-card-{kind}")
        self.sample.hide()
        top.addWidget(self.name, 2)
        top.addWidget(self.state, 1)
        top.addWidget(self.test, 1)
        top.addWidget(self.sample, 1)
        lay.addLayout(top)
        self.detail = label("", "hint", autohide=True)
        self.result = label("", "ok", autohide=True)
        self.running = False
        self.testable = False
        lay.addWidget(self.detail)
        lay.addWidget(self.result)

    def show_status(self, status: DeviceStatus | None, testable: bool) -> None:
        """The device's state and faults."""
        self.name.setText(device_name(self.kind))
        self.state.setText(state_text(status))
        disabled = status is not None and status.state == DeviceState.DISABLED
        set_role(self.state, "ok" if status is not None and status.usable else "hint" if disabled else "error")
        faults = sorted(str(f) for f in status.faults) if status is not None else []
        self.detail.setText(", ".join(faults))
        self.test.setText(translate("Maintenance", "Self-test"))
        self.testable = testable
        self.test.setEnabled(testable and not self.running)

    def show_sample(self, simulated: bool, card_in: bool) -> None:
        """The sample-card button of a simulated reader (hidden for a real one)."""
        self.sample.setVisible(simulated)
        remove, insert = translate("Maintenance", "Remove sample card"), translate("Maintenance", "Insert sample card")
        self.sample.setText(remove if card_in else insert)

    def show_result(self, text: str, ok: bool, *, running: bool = False) -> None:
        """The self-test's outcome ("" hides it)."""
        self.running = running
        self.result.setText(text)
        set_role(self.result, "ok" if ok else "error")
        self.test.setEnabled(self.testable and not running)


class TechnicianScreen(Screen):
    """Signals: ``self_test(kind)``, ``reset_counter(device)``, ``submit_inspection(inspector)``, ``leave()``."""

    self_test = Signal(str)
    sample_card = Signal(str)  # put the sample card in a simulated reader, or take it out
    reset_counter = Signal(str)
    submit_inspection = Signal(str)
    leave = Signal()

    def __init__(self, ctx: Context, kinds: Iterable[str], counted: Iterable[str], inspection: InspectionPage) -> None:
        super().__init__(ctx)
        self.setObjectName("screen-technician")
        gap = self.theme.gap
        tabs = QHBoxLayout()
        tabs.setSpacing(gap)
        self.tabs: dict[str, QPushButton] = {}
        for name in ("devices", "counters", "inspection"):
            b = button("", "chip")
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, n=name: self.show_page(n))
            tabs.addWidget(b)
            self.tabs[name] = b
        self.body.addLayout(tabs)

        self.pages = QStackedWidget()
        self.body.addWidget(self.pages, 1)
        devices = QWidget()
        dev_lay = QVBoxLayout(devices)
        dev_lay.setSpacing(gap)
        self.cards: dict[str, DeviceCard] = {}
        for kind in kinds:
            c = DeviceCard(kind)
            c.test.clicked.connect(lambda _=False, k=kind: self.self_test.emit(k))
            c.sample.clicked.connect(lambda _=False, k=kind: self.sample_card.emit(k))
            dev_lay.addWidget(c)
            self.cards[kind] = c
        self.faults = label("", "")
        self.outbox = label("", "hint")
        dev_lay.addWidget(self.faults)
        dev_lay.addWidget(self.outbox)
        dev_lay.addStretch(1)

        counters = QWidget()
        cnt_lay = QVBoxLayout(counters)
        cnt_lay.setSpacing(gap)
        self.counter_title: dict[str, QLabel] = {}
        self.counter_value: dict[str, QLabel] = {}
        self.counter_since: dict[str, QLabel] = {}
        self.counter_reset: dict[str, QPushButton] = {}
        for device in counted:
            box, lay = card()
            self.counter_title[device] = label("", "tile-title")
            self.counter_value[device] = label("", "huge")
            self.counter_since[device] = label("", "hint")
            self.counter_reset[device] = button("", "secondary")
            self.counter_reset[device].setObjectName(f"reset-{device}")
            self.counter_reset[device].clicked.connect(lambda _=False, d=device: self.reset_counter.emit(d))
            for w in (self.counter_title[device], self.counter_value[device], self.counter_since[device]):
                lay.addWidget(w)
            lay.addWidget(self.counter_reset[device])
            cnt_lay.addWidget(box)
        cnt_lay.addStretch(1)

        self.inspection = inspection
        self.inspection.submit.clicked.connect(lambda: self.submit_inspection.emit(self.inspection.inspector()))
        self.page_widgets = {"devices": scrolling(devices), "counters": scrolling(counters), "inspection": inspection}
        for page in self.page_widgets.values():
            self.pages.addWidget(page)

        self.message = label("", "ok", autohide=True)
        self.body.addWidget(self.message)
        self.leave_button = button("", "danger")
        self.leave_button.clicked.connect(self.leave)
        self.body.addWidget(self.leave_button)
        self.show_page("devices")
        self.retranslate()

    def title(self) -> str:
        """Heading of the header bar."""
        return translate("Maintenance", "Maintenance")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.tabs["devices"].setText(translate("Maintenance", "Devices"))
        self.tabs["counters"].setText(translate("Maintenance", "Paper and tickets"))
        self.tabs["inspection"].setText(translate("Maintenance", "Daily inspection"))
        self.leave_button.setText(translate("Maintenance", "Leave maintenance"))
        titles = {
            "printer": translate("Maintenance", "Receipts and notices printed since the paper was replaced"),
            "dispenser": translate("Maintenance", "Queue tickets printed since the ticket roll was replaced"),
        }
        for device, title in self.counter_title.items():
            title.setText(titles.get(device, device))
            self.counter_reset[device].setText(translate("Maintenance", "New roll put in: reset the counter"))
        self.inspection.retranslate()

    def show_page(self, name: str) -> None:
        """Switch to the page ``name`` (devices, counters, inspection)."""
        self.pages.setCurrentWidget(self.page_widgets[name])
        for key, b in self.tabs.items():
            b.setChecked(key == name)

    def current_page(self) -> str:
        """The page shown."""
        return next(k for k, w in self.page_widgets.items() if w is self.pages.currentWidget())

    def show_devices(self, statuses: Mapping[str, DeviceStatus | None], testable: Iterable[str]) -> None:
        """Every device's state; the ones with a running driver get an enabled self-test button."""
        can = set(testable)
        for kind, c in self.cards.items():
            c.show_status(statuses.get(kind), kind in can)

    def show_faults(self, lines: list[str], outbox_depth: int | None) -> None:
        """Open faults, each with its action, and how many records still wait for the hall."""
        if lines:
            self.faults.setText(translate("Maintenance", "Open faults:") + "\n" + "\n".join(lines))
        else:
            self.faults.setText(translate("Maintenance", "No open faults."))
        self.outbox.setText(
            ""
            if outbox_depth is None
            else translate("Maintenance", "Records waiting to be sent to the hall: {0}").format(outbox_depth)
        )

    def show_counters(self, counters: Mapping[str, Counter]) -> None:
        """The counters and since when they run."""
        for device, counter in counters.items():
            if device in self.counter_value:
                self.counter_value[device].setText(str(counter.count))
                self.counter_since[device].setText(
                    translate("Maintenance", "Counting since {0}").format(when(counter.since))
                    if counter.since
                    else translate("Maintenance", "Nothing printed since the counter started.")
                )

    def clear(self) -> None:
        """Forget what was typed here (the technician left): notes, who inspected, the last message."""
        self.inspection.clear()
        self.message.clear()

    def show_message(self, text: str, ok: bool = True) -> None:
        """A line above the leave button: what was just done, or why it could not be ("" hides it)."""
        self.message.setText(text)
        set_role(self.message, "ok" if ok else "error")
