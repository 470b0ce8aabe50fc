"""The demo's voice track: a WAV of every prompt the scripted visit would say (the demo has no sound card).

Each new screen's prompt is rendered with espeak-ng as the shell's speaker would say it, once per distinct text,
into ``<out>/voice/<lang>-<nn>-<key>.wav`` (a screen's named for the visit's language: an mn visit's prompts
are Mandarin, espeak-ng having no Mongolian voice); then every action's confirmation in each spoken language.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from kiosk.settings import VoiceSection
from kiosk.visit.flow import Step
from kiosk.voice import ACTION_PROMPTS, VOICES, Utterance, action_prompt, screen_prompt
from ui.shell import Shell
from ui.speaker import render_wav

log = logging.getLogger(__name__)


class VoiceTrack:
    """Follows a shell's screens and writes each prompt once as a WAV."""

    def __init__(self, shell: Shell, out: Path, lang: str, voice: VoiceSection | None = None) -> None:
        self.dir = out / "voice"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.lang = lang
        self.voice = voice or VoiceSection()
        self.shell = shell
        self.written: list[Path] = []
        self._said: set[tuple[str, str]] = set()
        shell.navigator.stepped.connect(self._stepped)

    def _stepped(self, _old: Step | None, _new: Step) -> None:
        view = self.shell.navigator.view
        if view is not None:
            self._write(screen_prompt(view))

    def _write(self, u: Utterance) -> None:
        if (u.key, u.text) in self._said:
            return
        self._said.add((u.key, u.text))
        lang = self.lang if u.key.startswith("screen:") else u.lang  # a screen's in the visit's language
        name = f"{lang}-{len(self.written) + 1:02d}-{u.key.replace(':', '-')}.wav"
        try:
            self.written.append(render_wav(u, self.dir / name, self.voice))
        except (OSError, subprocess.SubprocessError) as exc:  # no espeak-ng: the screens still get written
            log.warning("voice track: %s not rendered: %s", u.key, exc)

    def actions(self) -> None:
        """Every action's confirmation, in each language that has a voice."""
        for lang in VOICES:
            for action in ACTION_PROMPTS:
                u = action_prompt(action, lang)
                if u is not None:
                    self._write(u)

    def stop(self) -> None:
        """Stop following the shell."""
        self.shell.navigator.stepped.disconnect(self._stepped)
