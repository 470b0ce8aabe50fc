"""Submitted (reference number and QR on screen) and the receipt step (printed, or where to collect it)."""

from __future__ import annotations

from kiosk.receipts import material_line, provided_line
from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context
from ui.screens.outcome import OutcomeScreen


class SubmittedScreen(OutcomeScreen):
    """The application is recorded: its reference number, QR, and what to bring to the window."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.go = self.add_action("primary")
        self.go.clicked.connect(lambda: self.emit("receipt"))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Submitted", "Application sent")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.number_caption.setText(translate("Submitted", "Your reference number"))
        self.qr_caption.setText(translate("Submitted", "Scan to track your application"))
        self.go.setText(translate("Submitted", "Get my receipt"))

    def details_text(self, view: SessionView) -> str:
        """What was applied for, whether it went out now, and the materials to bring."""
        r = view.receipt
        lines: list[str] = []
        if r is not None:
            lines.append(translate("Submitted", "Applied for: {0}").format(self.t(r.title)))
            lines.append(
                translate(
                    "Submitted",
                    "The network is down: your application is saved on this kiosk and will be sent automatically. "
                    "Do not apply again.",
                )
                if not view.delivered_to_hall  # only the hall's acknowledgement makes it "sent" (not the link)
                else translate("Submitted", "Your application has been sent to the service center.")
            )
        if r is not None and r.provided:
            lines += ["", translate("Submitted", "Handed in here (photographed):")]
            lines += [f"{i}. {provided_line(m, n, self.lang)}" for i, (m, n) in enumerate(r.provided, 1)]
            if not view.materials_to_bring:
                lines.append(translate("Submitted", "All materials handed in: nothing to bring to the window."))
        if view.materials_to_bring:
            lines += ["", translate("Submitted", "Please bring these to the window:")]
            lines += [f"{i}. {material_line(m, self.lang)}" for i, m in enumerate(view.materials_to_bring, 1)]
        return "\n".join(lines)

    def render(self, view: SessionView) -> None:
        """Reference, QR and details."""
        super().render(view)
        self.retranslate()
        self.heading.setText(translate("Submitted", "Done. Your application has been received."))
        self.number.setText(view.reference or "")
        self.qr.set_data(view.receipt.qr if view.receipt else "")
        self.details.setText(self.details_text(view))
        self.message.setText(self.t(view.message))


class ReceiptScreen(SubmittedScreen):
    """The receipt is printing (or could not be): the number and QR stay, then on to the rating."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.go.clicked.disconnect()
        self.go.clicked.connect(lambda: self.emit("proceed"))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Submitted", "Your receipt")

    def retranslate(self) -> None:
        """Fixed texts."""
        super().retranslate()
        self.go.setText(translate("Submitted", "Next: rate this service"))

    def render(self, view: SessionView) -> None:
        """As submitted, with the receipt's heading."""
        super().render(view)
        # What the printer did (printed / the way on without paper) is the device note, set by the shell.
        self.heading.setText(
            translate("Submitted", "Done: your application has been received. Keep this number until it is done.")
        )
