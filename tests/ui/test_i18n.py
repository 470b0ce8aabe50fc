"""Chinese by default, English on every screen: every string the screens ask for has a translation in both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTranslator

from kiosk.config import Config, ScreenSection
from kiosk.visit.flow import Step
from tests.ui.views import all_views
from ui.i18n import LANGUAGES, Translations, qm_path, translate, ts_path
from ui.i18n.build import messages, problems
from ui.navigator import SCREENS
from ui.screens.base import Context
from ui.theme import make_theme
from ui.window import KioskWindow


class RecordingTranslator(QTranslator):
    """Wraps the real translator and remembers every lookup it could not answer."""

    def __init__(self, real: QTranslator) -> None:
        super().__init__()
        self.real = real
        self.asked: set[tuple[str, str]] = set()
        self.missing: set[tuple[str, str]] = set()

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        if context.startswith("Q"):  # Qt's own lookups (layout direction...), not the shell's
            return self.real.translate(context, source, disambiguation, n)
        self.asked.add((context, source))
        found = self.real.translate(context, source, disambiguation, n)
        if not found:
            self.missing.add((context, source))
        return found

    def isEmpty(self) -> bool:
        return False


def test_translation_files_are_complete_and_compiled() -> None:
    assert problems() == []
    for lang in LANGUAGES:
        assert qm_path(lang).stat().st_size > 1000


def test_chinese_translations_are_chinese() -> None:
    for (ctx, source), (text, finished) in messages(ts_path("zh")).items():
        assert finished and text.strip(), (ctx, source)
        if any(c.isalpha() for c in source):
            assert any("\u4e00" <= c <= "\u9fff" for c in text), (ctx, source, text)
        for placeholder in ("{0}", "{1}"):
            assert (placeholder in source) == (placeholder in text), (ctx, source, text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_visible_string_of_every_screen_is_translated(qapp: Any, tmp_path: Path, lang: str) -> None:
    views = all_views(tmp_path, lang)
    real = QTranslator()
    assert real.load(str(qm_path(lang)))
    recorder = RecordingTranslator(real)
    qapp.installTranslator(recorder)
    theme = make_theme(ScreenSection(), elderly=False)
    window = KioskWindow(theme, Config().kiosk)
    try:
        for step, view in views.items():
            screen = SCREENS[step](Context(theme, Config().kiosk))
            window.stack.addWidget(screen)
            screen.render(view)
            window.show_view(view, screen.title())
            screen.set_device_note(translate("Devices", "Printing, please wait…"))
        assert recorder.asked, "no string went through the translator"
        assert recorder.missing == set()
        if lang == "zh":  # the Chinese screens really show Chinese
            assert "结束办理" in window.cancel.text()
    finally:
        qapp.removeTranslator(recorder)
        window.allow_close = True
        window.close()


def test_switching_language_changes_the_shell(qapp: Any) -> None:
    t = Translations(qapp)
    t.switch("zh")
    assert translate("Window", "End visit") == "结束办理"
    t.switch("en")
    assert translate("Window", "End visit") == "End visit"
    with pytest.raises(ValueError):
        t.switch("fr")
    t.switch("zh")
    assert Step.ATTRACT in SCREENS
