"""The merged form (一表申请): paged field rows (tap one to edit it) and the editor panel."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.catalog import Text
from kiosk.visit.view import FieldView, SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.screens.form_editors import FieldEditor
from ui.widgets.buttons import button, label, set_role


class FieldRow(QPushButton):
    """One field in the list: label, value, and its message or lock note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setCheckable(True)
        set_role(self, "tile")
        lay = QVBoxLayout(self)
        lay.setSpacing(2)
        top = QHBoxLayout()
        self.name = label("", "tile-title")
        self.value = label("", "")
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.note = label("", "hint")
        top.addWidget(self.name, 1)
        top.addWidget(self.value, 1)
        lay.addLayout(top)
        lay.addWidget(self.note)
        for w in (self.name, self.value, self.note):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.key = ""

    def sizeHint(self) -> QSize:
        """As tall as the labels inside need (a QPushButton ignores its layout otherwise)."""
        hint = self.layout().sizeHint()
        return QSize(hint.width(), max(hint.height(), super().sizeHint().height()))

    def minimumSizeHint(self) -> QSize:
        """Never squeeze the labels."""
        return self.sizeHint()

    def show_field(self, f: FieldView, lang: str) -> None:
        """Display ``f``."""
        self.key = f.key
        self.name.setText(f.label.get(lang) + (" *" if f.required else ""))
        shown = next((c.label.get(lang) for c in f.choices if c.value == f.value), f.value)
        self.value.setText(shown or "—")
        if f.error is not None:
            self.note.setText(f.error.get(lang))
            set_role(self.note, "error")
        elif f.locked:
            self.note.setText(translate("Form", "From your card"))
            set_role(self.note, "hint")
        else:
            self.note.clear()
        self.note.setVisible(bool(self.note.text()))

    def clear_field(self) -> None:
        """Forget the shown field."""
        self.key = ""
        for w in (self.name, self.value, self.note):
            w.clear()


class FormScreen(Screen):
    """Fields on the left (top in portrait), the editor of the selected field beside them."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "")
        self.message = label("", "error", autohide=True)
        row = self.split_layout()
        left = QVBoxLayout()
        # Landscape: the instructions head the field list, so the editor (keyboard and pinyin candidates) has
        # the screen's whole height; portrait: they head the screen.
        for w in (self.heading, self.message):
            (self.body if self.theme.portrait else left).addWidget(w)
        self.body.addLayout(row, 1)
        self.rows: list[FieldRow] = []
        self.per_page = self.theme.form_rows
        for _ in range(self.per_page):
            r = FieldRow()
            r.clicked.connect(lambda _=False, r=r: self.select(r.key))
            left.addWidget(r)
            self.rows.append(r)
        left.addStretch(1)
        nav = QHBoxLayout()
        self.prev = button("", "secondary")
        self.next = button("", "secondary")
        self.page_label = label("", "hint", wrap=False)
        nav.addWidget(self.prev)
        nav.addWidget(self.page_label)
        nav.addWidget(self.next)
        left.addLayout(nav)
        self.prev.clicked.connect(lambda: self.set_page(self.page - 1))
        self.next.clicked.connect(lambda: self.set_page(self.page + 1))
        row.addLayout(left, 1)
        self.editor = FieldEditor(self.theme)
        row.addWidget(self.editor, 1)
        self.submit = button("", "primary")
        if self.theme.portrait:
            self.body.addWidget(self.submit)
        else:  # beside the page buttons: landscape has width to spare, not height
            nav.addWidget(self.submit, 2)
        self.submit.clicked.connect(lambda: self.emit("submit_form"))
        self.editor.edited.connect(lambda key, value: self.emit("set_field", key, value))
        self.fields: tuple[FieldView, ...] = ()
        self._item = ""
        self.page = 0
        self.selected = ""
        self._submitted = False  # a submit was just refused: show the first field with an error
        self.retranslate()

    def title(self) -> str:
        """Heading: the item applied for."""
        return translate("Form", "Application form: {0}").format(self._item) if self._item else ""

    def retranslate(self) -> None:
        """Fixed texts."""
        self.prev.setText(translate("Tiles", "◀ Previous page"))
        self.next.setText(translate("Tiles", "Next page ▶"))
        self.submit.setText(translate("Form", "Check and continue"))
        self.editor.retranslate()

    @property
    def pages(self) -> int:
        """Pages of field rows."""
        return max(1, -(-len(self.fields) // self.per_page))

    def render(self, view: SessionView) -> None:
        """Show the fields, keep the selection; jump to the first field with an error after a refused submit."""
        super().render(view)
        self.retranslate()
        self._item = self.t(view.chosen.name) if view.chosen else ""
        self.heading.setText(translate("Form", "One form for everything. Fields with * are required."))
        self.message.setText(self.t(view.message))
        self.heading.setVisible(view.message is None)  # after a refused submit, the message is the instruction
        self.fields = view.fields
        keys = [f.key for f in self.fields]
        errors = [f.key for f in self.fields if f.error is not None]
        if self._submitted and errors and self.selected not in errors:
            self.selected = errors[0]  # only right after the submit: the first letter typed must not move away
        self._submitted = False
        if self.selected not in keys:
            editable = [f.key for f in self.fields if not f.locked and not f.value]
            self.selected = (editable or [f.key for f in self.fields if not f.locked] or keys or [""])[0]
        if self.selected in keys:
            self.page = min(keys.index(self.selected) // self.per_page, self.pages - 1)
        self._show_page()

    def set_page(self, page: int) -> None:
        """Show page ``page`` of the field rows."""
        self.page = max(0, min(page, self.pages - 1))
        self._show_page()

    def select(self, key: str) -> None:
        """Edit field ``key``."""
        keys = [f.key for f in self.fields]
        if key in keys:
            self.selected = key
            self.page = keys.index(key) // self.per_page
            self._show_page()

    def _show_page(self) -> None:
        start = self.page * self.per_page
        shown = self.fields[start : start + self.per_page]
        for i, r in enumerate(self.rows):
            if i < len(shown):
                r.show_field(shown[i], self.lang)
                r.setChecked(shown[i].key == self.selected)
                r.setVisible(True)
            else:
                r.clear_field()
                r.setVisible(False)
        many = self.pages > 1
        for w in (self.prev, self.next, self.page_label):
            w.setVisible(many)
        self.prev.setEnabled(self.page > 0)
        self.next.setEnabled(self.page < self.pages - 1)
        self.page_label.setText(translate("Tiles", "Page {0} of {1}").format(self.page + 1, self.pages))
        field = next((f for f in self.fields if f.key == self.selected), None)
        self.editor.edit(field, self.lang)

    def on_result(self, name: str, result: object) -> None:
        """After set_field: the session's comment on the value so far."""
        if name == "set_field":
            self.editor.show_hint(result.get(self.lang) if isinstance(result, Text) else "")
        elif name == "submit_form":
            self._submitted = True

    def clear(self) -> None:
        """Forget every value."""
        self.fields = ()
        self.selected = ""
        self.page = 0
        for r in self.rows:
            r.clear_field()
        self.editor.clear()
        self.heading.clear()
        self.message.clear()
