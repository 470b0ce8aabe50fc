"""The voice of the kiosk: speaks :class:`kiosk.voice.Utterance` s through espeak-ng, off the GUI thread.

Each utterance is a child process (QProcess): ``espeak-ng --stdout`` piped into the configured player
(``[voice] player``, e.g. ``aplay -q``), or espeak-ng playing by itself when the player is "". The GUI thread
only starts and kills processes. A new utterance kills the one still speaking: the next screen interrupts the
previous prompt. Volume and mute come from ``[voice]`` and can be changed on screen for the current visit.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Signal

from kiosk.settings import VoiceSection
from kiosk.voice import Utterance

log = logging.getLogger(__name__)
ESPEAK = "espeak-ng"


def espeak_args(u: Utterance, volume: int, rate: int) -> list[str]:
    """espeak-ng's options for ``u`` (the text goes on stdin, never on the command line)."""
    return ["-v", u.voice, "-a", str(volume), "-s", str(rate), "--stdin"]


def render_wav(u: Utterance, path: Path, voice: VoiceSection, espeak: str = ESPEAK) -> Path:
    """Write ``u`` as a WAV file at ``path`` (the demo and tests; the kiosk plays instead)."""
    cmd = [espeak, *espeak_args(u, voice.volume, voice.rate), "-w", str(path)]
    subprocess.run(cmd, input=u.text.encode("utf-8"), check=True, capture_output=True, timeout=60)
    return path


class Speaker(QObject):
    """Says one thing at a time; ``say`` interrupts whatever is being said."""

    started = Signal(str)  # an utterance's key, as its process starts
    ended = Signal(str, bool)  # key, and whether it was said to the end (False: interrupted or failed)

    def __init__(self, voice: VoiceSection, *, espeak: str = ESPEAK, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = voice
        self._espeak = espeak
        self._volume = voice.volume
        self._muted = not voice.enabled
        self._procs: list[QProcess] = []
        self._key = ""
        self.last: Utterance | None = None  # the last thing started

    @property
    def muted(self) -> bool:
        """Whether the kiosk is silent (config, or the citizen's mute button)."""
        return self._muted

    @property
    def volume(self) -> int:
        """The volume in percent."""
        return self._volume

    @property
    def speaking(self) -> str:
        """The key of what is being said now ("" when silent)."""
        return self._key

    def set_muted(self, muted: bool) -> None:
        """Mute (stops what is being said) or unmute."""
        self._muted = muted
        if muted:
            self.stop()

    def set_volume(self, percent: int) -> None:
        """Change the volume for what is said next."""
        self._volume = max(0, min(100, percent))

    def reset(self) -> None:
        """Back to the configured volume and mute (a new visit does not inherit the last citizen's choice)."""
        self._volume = self._config.volume
        self.set_muted(not self._config.enabled)

    def say(self, u: Utterance | None) -> None:
        """Say ``u`` now, interrupting anything still being said (nothing when muted or ``u`` is None)."""
        self.stop()
        if u is None or self._muted or not u.text.strip():
            return
        speak = QProcess(self)
        args = espeak_args(u, self._volume, self._config.rate)
        player_cmd = shlex.split(self._config.player)
        procs = [speak]
        if player_cmd:
            player = QProcess(self)
            speak.setStandardOutputProcess(player)
            player.start(player_cmd[0], player_cmd[1:])
            procs.append(player)
            args.append("--stdout")
        speak.start(self._espeak, args)
        speak.write(u.text.encode("utf-8"))
        speak.closeWriteChannel()
        last = procs[-1]
        last.finished.connect(lambda code, status, key=u.key, group=procs: self._done(group, key, code, status))
        for p in procs:  # espeak-ng or the player missing: say so once, and be silent rather than stuck
            p.errorOccurred.connect(lambda err, key=u.key, group=procs: self._failed(group, key, err))
        self._procs = procs
        self._key = u.key
        self.last = u
        log.info("voice: %s (%s%s)", u.key, u.voice, ", fallback" if u.fallback else "")
        self.started.emit(u.key)

    def _done(self, group: list[QProcess], key: str, code: int, status: QProcess.ExitStatus) -> None:
        if group is self._procs:
            self._procs = []
            self._key = ""
        for p in group:  # the utterance's process objects go together, once its last process has exited
            p.deleteLater()
        complete = status == QProcess.ExitStatus.NormalExit and code == 0
        if not complete:
            log.info("voice: %s did not finish (exit %s)", key, code)
        self.ended.emit(key, complete)

    def _failed(self, group: list[QProcess], key: str, error: QProcess.ProcessError) -> None:
        if error != QProcess.ProcessError.FailedToStart:
            return  # a crash or a kill ends in finished(), which _done handles
        log.warning("voice: %s not said: %s could not be started", key, group[0].program())
        if group is self._procs:
            self.stop()
            self.ended.emit(key, False)

    def stop(self) -> None:
        """Stop speaking at once."""
        procs, self._procs, self._key = self._procs, [], ""
        for p in procs:
            if p.state() != QProcess.ProcessState.NotRunning:
                p.kill()
