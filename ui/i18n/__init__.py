"""Translations of the shell: English source strings in the code, Qt .ts sources and compiled .qm files here.

Every user-visible string in ui/ is written ``translate("Context", "English text")`` so that
``pyside6-lupdate`` finds it (the context must be a literal). ``ui/i18n/build.py`` regenerates the files.
Catalog texts (service names, notices) are data with their own languages and are not translated here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
LANGUAGES = ("zh", "en", "mn")
TS_NAMES = {"zh": "kiosk_zh_CN", "en": "kiosk_en", "mn": "kiosk_mn"}
# Languages whose translations may still await a native reviewer (machine-made, marked unfinished in the .ts).
REVIEW_PENDING = frozenset({"mn"})


def translate(context: str, text: str) -> str:
    """``text`` in the installed language (the English source when no translator is installed)."""
    return QCoreApplication.translate(context, text)


def qm_path(lang: str) -> Path:
    """The compiled translation file of ``lang``."""
    return HERE / f"{TS_NAMES[lang]}.qm"


def ts_path(lang: str) -> Path:
    """The translation source file of ``lang``."""
    return HERE / f"{TS_NAMES[lang]}.ts"


class Translations:
    """Owns the one installed QTranslator and switches it between the shell's languages."""

    def __init__(self, app: QCoreApplication, translator: QTranslator | None = None) -> None:
        self._app = app
        self._translator = translator or QTranslator()
        self._lang = ""

    @property
    def lang(self) -> str:
        """The language now installed (one of LANGUAGES; "" before the first switch)."""
        return self._lang

    @property
    def translator(self) -> QTranslator:
        """The installed translator (tests wrap it to record missing strings)."""
        return self._translator

    def switch(self, lang: str) -> None:
        """Install the translations of ``lang``; raises FileNotFoundError if its .qm is missing."""
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        if lang == self._lang:
            return
        self._app.removeTranslator(self._translator)
        path = qm_path(lang)
        if not self._translator.load(str(path)):
            raise FileNotFoundError(f"cannot load translations {path} (run python -m ui.i18n.build)")
        self._app.installTranslator(self._translator)
        self._lang = lang
        log.info("language: %s", lang)
