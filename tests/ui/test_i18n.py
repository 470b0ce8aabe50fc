"""Chinese by default, English on every screen: every string the screens ask for has a translation in both."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QWidget

from kiosk.config import Config, ScreenSection
from kiosk.languages import has_mongolian
from kiosk.visit.flow import Step
from tests.ui.views import all_views
from ui.i18n import LANGUAGES, Translations, qm_path, translate, ts_path
from ui.i18n.build import awaiting_review, messages, problems
from ui.i18n.mn_drafts import DIGITS_ONLY, draft
from ui.navigator import SCREENS
from ui.screens.attract import AttractScreen
from ui.screens.base import Context
from ui.screens.notice import NoticeScreen
from ui.theme import make_theme
from ui.widgets.vertical_text import VerticalText
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


@pytest.mark.parametrize("lang", ["zh", "en", "mn"])
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
        if lang == "mn":  # the Mongolian screens show the .qm's Mongolian, not the English source
            assert has_mongolian(window.cancel.text()) and window.cancel.text() == real.translate("Window", "End visit")
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


def test_mongolian_translations_are_drafts_in_the_script_awaiting_review() -> None:
    """Every mn string is traditional Mongolian with the source's placeholders; machine-made ones are marked."""
    found = messages(ts_path("mn"))
    assert found and set(found) == set(messages(ts_path("zh")))
    for (ctx, source), (text, finished) in found.items():
        assert text.strip(), (ctx, source)
        if source in DIGITS_ONLY:  # a count in a one-line label: digits and placeholders only, still no English
            assert not re.search(r"[A-Za-z]", text), (ctx, source, text)
        else:
            assert has_mongolian(text), (ctx, source, text)
        assert not re.search(r"[a-z]{3,}", re.sub(r"\{\d\}", "", text).replace("pinyin", "")), (ctx, source, text)
        for placeholder in ("{0}", "{1}"):
            assert (placeholder in source) == (placeholder in text), (ctx, source, text)
        if text == draft(source):  # a machine-made draft nobody has passed yet: reviewers must find it
            assert not finished, (ctx, source)
    assert awaiting_review("mn") > 0


def test_check_allows_unfinished_only_where_review_is_pending(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unfinished string is a problem in zh (and en), but a reviewer-marked draft in mn is not."""
    import ui.i18n.build as build

    for lang in ("zh", "mn"):
        copy = tmp_path / ts_path(lang).name
        body = ts_path(lang).read_text(encoding="utf-8")
        marked = body.replace("<translation>", '<translation type="unfinished">', 1)
        copy.write_text(marked if lang == "zh" else body, encoding="utf-8")
        (tmp_path / qm_path(lang).name).write_bytes(qm_path(lang).read_bytes())
    (tmp_path / ts_path("en").name).write_bytes(ts_path("en").read_bytes())
    (tmp_path / qm_path("en").name).write_bytes(qm_path("en").read_bytes())
    monkeypatch.setattr(build, "ts_path", lambda lang: tmp_path / ts_path(lang).name)
    found = build.problems()
    assert found and all(line.startswith("kiosk_zh_CN.ts: untranslated") for line in found), found


def stand_ins(window: KioskWindow, screen: QWidget) -> dict[QWidget, VerticalText]:
    """The labels that a :class:`VerticalText` replaces in a Mongolian visit (the label hidden, the columns
    shown in its place), each with its stand-in."""
    pairs: dict[QWidget, VerticalText] = {window.step_title: window.v_title}
    if isinstance(screen, AttractScreen):
        pairs[screen.service] = screen.service_v
    if isinstance(screen, NoticeScreen):
        pairs[screen.pager.text] = screen.vpager.text
    return pairs


def shown_texts(qapp: Any, data_dir: Path, lang: str) -> dict[Step, list[tuple[str, str]]]:
    """Per screen, the (widget class, text) of every shown label and button, rendered in ``lang``. A label
    whose vertical stand-in is shown instead counts as shown, with the stand-in's text, in its own place (so
    the zh and mn lists still pair widget for widget)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    views = all_views(data_dir, lang)
    t = Translations(qapp)
    t.switch(lang)
    theme = make_theme(ScreenSection(), elderly=False)
    window = KioskWindow(theme, Config().kiosk)
    window.show()
    out: dict[Step, list[tuple[str, str]]] = {}
    try:
        for step, view in views.items():
            screen = SCREENS[step](Context(theme, Config().kiosk))
            window.stack.addWidget(screen)
            screen.render(view)
            window.show_view(view, screen.title())
            window.stack.setCurrentWidget(screen)
            widgets = window.findChildren(QLabel) + window.findChildren(QAbstractButton)
            replaced = stand_ins(window, screen)
            # A shown vertical text the pairs above do not name would go unchecked: name it there.
            known = list(replaced.values())
            unknown = [v.text() for v in window.findChildren(VerticalText) if v.isVisible() and v not in known]
            assert not unknown, (step, unknown)
            texts: list[tuple[str, str]] = []
            for w in widgets:
                v = replaced.get(w)
                if v is not None and v.isVisible():
                    assert not w.isVisible(), (step, "label and its vertical stand-in both shown", w.text())
                    texts.append((type(w).__name__, v.text().strip()))
                elif w.isVisible():
                    texts.append((type(w).__name__, w.text().strip()))
            out[step] = texts
    finally:
        qapp.removeTranslator(t.translator)
        window.allow_close = True
        window.close()
    return out


def test_no_screen_shows_an_empty_label_in_mongolian(qapp: Any, tmp_path: Path) -> None:
    """Every label and button that has text in Chinese has text in Mongolian too, on every screen: catalog
    names without mn fall back to Chinese, shell strings come from kiosk_mn.qm (Mongolian script on each)."""
    zh = shown_texts(qapp, tmp_path / "zh", "zh")
    mn = shown_texts(qapp, tmp_path / "mn", "mn")
    assert set(mn) == set(zh) and len(mn) >= 10
    for step, widgets in zh.items():
        assert [kind for kind, _ in mn[step]] == [kind for kind, _ in widgets], step
        for (kind, zh_text), (_, mn_text) in zip(widgets, mn[step], strict=True):
            assert mn_text or not zh_text, (step, kind, zh_text)
        assert sum(has_mongolian(text) for _, text in mn[step]) >= 2, (step, mn[step])
