"""The merged form (一表申请): every field in one dragged list (tap one to edit it) and the editor panel.

Nothing on this screen moves while the citizen types: each row is as tall as it will ever be (its value keeps
two lines' room, its note two lines), the line above the list holds the instructions or the correction
request in the same room, and the editor keeps a fixed room for its comments.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from kiosk.catalog import Text
from kiosk.visit.view import FieldView, SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.screens.form_editors import FieldEditor
from ui.widgets.boxes import scrolling
from ui.widgets.buttons import button, label, reserve_lines, set_role
from ui.widgets.fit import FitLabel


class FieldRow(QPushButton):
    """One field in the list: its name, its value and its message or where it came from (two lines' room each)."""

    def __init__(self, value_px: int, small_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCheckable(True)
        set_role(self, "tile")
        lay = QVBoxLayout(self)
        lay.setSpacing(2)
        self.name = label("", "tile-title")
        self.value = FitLabel(value_px, small_px, lines=2, bold=False)
        self.note = label("", "hint")
        reserve_lines(self.note, 2)
        for w in (self.name, self.value, self.note):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            lay.addWidget(w)
        self.key = ""

    def sizeHint(self) -> QSize:
        """As tall as the labels inside need at the row's width (a QPushButton ignores its layout otherwise)."""
        width = max(self.width(), 200)
        return QSize(width, self.layout().totalHeightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        """Never squeeze the labels."""
        return self.sizeHint()

    def show_field(self, f: FieldView, lang: str, typed_id: bool) -> None:
        """Display ``f`` (``typed_id``: the identity was typed, not read from a card)."""
        self.key = f.key
        self.name.setText(f.label.get(lang) + (" *" if f.required else ""))
        shown = next((c.label.get(lang) for c in f.choices if c.value == f.value), f.value)
        self.value.setText(shown or "—")
        if f.error is not None:
            self.note.setText(f.error.get(lang))
            set_role(self.note, "hint-error")
        elif f.locked:
            self.note.setText(
                translate("Form", "From the ID number you typed") if typed_id else translate("Form", "From your card")
            )
            set_role(self.note, "hint")
        else:
            self.note.setText("")

    def clear_field(self) -> None:
        """Forget the shown field."""
        self.key = ""
        for w in (self.name, self.value, self.note):
            w.clear()


class FormScreen(Screen):
    """Fields on the left (top in portrait), the editor of the selected field beside (below) them."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        theme = self.theme
        # The instructions, or after a refused submit the correction request: one room for both.
        self.heading = label("", "")
        self.message = label("", "error")
        self.top = QStackedWidget()
        for w in (self.heading, self.message):
            reserve_lines(w, 2)
            self.top.addWidget(w)
        row = self.split_layout()
        left = QVBoxLayout()
        # Landscape: the instructions head the field list, so the editor (keyboard and candidates) has the
        # screen's whole height; portrait: they head the screen.
        (self.body if theme.portrait else left).addWidget(self.top)
        self.body.addLayout(row, 1)
        self.list_page = QWidget()
        self.list_box = QVBoxLayout(self.list_page)
        self.list_box.setContentsMargins(0, 0, theme.gap, 0)
        self.list_box.setSpacing(theme.gap)
        self.list_box.addStretch(1)
        self.area = scrolling(self.list_page)
        # Its share of the height follows the stretch alone, not its rows' sizes: the editor beside or below it
        # must not move when a row's value changes.
        self.area.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        if theme.portrait:  # above the editor: a fixed height, so the keys below it stay where they are
            self.area.setFixedHeight(round(theme.height * (0.18 if theme.elderly else 0.24)))
        left.addWidget(self.area, 1)
        self.rows: list[FieldRow] = []
        steps = QHBoxLayout()
        steps.setSpacing(theme.gap)
        self.prev_field = button("", "secondary")
        self.next_field = button("", "secondary")
        steps.addWidget(self.prev_field)
        steps.addWidget(self.next_field)
        self.submit = button("", "primary")
        row.addLayout(left, 2 if theme.portrait else 1)
        self.editor = FieldEditor(theme)
        row.addWidget(self.editor, 3 if theme.portrait else 1)
        if not theme.portrait:
            # The keys keep the width of half the screen when a Mongolian visit's vertical title column stands
            # at the window's left: the field list, whose rows wrap, gives up that room, not the keyboard.
            self.editor.setMinimumWidth((theme.width - 6 * theme.gap) // 2)
        (self.body if theme.portrait else left).addLayout(steps)
        (self.body if theme.portrait else left).addWidget(self.submit)
        self.submit.clicked.connect(lambda: self.emit("submit_form"))
        self.prev_field.clicked.connect(lambda: self.step_field(-1))
        self.next_field.clicked.connect(lambda: self.step_field(1))
        self.editor.edited.connect(lambda key, value: self.emit("set_field", key, value))
        self.fields: tuple[FieldView, ...] = ()
        self._item = ""
        self._typed_id = False
        self.selected = ""
        self._submitted = False  # a submit was just refused: show the first field with an error
        self.retranslate()

    def title(self) -> str:
        """Heading: the item applied for."""
        return translate("Form", "Application form: {0}").format(self._item) if self._item else ""

    def retranslate(self) -> None:
        """Fixed texts."""
        self.submit.setText(translate("Form", "Check and continue"))
        self.prev_field.setText(translate("Form", "◀ Previous field"))
        self.next_field.setText(translate("Form", "Next field ▶"))
        self.editor.retranslate()

    def render(self, view: SessionView) -> None:
        """Show the fields, keep the selection; jump to the first field with an error after a refused submit."""
        super().render(view)
        self.retranslate()
        self._item = self.t(view.chosen.name) if view.chosen else ""
        self._typed_id = view.identity_source == "typed"
        self.heading.setText(
            translate("Form", "One form for everything; * marks what is required. Tap a field above to fill it in.")
            if self.theme.portrait
            else translate("Form", "One form for everything; * marks what is required. Tap a field on the left.")
        )
        self.message.setText(self.t(view.message))
        self.top.setCurrentWidget(self.message if view.message is not None else self.heading)
        self.fields = view.fields
        keys = [f.key for f in self.fields]
        errors = [f.key for f in self.fields if f.error is not None]
        if self._submitted and errors and self.selected not in errors:
            self.selected = errors[0]  # only right after the submit: the first letter typed must not move away
        self._submitted = False
        if self.selected not in keys:
            editable = [f.key for f in self.fields if not f.locked and not f.value]
            self.selected = (editable or [f.key for f in self.fields if not f.locked] or keys or [""])[0]
        self._show_rows()

    def select(self, key: str) -> None:
        """Edit field ``key``."""
        if key in [f.key for f in self.fields]:
            self.selected = key
            self._show_rows()

    def step_field(self, direction: int) -> None:
        """The editor's previous/next field buttons: the neighbouring field that can be edited."""
        editable = [f.key for f in self.fields if not f.locked]
        if not editable:
            return
        keys = [f.key for f in self.fields]
        here = keys.index(self.selected) if self.selected in keys else -1
        after = [k for k in (keys[here + 1 :] if direction > 0 else reversed(keys[:here])) if k in editable]
        if after:
            self.select(after[0])

    def _show_rows(self) -> None:
        while len(self.rows) < len(self.fields):
            r = FieldRow(self.theme.font_px("button"), self.theme.font_px("small"))
            r.clicked.connect(lambda _=False, r=r: self.select(r.key))
            self.list_box.insertWidget(len(self.rows), r)
            self.rows.append(r)
        chosen: FieldRow | None = None
        for i, r in enumerate(self.rows):
            if i < len(self.fields):
                f = self.fields[i]
                r.show_field(f, self.lang, self._typed_id)
                r.setChecked(f.key == self.selected)
                r.setVisible(True)
                if f.key == self.selected:
                    chosen = r
            else:
                r.clear_field()
                r.setVisible(False)
        field = next((f for f in self.fields if f.key == self.selected), None)
        editable = [f.key for f in self.fields if not f.locked]
        place = editable.index(self.selected) if self.selected in editable else -1
        self.prev_field.setEnabled(place > 0)
        self.next_field.setEnabled(place < len(editable) - 1)
        self.editor.edit(field, self.lang)
        if chosen is not None:
            self.area.ensureWidgetVisible(chosen, 0, self.theme.gap)

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
        for r in self.rows:
            r.clear_field()
        self.editor.clear()
        self.message.clear()
