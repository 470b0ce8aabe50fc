"""The pinyin index of the on-screen keyboard, built once per process on a worker thread.

:meth:`kiosk.pinyin.PinyinIndex.build` reads pypinyin's data and takes about 0.4 s of CPU (``python -m bench
pinyin``), at the edge of what a tap may cost on the GUI thread and more on a kiosk's Celeron, so the shell
starts the build when it starts (:meth:`PinyinLoader.start`) and the candidate bars stay disabled, the letter
keyboard typing letters as before, until ``ready(index)``. Every keyboard of the process shares the one index
(it is only read once built). If the data is missing the index stays None: letters only.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.pinyin import PinyinIndex

log = logging.getLogger(__name__)


class PinyinLoader(QObject):
    """Builds the index off the GUI thread; ``ready(index or None)`` on the GUI thread when done."""

    ready = Signal(object)
    _built = Signal(object)  # emitted on the worker thread; queued into the GUI thread

    def __init__(self, build: Callable[[], PinyinIndex] = PinyinIndex.build, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self._index: PinyinIndex | None = None
        self._thread: threading.Thread | None = None
        self.done = False  # the build finished (the index may still be None: no data)
        self._built.connect(self._on_built, Qt.ConnectionType.QueuedConnection)

    def index(self) -> PinyinIndex | None:
        """The index, once built (None before, or when it cannot be built)."""
        return self._index

    def start(self) -> None:
        """Start building, unless that has already started (then nothing happens)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="pinyin-index", daemon=True)
        self._thread.start()

    def _run(self) -> None:  # on the worker thread: build, then only emit
        started = time.perf_counter()
        try:
            index: PinyinIndex | None = self._build()
        except Exception:  # no pypinyin data, a damaged file: the keyboards type letters only
            log.exception("cannot build the pinyin index; Chinese input offers letters only")
            index = None
        else:
            log.info("pinyin index built in %.2f s", time.perf_counter() - started)
        self._built.emit(index)

    @Slot(object)
    def _on_built(self, index: PinyinIndex | None) -> None:
        self._index = index
        self.done = True
        self.ready.emit(index)


_shared: PinyinLoader | None = None


def pinyin_loader() -> PinyinLoader:
    """The process's one loader (made on first use, on the GUI thread, after the QApplication)."""
    global _shared
    if _shared is None:
        _shared = PinyinLoader()
    return _shared
