"""The daily inspection (日常巡检) page of the technician screen: pass or fail per item, a note (typed on the
on-screen letter keyboard, in pinyin or letters) where something is wrong, who inspected, and "send to the hall".

The checklist itself (items, what is still missing, the payload) is :class:`kiosk.maintenance.InspectionChecklist`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.maintenance import InspectionChecklist
from ui.i18n import translate
from ui.theme import Theme
from ui.widgets.boxes import card, scrolling
from ui.widgets.buttons import button, label
from ui.widgets.pinyin_keys import PinyinKeys

INSPECTOR = "inspector"  # the editor's target when it edits who inspected rather than an item's note
INSPECTOR_MAX = 32


@dataclass
class ItemRow:
    """The widgets of one checklist item."""

    text: QLabel
    passed: QPushButton
    failed: QPushButton
    note_button: QPushButton
    note: QLabel


class InspectionPage(QWidget):
    """The checklist (a list page) and the note editor (a keyboard page) it switches to."""

    def __init__(self, theme: Theme, checklist: InspectionChecklist) -> None:
        super().__init__()
        self.theme = theme
        self.checklist = checklist
        self.lang = "zh"
        self._inspector = ""
        self._target = ""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)

        # The items scroll; who inspected and "send" stay in sight below them.
        page = QWidget()
        page_lay = QVBoxLayout(page)
        page_lay.setContentsMargins(0, 0, 0, 0)
        page_lay.setSpacing(theme.gap)
        self.heading = label("", "")
        page_lay.addWidget(self.heading)
        listing = QWidget()
        lay = QVBoxLayout(listing)
        lay.setSpacing(theme.gap)
        self.rows: dict[str, ItemRow] = {}
        for item in checklist.items:
            box, box_lay = card()
            top = QHBoxLayout()
            row = ItemRow(label("", "tile-title"), button("", "chip"), button("", "chip"), button("", "secondary"),
                          label("", "hint", autohide=True))  # fmt: skip
            for b, name in ((row.passed, "pass"), (row.failed, "fail"), (row.note_button, "note")):
                b.setObjectName(f"{name}-{item.id}")
            row.passed.setCheckable(True)
            row.failed.setCheckable(True)
            row.passed.clicked.connect(lambda _=False, i=item.id: self.mark(i, True))
            row.failed.clicked.connect(lambda _=False, i=item.id: self.mark(i, False))
            row.note_button.clicked.connect(lambda _=False, i=item.id: self.edit(i))
            top.addWidget(row.text, 3)
            for b in (row.passed, row.failed, row.note_button):
                top.addWidget(b, 1)
            box_lay.addLayout(top)
            box_lay.addWidget(row.note)
            lay.addWidget(box)
            self.rows[item.id] = row
        lay.addStretch(1)
        page_lay.addWidget(scrolling(listing), 1)
        who = QHBoxLayout()
        self.inspector_label = label("", "tile-title")
        self.inspector_button = button("", "secondary")
        self.inspector_button.clicked.connect(lambda: self.edit(INSPECTOR))
        who.addWidget(self.inspector_label, 3)
        who.addWidget(self.inspector_button, 1)
        page_lay.addLayout(who)
        self.missing = label("", "hint")
        page_lay.addWidget(self.missing)
        self.submit = button("", "primary")
        page_lay.addWidget(self.submit)
        self.stack.addWidget(page)

        editor = QWidget()
        ed_lay = QVBoxLayout(editor)
        ed_lay.setSpacing(theme.gap)
        self.editor_title = label("", "tile-title")
        self.editor_value = label("", "value")
        self.pinyin = PinyinKeys(theme, max_length=200)  # candidate bar over the letter keyboard
        self.keyboard = self.pinyin.keys
        self.keyboard.changed.connect(lambda text: self.editor_value.setText(text or "—"))
        self.done = button("", "primary")
        self.done.clicked.connect(self.finish_edit)
        for w in (self.editor_title, self.editor_value, self.pinyin):
            ed_lay.addWidget(w)
        ed_lay.addStretch(1)
        ed_lay.addWidget(self.done)
        self.editor = editor
        self.stack.addWidget(editor)
        self.retranslate()

    # -- texts -----------------------------------------------------------------------------------------------

    def set_lang(self, lang: str) -> None:
        """The language of the items (core texts) and, through the translator, of everything else."""
        self.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        """Fixed texts, item texts and the state of every row."""
        self.heading.setText(
            translate("Maintenance", "Check each item at the kiosk. A failed item needs a note of what you found.")
        )
        for item in self.checklist.items:
            row = self.rows[item.id]
            row.text.setText(item.label.get(self.lang))
            row.passed.setText(translate("Maintenance", "OK"))
            row.failed.setText(translate("Maintenance", "Problem"))
            row.note_button.setText(translate("Maintenance", "Note"))
        self.inspector_button.setText(translate("Maintenance", "Type name"))
        self.submit.setText(translate("Maintenance", "Send the inspection to the hall"))
        self.done.setText(translate("Maintenance", "Done"))
        self.keyboard.retranslate()
        self.refresh()

    def refresh(self) -> None:
        """Show the answers, the notes, who inspected and what is still missing."""
        for item in self.checklist.items:
            row, answer = self.rows[item.id], self.checklist.answer(item.id)
            row.passed.setChecked(answer is not None and answer.ok)
            row.failed.setChecked(answer is not None and not answer.ok)
            row.note.setText(self.checklist.note(item.id))
        self.inspector_label.setText(translate("Maintenance", "Inspected by: {0}").format(self._inspector or "—"))
        missing = len(self.checklist.missing())
        if missing:
            self.missing.setText(translate("Maintenance", "Items still to answer (or to note): {0}").format(missing))
        elif not self._inspector:
            self.missing.setText(translate("Maintenance", "Type who inspected, then send."))
        else:
            self.missing.setText(translate("Maintenance", "Ready to send."))
        self.submit.setEnabled(not missing and bool(self._inspector))

    # -- answering -------------------------------------------------------------------------------------------

    def mark(self, item_id: str, ok: bool) -> None:
        """OK or problem for one item; a problem without a note opens the note editor at once."""
        self.checklist.mark(item_id, ok)
        self.refresh()
        if not ok and not self.checklist.note(item_id):
            self.edit(item_id)

    def edit(self, target: str) -> None:
        """Open the keyboard for an item's note, or for who inspected (``INSPECTOR``)."""
        self._target = target
        self.pinyin.set_chinese(True)  # a fresh composition for each note
        if target == INSPECTOR:
            self.editor_title.setText(translate("Maintenance", "Who inspected (name or staff number)"))
            self.keyboard.max_length = INSPECTOR_MAX
            self.keyboard.set_value(self._inspector)
        else:
            item = next(i for i in self.checklist.items if i.id == target)
            self.editor_title.setText(translate("Maintenance", "Note for: {0}").format(item.label.get(self.lang)))
            self.keyboard.max_length = 200
            self.keyboard.set_value(self.checklist.note(target))
        self.editor_value.setText(self.keyboard.value() or "—")
        self.stack.setCurrentWidget(self.editor)

    def finish_edit(self) -> None:
        """Keep what was typed (pinyin not yet picked goes in as letters) and go back to the list."""
        self.pinyin.bar.commit_letters()
        text = self.keyboard.value()
        if self._target == INSPECTOR:
            self._inspector = " ".join(text.split())
        elif self._target:
            self.checklist.set_note(self._target, text)
        self._target = ""
        self.pinyin.clear()
        self.stack.setCurrentIndex(0)
        self.refresh()

    @property
    def editing(self) -> bool:
        """Whether the keyboard page is shown."""
        return self.stack.currentWidget() is self.editor

    def inspector(self) -> str:
        """Who inspected, as typed."""
        return self._inspector

    def set_inspector(self, name: str) -> None:
        """Who inspected (tests and a technician who typed it once this visit)."""
        self._inspector = " ".join(name.split())[:INSPECTOR_MAX]
        self.refresh()

    def clear(self) -> None:
        """Forget the notes and who inspected (the technician left; the checklist object is dropped too)."""
        self.pinyin.clear()
        self._inspector = ""
        self.reset(InspectionChecklist(self.checklist.items))

    def reset(self, checklist: InspectionChecklist) -> None:
        """A new, empty checklist (after sending one); who inspected is kept for the next round."""
        self.checklist = checklist
        self.stack.setCurrentIndex(0)
        self.refresh()
