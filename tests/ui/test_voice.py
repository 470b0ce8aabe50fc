"""Voice guidance: every screen's prompt renders to a plausible WAV in every language, and a new screen cuts
the previous prompt off (real espeak-ng, real child processes, a sound card stand-in playing in real time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import tests.sound_card as sound_card
from kiosk.demo import sample_identity
from kiosk.settings import VoiceSection
from kiosk.visit.flow import Step
from kiosk.voice import ACTION_PROMPTS, SPOKEN_ACTIONS, VOICES, action_prompt, screen_prompt
from tests.ui.views import all_views
from tests.waiting import wait_until
from ui.demo import NIGHT, DemoClock, open_demo
from ui.speaker import render_wav

# Seconds of speech per character, loosely: Mandarin reads ~3-5 characters a second, English ~12-18.
PER_CHAR_S = {"zh": (0.12, 0.6), "en": (0.03, 0.15)}


def duration(wav: Path) -> float:
    """The length of ``wav`` in seconds, as sox measures it."""
    out = subprocess.run(["sox", "--i", "-D", str(wav)], check=True, capture_output=True, text=True).stdout
    return float(out)


def plausible(text: str, lang: str, seconds: float) -> bool:
    low, high = PER_CHAR_S[lang]
    chars = len(text.replace(" ", ""))
    return low * chars <= seconds <= high * chars + 1.0


@pytest.mark.parametrize("lang", ["zh", "en", "mn"])
def test_every_screen_prompt_renders_to_a_plausible_wav(tmp_path: Path, lang: str) -> None:
    views = all_views(tmp_path / "kiosk", lang)
    assert len(views) >= 10
    name = sample_identity().name
    voice = VoiceSection()
    fallbacks = 0
    for step, view in views.items():
        u = screen_prompt(view)
        assert u.text.strip() and name not in u.text and "{0}" not in u.text, (step, u)
        assert u.fallback == (view.lang == "mn") and u.voice == VOICES[u.lang], u  # no Mongolian voice: Mandarin
        fallbacks += u.fallback
        wav = render_wav(u, tmp_path / f"{step.value}.wav", voice)
        seconds = duration(wav)
        assert plausible(u.text, u.lang, seconds), (step, u.text, seconds)
    assert (fallbacks >= 6) if lang == "mn" else fallbacks == 0  # later visits of all_views are in Chinese
    notice = screen_prompt(views[Step.NOTICE])
    assert views[Step.NOTICE].chosen is not None
    assert views[Step.NOTICE].chosen.name.get("zh" if lang == "mn" else lang) in notice.text  # the catalog name


def test_every_action_confirmation_renders_in_both_voices(tmp_path: Path) -> None:
    for action in ACTION_PROMPTS:
        for lang in ("zh", "en"):
            u = action_prompt(action, lang)
            assert u is not None
            seconds = duration(render_wav(u, tmp_path / f"{action}-{lang}.wav", VoiceSection()))
            assert 0.3 < seconds < 6 and plausible(u.text, lang, seconds), (action, lang, seconds)
    assert action_prompt("no such action", "zh") is None
    assert set(SPOKEN_ACTIONS.values()) <= set(ACTION_PROMPTS)  # every confirmed session action has its words


def test_a_new_screen_interrupts_the_previous_prompt(qapp: Any, tmp_path: Path) -> None:
    played = tmp_path / "played.log"
    player = f"{sys.executable} {Path(sound_card.__file__)} {played}"
    clock = DemoClock(NIGHT)
    runtime, shell = open_demo(tmp_path / "kiosk", clock, voice={"player": player, "volume": 60})
    events: list[tuple[str, str, bool]] = []
    shell.speaker.started.connect(lambda key: events.append(("started", key, True)))
    shell.speaker.ended.connect(lambda key, done: events.append(("ended", key, done)))

    def seen(event: tuple[str, str, bool]) -> bool:
        qapp.processEvents()  # QProcess reports through the event loop
        return event in events

    try:
        shell.start(show=False)
        wait_until(lambda: seen(("started", "screen:attract", True)), 5, "the attract prompt to start")
        shell.navigator.dispatch("start")  # the next screen while the ~8 s welcome is still playing
        wait_until(lambda: seen(("ended", "screen:attract", False)), 5, "the attract prompt cut off")
        assert ("started", "screen:identify", True) in events
        assert shell.speaker.speaking == "screen:identify"
        said = shell.speaker.last
        assert said is not None and said.text.startswith("开始办理。请核验身份")  # confirmation, then the prompt
        shell.window.voice_button.click()  # the citizen mutes: silence at once, and nothing more is said
        wait_until(lambda: seen(("ended", "screen:identify", False)), 5, "the identify prompt cut off")
        assert shell.speaker.muted and not shell.window.voice_button.isChecked()
        shell.window.voice_button.click()  # on again: it says so, and this one is played to the end
        wait_until(lambda: seen(("ended", "action:unmute", True)), 10, "the unmute confirmation played")
        lines = played.read_text().splitlines()  # the sound card logs only what it played to the end
        assert len(lines) == 1 and 0.3 < float(lines[0].split()[1]) < 5, lines
        shell.window.voice_button.click()
        assert shell.speaker.muted
        shell.navigator.dispatch("cancel")  # the visit ends: the next citizen gets the configured voice again
        assert not shell.speaker.muted and shell.window.voice_button.isChecked()
        assert shell.speaker.speaking == "screen:end"
    finally:
        shell.stop()
        runtime.close()


def test_a_missing_espeak_leaves_the_kiosk_silent_not_stuck(qapp: Any, tmp_path: Path) -> None:
    from kiosk.voice import screen_prompt as prompt
    from ui.speaker import Speaker

    speaker = Speaker(VoiceSection(), espeak=str(tmp_path / "no-espeak-ng-here"))
    ended: list[tuple[str, bool]] = []
    speaker.ended.connect(lambda key, done: ended.append((key, done)))
    views = all_views(tmp_path / "kiosk", "zh")
    speaker.say(prompt(views[Step.ATTRACT]))
    wait_until(lambda: qapp.processEvents() or ended, 5, "the failure reported")
    assert ended == [("screen:attract", False)] and speaker.speaking == ""


def test_the_demo_voice_track_writes_a_wav_per_prompt(qapp: Any, tmp_path: Path) -> None:
    from ui.demo_voice import VoiceTrack

    runtime, shell = open_demo(tmp_path / "kiosk", DemoClock(NIGHT), lang="mn")
    track = VoiceTrack(shell, tmp_path / "out", "mn")
    try:
        shell.start(show=False)
        shell.navigator.dispatch("start")
        shell.navigator.dispatch("cancel")
        track.actions()
    finally:
        track.stop()
        shell.stop()
        runtime.close()
    names = [p.name for p in track.written]
    assert names[:2] == ["mn-01-screen-attract.wav", "mn-02-screen-identify.wav"], names
    assert len([n for n in names if "-action-" in n]) == 2 * len(ACTION_PROMPTS)
    for wav in track.written:
        assert 0.5 < duration(wav) < 20, wav.name
