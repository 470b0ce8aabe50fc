"""The department's answer while the citizen waits: a query's records as readable tables (printable on the
receipt printer), or a certificate printed on A4 (and printable again); the wait itself, with a way to stop it;
and, when there is no answer, which problem it was and what to do, with a way to ask again."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.visit.online import OnlineView
from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.widgets.buttons import button, label, set_role
from ui.widgets.table import TablePager


class AnswerScreen(Screen):
    """Heading, what is happening (waiting, the problem, the answer), the tables or the certificate, buttons."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "title")
        self.status = label("", "")
        self.advice = label("", "", autohide=True)
        landscape = not self.theme.portrait
        self.tables = TablePager(self.theme.gap, side=landscape)
        self.cert_panel = QWidget()
        self.cert_panel.setProperty("role", "card")
        self.cert_panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        cert = QVBoxLayout(self.cert_panel)
        self.cert_title = label("", "tile-title")
        self.cert_code = label("", "value")
        self.cert_facts = label("", "hint")
        for w in (self.cert_title, self.cert_code, self.cert_facts):
            cert.addWidget(w)
        cert.addStretch(1)
        self.device_note = label("", "ok")
        self.device_note.hide()
        self.message = label("", "error", autohide=True)
        for w in (self.heading, self.status, self.advice):
            self.body.addWidget(w)
        self.body.addWidget(self.tables, 1)
        self.body.addWidget(self.cert_panel, 1)
        self.body.addWidget(self.device_note)
        self.body.addWidget(self.message)
        first = QHBoxLayout()  # landscape: every button on one row (no height to spare); portrait: two rows
        second = first if landscape else QHBoxLayout()
        for row in {id(first): first, id(second): second}.values():
            row.setSpacing(self.theme.gap)
            self.body.addLayout(row)
        self.stop = button("", "secondary")
        self.again = button("", "primary")
        self.print_answer = button("", "secondary")
        self.reprint = button("", "secondary")
        self.more = button("", "secondary")
        self.finish = button("", "primary")
        for b in (self.stop, self.again, self.print_answer, self.reprint):
            first.addWidget(b)
        for b in (self.more, self.finish):
            second.addWidget(b)
        self.stop.clicked.connect(lambda: self.emit("stop_waiting"))
        self.again.clicked.connect(lambda: self.emit("ask_again"))
        self.print_answer.clicked.connect(lambda: self.emit("print_document"))
        self.reprint.clicked.connect(lambda: self.emit("print_certificate"))
        self.more.clicked.connect(lambda: self.emit("more"))
        self.finish.clicked.connect(lambda: self.emit("finish"))
        self.printing = False  # the A4 printer is busy with this certificate (the shell says)
        self._shown: tuple[object, ...] = ()
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Answer", "Result")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.stop.setText(translate("Answer", "Stop waiting"))
        self.again.setText(translate("Answer", "Ask again"))
        self.print_answer.setText(translate("Answer", "Print this answer"))
        self.reprint.setText(translate("Answer", "Print again"))
        self.more.setText(translate("Answer", "Something else"))
        self.finish.setText(translate("Answer", "Finish"))
        self.tables.retranslate()

    def render(self, view: SessionView) -> None:
        """The wait, the problem or the answer."""
        super().render(view)
        self.retranslate()
        self.heading.setText(self.t(view.chosen.name) if view.chosen else "")
        online = view.online
        self._show_state(online)
        tables = online.tables if online is not None else ()
        shown = (self.lang, *map(id, tables))  # the same answer in the same language is not laid out again
        if shown != self._shown:
            self._shown = shown
            self.tables.show_tables(tables, self.lang, narrow=self.theme.portrait)
        self.tables.setVisible(bool(tables))
        cert = online.certificate if online is not None else None
        self.cert_panel.setVisible(cert is not None)
        if cert is not None:
            self.cert_title.setText(self.t(cert.title))
            self.cert_code.setText(translate("Answer", "Verification code: {0}").format(cert.verification_code))
            issued = datetime.fromtimestamp(cert.issued_at).strftime("%Y-%m-%d %H:%M")
            self.cert_facts.setText(
                translate("Answer", "{0} page(s), issued {1}. The code on every page lets anyone check that the "
                          "certificate is genuine.").format(cert.pages, issued)
            )  # fmt: skip
        waiting = online is not None and online.waiting
        self.stop.setVisible(waiting)
        self.again.setVisible(online is not None and not waiting and (online.problem is not None or online.stopped))
        self.print_answer.setVisible(bool(tables))
        self.reprint.setVisible(cert is not None)
        self.reprint.setEnabled(cert is not None and not self.printing)
        self.more.setEnabled("more" in view.events and not waiting)
        self.finish.setEnabled("finish" in view.events)
        self.message.setText(self.t(view.message))

    def _show_state(self, online: OnlineView | None) -> None:
        problem = online.problem if online is not None else None
        if online is None or online.waiting:
            text, role = translate("Answer", "Asking the department, please wait. It usually takes a few seconds."), ""
        elif problem is not None:
            text, role = self.t(problem.message), "error"
        elif online.stopped:
            text, role = translate("Answer", "You stopped waiting. You can ask again."), ""
        elif online.certificate is not None:
            text, role = translate("Answer", "Your certificate is ready. It comes out of the A4 printer:"), "ok"
        else:
            text, role = translate("Answer", "Here is what the department's records show:"), ""
        self.status.setText(text)
        set_role(self.status, role)
        self.advice.setText(self.t(problem.advice) if problem is not None else "")

    def set_printing(self, busy: bool) -> None:
        """The A4 printer is (no longer) printing this certificate: "print again" waits for it."""
        self.printing = busy
        self.reprint.setEnabled(not busy and self.reprint.isVisible())

    def clear(self) -> None:
        """Forget the answer."""
        self.tables.clear()
        for w in (self.heading, self.status, self.advice, self.cert_title, self.cert_code, self.cert_facts,
                  self.device_note, self.message):  # fmt: skip
            w.clear()
        self.device_note.hide()
        self.printing = False
        self._shown = ()
