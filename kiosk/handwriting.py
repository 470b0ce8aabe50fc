"""Handwriting input for those who cannot use pinyin: strokes drawn on the screen -> candidate characters.

The engine is zinnia (Debian ``libzinnia0``, BSD licence, https://taku910.github.io/zinnia/) with the Tegaki
project's Simplified Chinese model (Debian ``tegaki-zinnia-simplified-chinese``). Debian ships no Python
binding for zinnia, so this module calls its C API through ctypes: ``zinnia_recognizer_open(model)``, then per
character ``zinnia_character_add(c, stroke, x, y)`` for every point and ``zinnia_recognizer_classify(r, c, n)``.
Qt-free: the shell hands in strokes as lists of (x, y) points in a square of ``size``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Sequence
from pathlib import Path

MODEL = Path("/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model")
LIBRARY = "zinnia"
Stroke = Sequence[tuple[float, float]]


class HandwritingUnavailable(RuntimeError):
    """The engine or its model is not installed (the shell then offers pinyin only)."""


def _load(name: str = LIBRARY) -> ctypes.CDLL:
    path = ctypes.util.find_library(name) or f"lib{name}.so.0"
    try:
        lib = ctypes.CDLL(path)
    except OSError as exc:
        raise HandwritingUnavailable(f"the zinnia library is not installed ({exc})") from exc
    p, i, s, d = ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t, ctypes.c_double
    for fn, res, args in (
        ("zinnia_recognizer_new", p, []),
        ("zinnia_recognizer_destroy", None, [p]),
        ("zinnia_recognizer_open", i, [p, ctypes.c_char_p]),
        ("zinnia_recognizer_strerror", ctypes.c_char_p, [p]),
        ("zinnia_recognizer_classify", p, [p, p, s]),
        ("zinnia_character_new", p, []),
        ("zinnia_character_destroy", None, [p]),
        ("zinnia_character_set_width", None, [p, s]),
        ("zinnia_character_set_height", None, [p, s]),
        ("zinnia_character_add", i, [p, s, i, i]),
        ("zinnia_result_value", ctypes.c_char_p, [p, s]),
        ("zinnia_result_score", d, [p, s]),
        ("zinnia_result_size", s, [p]),
        ("zinnia_result_destroy", None, [p]),
    ):
        f = getattr(lib, fn)
        f.restype, f.argtypes = res, args
    return lib


class Recognizer:
    """One opened model; :meth:`classify` is safe from several threads (calls are serialised)."""

    def __init__(self, model: Path = MODEL, *, library: str = LIBRARY) -> None:
        if not model.is_file():
            raise HandwritingUnavailable(f"no handwriting model at {model}")
        self._lib = _load(library)
        self._lock = threading.Lock()
        self._r = self._lib.zinnia_recognizer_new()
        if not self._lib.zinnia_recognizer_open(self._r, str(model).encode()):
            why = self._lib.zinnia_recognizer_strerror(self._r) or b""
            self.close()
            raise HandwritingUnavailable(f"cannot open {model}: {why.decode(errors='replace')}")

    def classify(self, strokes: Sequence[Stroke], size: float, limit: int = 10) -> list[str]:
        """The likeliest characters for ``strokes`` drawn in a ``size`` × ``size`` square, best first."""
        points = [s for s in strokes if s]
        if not points or self._r is None:
            return []
        lib = self._lib
        with self._lock:
            c = lib.zinnia_character_new()
            try:
                side = max(1, round(size))
                lib.zinnia_character_set_width(c, side)
                lib.zinnia_character_set_height(c, side)
                for n, stroke in enumerate(points):
                    for x, y in stroke:
                        lib.zinnia_character_add(c, n, round(x), round(y))
                result = lib.zinnia_recognizer_classify(self._r, c, limit)
                if not result:
                    return []
                try:
                    count = lib.zinnia_result_size(result)
                    return [lib.zinnia_result_value(result, k).decode() for k in range(count)]
                finally:
                    lib.zinnia_result_destroy(result)
            finally:
                lib.zinnia_character_destroy(c)

    def close(self) -> None:
        """Free the model."""
        if self._r is not None:
            self._lib.zinnia_recognizer_destroy(self._r)
            self._r = None
