"""进度查询: where an application stands. The citizen holds the receipt's QR code under the scanner (the shell
hands the code to the session) or types the reference number printed on the receipt; the hall answers the
status (received, in review, more documents needed, done) and since when."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.widgets.buttons import button, label, set_role
from ui.widgets.textkeys import TextKeyboard

REFERENCE_MAX = 80


class ProgressScreen(Screen):
    """Instructions, the typed reference and its keyboard beside (landscape) or above (portrait) the result."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "")
        self.body.addWidget(self.heading)
        self.display = label("", "value")
        self.keys = TextKeyboard(max_length=REFERENCE_MAX)
        self.look_up = button("", "primary")
        self.finish = button("", "secondary")
        self.result = QWidget()
        self.result.setProperty("role", "card")
        self.result.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        res = QVBoxLayout(self.result)
        self.reference = label("", "hint")
        self.state = label("", "big")
        self.since = label("", "")
        self.service = label("", "")
        self.note = label("", "", autohide=True)
        self.advice = label("", "", autohide=True)
        for w in (self.reference, self.state, self.since, self.service, self.note, self.advice):
            res.addWidget(w)
        res.addStretch(1)
        self.stop = button("", "secondary")
        res.addWidget(self.stop)
        self.message = label("", "error", autohide=True)
        if self.theme.portrait:  # the answer on top, the keyboard under the thumb
            self.body.addWidget(self.result, 1)
            for w in (self.display, self.keys):
                self.body.addWidget(w)
            self.body.addWidget(self.message)
            buttons = QHBoxLayout()
            buttons.setSpacing(self.theme.gap)
            buttons.addWidget(self.look_up, 2)
            buttons.addWidget(self.finish, 1)
            self.body.addLayout(buttons)
        else:  # no height to spare: typing on the left, the answer and the way out on the right
            row = self.split_layout()
            typed, right = QVBoxLayout(), QVBoxLayout()
            for w in (self.display, self.keys, self.look_up):
                typed.addWidget(w)
            right.addWidget(self.result, 1)
            right.addWidget(self.finish)
            row.addLayout(typed, 3)
            row.addLayout(right, 2)
            self.body.addLayout(row, 1)
            self.body.addWidget(self.message)
        self.keys.changed.connect(self._typed)
        self.look_up.clicked.connect(lambda: self.emit("lookup_progress", self.keys.value()))
        self.stop.clicked.connect(lambda: self.emit("stop_waiting"))
        self.finish.clicked.connect(lambda: self.emit("finish"))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Progress", "Application progress")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.heading.setText(
            translate("Progress", "Hold the QR code of your receipt under the scanner, or type the reference number "
                      "printed on the receipt.")
        )  # fmt: skip
        self.look_up.setText(translate("Progress", "Look it up"))
        self.stop.setText(translate("Progress", "Stop waiting"))
        self.finish.setText(translate("Progress", "Finish"))
        self.keys.retranslate()
        self._typed(self.keys.value())

    def _typed(self, value: str) -> None:
        self.display.setText(translate("Progress", "Reference number: {0}").format(value or "—"))
        self.look_up.setEnabled(bool(value.strip()))

    def render(self, view: SessionView) -> None:
        """The wait, the problem, or the status."""
        super().render(view)
        self.retranslate()
        online = view.online
        progress = online.progress if online is not None else None
        problem = online.problem if online is not None else None
        waiting = online is not None and online.waiting
        self.result.setVisible(online is not None)
        self.reference.setText(
            translate("Progress", "Application {0}").format(progress.reference) if progress is not None else ""
        )
        if waiting:
            state, role = translate("Progress", "Looking it up, please wait…"), ""
        elif problem is not None:
            state, role = self.t(problem.message), "error"
        elif progress is not None:
            state, role = self.t(progress.status_text), "ok"
        else:
            state, role = translate("Progress", "You stopped waiting. You can look it up again."), ""
        self.state.setText(state)
        set_role(self.state, "big" if role == "ok" else role)
        self.since.setText(
            translate("Progress", "Since {0}").format(progress.date.isoformat()) if progress is not None else ""
        )
        self.service.setText(self.t(progress.service) if progress is not None and progress.service else "")
        self.note.setText(
            translate("Progress", "Note from the service center: {0}").format(self.t(progress.note))
            if progress is not None and progress.note else ""
        )  # fmt: skip
        self.advice.setText(self.t(problem.advice) if problem is not None else "")
        self.stop.setVisible(waiting)
        self.look_up.setEnabled(bool(self.keys.value().strip()) and not waiting)
        self.message.setText(self.t(view.message))

    def on_result(self, name: str, result: object) -> None:
        """A lookup was asked: the typed number has done its job."""
        if name == "lookup_progress":
            self.keys.clear()

    def entered(self) -> None:
        """A new lookup starts with nothing typed."""
        self.keys.clear()

    def clear(self) -> None:
        """Forget the number and the answer."""
        self.keys.clear()
        for w in (self.reference, self.state, self.since, self.service, self.note, self.advice, self.message):
            w.clear()
